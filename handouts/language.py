"""Languages: the label catalog a handout prints around its content, and the library's text in
the chosen language (its translations), with every missing piece reported at its place.

No reportlab here. The words come from the library's `languages:` entries (data), not from code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from handouts.errors import InputError, ValidationError
from handouts.model import (
    Brand,
    Count,
    Disclaimers,
    Exercise,
    Language,
    Library,
    Program,
)

PLACEHOLDER = re.compile(r"\{(\w*)\}")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
LABEL_CODE_HINT = "like es, fr or pt-BR"

# Every label a handout prints: key -> what it is. A text may use only the {placeholders}
# named; a list has a fixed length; a count has `one:` and `other:` forms that may use {n}.
TEXT, LIST, COUNT = "text", "list", "count"
LABELS: dict[str, tuple[str, tuple[str, ...] | int]] = {
    "label": (TEXT, ("label",)),
    "why": (TEXT, ()),
    "position": (TEXT, ()),
    "equipment": (TEXT, ()),
    "steps": (TEXT, ()),
    "how_much": (TEXT, ()),
    "continued": (TEXT, ("title",)),
    "tips": (TEXT, ()),
    "cautions": (TEXT, ()),
    "therapist_says": (TEXT, ()),
    "video_caption": (TEXT, ()),
    "start": (TEXT, ()),
    "end": (TEXT, ()),
    "arrow_key": (TEXT, ()),
    "view_above": (TEXT, ()),
    "view_front": (TEXT, ()),
    "close_up": (TEXT, ()),
    "patient": (TEXT, ()),
    "therapist": (TEXT, ()),
    "date": (TEXT, ()),
    "date_format": (TEXT, ("month", "day", "year")),
    "months": (LIST, 12),
    "phone": (TEXT, ()),
    "email": (TEXT, ()),
    "website": (TEXT, ()),
    "page": (TEXT, ("page", "pages")),
    "qr_caption": (TEXT, ()),
    "notes": (TEXT, ()),
    "pdf_subject": (TEXT, ("clinic",)),
    "custom_title": (TEXT, ()),
    "custom_intro": (TEXT, ()),
    "version_harder": (TEXT, ("n",)),
    "version_easier": (TEXT, ("n",)),
    "version_alternative": (TEXT, ("n",)),
    "version_other": (TEXT, ("n",)),
    "link_easier": (TEXT, ("n", "title")),
    "link_harder": (TEXT, ("n", "title")),
    "link_alternative": (TEXT, ("n", "title")),
    "ask_easier": (TEXT, ("title",)),
    "ask_harder": (TEXT, ("title",)),
    "ask_alternative": (TEXT, ("title",)),
    "chosen_instead": (TEXT, ("title",)),
    "choice_tick": (TEXT, ()),
    "either": (TEXT, ("first", "last")),
    "summary_title": (TEXT, ()),
    "summary_help": (TEXT, ()),
    "summary_exercise": (TEXT, ()),
    "summary_how_much": (TEXT, ()),
    "summary_how_often": (TEXT, ()),
    "ask_how_often": (TEXT, ()),
    "contact_phone": (TEXT, ("clinic", "phone")),
    "contact_line": (TEXT, ()),
    "log_title": (TEXT, ()),
    "log_title_week": (TEXT, ("week",)),
    "log_help": (TEXT, ()),
    "log_week_start": (TEXT, ()),
    "log_notes": (TEXT, ()),
    "log_exercise": (TEXT, ()),
    "days": (LIST, 7),
    "days_short": (LIST, 7),
    "seconds": (COUNT, ("n",)),
    "minutes": (COUNT, ("n",)),
    "minutes_seconds": (TEXT, ("minutes", "seconds")),
    "times": (COUNT, ("n",)),
    "times_in_a_row": (COUNT, ("n",)),
    "sets": (COUNT, ("n",)),
    "days_count": (COUNT, ("n",)),
    "side_each": (TEXT, ()),
    "side_left": (TEXT, ()),
    "side_right": (TEXT, ()),
    "side_one": (TEXT, ()),
    "dose_hold": (TEXT, ("duration",)),
    "dose_reps": (TEXT, ("times", "side")),
    "dose_rest_each": (TEXT, ("duration",)),
    "dose_set": (TEXT, ("times_in_a_row", "side")),
    "dose_sets": (TEXT, ("sets", "side")),
    "dose_sets_rest": (TEXT, ("sets", "side", "duration")),
    "dose_side": (TEXT, ("side",)),
    "dose_load": (TEXT, ("load",)),
    "dose_duration": (TEXT, ("duration", "side")),
    "dose_duration_set": (TEXT, ("duration", "side")),
    "dose_per_day": (TEXT, ("times",)),
    "dose_every_day": (TEXT, ()),
    "dose_per_week": (TEXT, ("days",)),
    "dose_per_day_every_day": (TEXT, ("times",)),
    "dose_per_day_week": (TEXT, ("times", "days")),
    "level": (TEXT, ()),
    "level_beginner": (TEXT, ()),
    "level_intermediate": (TEXT, ()),
    "level_expert": (TEXT, ()),
    "primary_muscles": (TEXT, ()),
    "secondary_muscles": (TEXT, ()),
    "email_subject": (TEXT, ("clinic",)),
    "email_hello": (TEXT, ("patient",)),
    "email_hello_no_name": (TEXT, ()),
    "email_body": (TEXT, ()),
    "email_questions": (TEXT, ()),
    "email_password": (TEXT, ()),
    "email_html": (TEXT, ()),
}
STATUS_TEXT = {
    "original": "the language the library is written in",
    "reviewed": "reviewed by a qualified medical translator",
    "draft": "not yet reviewed by a qualified medical translator",
}


def fill(template: str, values: Mapping[str, object]) -> str:
    """`template` with each {name} replaced by its value, inserted as is (never parsed again)."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def placeholder_problem(key: str, text: str) -> str | None:
    """Why `text` cannot be label `key` (an unknown or empty {placeholder}), or None."""
    allowed = LABELS[key][1]
    for name in PLACEHOLDER.findall(text):
        if name not in allowed:  # type: ignore[operator]
            known = ", ".join(f"{{{n}}}" for n in allowed) or "none"  # type: ignore[union-attr]
            return f"uses {{{name}}}, which this label does not have (it has: {known})"
    return None


