"""Load the exercise library: the built-in file plus, optionally, a clinic's own on top of it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from handouts.load.fields import Fields, Problems, closest, describe
from handouts.load.source import Source, read_yaml
from handouts.model import KINDS, LINKS, SIDES, Disclaimers, Dose, Exercise, Library, Program
from handouts.model import ProgramEntry
from handouts.resources import builtin_library_path

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = ("version", "disclaimers", "exercises", "programs")
EXERCISE_KEYS = (
    "id", "title", "purpose", "position", "equipment", "steps", "tips", "cautions", "dose",
    "tags", "aliases", "easier", "harder", "alternatives",
)  # fmt: skip
DOSE_KEYS = ("hold", "reps", "sets", "times_per_day", "days_per_week", "side", "rest", "load")
PROGRAM_KEYS = ("id", "title", "intro", "exercises")


def load_library(extra: Path | None = None) -> Library:
    """The built-in library, with a clinic's own file on top (same id replaces) when given."""
    problems = Problems()
    base = _read_file(read_yaml(builtin_library_path(), "built-in library"), problems, True)
    problems.raise_if_any()
    parts = [base]
    if extra is not None:
        parts.append(_read_file(read_yaml(extra, "library file"), problems, False))
        problems.raise_if_any()
    exercises: dict[str, Exercise] = {}
    programs: dict[str, Program] = {}
    disclaimers = base.disclaimers
    for part in parts:
        exercises.update(part.exercises)
        programs.update(part.programs)
        if part is not base:
            disclaimers = _merge_disclaimers(disclaimers, part.disclaimer_fields)
    library = Library(
        exercises=exercises,
        programs=programs,
        disclaimers=disclaimers,
        files=tuple(p.source.path for p in parts),
    )
    for part in parts:
        _check_links(part, library, problems)
    problems.raise_if_any()
    return library


