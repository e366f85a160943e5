"""A page's or a program's fields (a form, or JSON) -> the same BuildRequest `handouts build`
makes from its options, with the same checks and messages (options.py, dose.py, protect.py).

The fields are named as build's long options: program, ids (repeated), choose, dose and note
(repeated), patient, therapist, notes, date, layout, paper, lang, weeks, allow_fallback, and,
for what is done with the handout, email and password. One more, `exercises` (repeated, "ID"
or "ID:OF"), is a prescription's `exercises:` list: the exercises in order, in place of the
program's, "ID:OF" printing ID as another version of OF (variant_of); a loaded rx file comes
back to the page as it, so the page rebuilds the handout the file does. Every problem is collected; the caller
answers them together (400). Text over its size limit is TooLarge (413).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import click

from handouts.errors import HandoutsError, InputError
from handouts.options import PAPERS, WEEKS, check_typed, log_weeks, parse_date

if TYPE_CHECKING:  # (handouts.build is imported on the first request, not at start-up)
    from handouts.build import BuildRequest
    from handouts.model import Settings

REPEATED = ("ids", "exercises", "choose", "dose", "note")
SINGLE = ("program", "patient", "therapist", "notes", "date", "layout", "paper", "lang", "weeks",
          "allow_fallback", "email", "password")  # fmt: skip
IGNORED = ("csrf_token", "page")  # the page's token; which preview page (read by the route)
# the longest text each field takes (characters), and how many values a repeated one takes
LIMITS = {"patient": 200, "therapist": 200, "notes": 20_000, "note": 2_000, "dose": 500,
          "email": 254, "password": 1_024, "program": 200, "ids": 200, "exercises": 401, "choose": 200,
          "date": 40, "layout": 200, "paper": 20, "lang": 40, "weeks": 10, "allow_fallback": 10}  # fmt: skip
MOST_VALUES = 200
TRUE = ("1", "true", "on", "yes")


class Problems(InputError):
    """Bad fields: every message, each naming its field as the command line names its option."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[0] if len(problems) == 1 else
                         f"{len(problems)} problems found:\n" + "\n".join(f"  {p}" for p in problems))  # fmt: skip


class TooLarge(InputError):
    """A field longer than its limit (answered 413)."""


@dataclass(frozen=True)
class Asked:
    """What the fields ask for: the build request, and the typed options (for check_typed)."""

    request: BuildRequest
    typed: frozenset[str]


def normalized(data: Mapping) -> dict[str, list[str]]:
    """JSON (values: text, a number, true/false, or a list of text) or a form's lists -> every
    field's list of text. A value of another kind is a Problems."""
    out: dict[str, list[str]] = {}
    problems = []
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        texts = []
        for item in values:
            if isinstance(item, bool):
                texts.append("true" if item else "")
            elif isinstance(item, (int, str)):
                texts.append(str(item))
            else:
                problems.append(f"--{_option(key)}: expected text, got {type(item).__name__}")
        out[str(key)] = texts
    if problems:
        raise Problems(problems)
    return out


