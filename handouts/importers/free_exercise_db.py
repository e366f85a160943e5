"""Import free-exercise-db (https://github.com/yuhonas/free-exercise-db, the Unlicense): its
`dist/exercises.json` and the JPEGs under `exercises/`, into a clinic library folder.

What is kept, and how (each change, guess and drop is in the report, with the source id):
- id: made valid (lowercase letters, digits, hyphens) and unique, never a built-in id;
- name -> title; a title or id that is also a built-in exercise's name is reported;
- instructions -> steps: one sentence a step where the cut is clean; "Tip:"/"Note:" parts go to
  tips, "Caution:"/"Warning:" parts to cautions; an exercise with no instructions is skipped
  (a handout cannot tell a patient what to do without them);
- category -> kind (strength, powerlifting, olympic weightlifting, strongman: strengthen;
  stretching: stretch; plyometrics; cardio) and that kind's starting dose (model.KIND_DOSES);
- level, primaryMuscles, secondaryMuscles as they are; equipment in plain words;
- images -> the start and end photos, copied as they are under safe names;
- purpose (the format needs one; the source has none): guessed from the kind and muscles.
force (push, pull, static) and mechanic (compound, isolation) are dropped: they describe a
lift for a trainer, print nothing a patient can use, and stay in the source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from handouts.errors import InputError
from handouts.importers.report import CHANGED, CHECK, DROPPED, GUESSED, SKIPPED, Report
from handouts.importers.steps import (
    LONG_STEP,
    clean_text,
    make_id,
    plainly_lowercased,
    sentences,
    split_labelled,
    unique,
    words,
)
from handouts.importers.writer import Imported, ImportResult, picture_kind, write_folder
from handouts.model import KIND_DOSES, LEVELS, Dose

CATEGORIES = {"strength": "strengthen", "stretching": "stretch", "plyometrics": "plyometrics",
              "cardio": "cardio", "powerlifting": "strengthen",
              "olympic weightlifting": "strengthen", "strongman": "strengthen"}  # fmt: skip
EXACT = ("strength", "stretching", "plyometrics", "cardio")  # categories that are our kinds
EQUIPMENT = {"bands": "An exercise band", "dumbbell": "Dumbbells", "barbell": "A barbell",
             "kettlebells": "A kettlebell", "medicine ball": "A medicine ball",
             "exercise ball": "An exercise ball", "foam roll": "A foam roller",
             "cable": "A cable machine", "machine": "An exercise machine",
             "e-z curl bar": "An EZ curl bar"}  # fmt: skip
NOTHING = ("body only", "", None)
HEADER = """Imported from free-exercise-db (the Unlicense) by 'handouts import free-exercise-db'.
Check every exercise before printing it for a patient: {report} lists what was changed,
guessed (purposes, doses, kinds) or dropped. Edit this file freely: an import never replaces
it once it is changed."""


def import_free_exercise_db(source: Path, folder: Path, *, force: bool = False) -> ImportResult:
    """Read `source` (a checkout with dist/exercises.json and exercises/, or the JSON file with
    its exercises/ folder beside it) and write the library folder (writer.write_folder)."""
    json_path, photos = _locate(source)
    records = _read_json(json_path)
    imported = convert(records, photos, f"handouts import free-exercise-db {source}")
    return write_folder(folder, imported, force, HEADER.format(report="import-report.txt"))


def _locate(source: Path) -> tuple[Path, Path]:
    if source.is_dir():
        for candidate in (source / "dist" / "exercises.json", source / "exercises.json"):
            if candidate.is_file():
                return candidate, source / "exercises"
        raise InputError(
            f"{source}: has no dist/exercises.json (is it a free-exercise-db checkout?)"
        )
    if source.is_file():  # exercises/ beside it, or the checkout's (dist/exercises.json)
        beside = source.parent / "exercises"
        if not beside.is_dir() and source.parent.name == "dist":
            beside = source.parent.parent / "exercises"
        return source, beside
    raise InputError(f"{source}: not found")


def _read_json(path: Path) -> list[Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{path}: not valid JSON: nested too deeply") from None
    if not isinstance(data, list):
        raise InputError(f"{path}:1: expected a list of exercises ([{{...}}, ...]), got "
                         f"{type(data).__name__}")  # fmt: skip
    return data


def builtin_names() -> dict[str, str]:
    """Every name the built-in library answers to (id, title, alias, as compose matches them)
    -> the built-in exercise's id."""
    from handouts.compose import _key
    from handouts.load import load_library

    names: dict[str, str] = {}
    for exercise in load_library().exercises.values():
        for name in (exercise.id, exercise.title, *exercise.aliases):
            names.setdefault(_key(name), exercise.id)
    return names


