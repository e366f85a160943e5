"""The loaded library, kept between runs: `handouts list` and a cold build then skip importing
PyYAML and reading and checking the YAML (about 60 ms of a 200 ms `list`).

The rules (the cache can never change what prints, nor what fails):

- An entry is used only while the *content* of every file it was read from is unchanged (a
  BLAKE2b hash of the bytes, with the path as named and as resolved), as is the code that reads
  them (hashed once a process), under the same Python and version of handouts. Size and
  modification time are not trusted: `cp -p` and `rsync -t` keep them for other content.
- A file the value depends on beyond those (a clinic's photo, see `depends_on`) is checked again
  on every use, as the uncached reader checks it: still a regular file, still resolving to the
  same place inside the library's folder. When it is not, the entry is a miss and the files are
  read again, so the message is the one a cold run prints.
- A file named but missing or unreadable skips the cache: the reader reports it (exit 2).
- An entry that cannot be read or is not what it should be (truncated, not a pickle, another
  format or kind, a value of the wrong type) is a miss: read again, and written again.
- A library with problems outside its exercises is never cached (they are reported every
  time). One whose only problems are in some exercises (left out, see handouts/names.py) is
  cached with them: they come from the files hashed, but for a photo that was missing, which is
  recorded (`depends_on(named, None)`) and must still be missing on a hit.

Safety. An entry is a pickle, and unpickling runs code, so the cache reads only what the user
alone could have written: the folder and each entry must belong to the current user (st_uid ==
os.geteuid()) and be private (no group or other permission bits: mode & 0o077 == 0), else the
cache is not read and nothing is written there (a miss, every time: it costs time, never
correctness). The entry's owner and mode are checked on the open file (fstat), so it cannot be
swapped between the check and the read, and a symlink is never followed to an entry. New
folders are made 0o700 and entries 0o600. A format that cannot run code (JSON, marshal) was the
other choice; it would need a hand-written encoder for every model class and reads several times
slower than pickle, for no gain once only the user's own private files are read.

It lives in $HANDOUTS_CACHE, else $XDG_CACHE_HOME/handouts, else ~/.cache/handouts;
HANDOUTS_CACHE=off turns it off. Nothing fails for want of a cache: an entry that cannot be
read or written is ignored.

`remembered` keeps what a slow, pure function made from a short text the same way (the QR code
of a video's link: ~30 ms to encode in Python), keyed by the text, the versions of Python,
handouts and the content of the code that makes it; `recall` and `keep` read and write such an
entry separately (the figures' drawn panels, added to as new ones are drawn).
"""

from __future__ import annotations

import contextvars
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from handouts import __version__
from handouts.load.source import is_file

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent.parent
# the code whose change can change what a library file loads as
_CODE = ("load/*.py", "model.py", "pose.py", "language.py", "text.py")
FORMAT = 2  # of an entry: (FORMAT, kind, key, checks, value); another number is a miss
Check = tuple[str, str]  # (a path as the reader named it, where it resolved to)
_recording: contextvars.ContextVar[list[Check] | None] = contextvars.ContextVar(
    "handouts_cache_checks", default=None
)


