"""Load the exercise library: the built-in file plus, optionally, a clinic's own on top of it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from handouts.language import LABELS
from handouts.load import load_library  # noqa: F401 - where it was, for existing imports
from handouts.load.fields import Fields, Problems, closest, describe
from handouts.load.figures import read_figure, read_images
from handouts.load.languages import (
    CAPTIONS,
    TEXT,
    TEXTS,
    TIPS,
    merge_languages,
    merge_translations,
    read_captions,
    read_disclaimer_translations,
    read_languages,
    read_tips,
    read_translations,
)
from handouts.load.names import index_names
from handouts.load.source import Source, read_yaml
from handouts.model import (
    KINDS,
    LEVELS,
    LINKS,
    SIDES,
    Disclaimers,
    Dose,
    Exercise,
    Library,
    Program,
    ProgramEntry,
    Translations,
)
from handouts.resources import builtin_library_path

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_HINT = "lowercase letters, digits and hyphens, like 'glute-bridge'"
TOP_KEYS = ("version", "languages", "disclaimers", "exercises", "programs")
EXERCISE_KEYS = ("id", "title", "purpose", "position", "equipment", "steps", "tips", "cautions",
                 "dose", "tags", "aliases", *LINKS, "level", "primary_muscles",
                 "secondary_muscles", "figure", "captions", "images", "video",
                 "translations")  # fmt: skip
DOSE_KEYS = (
    "hold",
    "reps",
    "sets",
    "times_per_day",
    "days_per_week",
    "side",
    "rest",
    "load",
    "duration",
)
PROGRAM_KEYS = ("id", "title", "intro", "exercises", "translations")
DISCLAIMER_KEYS = ("red_flags", "safety", "footer", "translations")
# the printed fields a translation gives: one text, or a list of them
EXERCISE_TEXT = {"title": TEXT, "purpose": TEXT, "position": TEXT, "equipment": TEXTS,
                 "steps": TEXTS, "tips": TIPS, "cautions": TEXTS, "load": TEXT,
                 "primary_muscles": TEXTS, "secondary_muscles": TEXTS,
                 "captions": CAPTIONS}  # fmt: skip
PROGRAM_TEXT = {"title": TEXT, "intro": TEXT}


def read_library(extra: Path | None = None) -> Library:
    """The built-in library, with a clinic's own file on top, read from the YAML (load_library,
    in handouts.load, takes it from the cache when it can). Every problem is reported together,
    sorted by line."""
    problems = Problems()
    base = _Part(read_yaml(builtin_library_path(), "built-in library"), problems, builtin=True)
    problems.raise_if_any()
    parts = [base]
    if extra is not None:
        parts.append(_Part(read_yaml(extra, "library file"), problems, builtin=False))
    disclaimers = base.disclaimers
    for part in parts[1:]:
        if disclaimers is not None and (part.disclaimer_fields or part.disclaimer_translations):
            translations = merge_translations(
                disclaimers.translations, part.disclaimer_translations, part.disclaimer_fields
            )
            disclaimers = replace(
                disclaimers, **part.disclaimer_fields, translations=translations,
                origin=part.disclaimer_origin if part.disclaimer_fields else disclaimers.origin,
            )  # fmt: skip
    merged = {k: v for part in parts for k, v in part.exercises.items()}
    library = Library(
        exercises=merged,
        programs={k: v for part in parts for k, v in part.programs.items()},
        disclaimers=disclaimers,  # type: ignore[arg-type] - the built-in file always has them
        files=tuple(part.source.path for part in parts),
        languages=merge_languages([part.languages for part in parts]),
    )
    _check_english(library, base)
    for part in parts:
        part.check_links(library)
    names, name_warnings = index_names(parts, merged)
    if problems.items:  # a problem outside the exercises stops every handout: listed with all
        problems.items += [
            item for part in parts for own in part.own.values() for item in own.items
        ]
        problems.raise_if_any()
    broken: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for name, found in part.own.items():
            if found.items and (name not in merged or merged[name] is part.exercises.get(name)):
                ordered = sorted(found.items, key=lambda item: (item[0], item[1]))
                broken[name] = tuple(f"{file}:{line}: {message}" for file, line, message in ordered)
    declared = (tuple(library.languages) if extra is None
                else tuple(c for c in parts[-1].languages if c in library.languages))  # fmt: skip
    return replace(
        library,
        exercises={k: v for k, v in merged.items() if k not in broken},
        broken=broken, names=names, name_warnings=tuple(name_warnings), declared=declared,
    )  # fmt: skip


class _Part:
    """What one library file defines, before it is merged with the others."""

    def __init__(self, source: Source, problems: Problems, builtin: bool) -> None:
        self.source = source
        self.problems = problems
        self.exercises: dict[str, Exercise] = {}
        self.programs: dict[str, Program] = {}
        self.where: dict[str, Fields] = {}  # id -> the fields it was read from, for link messages
        self.disclaimers: Disclaimers | None = None
        self.disclaimer_fields: dict[str, Any] = {}
        self.disclaimer_translations = Translations()
        self.disclaimer_origin = ""
        self.languages: dict = {}
        self.builtin = builtin
        # each exercise's own problems, by its id (or "exercises[4]" when it has none): an
        # exercise with any is left out, and blocks only the handouts that use it
        self.own: dict[str, Problems] = {}
        if not isinstance(source.data, dict):
            expected = "a mapping with exercises:, programs: and disclaimers:"
            problems.add(source, (), f"expected {expected}, got {describe(source.data)}")
            return
        top = Fields(source, (), "", problems, source.data)
        top.check_keys(TOP_KEYS)
        top.whole("version", 1, 1)
        self.languages = read_languages(top, builtin)
        for index, raw in top.items("exercises", required=builtin):
            own = Problems()
            read = _read_exercise(self._fields("exercises", index, raw, own))
            if read is None:
                if own.items:
                    self.own[f"exercises[{index}]"] = own
                continue
            if read[1].id in self.own:  # used twice: the id is broken, whichever was meant
                self.own[read[1].id].items += own.items
                read[0].problems = self.own[read[1].id]
            else:
                self.own[read[1].id] = own
            self._add(self.exercises, read)
        for index, raw in top.items("programs"):
            self._add(self.programs, _read_program(self._fields("programs", index, raw)))
        self._read_disclaimers(top, builtin)

    def _fields(
        self, kind: str, index: int, raw: Any, problems: Problems | None = None
    ) -> Fields | None:
        problems = problems if problems is not None else self.problems
        label = f"{kind}[{index}]"
        if not isinstance(raw, dict):
            message = f"{label} must be a mapping (id:, title:, ...), got {describe(raw)}"
            problems.add(self.source, (kind, index), message)
            return None
        given = self.source.text((kind, index, "id"), raw.get("id"))
        if isinstance(given, str):
            label += f" '{given}'"
        return Fields(self.source, (kind, index), label, problems, raw)

    def _add(self, found: dict, read: tuple[Fields, Exercise | Program] | None) -> None:
        if read is None:
            return
        fields, thing = read
        if thing.id in found:
            fields.problem("id", f"'{thing.id}' is used twice (first at {found[thing.id].origin})")
            return
        found[thing.id] = thing
        self.where[f"{type(thing).__name__}:{thing.id}"] = fields

    def _read_disclaimers(self, top: Fields, builtin: bool) -> None:
        d = top.mapping("disclaimers", required=builtin)
        d.check_keys(DISCLAIMER_KEYS)
        fields: dict[str, Any] = {}
        for key in ("red_flags", "safety"):
            if key in d.data or builtin:
                block = d.mapping(key, required=True)
                block.check_keys(
                    ("title", "items", "action") if key == "red_flags" else ("title", "items")
                )
                fields[f"{key}_title"] = block.text("title", required=True)
                fields[key] = block.text_list("items", required=True, lines=True)
                if key == "red_flags":
                    fields["red_flags_action"] = block.text("action", lines=True)
        if "footer" in d.data or builtin:
            fields["footer"] = d.text("footer", required=True, lines=True)
        self.disclaimer_fields = fields
        present = [key for key in ("red_flags", "safety", "footer") if key in d.data]
        self.disclaimer_translations = read_disclaimer_translations(d, present)
        self.disclaimer_origin = f"{self.source.name}:{top.line_of('disclaimers')}"
        if builtin:
            self.disclaimers = Disclaimers(
                **fields, origin=self.disclaimer_origin, translations=self.disclaimer_translations
            )

    def check_links(self, library: Library) -> None:
        """Links between exercises, and program entries, must name exercises that exist."""
        known = library.exercises
        for exercise in self.exercises.values():
            fields = self.where[f"Exercise:{exercise.id}"]
            for relation in LINKS:
                for i, target in enumerate(getattr(exercise, relation)):
                    if target not in known:
                        message = f"names an unknown exercise '{target}'{closest(target, known)}"
                        fields.problem(relation, message, i)
                    elif target == exercise.id:
                        fields.problem(relation, "links the exercise to itself", i)
        for program in self.programs.values():
            fields = self.where[f"Program:{program.id}"]
            seen: list[str] = []
            for i, entry in enumerate(program.entries):
                if entry.id not in known:
                    message = f"names an unknown exercise '{entry.id}'{closest(entry.id, known)}"
                    fields.problem("exercises", message, i)
                elif entry.id in seen:
                    fields.problem("exercises", f"lists '{entry.id}' twice", i)
                elif entry.variant_of is not None and entry.variant_of not in seen:
                    message = f"variant_of must name an exercise listed before it, got '{entry.variant_of}'"
                    fields.problem("exercises", message, i)
                seen.append(entry.id)


def _check_english(library: Library, base: _Part) -> None:
    """English must be complete: it is what every other language falls back to."""
    english = library.languages.get("en")
    if english is None:
        base.problems.add(base.source, ("languages",), "languages: must have en (English)")
        return
    for key in LABELS:
        if key not in english.labels:
            base.problems.add(base.source, ("languages", "en", "labels"),
                              f"languages.en.labels: {key} is required")  # fmt: skip


def _read_id(fields: Fields) -> str | None:
    value = fields.source.text((*fields.path, "id"), fields.data.get("id"))
    if value is None:
        fields.problem("id", "is required")
    elif not isinstance(value, str) or not ID.fullmatch(value):
        fields.problem("id", f"must be {ID_HINT}, got {describe(value)}")
    else:
        return value
    return None


def _read_exercise(f: Fields | None) -> tuple[Fields, Exercise] | None:
    if f is None:
        return None
    f.check_keys(EXERCISE_KEYS)
    d = f.mapping("dose")
    tags = f.mapping("tags")
    tags.check_keys(("region", "condition", "kind"))
    tips, tips_when = read_tips(f)
    exercise = Exercise(
        id=_read_id(f) or "",
        title=f.text("title", required=True),
        purpose=f.text("purpose", required=True, lines=True),
        steps=f.text_list("steps", required=True, lines=True),
        position=f.text("position", lines=True),
        equipment=f.text_list("equipment"),
        tips=tips,
        tips_when=tips_when,
        cautions=f.text_list("cautions", lines=True),
        dose=read_dose(d),
        regions=tags.text_list("region"),
        conditions=tags.text_list("condition"),
        kind=tags.choice("kind", KINDS, "") or "",
        aliases=f.text_list("aliases"),
        easier=_id_list(f, "easier"),
        harder=_id_list(f, "harder"),
        alternatives=_id_list(f, "alternatives"),
        level=f.choice("level", LEVELS, "") or "",
        primary_muscles=f.text_list("primary_muscles"),
        secondary_muscles=f.text_list("secondary_muscles"),
        figure=read_figure(f),
        captions=read_captions(f),
        images=read_images(f),
        video=f.link("video"),
        origin=f"{f.source.name}:{f.line_of()}",
        translations=read_translations(f, EXERCISE_TEXT, {"load": "dose.load"}),
    )
    _check_tip_whens(f, exercise)
    return (f, exercise) if exercise.id else None


def _check_tip_whens(f: Fields, exercise: Exercise) -> None:
    """A translation of the tips marks as many of them `when: not chosen` as the English does:
    else one language would print a tip the other leaves out."""
    marked = exercise.tips_when.count("not chosen")
    for code, texts in exercise.translations.texts.items():
        if "tips" not in texts:
            continue
        theirs = tuple(texts.get("tips_when", ())).count("not chosen")
        if theirs != marked:
            f.problem("translations", f"marks {theirs} tip{'s' if theirs != 1 else ''} "
                      f"'when: not chosen' but the English tips mark {marked}: mark the same "
                      "tips in both, so both languages leave them out when the therapist "
                      "chooses", code, "tips")  # fmt: skip


def read_dose(d: Fields) -> Dose:
    """A `dose:` mapping; every field optional (see model.Dose)."""
    d.check_keys(DOSE_KEYS)
    dose = Dose(
        hold=d.whole("hold", 1, 600),
        reps=d.whole("reps", 1, 200),
        sets=d.whole("sets", 1, 20),
        times_per_day=d.whole("times_per_day", 1, 12),
        days_per_week=d.whole("days_per_week", 1, 7),
        side=d.choice("side", SIDES),
        rest=d.whole("rest", 1, 600),
        load=d.text("load") or None,
        duration=d.whole("duration", 1, 7200),
    )
    if dose.duration is not None:
        for other in ("hold", "reps"):
            if getattr(dose, other) is not None:
                d.problem(
                    "duration",
                    f"says how long to do it, so it cannot be given with {other} "
                    f"(use hold and reps for a position held, duration for a time spent)",
                )
    return dose


def _id_list(f: Fields, key: str) -> tuple[str, ...]:
    ids = []
    listed = isinstance(f.data.get(key), list)
    for i, item in f.items(key, single_ok=True):
        item = f.source.text((*f.path, key, i) if listed else (*f.path, key), item)
        if isinstance(item, str) and ID.fullmatch(item):
            ids.append(item)
        else:
            f.problem(key, f"must be an exercise id ({ID_HINT}), got {describe(item)}", i)
    return tuple(ids)


def _read_program(f: Fields | None) -> tuple[Fields, Program] | None:
    if f is None:
        return None
    f.check_keys(PROGRAM_KEYS)
    entries: list[ProgramEntry] = []
    listed = f.items("exercises", required=True)
    if not listed and isinstance(f.data.get("exercises"), list):
        f.problem("exercises", "must list at least one exercise")
    for i, item in listed:
        at = (*f.path, "exercises", i)
        if isinstance(item, dict):
            f.entry("exercises", i).check_keys(("id", "variant_of"))
            item_id = f.source.text((*at, "id"), item.get("id"))
            parent = f.source.text((*at, "variant_of"), item.get("variant_of"))
        else:
            item_id, parent = f.source.text(at, item), None
        if not isinstance(item_id, str) or not ID.fullmatch(item_id):
            expected = "an exercise id, or {id: ..., variant_of: ...}"
            f.problem("exercises", f"must be {expected}, got {describe(item_id)}", i)
        elif parent is not None and (not isinstance(parent, str) or not ID.fullmatch(parent)):
            f.problem("exercises", f"variant_of must be an exercise id, got {describe(parent)}", i)
        else:
            entries.append(ProgramEntry(item_id, parent))
    program = Program(
        id=_read_id(f) or "",
        title=f.text("title", required=True),
        intro=f.text("intro", lines=True),
        entries=tuple(entries),
        origin=f"{f.source.name}:{f.line_of()}",
        translations=read_translations(f, PROGRAM_TEXT),
    )
    return (f, program) if program.id else None
