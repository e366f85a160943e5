"""SIGTERM handled like Ctrl-C: raised as an exception, so that every `finally` runs.

By default SIGTERM ends the process at once, skipping all cleanup; a KeyboardInterrupt subclass
takes the same path as SIGINT (click prints "Aborted!", exit status 1). Kept tiny: `run()`
imports it on every command, `--help` included.
"""

import signal

received: list[int] = []  # the interrupting signals this process was sent, in order


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM."""


def _terminate(signum, frame):
    received.append(signum)
    raise Terminated


def _interrupt(signum, frame):
    received.append(signum)
    raise KeyboardInterrupt


def sigterm_as_interrupt():
    """From now on, SIGTERM raises Terminated and SIGINT KeyboardInterrupt in the main thread,
    each noted in `received`: reportlab catches exceptions with bare `except:` and may turn an
    interrupt into another error, which `run()` must still report as an interruption. Returns
    the handlers it replaces (give them to `restore`), or None where nothing changed (not the
    main thread, or no SIGTERM)."""
    try:
        return (signal.signal(signal.SIGTERM, _terminate),
                signal.signal(signal.SIGINT, _interrupt))  # fmt: skip
    except (ValueError, AttributeError, OSError):
        return None


def restore(before) -> None:
    """Put back the handlers that sigterm_as_interrupt replaced."""
    if before is not None:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])