def cache_dir() -> Path | None:
    setting = os.environ.get("HANDOUTS_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handouts"


def cached(kind: str, files: Sequence[Path], load: Callable[[], T], expected: type = object,
           key: str = "", code: tuple[str, ...] = _CODE) -> T:  # fmt: skip
    """What `load()` returns for `files`, from the cache while their content is unchanged and
    every file recorded with `depends_on` while loading still checks out. `expected` is the type
    of the value: an entry holding anything else is a miss. `key` tells apart values made from
    the same files (what was asked of them); `code`, the package's files (globs) that make it."""
    folder = _folder()
    if folder is None:
        return load()
    digest = hashlib.blake2b(f"{__version__}|{sys.version}|{sys.executable}".encode())
    digest.update(_code_digest(code))
    digest.update(f"|{key}|".encode())
    for file in files:
        content = file_digest(Path(file))
        if content is None:  # missing or unreadable: the reader says so, as without a cache
            return load()
        digest.update(f"|{file}|{Path(file).resolve()}|".encode() + content)
    return _through(folder, kind, digest.hexdigest()[:32], load, expected)


def remembered(
    kind: str, key: str, code: Sequence[Path], make: Callable[[], T], expected: type = object
) -> T:
    """What `make()` returns for `key` (a short text), from the cache while the `code` files that
    make it are unchanged (by content)."""
    folder = _folder()
    digest = _code_key(key, code) if folder is not None else None
    if folder is None or digest is None:
        return make()
    return _through(folder, kind, digest, make, expected)


def recall(kind: str, key: str, code: Sequence[Path], expected: type = object) -> Any:
    """What `keep` stored for `key` while the `code` files are unchanged (by content), or None."""
    folder = _folder()
    digest = _code_key(key, code) if folder is not None else None
    if folder is None or digest is None:
        return None
    try:
        if not _private(os.stat(folder)):
            return None
    except (OSError, ValueError):
        return None
    hit = _read(folder / f"{kind}-{digest}.pickle", kind, digest, expected)
    return None if hit is None else hit[1]


def keep(kind: str, key: str, code: Sequence[Path], value: object) -> None:
    """Store `value` for `key` and the content of the `code` files (see `recall`)."""
    folder = _folder()
    digest = _code_key(key, code) if folder is not None else None
    if folder is not None and digest is not None:
        _store(folder, kind, folder / f"{kind}-{digest}.pickle", (FORMAT, kind, digest, (), value))


def _code_key(key: str, code: Sequence[Path]) -> str | None:
    """An entry's name for `key`, the versions of Python and handouts and the content of the
    `code` files; None when one of those cannot be read."""
    digest = hashlib.blake2b(f"{__version__}|{sys.version}|{key}".encode())
    for path in code:
        content = file_digest(Path(path))
        if content is None:
            return None
        digest.update(f"|{path}|".encode() + content)
    return digest.hexdigest()[:32]


def depends_on(named: Path, resolved: Path | None) -> None:
    """Record, while a cached value is being read, that it holds only while `named` is a regular
    file that resolves to `resolved` (a photo the library names), or, with None, while it is no
    regular file at all (a photo that was missing). A cache hit checks it again."""
    checks = _recording.get()
    if checks is not None:
        checks.append((str(named), "" if resolved is None else str(resolved)))


def recording(make: Callable[[], T]) -> tuple[T, tuple[Check, ...]]:
    """`make()` and the checks recorded while it ran (by `depends_on`, or by a cache hit inside)."""
    checks: list[Check] = []
    token = _recording.set(checks)
    try:
        value = make()
    finally:
        _recording.reset(token)
    return value, tuple(checks)


def still_hold(checks: Sequence[Check]) -> bool:
    """Whether every recorded file is still a regular file where it was; passed on to an outer
    `recording` when they do."""
    split = [(*os.path.split(named), named, resolved) for named, resolved in checks]
    many = Counter(folder for folder, _, _, _ in split)  # how many of the files each folder holds
    folders: dict[str, tuple[str, dict[str, os.DirEntry] | None]] = {}
    for folder, name, named, resolved in split:
        try:
            if (_resolved_file(named, folder, name, folders, many[folder]) or "") != resolved:
                return False
        except FileNotFoundError:  # gone: holds only if it was missing then too
            if resolved:
                return False
        except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL: no longer holds
            return False
    outer = _recording.get()
    if outer is not None:
        outer.extend(checks)
    return True


LISTED = 64  # a folder holding at least this many of the files checked is listed once


def _resolved_file(named: str, folder: str, name: str,
                   folders: dict[str, tuple[str, dict[str, os.DirEntry] | None]],
                   many: int) -> str | None:  # fmt: skip
    """Where `named` (`folder`, `name`: os.path.split) resolves to if it is a regular file
    (through links), else None. A name that is not itself a link resolves to its resolved
    folder and its own name: one realpath per folder, not per file, and the folder listed once
    (os.scandir: each entry's type without a system call per file) when it holds `many` of the
    files (1,800 photos: ~3 ms, not ~300). A name the listing lacks is looked at itself."""
    if folder not in folders:  # (realpath resolves links before any '..' in folder)
        listing = None
        if many >= LISTED:
            with os.scandir(folder or ".") as entries:
                listing = {entry.name: entry for entry in entries}
        folders[folder] = (os.path.join(os.path.realpath(folder or "."), ""), listing)
    real, listing = folders[folder]
    entry = listing.get(name) if listing is not None else None
    if entry is not None:  # the folder's own entry: its type as the listing found it
        link, regular = entry.is_symlink(), entry.is_file(follow_symlinks=False)
    else:
        mode = os.lstat(named).st_mode
        link, regular = stat.S_ISLNK(mode), stat.S_ISREG(mode)
    if link:
        return str(Path(named).resolve()) if is_file(named) else None
    if not regular:
        return None
    return real + name  # (real ends with the separator; a name from os.path.split has none)


def named_files(value: object) -> tuple[Check, ...]:
    """A check for every path inside `value` (a loaded model: a brand's logo, a font's files, a
    library's files), for `still_hold`. A library's photos are not looked for (a walk through
    every text of a library takes a millisecond): the reader records them (`depends_on`)."""
    from handouts.model import Library

    found: dict[str, Check] = {}
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _PLAIN or id(item) in seen:
            continue
        seen.add(id(item))
        if kind is Library:
            stack.extend(item.files)  # type: ignore[attr-defined]
        elif isinstance(item, Path):
            if str(item) not in found:
                try:
                    found[str(item)] = (str(item), str(item.resolve()))
                except (OSError, RuntimeError, ValueError):
                    found[str(item)] = (str(item), "")  # never holds: read again next time
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (tuple, list, frozenset, set)):
            stack.extend(item)
        elif hasattr(kind, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in kind.__dataclass_fields__)
    return tuple(found.values())