def convert(records: list[Any], photos: Path, title: str) -> Imported:
    """The exercises and photos to write, and the report of what was done to each."""
    from handouts.compose import _key

    report = Report(f"Import report: {title}")
    report.general += [
        "Dropped from every exercise: force (push, pull, static) and mechanic (compound, "
        "isolation): they describe a lift for a trainer and print nothing a patient can use.",
        "Every purpose and dose is a guess from the category and muscles ('guessed' lines): "
        "a clinician checks them.",
    ]
    out = Imported(report=report)
    names = builtin_names()
    taken = set(names.values())
    titles: dict[str, str] = {}
    photo_root = photos.resolve()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            report.add(
                f"[{index}]", "", SKIPPED, f"not an exercise object, got {type(record).__name__}"
            )
            out.skipped += 1
            continue
        source_id = clean_text(record.get("id")) or clean_text(record.get("name")) or f"[{index}]"
        entry = _exercise(record, source_id, report, names, taken, titles, photo_root, out, _key)
        if entry is None:
            out.skipped += 1
        else:
            out.entries.append(entry)
    return out


def _exercise(record, source_id, report, names, taken, titles, photo_root, out, key_of):
    def note(what: str, text: str, exercise: str = "") -> None:
        report.add(source_id, exercise, what, text)

    name = clean_text(record.get("name"))
    raw_steps = record.get("instructions")
    steps_in = (
        [clean_text(s) for s in raw_steps if clean_text(s)] if isinstance(raw_steps, list) else []
    )
    if not steps_in:
        note(SKIPPED, "it has no instructions: a handout cannot say what to do without them; "
             "write its steps and add it by hand")  # fmt: skip
        return None
    if not name:
        note(SKIPPED, "it has no name")
        return None
    made = make_id(source_id) or make_id(name) or "exercise"
    base = made
    if made in names.values():
        base = f"{made}-imported"
    new_id = unique(base, taken)
    if new_id != made:
        why = ("the built-in library has an exercise with that id" if made in names.values()
               else "another exercise has that id")  # fmt: skip
        note(CHANGED, f"id '{made}' is taken ({why}): written as '{new_id}'", new_id)
    elif not plainly_lowercased(source_id, new_id):
        note(CHANGED, f"id made valid: '{source_id}' -> '{new_id}'", new_id)
    clash = names.get(key_of(name))
    if clash is not None:
        note(CHECK, f"title '{name}' is also a name of the built-in exercise '{clash}': rename it "
             f"(or it may print the built-in one when named)", new_id)  # fmt: skip
    elif key_of(name) in titles:
        note(CHECK, f"title '{name}' is also the title of '{titles[key_of(name)]}': rename one",
             new_id)  # fmt: skip
    titles.setdefault(key_of(name), new_id)

    steps, tips, cautions = _steps(steps_in, lambda what, text: note(what, text, new_id))
    category = clean_text(record.get("category")).lower()
    kind = CATEGORIES.get(category, "")
    if not kind:
        note(DROPPED, f"category '{category or 'none'}' is not a kind of the format: no kind and "
             "no dose written; add them", new_id)  # fmt: skip
    elif category not in EXACT:
        note(GUESSED, f"category '{category}' written as kind '{kind}'", new_id)
    primary = _texts(record.get("primaryMuscles"))
    secondary = _texts(record.get("secondaryMuscles"))
    entry: dict[str, Any] = {"id": new_id, "title": name,
                             "purpose": _purpose(kind, primary)}  # fmt: skip
    note(GUESSED, f"purpose written as '{entry['purpose']}'", new_id)
    equipment = clean_text(record.get("equipment")).lower()
    if equipment in EQUIPMENT:
        entry["equipment"] = [EQUIPMENT[equipment]]
    elif equipment not in NOTHING:
        note(DROPPED, f"equipment '{equipment}' says nothing a patient can get: write what is "
             "needed under equipment", new_id)  # fmt: skip
    entry["steps"] = steps
    if tips:
        entry["tips"] = tips
    if cautions:
        entry["cautions"] = cautions
    if kind:
        entry["dose"] = _dose(KIND_DOSES[kind])
        note(GUESSED, f"dose is the starting dose for {kind}: {_shown(KIND_DOSES[kind])}", new_id)
        entry["tags"] = {"kind": kind}
    level = clean_text(record.get("level")).lower()
    if level in LEVELS:
        entry["level"] = level
    elif level:
        note(DROPPED, f"level '{level}' is not one of {', '.join(LEVELS)}", new_id)
    if primary:
        entry["primary_muscles"] = primary
    if secondary:
        entry["secondary_muscles"] = secondary
    images = _photos(record.get("images"), new_id, photo_root, lambda w, t: note(w, t, new_id))
    if images:
        entry["images"] = {part: f"photos/{photo}" for part, (_, photo) in images.items()}
        out.photos += list(images.values())
    return entry