@dataclass(frozen=True)
class Labels:
    """The words printed around a handout's content, in one language."""

    language: Language

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def locale(self) -> str:
        return self.language.locale

    def __getitem__(self, key: str) -> str:
        value = self.language.labels[key]
        assert isinstance(value, str), key
        return value

    def fill(self, key: str, **values: object) -> str:
        return fill(self[key], values)

    def label(self, key: str) -> str:
        """'Why:': a label printed before its text."""
        return self.fill("label", label=self[key])

    def count(self, key: str, n: int) -> str:
        """'1 second', '3 seconds': the form for `n`, with {n} filled in."""
        value = self.language.labels[key]
        assert isinstance(value, Count), key
        return fill(value.one if n == 1 else value.other, {"n": n})

    def items(self, key: str) -> tuple[str, ...]:
        value = self.language.labels[key]
        assert isinstance(value, tuple), key
        return value

    def date(self, day: dt.date) -> str:
        month = self.items("months")[day.month - 1]
        return self.fill("date_format", month=month, day=day.day, year=day.year)

    def texts(self) -> Iterator[str]:
        """Every label's printed text (its {placeholders} left out), for the glyph check."""
        for value in self.language.labels.values():
            if isinstance(value, Count):
                texts: tuple[str, ...] = (value.one, value.other)
            else:
                texts = value if isinstance(value, tuple) else (value,)
            yield from (PLACEHOLDER.sub("", text) for text in texts)


# -- choosing a language ---------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """A field with no text in the chosen language."""

    file: str
    line: int
    what: str  # "exercises[3] 'glute-bridge': title"
    lang: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} has no '{self.lang}' translation"


@dataclass(frozen=True)
class Localized:
    """The library, brand and labels in one language, and what printed in English instead."""

    library: Library
    brand: Brand
    labels: Labels
    fallbacks: tuple[Missing, ...] = ()


def language_of(library: Library, code: str) -> Language:
    """The library's language `code` (any case); an unknown one names those it has."""
    for known in library.languages.values():
        if known.code.lower() == code.strip().lower():
            return known
    have = ", ".join(f"{c} ({lang.name})" for c, lang in library.languages.items())
    raise InputError(
        f"the library has no language '{code}'; it has: {have}. A clinic adds one with a "
        "'languages:' entry and 'translations:' in its library file (see the README)."
    )


