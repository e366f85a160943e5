"""The rules for a build's options, shared by both faces (cli.py and the web app): what a date,
a paper, a log's weeks, a typed language or layout must be, and the message when they are not.

Each check takes plain values (no click context) and raises InputError (or click.UsageError
where the command line has always shown a usage error), so the page and the command line say
the same thing. Nothing here imports reportlab or Flask.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

PAPERS = ("letter", "a4")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WEEKS = (0, 12)  # --weeks N: pages of the weekly log


def parse_date(value: str) -> dt.date:
    """'2026-11-29' -> date; ValueError with the message both faces show, otherwise."""
    if not DATE.fullmatch(value.strip()):  # only YYYY-MM-DD, on every Python version
        raise ValueError(bad_date(value))
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(bad_date(value)) from None


def bad_date(value: str) -> str:
    return f"expected a date like 2026-11-29 (YYYY-MM-DD), got '{value}'"


def log_weeks(log: bool, weeks: int | None, log_given: bool) -> int:
    """Pages of the weekly log: `weeks`, else 1 for log and 0 for no log (or neither). A log
    given (`log_given`) that disagrees with `weeks` is a usage error."""
    if weeks is None:
        return 1 if log else 0
    if log_given and log != (weeks > 0):
        import click

        shown = "--log" if log else "--no-log"
        raise click.UsageError(f"{shown} and --weeks {weeks} disagree: give one of them")
    return weeks


def check_typed(request, typed: Collection[str]) -> None:
    """A language or built-in layout the user typed (named in `typed`) that does not exist is an
    error that names the option (one in a prescription or a CSV row names its file and line)."""
    from handouts.build import library_of
    from handouts.errors import InputError
    from handouts.language import language_of
    from handouts.load.layout import load_layout
    from handouts.load.source import is_file
    from handouts.resources import is_layout_file

    checks = []
    if "lang" in typed:
        library = library_of(request)  # (a bad --library is its own error, not --lang's)
        checks.append(("--lang", lambda: language_of(library, request.lang)))
    # a built-in layout's name, or a layout file that is not there (a file's own mistakes are
    # named by their file and line)
    if "layout" in typed and (not is_layout_file(request.layout) or not is_file(request.layout)):
        checks.append(("--layout", lambda: load_layout(request.layout)))
    for option, check in checks:
        try:
            check()
        except InputError as exc:
            raise InputError(f"{option}: {exc.format_message()}") from None