_PLAIN = frozenset((str, int, float, bool, type(None)))


def file_digest(path: Path) -> bytes | None:
    """A hash of the file's bytes; None when it is missing, not a file or cannot be read."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, a FIFO (never opened: it blocks)
            return None
        return hashlib.blake2b(path.read_bytes()).digest()
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=4)
def _code_digest(code: tuple[str, ...] = _CODE) -> bytes:
    """The content of the code that reads the files (or makes the value), once a process: the
    code that runs is the code imported at its start."""
    digest = hashlib.blake2b()
    for path in sorted(path for pattern in code for path in _PACKAGE.glob(pattern)):
        digest.update(f"|{path.relative_to(_PACKAGE)}|".encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _folder() -> Path | None:
    try:
        return cache_dir()
    except RuntimeError:  # no home folder to keep it in (a service account, say)
        return None


def _private(status: os.stat_result) -> bool:
    """The user's own, and no one else may read or write it."""
    return status.st_uid == os.geteuid() and not status.st_mode & 0o077


def _through(folder: Path, kind: str, key: str, make: Callable[[], T], expected: type) -> T:
    entry = folder / f"{kind}-{key}.pickle"
    try:
        usable = _private(os.stat(folder))
    except FileNotFoundError:
        usable = True  # made, private, when the entry is stored
    except (OSError, ValueError):
        usable = False
    if usable:
        hit = _read(entry, kind, key, expected)
        if hit is not None and still_hold(hit[0]):
            return hit[1]
    value, checks = recording(make)
    if usable:
        _store(folder, kind, entry, (FORMAT, kind, key, checks, value))
    outer = _recording.get()
    if outer is not None:
        outer.extend(checks)
    return value


def _read(entry: Path, kind: str, key: str, expected: type) -> tuple[tuple[Check, ...], Any] | None:
    """The entry's checks and value, or None: missing, not the user's own and private, or not
    an entry of this kind, key and format holding an `expected`."""
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (OSError, ValueError):
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or not _private(status):
                return None
            data = file.read()
        collecting = gc.isenabled()  # (a library of 900 exercises is ~100,000 new objects: the
        gc.disable()  # collector would walk them again and again as they are made, ~3 ms)
        try:
            loaded = pickle.loads(data)  # noqa: S301 - the user's own private file (see the docstring)
        finally:
            if collecting:
                gc.enable()
    except Exception:  # noqa: BLE001 - truncated, garbage, an old class: a miss
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 5):
        return None
    form, its_kind, its_key, checks, value = loaded
    valid_checks = isinstance(checks, tuple) and all(
        isinstance(c, tuple) and len(c) == 2 and all(isinstance(p, str) for p in c) for c in checks
    )
    if (form, its_kind, its_key) != (FORMAT, kind, key) or not valid_checks:
        return None
    if not isinstance(value, expected):
        return None
    return checks, value


_pruned: set[str] = set()  # the kinds whose old entries this process has looked for


def _store(folder: Path, kind: str, entry: Path, record: tuple) -> None:
    """Write `entry` atomically, private; drop this kind's entries unused for a week (looked for
    at the first store of each kind in a process)."""
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(os.stat(folder)):  # someone else's, or shared: never written
            return
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as out:
            temporary = out.name  # mkstemp: created 0o600
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
        os.replace(temporary, entry)
        temporary = None
        if kind in _pruned:  # once a process: a batch storing 1,800 photos walks the folder once
            return
        _pruned.add(kind)
        week_ago = time.time() - 7 * 24 * 3600
        for old in folder.glob(f"{kind}-*.pickle"):
            if old.stat().st_atime < week_ago and old.stat().st_mtime < week_ago:
                old.unlink()
    except Exception:  # noqa: BLE001 - a read-only or full disk: run without the cache
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
