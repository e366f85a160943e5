"""SIGTERM handled like Ctrl-C: raised as an exception, so that every `finally` runs.

By default SIGTERM ends the process at once, skipping all cleanup; a KeyboardInterrupt subclass
takes the same path as SIGINT (click prints "Aborted!", exit status 1). Kept tiny: `run()`
imports it on every command, `--help` included.
"""

import signal


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM."""


def _terminate(signum, frame):
    raise Terminated


def sigterm_as_interrupt():
    """From now on, SIGTERM raises Terminated in the main thread; returns the handler it
    replaces (give it to `restore`), or None where nothing changed (not the main thread, or no
    SIGTERM)."""
    try:
        return signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, AttributeError, OSError):
        return None


def restore(before) -> None:
    """Put back the handler that sigterm_as_interrupt replaced."""
    if before is not None:
        signal.signal(signal.SIGTERM, before)
