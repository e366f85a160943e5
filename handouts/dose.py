"""A dose as plain sentences, with no arithmetic left to the patient.

Dose(hold=30, reps=3, side="each", times_per_day=2)
-> ["Hold for 30 seconds.", "Do this 3 times on each side.", "Do this 2 times a day."]
"""

from __future__ import annotations

from handouts.model import Dose

SIDE_PHRASES = {
    "each": " on each side",
    "left": " on the left side only",
    "right": " on the right side only",
    "both": "",
}


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def duration(seconds: int) -> str:
    """30 -> '30 seconds', 60 -> '1 minute', 90 -> '1 minute and 30 seconds'."""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return plural(seconds, "second", "seconds")
    text = plural(minutes, "minute", "minutes")
    return f"{text} and {plural(rest, 'second', 'seconds')}" if rest else text


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def dose_sentences(dose: Dose) -> list[str]:
    side = SIDE_PHRASES[dose.side or "both"]
    sentences: list[str] = []
    if dose.hold:
        sentences.append(f"Hold for {duration(dose.hold)}.")
    sets = dose.sets or 1
    if dose.reps:
        if sets > 1:
            in_a_row = "once" if dose.reps == 1 else f"{dose.reps} times in a row"
            sentences.append(f"Do this {in_a_row}{side}. That is 1 set.")
            rest = f", resting {duration(dose.rest)} between sets" if dose.rest else ""
            sentences.append(f"Do {plural(sets, 'set', 'sets')}{rest}.")
        else:
            sentences.append(f"Do this {times(dose.reps)}{side}.")
            if dose.rest:
                sentences.append(f"Rest for {duration(dose.rest)} after each one.")
    elif sets > 1:
        rest = f", resting {duration(dose.rest)} between sets" if dose.rest else ""
        sentences.append(f"Do {plural(sets, 'set', 'sets')}{side}{rest}.")
    elif side:
        sentences.append(f"Do this{side}.")
    if dose.load:
        sentences.append(f"Band or weight: {dose.load.rstrip('.')}.")
    if dose.times_per_day:
        sentences.append(f"Do this {times(dose.times_per_day)} a day.")
    if dose.days_per_week:
        if dose.days_per_week == 7:
            sentences.append("Do this every day.")
        else:
            sentences.append(f"Do this {plural(dose.days_per_week, 'day', 'days')} a week.")
    return sentences
