"""A dose as plain sentences, with no arithmetic left to the patient, in the handout's language.

Dose(hold=30, reps=3, side="each", times_per_day=2), in English
-> ["Hold for 30 seconds.", "Do this 3 times on each side.", "Do this 2 times a day."]
Dose(duration=600, times_per_day=1, days_per_week=5)
-> ["Do this for 10 minutes.", "Do this once a day, 5 days a week."]
The sentences and their counted words ("1 time", "3 times") are labels in the library.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from handouts.errors import InputError
from handouts.language import Labels
from handouts.model import SIDES as SIDE_NAMES
from handouts.model import Dose
from handouts.text import is_digits

SIDES = {"each": "side_each", "left": "side_left", "right": "side_right"}


def duration(seconds: int, labels: Labels) -> str:
    """30 -> '30 seconds', 60 -> '1 minute', 90 -> '1 minute and 30 seconds'."""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return labels.count("seconds", seconds)
    text = labels.count("minutes", minutes)
    if not rest:
        return text
    return labels.fill("minutes_seconds", minutes=text, seconds=labels.count("seconds", rest))


def dose_sentences(dose: Dose, labels: Labels) -> list[str]:
    """How much, then how often: every sentence the dose box prints."""
    how_much, how_often = dose_parts(dose, labels)
    return [*how_much, *how_often]


def dose_parts(dose: Dose, labels: Labels) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(how much, how often): the sentences for the hold, times, sets, side and load, and the
    one for the times a day and days a week (none when the dose sets neither).

    Sides are never in doubt: with sets and a side, a set is done on one side and the sets
    are counted on each side ("Do this 8 times in a row on one side. That is 1 set. Do 2 sets
    on each side.")."""
    side = f" {labels[SIDES[dose.side]]}" if dose.side in SIDES else ""
    out: list[str] = []
    if dose.hold:
        out.append(labels.fill("dose_hold", duration=duration(dose.hold, labels)))
    sets = dose.sets or 1
    if dose.duration and sets > 1:  # each set lasts the duration
        one_side = f" {labels['side_one']}" if dose.side == "each" else side
        out.append(labels.fill("dose_duration_set", duration=duration(dose.duration, labels),
                               side=one_side))  # fmt: skip
        out.append(_sets(sets, side if dose.side == "each" else "", dose.rest, labels))
    elif dose.duration:
        out.append(
            labels.fill("dose_duration", duration=duration(dose.duration, labels), side=side)
        )
    elif dose.reps and sets > 1:
        in_a_row = labels.count("times_in_a_row", dose.reps)
        one_side = f" {labels['side_one']}" if dose.side == "each" else side
        out.append(labels.fill("dose_set", times_in_a_row=in_a_row, side=one_side))
        out.append(_sets(sets, side if dose.side == "each" else "", dose.rest, labels))
    elif dose.reps:
        out.append(labels.fill("dose_reps", times=labels.count("times", dose.reps), side=side))
        if dose.rest:
            out.append(labels.fill("dose_rest_each", duration=duration(dose.rest, labels)))
    elif sets > 1:
        out.append(_sets(sets, side, dose.rest, labels))
    elif side:
        out.append(labels.fill("dose_side", side=side))
    if dose.load:
        out.append(labels.fill("dose_load", load=dose.load.rstrip(".")))
    return tuple(out), tuple(how_often(dose, labels))


def how_often(dose: Dose, labels: Labels) -> list[str]:
    """'Do this 2 times a day, every day.', 'Do this once a day, 3 days a week.'"""
    days = labels.count("days_count", dose.days_per_week) if dose.days_per_week else ""
    if dose.times_per_day:
        times = labels.count("times", dose.times_per_day)
        if dose.days_per_week == 7:
            return [labels.fill("dose_per_day_every_day", times=times)]
        if dose.days_per_week:
            return [labels.fill("dose_per_day_week", times=times, days=days)]
        return [labels.fill("dose_per_day", times=times)]
    if dose.days_per_week == 7:
        return [labels["dose_every_day"]]
    if dose.days_per_week:
        return [labels.fill("dose_per_week", days=days)]
    return []


def _sets(sets: int, side: str, rest: int | None, labels: Labels) -> str:
    count = labels.count("sets", sets)
    if rest:
        return labels.fill("dose_sets_rest", sets=count, side=side, duration=duration(rest, labels))
    return labels.fill("dose_sets", sets=count, side=side)


# a dose's fields as typed on the command line (--dose ID:FIELD=VALUE,...), with their ranges
# (the same as a library's dose: block)
DOSE_FIELDS = {"hold": (1, 600), "reps": (1, 200), "sets": (1, 20), "rest": (1, 600),
               "times_per_day": (1, 12), "days_per_week": (1, 7), "duration": (1, 7200), "side": None, "load": None}  # fmt: skip
DOSE_SYNTAX = "ID:FIELD=VALUE,FIELD=VALUE (e.g. hip-hinge:reps=8,sets=3)"


def dose_option(text: str) -> tuple[str, Dose]:
    """'hip-hinge:reps=8,sets=3' -> ('hip-hinge', Dose(reps=8, sets=3)). `load=` takes the rest
    of the text, commas included (load=red band, light). Bad text raises InputError."""

    def bad(problem: str) -> InputError:
        return InputError(f"--dose '{text}': {problem}")

    name, colon, rest = text.partition(":")
    if not colon or not name.strip() or not rest.strip():
        raise bad(f"write it as {DOSE_SYNTAX}")
    dose = Dose()
    while rest.strip():
        part, _, rest = rest.partition(",")
        key, equals, value = (x.strip() for x in part.partition("="))
        if key == "load" and equals:
            value, rest = ",".join([value, *([rest] if rest else [])]).strip(), ""
        if not equals or not key:
            raise bad(f"'{part.strip()}' is not FIELD=VALUE; write it as {DOSE_SYNTAX}")
        if key not in DOSE_FIELDS:
            guess = difflib.get_close_matches(key, list(DOSE_FIELDS), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            raise bad(f"unknown field '{key}'{hint}; the fields are: {', '.join(DOSE_FIELDS)}")
        limits = DOSE_FIELDS[key]
        if limits is not None:
            low, high = limits
            if not is_digits(value) or not low <= int(value) <= high:
                raise bad(f"{key} must be a whole number from {low} to {high}, got '{value}'")
            dose = replace(dose, **{key: int(value)})
        elif key == "side":
            if value not in SIDE_NAMES:
                raise bad(f"side must be one of {', '.join(SIDE_NAMES)}, got '{value}'")
            dose = replace(dose, side=value)
        else:
            if not value:
                raise bad("load must be a text, like load=light band")
            dose = replace(dose, load=" ".join(value.split()))
    for other in ("hold", "reps"):
        if dose.duration is not None and getattr(dose, other) is not None:
            raise bad(f"duration says how long to do it, so it cannot be given with {other}")
    return name.strip(), dose


def note_option(text: str) -> tuple[str, str]:
    """'hip-hinge:Keep the weight light.' -> ('hip-hinge', 'Keep the weight light.')."""

    name, colon, note = text.partition(":")
    if not colon or not name.strip() or not note.strip():
        raise InputError(
            f"--note '{text}': write it as ID:TEXT (e.g. \"hip-hinge:Keep the weight light.\")"
        )
    return name.strip(), note.strip()
