"""What `handouts list` prints of a library, kept in the cache beside the library itself.

A cache hit of a whole library unpickles every exercise in full (a 900-exercise library with
1,800 photos: ~100,000 objects, ~8-15 ms, half of it rebuilding Path objects), yet `list`
prints only each exercise's id, kind, title (translated with --lang), tags and, with --json,
its purpose, aliases, dose and the languages it is translated into. A `Listing` holds just
those, the languages and the exercises left out, and is cached under the same files as the
library (see load_listing): made from the library, so it says exactly what the library says,
and its hit checks the same photos again (they decide which exercises are left out).

Its exercises (`Listed`) have the fields of model.Exercise that the listing reads, by the same
names, so catalog.select, list_text and list_json take a Listing or a Library alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handouts.model import Dose, Language, Library, Translations


@dataclass(frozen=True)
class Listed:
    """One exercise as `list` prints it. `translations` holds only each translated title (a
    language the exercise is translated into with no title maps to an empty mapping)."""

    id: str
    title: str
    purpose: str
    kind: str = ""
    regions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    dose: Dose = field(default_factory=Dose)
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class Listing:
    """What `list` prints of a library: its exercises in order, its languages, and the
    exercises left out for their problems (ids only: the warning names them) with the files
    it was read from (the warning names the clinic's)."""

    exercises: dict[str, Listed]
    languages: dict[str, Language]
    broken: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()


def listing_of(library: Library) -> Listing:
    """The Listing of a loaded library."""
    return Listing(
        exercises={key: _listed(e) for key, e in library.exercises.items()},
        languages=dict(library.languages),
        broken=dict.fromkeys(library.broken, ()),
        files=library.files,
    )


def _listed(e) -> Listed:
    titles = {code: ({"title": text["title"]} if "title" in text else {})
              for code, text in e.translations.texts.items()}  # fmt: skip
    return Listed(
        id=e.id, title=e.title, purpose=e.purpose, kind=e.kind, regions=e.regions,
        conditions=e.conditions, aliases=e.aliases, dose=e.dose,
        translations=Translations(texts=titles),
    )  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """What `show` prints of one exercise of a library, and the exercises left out for their
    problems (ids only) with the files it was read from, for the left-out warning."""

    text: str
    broken: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
