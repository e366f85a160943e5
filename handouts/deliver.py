"""Deliver: put finished bytes on disk so that no file is ever lost.

- Only a regular file or a new one is written: a device, a FIFO, a socket or a symbolic link is
  refused (a link is refused, not followed: replacing it would break the link, and following it
  would write wherever it points, a classic trap in a shared folder).
- A file the command reads (the prescription, library, brand, layout, a logo, a font, a photo) is
  never written over, by name or through a hard link.
- A default name is claimed atomically (a hard link from the finished temporary file, which fails
  when the name is taken): builds running at once each get their own file.
- New files are private to the user (0o600, narrowed further by the umask); a replaced file keeps
  its mode (and, when allowed, its owner).
- The temporary file has a short name beside the target, and SIGINT, SIGTERM and SIGHUP are held
  while it exists: a signal at any moment leaves either the old file or the new one, never a
  `.part` file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import signal
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from handouts.errors import InputError

NAME_MAX = 255  # bytes in a file name on the usual file systems (ext4, xfs, btrfs, APFS, NTFS)
TEMP_STEM = 40  # bytes of the target's name kept in the temporary file's name
MAX_NUMBER = 10_000  # '-2' ... '-9999': then the folder is full of this name
HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
# the link(2) errors of a file system without hard links (FAT, some network and FUSE mounts)
NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}

EXAMPLES = {"PDF": "handout.pdf", "message": "handout.eml", "prescription": "rx.yaml"}

written: list[Path] = []  # every file written by this process, in order (for error messages)


def default_name(
    folder: Path, stem: str, patient: str, date: dt.date | None, suffix: str = ".pdf"
) -> Path:
    """The first free name of first_name(...)'s series ('...-2.pdf', '-3'...) at this moment.

    Only a hint: another process may take it before it is written; `write_new` claims a name
    atomically, so a build writes with `write_new(first_name(...), ...)`."""
    names = numbered(first_name(folder, stem, patient, date, suffix))
    return next(name for name in names if not os.path.lexists(name))


def first_name(
    folder: Path, stem: str, patient: str, date: dt.date | None, suffix: str = ".pdf"
) -> Path:
    """'sciatica-jane-lopez-2026-11-29.pdf' in `folder` (slugs: at most ~135 bytes)."""
    parts = [slug(stem) or "handout", slug(patient), date.isoformat() if date else ""]
    return folder / f"{'-'.join(p for p in parts if p)}{suffix}"


def numbered(path: Path) -> Iterator[Path]:
    """`path`, then 'name-2.pdf', 'name-3.pdf'...; a stem is shortened to keep the name within
    NAME_MAX bytes."""
    yield path
    stem, suffix = path.stem, path.suffix
    for number in range(2, MAX_NUMBER):
        tail = f"-{number}{suffix}"
        room = NAME_MAX - len(tail.encode())
        yield path.with_name(_cut(stem, room) + tail)


def slug(text: str) -> str:
    """Lowercase ASCII letters, digits and hyphens only: safe in any file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def check_writable(path: Path, what: str = "PDF") -> None:
    """Fail early, before any work, if `path` could not be written: a folder, a missing or
    read-only folder, a name too long, or something that is not a regular file."""
    name_length = len(os.fsencode(path.name))
    if name_length > NAME_MAX:
        raise InputError(
            f"{path}: cannot write the {what}, the file name is {name_length} bytes long"
            f" (at most {NAME_MAX})"
        )
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot write the {what}: {_reason(exc)}") from None
    if found is not None:
        _check_kind(path, found.st_mode, what)
    check_folder(path.parent, what, path)


def check_folder(folder: Path, what: str = "PDF", path: Path | None = None) -> None:
    """The folder a new file goes in exists and is writable."""
    shown = path if path is not None else folder
    if not os.path.isdir(folder):
        raise InputError(f"{shown}: cannot write the {what}, the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{shown}: cannot write the {what}, the folder {folder} is not writable")


def check_target(
    path: Path,
    reads: Iterable[Path | str | None] = (),
    what: str = "PDF",
    hint: str = "-o",
    writes: Iterable[Path] = (),
) -> None:
    """check_writable, and `path` is none of the files in `reads` (those the command reads: by
    name, through a link or as a hard link of it; missing ones are skipped, and `reads` is looked
    at only when `path` exists, so a generator costs nothing for a new file), nor any of `writes`
    (other files the same command will write, which may not exist yet: compared by resolved
    path). `hint` is how to choose another name ('-o', '--merge')."""
    check_writable(path, what)
    writes = list(writes)
    if writes:
        real = os.path.realpath(path)
        for other in writes:
            if os.path.realpath(other) == real:
                raise InputError(
                    f"{path}: the command also writes {other} there; give another name with {hint}"
                )
    try:
        target = os.stat(path)
    except OSError:
        return  # a new file: it cannot be one the command reads
    for read in reads:
        if read is None:
            continue
        try:
            source = os.stat(read)
        except (OSError, ValueError):
            continue
        if (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino):
            same = "" if str(read) == str(path) else f" ({read})"
            raise InputError(
                f"{path}: is a file this command reads{same}; writing the {what} there would"
                f" destroy it: give another name with {hint}"
            )


