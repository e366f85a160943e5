"""One exception tree, rooted in click.ClickException: raise deep, report once at the edge.

Bad input (files, options, ids) exits 2 with one clear message; delivery problems exit 1.
"""

from __future__ import annotations

import click


class HandoutsError(click.ClickException):
    """Bad input from the user: exit status 2, one clear message, no traceback."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message


class InputError(HandoutsError):
    """A problem in a file, an option or a name the user gave."""


class ValidationError(InputError):
    """Every problem found in one file, reported together."""

    def __init__(self, problems: list[str], summary: str = "") -> None:
        self.problems = problems
        count = len(problems)
        if summary:
            head = f"{summary}:"
        else:
            head = f"{count} problem{'s' if count != 1 else ''} found:" if count > 1 else ""
        body = "\n".join(f"  {p}" for p in problems) if head else problems[0]
        super().__init__(f"{head}\n{body}" if head else body)


class RenderError(InputError):
    """Content that cannot be laid out or printed (reported with the exercise that caused it)."""


class DeliveryError(click.ClickException):
    """The handout was made but could not be delivered (mail server unreachable, login or
    recipient refused): exit status 1, one clear message, and the PDF is still on disk."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message