class _Part:
    """What one file defines, before it is merged with the others."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.exercises: dict[str, Exercise] = {}
        self.programs: dict[str, Program] = {}
        self.exercise_lines: dict[str, tuple[int, Any]] = {}
        self.program_lines: dict[str, tuple[int, Any]] = {}
        self.disclaimers: Disclaimers | None = None
        self.disclaimer_fields: dict[str, Any] = {}


def _read_file(source: Source, problems: Problems, builtin: bool) -> _Part:
    part = _Part(source)
    if source.data is None:
        problems.add(source, (), "the file is empty; expected exercises:, programs: or disclaimers:")
        return part
    if not isinstance(source.data, dict):
        problems.add(source, (), f"expected a mapping with exercises: and programs:, got {describe(source.data)}")
        return part
    top = Fields(source, (), "", problems, source.data)
    top.check_keys(TOP_KEYS)
    version = top.whole("version", 1, 1)
    del version
    for index, raw in top.items("exercises", required=builtin):
        exercise = _read_exercise(source, index, raw, problems)
        if exercise is None:
            continue
        if exercise.id in part.exercises:
            first = part.exercises[exercise.id].origin
            problems.add(source, ("exercises", index, "id"),
                         f"exercises[{index}]: duplicate id '{exercise.id}' (first defined at {first})")
            continue
        part.exercises[exercise.id] = exercise
        part.exercise_lines[exercise.id] = (index, raw)
    for index, raw in top.items("programs"):
        program = _read_program(source, index, raw, problems)
        if program is None:
            continue
        if program.id in part.programs:
            first = part.programs[program.id].origin
            problems.add(source, ("programs", index, "id"),
                         f"programs[{index}]: duplicate id '{program.id}' (first defined at {first})")
            continue
        part.programs[program.id] = program
        part.program_lines[program.id] = (index, raw)
    _read_disclaimers(top, part, builtin)
    return part


def _read_id(fields: Fields) -> str | None:
    value = fields.data.get("id")
    if value is None:
        fields.problem("id", "is required")
        return None
    if not isinstance(value, str) or not ID.match(value):
        fields.problem("id", f"must be lowercase letters, digits and hyphens (like 'glute-bridge'), got {describe(value)}")
        return None
    return value


def _read_exercise(source: Source, index: int, raw: Any, problems: Problems) -> Exercise | None:
    path = ("exercises", index)
    if not isinstance(raw, dict):
        problems.add(source, path, f"exercises[{index}] must be a mapping with id:, title:, steps: ..., got {describe(raw)}")
        return None
    label = f"exercises[{index}]"
    if isinstance(raw.get("id"), str):
        label += f" '{raw['id']}'"
    f = Fields(source, path, label, problems, raw)
    f.check_keys(EXERCISE_KEYS)
    exercise_id = _read_id(f)
    title = f.text("title", required=True)
    purpose = f.text("purpose", required=True)
    steps = f.text_list("steps", required=True)
    d = f.mapping("dose")
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
    )
    tags = f.mapping("tags")
    tags.check_keys(("region", "condition", "kind"))
    links = {name: _id_list(f, name) for name in LINKS}
    if exercise_id is None:
        return None
    return Exercise(
        id=exercise_id,
        title=title,
        purpose=purpose,
        steps=steps,
        position=f.text("position"),
        equipment=f.text_list("equipment"),
        tips=f.text_list("tips"),
        cautions=f.text_list("cautions"),
        dose=dose,
        regions=tags.text_list("region"),
        conditions=tags.text_list("condition"),
        kind=tags.choice("kind", KINDS, "") or "",
        aliases=f.text_list("aliases"),
        origin=f"{source.name}:{source.line(path)}",
        **links,
    )


def _id_list(f: Fields, key: str) -> tuple[str, ...]:
    value = f.data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        f.problem(key, f"must be a list of exercise ids, got {describe(value)}")
        return ()
    ids = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not ID.match(item):
            f.problem(key, f"must be an exercise id, got {describe(item)}", i)
        else:
            ids.append(item)
    return tuple(ids)


def _read_program(source: Source, index: int, raw: Any, problems: Problems) -> Program | None:
    path = ("programs", index)
    if not isinstance(raw, dict):
        problems.add(source, path, f"programs[{index}] must be a mapping with id:, title:, exercises:, got {describe(raw)}")
        return None
    label = f"programs[{index}]"
    if isinstance(raw.get("id"), str):
        label += f" '{raw['id']}'"
    f = Fields(source, path, label, problems, raw)
    f.check_keys(PROGRAM_KEYS)
    program_id = _read_id(f)
    title = f.text("title", required=True)
    intro = f.text("intro")
    entries: list[ProgramEntry] = []
    for i, item in f.items("exercises", required=True):
        if isinstance(item, str) and ID.match(item):
            entries.append(ProgramEntry(item))
        elif isinstance(item, dict):
            entry = Fields(source, (*path, "exercises", i), label, problems, item)
            entry.check_keys(("id", "variant_of"))
            key = f"exercises[{i}]"
            entry_id, parent = item.get("id"), item.get("variant_of")
            if not isinstance(entry_id, str) or not ID.match(entry_id):
                f.problem("exercises", f"id must be an exercise id, got {describe(entry_id)}", i)
            elif parent is not None and (not isinstance(parent, str) or not ID.match(parent)):
                f.problem("exercises", f"variant_of must be an exercise id, got {describe(parent)}", i)
            else:
                entries.append(ProgramEntry(entry_id, parent))
            del key
        else:
            f.problem("exercises", f"must be an exercise id or {{id: ..., variant_of: ...}}, got {describe(item)}", i)
    if "exercises" in raw and isinstance(raw["exercises"], list) and not raw["exercises"]:
        f.problem("exercises", "must list at least one exercise")
    if program_id is None:
        return None
    return Program(
        id=program_id, title=title, intro=intro, entries=tuple(entries),
        origin=f"{source.name}:{source.line(path)}",
    )


def _read_disclaimers(top: Fields, part: _Part, builtin: bool) -> None:
    d = top.mapping("disclaimers", required=builtin)
    d.check_keys(("red_flags", "safety", "footer"))
    fields: dict[str, Any] = {}
    for key in ("red_flags", "safety"):
        block = d.mapping(key, required=builtin)
        block.check_keys(("title", "items"))
        if key in d.data:
            fields[f"{key}_title"] = block.text("title", required=True)
            fields[key] = block.text_list("items", required=True)
    if "footer" in d.data or builtin:
        fields["footer"] = d.text("footer", required=True)
    part.disclaimer_fields = fields
    if builtin and len(fields) == 5:
        part.disclaimers = Disclaimers(
            red_flags_title=fields["red_flags_title"], red_flags=fields["red_flags"],
            safety_title=fields["safety_title"], safety=fields["safety"], footer=fields["footer"],
            origin=f"{top.source.name}:{top.line_of('disclaimers')}",
        )  # fmt: skip


def _merge_disclaimers(base: Disclaimers | None, fields: dict[str, Any]) -> Disclaimers | None:
    return replace(base, **fields) if base is not None and fields else base


def _check_links(part: _Part, library: Library, problems: Problems) -> None:
    """Links between exercises and program entries must name exercises that exist."""
    known = library.exercises
    source = part.source
    for exercise_id, (index, _raw) in part.exercise_lines.items():
        exercise = part.exercises[exercise_id]
        for name in LINKS:
            for i, target in enumerate(getattr(exercise, name)):
                if target not in known:
                    problems.add(source, ("exercises", index, name, i),
                                 f"exercises[{index}] '{exercise_id}': {name}[{i}] names an unknown exercise '{target}'{closest(target, known)}")
                elif target == exercise_id:
                    problems.add(source, ("exercises", index, name, i),
                                 f"exercises[{index}] '{exercise_id}': {name}[{i}] links the exercise to itself")
    for program_id, (index, _raw) in part.program_lines.items():
        program = part.programs[program_id]
        seen: list[str] = []
        for i, entry in enumerate(program.entries):
            where = ("programs", index, "exercises", i)
            label = f"programs[{index}] '{program_id}': exercises[{i}]"
            if entry.id not in known:
                problems.add(source, where, f"{label} names an unknown exercise '{entry.id}'{closest(entry.id, known)}")
            elif entry.id in seen:
                problems.add(source, where, f"{label} lists '{entry.id}' twice")
            if entry.variant_of is not None:
                parent = known.get(entry.variant_of)
                if entry.variant_of not in seen:
                    problems.add(source, where, f"{label} variant_of must name an exercise listed before it, got '{entry.variant_of}'")
                elif parent is not None and not any(entry.id in getattr(parent, n) for n in LINKS):
                    problems.add(source, where, f"{label} '{entry.id}' is not listed as easier, harder or an alternative of '{entry.variant_of}'")
            seen.append(entry.id)
