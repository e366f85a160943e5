"""Compose: choose exercises from the library and turn them into a Handout, exactly what will print.

No reportlab here: a Handout is plain data that the renderer lays out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from handouts.dose import dose_sentences
from handouts.errors import InputError
from handouts.language import Labels, Missing, localize
from handouts.model import LINKS, Brand, Choice, Disclaimers, Exercise, Library, Program
from handouts.text import clean

# the labels (in the library's languages:) for a version's heading and its links
VERSION_LABELS = {"harder": "version_harder", "easier": "version_easier",
                  "alternatives": "version_alternative", "other": "version_other"}  # fmt: skip
IN_HANDOUT = {"easier": "link_easier", "harder": "link_harder", "alternatives": "link_alternative"}
ELSEWHERE = {"easier": "ask_easier", "harder": "ask_harder", "alternatives": "ask_alternative"}
REVERSE = {"harder": "easier", "easier": "harder", "alternatives": "alternatives"}


@dataclass(frozen=True)
class Item:
    """One exercise as printed: its number, dose sentences and links to its other versions."""

    number: str  # "1", or "1b" for a version printed right after exercise 1
    exercise: Exercise
    dose: tuple[str, ...]
    label: str = ""  # "Harder version of 1" for a version; "" for a main exercise
    links: tuple[str, ...] = ()
    notes: str = ""  # the therapist's note on this exercise
    times_per_day: int = 1  # (the weekly log has a box for each time a day)


@dataclass(frozen=True)
class Handout:
    title: str
    intro: str
    brand: Brand
    disclaimers: Disclaimers
    items: tuple[Item, ...]
    date: dt.date
    labels: Labels
    patient: str = ""
    therapist: str = ""
    notes: str = ""
    program_id: str = ""
    paper: str = "letter"
    log_weeks: int = 0  # pages of the weekly log to tick
    fallbacks: tuple[Missing, ...] = ()  # text printed in English: no translation (a warning)

    @property
    def lang(self) -> str:
        """The language code the handout is in: 'en', 'es'."""
        return self.labels.code

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of text that will print, with where it came from (for glyph checks)."""
        yield "the handout title", self.title
        yield "the program intro", self.intro
        yield "--patient", self.patient
        yield "--therapist", self.therapist
        yield "--notes", self.notes
        yield from brand_texts(self.brand)
        yield from disclaimer_texts(self.disclaimers)
        where = f"the {self.labels.language.name} labels ({self.labels.language.origin[0]})"
        yield from ((where, text) for text in self.labels.texts())
        for item in self.items:
            e = item.exercise
            where = f"exercise '{e.id}' ({e.origin})"
            yield from exercise_texts(e, where)
            for text in (*item.dose, *item.links, item.label, item.notes):
                yield where, text


def brand_texts(brand: Brand) -> Iterator[tuple[str, str]]:
    """The brand's printed fields, each with where it came from."""
    for field in (
        "name",
        "tagline",
        "phone",
        "email",
        "website",
        "address",
        "footer",
        "qr_caption",
    ):
        yield f"brand {field} ({brand.origin})", getattr(brand, field)


def disclaimer_texts(d: Disclaimers) -> Iterator[tuple[str, str]]:
    fields = (
        "red_flags_title",
        "red_flags",
        "red_flags_action",
        "safety_title",
        "safety",
        "footer",
    )
    for field in fields:
        value = getattr(d, field)
        for text in value if isinstance(value, tuple) else (value,):
            yield f"disclaimers {field} ({d.origin})", text


def exercise_texts(e: Exercise, where: str) -> Iterator[tuple[str, str]]:
    """An exercise's printed text: title, purpose, position, equipment, steps, tips, cautions."""
    for field in ("title", "purpose", "position"):
        yield f"{where} {field}", getattr(e, field)
    for field in ("equipment", "steps", "tips", "cautions"):
        for text in getattr(e, field):
            yield f"{where} {field}", text


def find_exercise(library: Library, name: str) -> Exercise:
    """An exercise by id or alias (any case, spaces or hyphens); unknown names suggest the closest."""
    if name in library.exercises:
        return library.exercises[name]
    key = _key(name)
    for exercise in library.exercises.values():
        if key == _key(exercise.id) or any(key == _key(a) for a in exercise.aliases):
            return exercise
    names = list(library.exercises)
    aliases = {_key(a): e.id for e in library.exercises.values() for a in e.aliases}
    guesses = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    guesses += [aliases[k] for k in difflib.get_close_matches(key, list(aliases), n=2, cutoff=0.6)]
    guesses = list(dict.fromkeys(guesses))[:3]
    hint = f" Did you mean {_either(guesses)}?" if guesses else ""
    raise InputError(f"unknown exercise '{name}'.{hint} Run 'handouts list' to see them all.")


def find_program(library: Library, name: str) -> Program:
    if name in library.programs:
        return library.programs[name]
    guesses = difflib.get_close_matches(name, list(library.programs), n=3, cutoff=0.5)
    hint = f" Did you mean {_either(guesses)}?" if guesses else ""
    choices = ", ".join(sorted(library.programs))
    raise InputError(f"unknown program '{name}'.{hint} The programs are: {choices}.")


