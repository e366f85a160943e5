"""Write an import's folder: `exercises.yaml`, `photos/` and the report, through deliver.py.

The folder must be new or empty. An earlier import's folder may be written again with
`force=True`, but only while its `exercises.yaml` is the one that import wrote (its hash is in
the report): a clinic's edits are never replaced. Other files in the folder are left alone.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.errors import InputError
from handouts.importers.report import MARKER, REPORT_NAME, Report

LIBRARY_NAME = "exercises.yaml"
PHOTOS = "photos"
JPEG, PNG = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"


@dataclass
class Imported:
    """What an importer read: the exercise mappings to write (in the format's key order), the
    photos to copy (source file, name under photos/) and the report."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    photos: list[tuple[Path, str]] = field(default_factory=list)
    report: Report = field(default_factory=lambda: Report(""))
    skipped: int = 0


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    library: Path
    report: Path
    exercises: int
    photos: int
    skipped: int

    def summary(self) -> str:
        skipped = f", skipped {self.skipped}" if self.skipped else ""
        return (f"Imported {self.exercises} exercise{'s' if self.exercises != 1 else ''} and "
                f"{self.photos} photo{'s' if self.photos != 1 else ''}{skipped}: wrote "
                f"{self.library}; what was changed, guessed or dropped is in {self.report}")  # fmt: skip


def picture_kind(head: bytes) -> str:
    """'.jpg' or '.png' from a file's first bytes, or '' for anything else."""
    if head.startswith(JPEG):
        return ".jpg"
    if head.startswith(PNG):
        return ".png"
    return ""


def check_folder(folder: Path, force: bool) -> None:
    """Refuse a folder the import must not write in (see the module's docstring)."""
    try:
        found = os.lstat(folder)
    except FileNotFoundError:
        parent = folder.parent
        if not parent.is_dir():
            raise InputError(
                f"{folder}: cannot import there, the folder {parent} does not exist"
            ) from None
        return
    except OSError as exc:
        raise InputError(f"{folder}: cannot import there: {exc.strerror}") from None
    if not os.path.isdir(folder) or os.path.islink(folder):
        raise InputError(f"{folder}: is not a folder; give a new or empty folder with -o")
    del found
    if not any(os.scandir(folder)):
        return
    report, library = folder / REPORT_NAME, folder / LIBRARY_NAME
    written = _written_digest(report)
    if not force:
        again = (
            " (it holds an earlier import: add --force to import into it again)" if written else ""
        )
        raise InputError(f"{folder}: is not empty; import into a new or empty folder{again}")
    if written is None:
        raise InputError(
            f"{folder}: is not empty and is not an earlier import's folder (no {REPORT_NAME} "
            "from one): --force imports again only into a folder an import made; give a new or "
            "empty folder with -o"
        )
    if library.exists() and _digest(library) != written:
        raise InputError(
            f"{library}: was changed since it was imported; it is never replaced: import into "
            "a new folder and copy your changes over"
        )


def write_folder(folder: Path, imported: Imported, force: bool, header: str) -> ImportResult:
    """Write the library, its photos and the report into `folder` (see check_folder)."""
    from handouts.deliver import write_atomic

    check_folder(folder, force)
    text = dump(imported.entries, header).encode("utf-8")
    for path in (folder, folder / PHOTOS):
        if not path.is_dir():
            try:
                path.mkdir(mode=0o700)
            except OSError as exc:
                raise InputError(f"{path}: cannot make the folder: {exc.strerror}") from None
    for source, name in imported.photos:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise InputError(f"{source}: cannot read the photo: {exc.strerror}") from None
        write_atomic(folder / PHOTOS / name, data, "photo")
    library = write_atomic(folder / LIBRARY_NAME, text, "library file")
    result = ImportResult(folder, library, folder / REPORT_NAME, len(imported.entries),
                          len(imported.photos), imported.skipped)  # fmt: skip
    report = imported.report.text(result.summary(), hashlib.sha256(text).hexdigest())
    write_atomic(folder / REPORT_NAME, report.encode("utf-8"), "import report")
    return result


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _written_digest(report: Path) -> str | None:
    """The hash of the exercises.yaml an earlier import wrote, from its report; None if none."""
    try:
        with open(report, encoding="utf-8") as handle:
            for _, line in zip(range(12), handle, strict=False):
                if line.startswith(MARKER):
                    return line[len(MARKER) :].strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


# -- YAML ------------------------------------------------------------------------------------
# Every text is written double-quoted, so it reads back exactly as it is (`no`, `1:30`, `007`,
# a leading '#' or '-'): the reader takes a quoted value as text, always.

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
_UNSAFE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in _UNSAFE:
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return quoted(str(value))


def _lines(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = [f"{indent}{key}:"]
        for k, v in value.items():
            out += _lines(k, v, indent + "  ")
        return out
    if isinstance(value, (list, tuple)):
        return [f"{indent}{key}:", *(f"{indent}  - {_scalar(item)}" for item in value)]
    return [f"{indent}{key}: {_scalar(value)}"]


def dump(entries: Sequence[dict[str, Any]], header: str) -> str:
    """A library file with `entries` as its exercises, `header` as its opening comment."""
    out = [*(f"# {line}".rstrip() for line in header.splitlines()), "", "version: 1", "exercises:"]
    if not entries:
        out[-1] = "exercises: []"
    for entry in entries:
        first = True
        for key, value in entry.items():
            lines = _lines(key, value, "    ")
            if first:
                lines[0] = "  - " + lines[0][4:]
                first = False
            out += lines
    return "\n".join(out) + "\n"