def _steps(steps_in: list[str], note) -> tuple[list[str], list[str], list[str]]:
    steps: list[str] = []
    tips: list[str] = []
    cautions: list[str] = []
    for number, step in enumerate(steps_in, 1):
        kept, labelled = split_labelled(step)
        for kind, text in labelled:
            (cautions if kind == "caution" else tips).append(text)
            note(CHANGED, f"step {number}: '{_cut(text)}' moved to {kind}s")
        if not kept:
            continue
        pieces = sentences(kept)
        if len(pieces) > 1:
            note(CHANGED, f"step {number} split into {len(pieces)} steps, one sentence each")
        for piece in pieces:
            if words(piece) > LONG_STEP:
                note(CHECK, f"step {number}: a sentence of {words(piece)} words that cannot be cut "
                     f"cleanly: '{_cut(piece)}'; shorten it")  # fmt: skip
        steps += pieces
    if len(steps) > 12:
        note(CHECK, f"{len(steps)} steps: a patient follows about 12 at most; shorten them")
    return steps, tips, cautions


def _photos(value, new_id: str, root: Path, note) -> dict[str, tuple[Path, str]]:
    """{'start': (file, name), 'end': ...} for the photos that are there; the rest reported."""
    listed = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if not listed:
        note(CHECK, "it has no photos: add images: or a figure:")
        return {}
    if len(listed) > 2:
        note(DROPPED, f"{len(listed) - 2} photo(s) after the first two (start and end)")
    found: dict[str, tuple[Path, str]] = {}
    for part, name in zip(("start", "end"), listed, strict=False):
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            note(DROPPED, f"{part} photo '{name}' is outside the exercises/ folder")
            continue
        try:
            with open(path, "rb") as handle:
                ext = picture_kind(handle.read(8))
        except OSError:
            note(DROPPED, f"{part} photo '{name}' was not found (looked for {path})")
            continue
        if not ext:
            note(DROPPED, f"{part} photo '{name}' is not a JPEG or PNG")
            continue
        if part == "end" and "start" not in found:
            note(DROPPED, f"end photo '{name}': there is no start photo to go with it")
            continue
        found[part] = (path, f"{new_id}-{part}{ext}")
    return found


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [text for text in (clean_text(v) for v in items) if text]


def _purpose(kind: str, muscles: list[str]) -> str:
    what = _and(muscles)
    if kind == "cardio" or not what:
        return {"cardio": "Builds the fitness of your heart and lungs.",
                "stretch": "Stretches your muscles so you can move more easily."}.get(
            kind, "Helps you move and feel better.")  # fmt: skip
    return {"stretch": f"Stretches your {what}.", "strengthen": f"Builds strength in your {what}.",
            "plyometrics": f"Builds power in your {what}."}.get(kind, f"Works your {what}.")  # fmt: skip


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _dose(dose: Dose) -> dict[str, int | str]:
    return {k: v for k, v in vars(dose).items() if v is not None}


def _shown(dose: Dose) -> str:
    return ", ".join(f"{k} {v}" for k, v in _dose(dose).items())


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
