"""A dose as plain sentences, with no arithmetic left to the patient, in the handout's language.

Dose(hold=30, reps=3, side="each", times_per_day=2), in English
-> ["Hold for 30 seconds.", "Do this 3 times on each side.", "Do this 2 times a day."]
The sentences and their counted words ("1 time", "3 times") are labels in the library.
"""

from __future__ import annotations

from handouts.language import Labels
from handouts.model import Dose

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
    side = f" {labels[SIDES[dose.side]]}" if dose.side in SIDES else ""
    out: list[str] = []
    if dose.hold:
        out.append(labels.fill("dose_hold", duration=duration(dose.hold, labels)))
    sets = dose.sets or 1
    if dose.reps and sets > 1:
        in_a_row = labels.count("times_in_a_row", dose.reps)
        out.append(labels.fill("dose_set", times_in_a_row=in_a_row, side=side))
        out.append(_sets(sets, "", dose.rest, labels))
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
    if dose.times_per_day:
        out.append(labels.fill("dose_per_day", times=labels.count("times", dose.times_per_day)))
    if dose.days_per_week == 7:
        out.append(labels["dose_every_day"])
    elif dose.days_per_week:
        out.append(
            labels.fill("dose_per_week", days=labels.count("days_count", dose.days_per_week))
        )
    return out


def _sets(sets: int, side: str, rest: int | None, labels: Labels) -> str:
    count = labels.count("sets", sets)
    if rest:
        return labels.fill("dose_sets_rest", sets=count, side=side, duration=duration(rest, labels))
    return labels.fill("dose_sets", sets=count, side=side)