def write_atomic(path: Path, data: bytes, what: str = "PDF") -> Path:
    """Write `data` to `path`, a new file or a regular file to replace: to a temporary file
    beside it, then rename it into place; never a partial file. A replaced file keeps its mode
    and owner."""
    check_writable(path, what)
    with _held_signals(), _temporary(path, what) as (handle, temp):
        _write_all(handle, data, path, what)
        _put_in_place(handle, temp, path, what)
    return path


def write_streamed(path: Path, fill: Callable[[BinaryIO], object], what: str = "PDF") -> Path:
    """write_atomic for a file too large to hold in memory (a batch's merged PDF): `fill(out)`
    writes the content to a temporary file beside `path`, renamed into place when it is done.
    Signals are not held while it fills (that can take a while), but the temporary file is
    removed whatever ends it: an error, Ctrl-C, or SIGTERM raised as an exception."""
    check_writable(path, what)
    with _temporary(path, what) as (handle, temp):
        with os.fdopen(os.dup(handle), "wb") as out:
            fill(out)
        with _held_signals():
            _put_in_place(handle, temp, path, what)
    return path


def _put_in_place(handle: int, temp: str, path: Path, what: str) -> None:
    """Rename the written temporary file to `path`; a replaced file keeps its mode and owner."""
    try:
        old = os.lstat(path)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _cannot(path, what, exc) from None
    if old is not None:
        _check_kind(path, old.st_mode, what)  # again: it may have changed since the check
        with contextlib.suppress(OSError):  # only root may give a file to another user
            os.fchown(handle, old.st_uid, old.st_gid)
        os.fchmod(handle, stat.S_IMODE(old.st_mode) & 0o777)
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise _cannot(path, what, exc) from None
    written.append(path)


def write_new(path: Path, data: bytes, what: str = "PDF", *, number: bool = True) -> Path:
    """Write `data` to `path` if no file has that name, else to the next free name of
    numbered(path) ('-2', '-3'...; with `number=False` an existing file is an error). The name
    is claimed atomically, so builds at once never pick the same one; returns the path written."""
    check_folder(path.parent, what, path)
    with _held_signals(), _temporary(path, what) as (handle, temp):
        _write_all(handle, data, path, what)
        for candidate in numbered(path) if number else (path,):
            if _claim(temp, candidate, path, what):
                written.append(candidate)
                return candidate
    if not number:
        raise InputError(f"{path}: already exists; give another name with -o")
    raise InputError(f"{path}: cannot write the {what}, {MAX_NUMBER} files with this name exist")


def _claim(temp: str, candidate: Path, path: Path, what: str) -> bool:
    """Give the finished temporary file the name `candidate` unless it is taken."""
    try:
        os.link(temp, candidate)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in NO_LINKS:
            raise _cannot(path, what, exc) from None
    try:  # no hard links here: claim the name with an empty file, then rename over it
        os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    except OSError as exc:
        raise _cannot(path, what, exc) from None
    try:
        os.replace(temp, candidate)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(candidate)
        if isinstance(exc, OSError):
            raise _cannot(path, what, exc) from None
        raise
    return True


@contextlib.contextmanager
def _temporary(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """A new private file beside `path` (its open descriptor and name), removed at the end
    unless it was renamed."""
    prefix = "." + _cut(path.name, TEMP_STEM) + "."
    try:
        handle, temp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _cannot(path, what, exc) from None
    try:
        yield handle, temp
    finally:
        os.close(handle)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _write_all(handle: int, data: bytes, path: Path, what: str) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(handle, view) :]
    except OSError as exc:
        raise _cannot(path, what, exc) from None


@contextlib.contextmanager
def _held_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is done (a few milliseconds: the write
    of bytes already made), so none can leave a temporary file behind."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _check_kind(path: Path, mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        example = path / EXAMPLES.get(what, "handout.pdf")
        raise InputError(f"{path}: is a folder; give a file name for the {what}, like {example}")
    if stat.S_ISLNK(mode):
        raise InputError(
            f"{path}: is a symbolic link; the {what} is written only to a regular file or a new"
            " one, never through a link: give the file's own path"
        )
    kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
    raise InputError(
        f"{path}: is {kind}, not a regular file; the {what} is written only to a regular file"
        " or a new one"
    )


_KINDS = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a disk device",
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
}


def _cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` bytes of UTF-8 (whole characters)."""
    raw = os.fsencode(text)
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _cannot(path: Path, what: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(f"{path}: cannot write the {what}, the file name or path is too long")
    return InputError(f"{path}: cannot write the {what}: {_reason(exc)}")
