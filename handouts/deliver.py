"""Deliver: put finished PDF bytes on disk atomically; a failed build never leaves a partial file."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import InputError


def default_name(
    folder: Path, stem: str, patient: str, date: dt.date | None, suffix: str = ".pdf"
) -> Path:
    """'sciatica-jane-lopez-2026-11-29.pdf' in `folder`; '-2', '-3'... so nothing is overwritten."""
    parts = [slug(stem) or "handout", slug(patient), date.isoformat() if date else ""]
    base = "-".join(p for p in parts if p)
    candidate = folder / f"{base}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}{suffix}"
        number += 1
    return candidate


def slug(text: str) -> str:
    """Lowercase ASCII letters, digits and hyphens only: safe in any file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def check_writable(path: Path, what: str = "PDF") -> None:
    """Fail early, before any work, if the file (`what`: PDF, message...) could not be written."""
    folder = path.parent
    if path.is_dir():
        example = path / ("handout.pdf" if what == "PDF" else "handout.eml")
        raise InputError(f"{path}: is a folder; give a file name for the {what}, like {example}")
    if not folder.is_dir():
        raise InputError(f"{path}: cannot write the {what}, the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{path}: cannot write the {what}, the folder {folder} is not writable")


def write_atomic(path: Path, data: bytes, what: str = "PDF") -> None:
    """Write to a temporary file beside `path`, then rename it into place: never a partial file."""
    check_writable(path, what)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the {what}: {exc.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
