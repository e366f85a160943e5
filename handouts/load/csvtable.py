"""What a batch file and a clinic's exercise spreadsheet share: records with the line each starts
on, and a header of known, unrepeated columns (file:1 messages)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from handouts.errors import InputError
from handouts.load.fields import closest

CSV_LIMIT = 2**31 - 1  # csv's own limit (128 KiB a cell) would refuse a long note


def read_table(
    path: Path,
    what: str,
    check_header: Callable[[Path, list[str]], None],
    clean: Callable[[str], str] = str,
    blank_extra: bool = False,
    limit: int = CSV_LIMIT,
) -> list[tuple[int, dict[str, str]]]:
    """The records of the CSV file at `path` (`what` it is, for messages: 'batch file'), after
    `check_header` accepted its header (lowercased, stripped): see `records`. A file that cannot
    be opened or read, is not UTF-8 or not CSV is one InputError."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")  # a BOM from a spreadsheet is fine
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror}") from None
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
            check_header(path, header)
            return list(records(reader, header, clean, blank_extra))
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: the {what} is not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}: not a readable CSV file ({exc})") from None


def records(
    reader, header: list[str], clean: Callable[[str], str] = str, blank_extra: bool = False
) -> Iterator[tuple[int, dict[str, str]]]:
    """(the line each record starts on, its values by column, each `clean`ed and stripped),
    skipping empty records. (csv's line_num is the line a record ends on: a quoted value may hold
    line breaks.) A record with more cells than columns gets '__extra__', unless `blank_extra`
    and the extra cells are blank."""
    while True:
        start = reader.line_num + 1
        cells = next(reader, None)
        if cells is None:
            return
        values = {name: clean(cell).strip() for name, cell in zip(header, cells, strict=False)}
        extra = cells[len(header) :]
        if extra and (not blank_extra or any(c.strip() for c in extra)):
            values["__extra__"] = "yes"
        if any(values.values()):
            yield start, values


def check_columns(path: Path, header: list[str], columns: Sequence[str], twice: str = "") -> None:
    """The header names columns, each once (`twice`: a note for that message), all known."""
    expected = ", ".join(columns)
    if not header or not any(header):
        raise InputError(f"{path}:1: the first row must name the columns: {expected}")
    for number, name in enumerate(header, start=1):
        first = header.index(name) + 1
        if first != number and name:
            raise InputError(f"{path}:1: the column '{name}' is named twice (columns {first} and "
                             f"{number}{twice}): name each column once")  # fmt: skip
    unknown = [name for name in header if name not in columns]
    if unknown:
        hints = "; ".join(f"'{name}'{closest(name, columns)}" for name in unknown)
        raise InputError(f"{path}:1: unknown column {hints}; the columns are: {expected}")