def compose(
    library: Library,
    brand: Brand,
    *,
    ids: Sequence[str] = (),
    program: str | None = None,
    choices: Sequence[Choice] = (),
    patient: str = "",
    therapist: str = "",
    notes: str = "",
    date: dt.date,
    paper: str = "letter",
    log_weeks: int = 0,
    versions: str = "cards",
    lang: str = "en",
    allow_fallback: bool = False,
) -> Handout:
    """What will print, in language `lang` (see language.localize: a missing translation is an
    error unless `allow_fallback`). `choices` (a prescription) replace the program's exercises,
    each with its own dose changes and note; the program still gives the title and intro.
    `versions='mention'` leaves a program's harder, easier and other versions out as exercises
    of their own: the exercise they belong to names them instead."""
    if not ids and not program and not choices:
        raise InputError(
            "choose what to print: give exercise ids (handouts build glute-bridge hip-hinge) "
            "or a program (handouts build --program sciatica). "
            "'handouts list' and 'handouts programs' show the choices."
        )
    prog = find_program(library, program) if program else None
    if not choices and prog is not None:
        choices = [Choice(e.id, e.variant_of) for e in prog.entries]
    choices = [*choices, *(Choice(name) for name in ids)]
    chosen: list[tuple[Exercise, Choice]] = []
    seen: set[str] = set()
    for choice in choices:
        exercise = find_exercise(library, choice.id)
        if exercise.id in seen or (versions == "mention" and choice.variant_of):
            continue
        seen.add(exercise.id)
        chosen.append((exercise, choice))
    linked = {t for e, _ in chosen for relation in LINKS for t in getattr(e, relation)} - seen
    local = localize(library, brand, lang, exercises=tuple(seen), titles=tuple(linked),
                     program=prog.id if prog else None, allow_fallback=allow_fallback)  # fmt: skip
    library, labels = local.library, local.labels
    chosen = [(library.exercises[exercise.id], choice) for exercise, choice in chosen]
    items = _number(chosen, labels)
    if prog is not None:
        prog = library.programs[prog.id]
    title, intro = (
        (prog.title, prog.intro) if prog else (labels["custom_title"], labels["custom_intro"])
    )
    return Handout(
        title=title,
        intro=intro,
        brand=local.brand,
        disclaimers=library.disclaimers,
        items=tuple(_with_links(items, library, labels)),
        date=date,
        labels=labels,
        fallbacks=local.fallbacks,
        patient=one_line(patient),
        therapist=one_line(therapist),
        notes=clean(notes).strip(),
        program_id=prog.id if prog else "",
        paper=paper,
        log_weeks=log_weeks,
    )


def _number(chosen: list[tuple[Exercise, Choice]], labels: Labels) -> list[Item]:
    """Main exercises are 1, 2, 3...; a version printed after its exercise is 1b, 1c..."""
    items: list[Item] = []
    numbers: dict[str, str] = {}
    mains: dict[str, str] = {}  # each exercise's main number: a version of a version counts there
    versions: dict[str, int] = {}
    count = 0
    for exercise, choice in chosen:
        parent_id = choice.variant_of
        if parent_id and parent_id in numbers:
            parent_number, main = numbers[parent_id], mains[parent_id]
            versions[main] = versions.get(main, 0) + 1
            number = f"{main}{version_letters(versions[main])}"
            mains[exercise.id] = main
            parent = next(i.exercise for i in items if i.exercise.id == parent_id)
            label = labels.fill(VERSION_LABELS[_relation(parent, exercise)], n=parent_number)
        else:
            count += 1
            number, label = str(count), ""
            mains[exercise.id] = number
        numbers[exercise.id] = number
        given = exercise.dose.overridden_by(choice.dose)
        dose = tuple(dose_sentences(given, labels))
        items.append(Item(number, exercise, dose, label, notes=clean(choice.notes).strip(),
                          times_per_day=given.times_per_day or 1))  # fmt: skip
    return items


def version_letters(n: int) -> str:
    """The letters of a main exercise's `n`th version: b, c, ..., z, then aa, ab, ... (the main
    exercise itself is 'a'), so any number of versions gets a number of its own."""
    n += 1  # 1 is 'a'
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _relation(parent: Exercise, version: Exercise) -> str:
    """How `version` relates to `parent`, from either one's links (a clinic may have replaced one)."""
    for relation, reverse in REVERSE.items():
        if version.id in getattr(parent, relation) or parent.id in getattr(version, reverse):
            return relation
    return "other"


def _with_links(items: list[Item], library: Library, labels: Labels) -> Iterator[Item]:
    """Add 'Too hard? Try...' lines that point to the other versions, in this handout or not."""
    numbers = {item.exercise.id: item.number for item in items}
    for item in items:
        links = []
        for relation in IN_HANDOUT:
            for target in getattr(item.exercise, relation):
                title = library.exercises[target].title
                if target in numbers:
                    links.append(labels.fill(IN_HANDOUT[relation], n=numbers[target], title=title))
                else:
                    links.append(labels.fill(ELSEWHERE[relation], title=title))
        yield replace(item, links=tuple(links))


def one_line(text: str) -> str:
    """A name prints on one line: line breaks and runs of spaces become single spaces."""
    return " ".join(clean(text).split())


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def _either(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
