"""SIGTERM handled like Ctrl-C: raised as an exception, so that every `finally` runs.

By default SIGTERM ends the process at once, skipping all cleanup; a KeyboardInterrupt subclass
takes the same path as SIGINT (click prints "Aborted!", exit status 1).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM raises Terminated in the main thread (elsewhere, or where
    there is no SIGTERM, nothing changes); the previous handler is restored after it."""
    try:
        before = signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, AttributeError, OSError):  # not the main thread, or no SIGTERM
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
