"""Import a clinic's own spreadsheet: a CSV file, one row an exercise (template.csv shows the
columns). Steps, tips, cautions and equipment are one per line inside their cell; muscles,
regions, conditions and aliases one per line or separated by commas. Photos are relative to
the CSV file and copied into the folder's photos/.

Every row is checked before anything is written: a bad row is an error at its file and line
(every one at once, exit 2), and nothing is written.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from handouts.dose import DOSE_FIELDS
from handouts.errors import InputError, ValidationError
from handouts.importers.report import CHANGED, CHECK, Report
from handouts.importers.steps import LONG_STEP, make_id, words
from handouts.importers.writer import Imported, ImportResult, picture_kind, write_folder
from handouts.load.csvtable import check_columns, read_table
from handouts.load.fields import closest, link_problem
from handouts.model import KINDS, LEVELS, SIDES
from handouts.text import clean, is_digits

LINES = ("equipment", "steps", "tips", "cautions")  # one item a line
LISTS = ("primary_muscles", "secondary_muscles", "region", "condition", "aliases")  # or commas
NUMBERS = ("hold", "reps", "sets", "rest", "duration", "times_per_day", "days_per_week")
COLUMNS = ("id", "title", "purpose", "position", "equipment", "steps", "tips", "cautions", "kind",
           "level", "primary_muscles", "secondary_muscles", "region", "condition", "aliases",
           *NUMBERS, "side", "load", "start_photo", "end_photo", "video")  # fmt: skip
REQUIRED = ("title", "purpose", "steps")
FIELD_LIMIT = 1_000_000  # bytes in one cell
HEADER = """Imported from {name} by 'handouts import csv'. Edit this file freely: an import never
replaces it once it is changed."""


def template() -> str:
    """The template CSV that ships with handouts: the columns and two example rows."""
    return resources.files("handouts.importers").joinpath("template.csv").read_text("utf-8")


def import_csv(path: Path, folder: Path, *, force: bool = False) -> ImportResult:
    """Read the CSV file at `path` and write the library folder (writer.write_folder)."""
    imported = read_csv(path)
    return write_folder(folder, imported, force, HEADER.format(name=path.name))


def read_csv(path: Path) -> Imported:
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a CSV file")
    records = read_table(path, "CSV file", _check_header, clean, True, FIELD_LIMIT)
    return _convert(path, records)


def _check_header(path: Path, header: list[str]) -> None:
    check_columns(path, header, COLUMNS)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(f"{path}:1: the columns {', '.join(REQUIRED)} are needed; "
                         f"missing: {', '.join(missing)}")  # fmt: skip


def _convert(path: Path, records: list[tuple[int, dict[str, str]]]) -> Imported:
    from handouts.importers.free_exercise_db import builtin_names

    report = Report(f"Import report: handouts import csv {path}")
    out = Imported(report=report)
    problems: list[str] = []
    builtin = set(builtin_names().values())
    seen: dict[str, int] = {}
    folder = path.resolve().parent
    for line, values in records:
        where = f"{path}:{line}"

        def bad(column: str, message: str, where: str = where) -> None:
            problems.append(f"{where}: column '{column}': {message}")

        if "__extra__" in values:
            problems.append(f"{where}: the row has more cells than the first row has columns")
        for column in REQUIRED:
            if not values.get(column):
                bad(column, "is required")
        given = values.get("id", "")
        new_id = given or make_id(values.get("title", ""))
        if given and make_id(given) != given:
            bad("id", f"must be lowercase letters, digits and hyphens, like 'wall-sit', got "
                f"'{given}' (try '{make_id(given)}')")  # fmt: skip
        elif new_id and new_id in seen:
            bad("id", f"'{new_id}' is used twice (first at line {seen[new_id]})")
        elif new_id:
            seen[new_id] = line
            if not given:
                report.add(where, new_id, CHANGED, f"id made from the title: '{new_id}'")
            if new_id in builtin:
                report.add(where, new_id, CHECK, "replaces the built-in exercise with this id")
        entry: dict[str, Any] = {"id": new_id}
        for column in ("title", "purpose", "position"):
            if values.get(column):
                text = values[column]
                entry[column] = " ".join(text.split()) if column == "title" else text
        for column in LINES:
            items = [item.strip() for item in values.get(column, "").split("\n") if item.strip()]
            if items:
                entry[column] = items
        for number, step in enumerate(entry.get("steps", []), 1):
            if words(step) > LONG_STEP:
                report.add(where, new_id, CHECK, f"step {number} is {words(step)} words long")
        dose = _dose(values, bad)
        if dose:
            entry["dose"] = dose
        tags = {key: _list(values.get(key, "")) for key in ("region", "condition")}
        tags = {key: value for key, value in tags.items() if value}
        for column, choices, target in (("kind", KINDS, tags), ("level", LEVELS, entry)):
            value = values.get(column, "")
            if value and value.lower() not in choices:
                bad(column, f"must be one of {', '.join(choices)}, got '{value}'"
                    f"{closest(value.lower(), choices)}")  # fmt: skip
            elif value:
                target[column] = value.lower()
        if tags:
            entry["tags"] = tags
        for column in ("primary_muscles", "secondary_muscles", "aliases"):
            items = _list(values.get(column, ""))
            if items:
                entry[column] = items
        images = _photos(values, new_id, folder, bad, out)
        if images:
            entry["images"] = images
        video = values.get("video", "")
        if video:
            problem = link_problem(video)
            if problem:
                bad("video", f"{problem}, got '{video}'")
            else:
                entry["video"] = video
        out.entries.append(entry)
    if problems:
        raise ValidationError(problems, summary=f"{path}: nothing was imported")
    return out


def _dose(values: dict[str, str], bad) -> dict[str, Any]:
    dose: dict[str, Any] = {}
    for column in NUMBERS:
        value = values.get(column, "")
        if not value:
            continue
        low, high = DOSE_FIELDS[column]  # type: ignore[misc]
        if not is_digits(value) or not low <= int(value) <= high:
            bad(column, f"must be a whole number from {low} to {high}, got '{value}'")
        else:
            dose[column] = int(value)
    if "duration" in dose:
        for other in ("hold", "reps"):
            if other in dose:
                bad("duration", f"says how long to do it, so it cannot be given with {other}")
    side = values.get("side", "")
    if side and side.lower() not in SIDES:
        bad("side", f"must be one of {', '.join(SIDES)}, got '{side}'")
    elif side:
        dose["side"] = side.lower()
    if values.get("load"):
        dose["load"] = " ".join(values["load"].split())
    return dose


def _photos(values, new_id: str, folder: Path, bad, out: Imported) -> dict[str, str]:
    images: dict[str, str] = {}
    for part in ("start", "end"):
        name = values.get(f"{part}_photo", "")
        if not name:
            continue
        column = f"{part}_photo"
        source = (folder / name).resolve()
        try:
            with open(source, "rb") as handle:
                ext = picture_kind(handle.read(8))
        except OSError:
            bad(column, f"'{name}' was not found (looked for {source})")
            continue
        if not ext:
            bad(column, f"'{name}' is not a JPEG or PNG")
            continue
        if part == "end" and "start" not in images:
            bad(column, "needs a start_photo too")
            continue
        target = f"{new_id}-{part}{ext}"
        out.photos.append((source, target))
        images[part] = f"photos/{target}"
    return images


def _list(cell: str) -> list[str]:
    return [item.strip() for item in re.split(r"[\n,]", cell) if item.strip()]