def request_from(fields: Mapping[str, list[str]], settings: Settings, today: dt.date) -> Asked:
    """The build request the fields ask for, the clinic's settings filling what they leave out
    (as they fill build's options). Problems lists every bad field; TooLarge one too long."""
    from handouts.build import BuildRequest
    from handouts.resources import is_layout_file
    from handouts.settings import option_defaults

    problems: list[str] = []
    unknown = [k for k in fields if k not in (*REPEATED, *SINGLE, *IGNORED)]
    if unknown:
        problems.append(f"unknown field{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(k) for k in unknown)}; the fields are: "
                        f"{', '.join((*REPEATED, *SINGLE))}")  # fmt: skip
    _check_sizes(fields)
    for key in SINGLE:
        if len(fields.get(key, [])) > 1:
            problems.append(f"--{_option(key)}: give it once, got {len(fields[key])} values")
    for key, values in fields.items():
        if any("\ud800" <= c <= "\udfff" for v in values for c in v):
            problems.append(f"--{_option(key)}: the text is not valid Unicode text")
    if problems:
        raise Problems(problems)

    def one(key: str) -> str:
        values = fields.get(key) or [""]
        return values[0]

    defaults = option_defaults(settings, "build")
    typed = {k for k in ("lang", "layout") if one(k).strip()}
    values: dict = {}
    text = one("date").strip()
    try:
        values["date"] = parse_date(text) if text else today
    except ValueError as exc:
        problems.append(f"--date: {exc}")
    paper = one("paper").strip().lower() or defaults.get("paper")
    if paper is not None and paper not in PAPERS:
        problems.append(f"--paper: '{one('paper')}' is not one of 'letter', 'a4'")
    layout = one("layout").strip() or defaults.get("layout", "standard")
    if "layout" in typed and is_layout_file(layout):
        problems.append(f"--layout: '{layout}' is a file; the page takes a built-in layout's "
                        "name (a clinic's own layout file is named in the settings file)")  # fmt: skip
    weeks_text = one("weeks").strip()
    weeks = None
    if weeks_text:
        if not weeks_text.isdigit() or not WEEKS[0] <= int(weeks_text) <= WEEKS[1]:
            problems.append(f"--weeks: '{weeks_text}' is not a whole number from {WEEKS[0]} to "
                            f"{WEEKS[1]}")  # fmt: skip
        else:
            weeks = int(weeks_text)
    doses, notes = [], []
    from handouts.dose import dose_option, note_option

    for text in fields.get("dose", []):
        if text.strip():
            _collect(problems, lambda t=text: doses.append(dose_option(t)))
    for text in fields.get("note", []):
        if text.strip():
            _collect(problems, lambda t=text: notes.append(note_option(t)))
    choices = _choices(fields.get("exercises", []), problems)
    password = one("password") or None
    if password is not None:
        from handouts.protect import check_password

        _collect(problems, lambda: check_password(password, "--password"))
    email = one("email").strip() or None
    if email is not None:
        from handouts.mail import check_address

        _collect(problems, lambda: check_address(email))
    if problems:
        raise Problems(problems)
    request = BuildRequest(
        ids=tuple(i.strip() for i in fields.get("ids", []) if i.strip()), choices=choices,
        program=one("program").strip() or None,
        choose=tuple(c.strip() for c in fields.get("choose", []) if c.strip()),
        doses=tuple(doses), exercise_notes=tuple(notes),
        patient=one("patient"), therapist=one("therapist") or defaults.get("therapist", ""),
        notes=one("notes").replace("\r\n", "\n"), date=values["date"], paper=paper,
        brand=defaults.get("brand"), library=defaults.get("library"), layout=layout,
        log_weeks=log_weeks(False, weeks, False), lang=one("lang").strip() or defaults.get("lang", "en"),
        allow_fallback=one("allow_fallback").strip().lower() in TRUE,
        email=email, password=password,
    )  # fmt: skip
    check_typed(request, typed)
    return Asked(request, frozenset(typed))


def _choices(texts: list[str], problems: list[str]) -> tuple:
    """The `exercises` field ("ID" or "ID:OF", in order) -> the prescription's choices; each
    OF must be listed before its ID, as variant_of must in an rx file."""
    from handouts.model import Choice

    choices: list[Choice] = []
    for text in (t.strip() for t in texts):
        if not text:
            continue
        name, colon, parent = (part.strip() for part in text.partition(":"))
        if not name or (colon and not parent):
            problems.append(f"exercises: expected an exercise id, or ID:OF (ID another version "
                            f"of OF), got '{text}'")  # fmt: skip
        elif any(c.id == name for c in choices):
            problems.append(f"exercises: lists '{name}' twice")
        elif parent and not any(c.id == parent for c in choices):
            problems.append(f"exercises: '{text}': {parent} must be listed before {name}")
        else:
            choices.append(Choice(name, parent or None))
    return tuple(choices)


def _collect(problems: list[str], check) -> None:
    try:
        check()
    except (HandoutsError, click.ClickException) as exc:
        problems.append(exc.format_message())


def _check_sizes(fields: Mapping[str, list[str]]) -> None:
    for key, values in fields.items():
        if len(values) > MOST_VALUES:
            raise TooLarge(f"--{_option(key)}: {len(values)} values; the most is {MOST_VALUES}")
        limit = LIMITS.get(key)
        for value in values:
            if limit is not None and len(value) > limit:
                raise TooLarge(f"--{_option(key)}: the text is {len(value):,} characters long; "
                               f"the most is {limit:,}")  # fmt: skip


def _option(key: str) -> str:
    return str(key).replace("_", "-")


def without_delivery(request: BuildRequest) -> BuildRequest:
    """The request for the pages alone (a preview, a download): no email, no password."""
    return replace(request, email=None, password=None, smtp=None, printing=None)