def localize(
    library: Library,
    brand: Brand,
    code: str = "en",
    *,
    exercises: tuple[str, ...] | None = None,
    titles: tuple[str, ...] = (),
    program: str | None = None,
    allow_fallback: bool = False,
) -> Localized:
    """The library and brand with their printed text in language `code`.

    Only what will print is checked: the `exercises` (all when None), the title of each of
    `titles` (named in link lines), the `program`, the disclaimers, the brand and the labels.
    A missing piece is an error listing each one (file, line, key), unless `allow_fallback`,
    which prints the English and says where.
    """
    language = language_of(library, code)
    english = library.languages["en"]
    missing: list[Missing] = []
    labels = dict(language.labels)
    for key in LABELS:
        if key not in labels:
            file, line = language.origin
            missing.append(
                Missing(file, line, f"languages.{language.code}.labels.{key}", language.code)
            )
            labels[key] = english.labels[key]
    ids = list(library.exercises) if exercises is None else list(exercises)
    translated = {i: _exercise(library.exercises[i], language.code, missing) for i in ids}
    for i in titles:
        translated[i] = _translate(library.exercises[i], language.code, missing, only=("title",))
    programs = dict(library.programs)
    if program is not None:
        programs[program] = _translate(programs[program], language.code, missing)
    localized = Localized(
        library=replace(
            library,
            exercises={**library.exercises, **translated},
            programs=programs,
            disclaimers=_translate(library.disclaimers, language.code, missing),
        ),
        brand=_translate(brand, language.code, missing),
        labels=Labels(replace(language, labels=labels)),
        fallbacks=tuple(missing),
    )
    if missing and not allow_fallback:
        raise ValidationError(
            [str(m) for m in sorted(missing, key=lambda m: (m.file, m.line))],
            summary=f"the handout cannot be printed in {language.name} ({language.code}): "
            f"{len(missing)} piece{'s' if len(missing) != 1 else ''} of text "
            f"{'have' if len(missing) != 1 else 'has'} no translation. Add them to the library "
            "file, or use --allow-fallback to print those in English",
        )
    return localized


def needed(thing: Exercise | Program | Disclaimers | Brand) -> Iterator[str]:
    """The fields of `thing` that print and so need a translation (those with English text)."""
    for name in thing.translations.lines:
        value = thing.dose.load if name == "load" else getattr(thing, name)  # type: ignore[union-attr]
        if value:
            yield name


def missing_in(
    thing: Exercise | Program | Disclaimers | Brand, code: str, only: tuple[str, ...] = ()
) -> list[Missing]:
    """Each printed field of `thing` (of `only`, when given) with no text in language `code`."""
    if code == "en":
        return []
    have = thing.translations.texts.get(code, {})
    found = []
    for name in needed(thing):
        if name not in have and (not only or name in only):
            file, line = thing.translations.lines[name]
            found.append(Missing(file, line, f"{thing.translations.where}: {name}", code))
    return found


def _translate(thing, code: str, missing: list[Missing], only: tuple[str, ...] = ()):
    if code == "en":
        return thing
    missing += missing_in(thing, code, only)
    have = {
        k: v
        for k, v in thing.translations.texts.get(code, {}).items()
        if k != "load" and (not only or k in only)
    }
    return replace(thing, **have)


def _exercise(exercise: Exercise, code: str, missing: list[Missing]) -> Exercise:
    translated = _translate(exercise, code, missing)
    load = exercise.translations.texts.get(code, {}).get("load")
    if code != "en" and exercise.dose.load and isinstance(load, str):
        translated = replace(translated, dose=replace(exercise.dose, load=load))
    return translated


def status_line(language: Language) -> str:
    """'es  Español: draft, not yet reviewed by a qualified medical translator'."""
    text = f"{language.code:<6} {language.name}: {language.status}, {STATUS_TEXT[language.status]}"
    return f"{text}. {language.note}" if language.note else text


def draft_warning(language: Language) -> str:
    """What a build in a draft language says on stderr; "" for a reviewed or original one."""
    if language.status != "draft":
        return ""
    return (f"{language.name} ({language.code}) is a draft translation, not yet reviewed by a "
            "qualified medical translator: have it reviewed before relying on it")  # fmt: skip
