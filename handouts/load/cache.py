"""The loaded library, kept between runs: `handouts list` and a cold build then skip importing
PyYAML and reading and checking the YAML (about 60 ms of a 200 ms `list`).

An entry is used only while every file it was read from, and every file of the code that reads
them, is unchanged (path, size and modification time), under the same Python and version of
handouts. It lives in $HANDOUTS_CACHE, else $XDG_CACHE_HOME/handouts, else ~/.cache/handouts;
HANDOUTS_CACHE=off turns it off. Nothing fails for want of a cache: an entry that cannot be read
or written is ignored. A library with problems is never cached (they are reported every time).

`remembered` keeps what a slow, pure function made from a short text the same way (the QR code
of a video's link: ~30 ms to encode in Python), keyed by the text, the versions of Python,
handouts and the code that makes it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from handouts import __version__

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent.parent
# the code whose change can change what a library file loads as
_CODE = ("load/*.py", "model.py", "pose.py", "language.py", "text.py")


def cache_dir() -> Path | None:
    setting = os.environ.get("HANDOUTS_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handouts"


def cached(kind: str, files: Sequence[Path], load: Callable[[], T]) -> T:
    """What `load()` returns for `files`, from the cache while they are unchanged."""
    return _through(kind, lambda: _stamp(files), load)


def remembered(kind: str, key: str, code: Sequence[Path], make: Callable[[], T]) -> T:
    """What `make()` returns for `key` (a short text), from the cache while the `code` files that
    make it are unchanged."""

    def stamp() -> str:
        digest = hashlib.sha256(f"{__version__}|{sys.version}|{key}".encode())
        for path in code:
            stat = Path(path).stat()
            digest.update(f"|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:32]

    return _through(kind, stamp, make)


def _through(kind: str, stamp: Callable[[], str], make: Callable[[], T]) -> T:
    try:
        folder = cache_dir()
    except RuntimeError:  # no home folder to keep it in (a service account, say)
        folder = None
    if folder is None:
        return make()
    entry = None
    try:
        entry = folder / f"{kind}-{stamp()}.pickle"
        return pickle.loads(entry.read_bytes())  # noqa: S301 - our own file, in the user's cache
    except Exception:  # noqa: BLE001 - no entry, an old one, or one that cannot be read
        pass
    value = make()
    if entry is not None:
        _store(folder, kind, entry, value)
    return value


def _store(folder: Path, kind: str, entry: Path, value: object) -> None:
    """Write `entry` atomically; drop this kind's entries unused for a week (old versions)."""
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as out:
            temporary = out.name
            out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, entry)
        week_ago = time.time() - 7 * 24 * 3600
        for old in folder.glob(f"{kind}-*.pickle"):
            if old.stat().st_atime < week_ago and old.stat().st_mtime < week_ago:
                old.unlink()
    except Exception:  # noqa: BLE001 - a read-only or full disk: run without the cache
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _stamp(files: Sequence[Path]) -> str:
    digest = hashlib.sha256(f"{__version__}|{sys.version}|{sys.executable}".encode())
    code = sorted(path for pattern in _CODE for path in _PACKAGE.glob(pattern))
    for path in [*(Path(f).resolve() for f in files), *code]:
        stat = path.stat()
        digest.update(f"|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]
