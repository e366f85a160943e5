"""Dose: plain sentences, singular and plural, every side, every field in a fixed order."""

from __future__ import annotations

import pytest

from handouts import dose
from handouts.language import Labels
from handouts.load.library import load_library
from handouts.model import Dose

ENGLISH = Labels(load_library().languages["en"])
SPANISH = Labels(load_library().languages["es"])


def dose_sentences(d: Dose, labels: Labels = ENGLISH) -> list[str]:
    return dose.dose_sentences(d, labels)


def duration(seconds: int) -> str:
    return dose.duration(seconds, ENGLISH)


def test_article_example() -> None:
    dose = Dose(hold=30, reps=3, side="each", times_per_day=2)
    assert dose_sentences(dose) == [
        "Hold for 30 seconds.",
        "Do this 3 times on each side.",
        "Do this 2 times a day.",
    ]


def test_empty_dose_prints_nothing() -> None:
    assert dose_sentences(Dose()) == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (2, "2 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "1 minute and 1 second"),
        (90, "1 minute and 30 seconds"),
        (120, "2 minutes"),
        (150, "2 minutes and 30 seconds"),
        (600, "10 minutes"),
    ],
)
def test_duration(seconds: int, text: str) -> None:
    assert duration(seconds) == text
    assert dose_sentences(Dose(hold=seconds)) == [f"Hold for {text}."]


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (Dose(reps=1), ["Do this once."]),
        (Dose(reps=2), ["Do this 2 times."]),
        (Dose(reps=5, sets=1), ["Do this 5 times."]),
        (Dose(reps=5, rest=30), ["Do this 5 times.", "Rest for 30 seconds after each one."]),
        (Dose(reps=5, rest=1), ["Do this 5 times.", "Rest for 1 second after each one."]),
        (
            Dose(reps=10, sets=2, rest=60),
            [
                "Do this 10 times in a row. That is 1 set.",
                "Do 2 sets, resting 1 minute between sets.",
            ],
        ),
        (Dose(sets=3), ["Do 3 sets."]),
        (Dose(times_per_day=1), ["Do this once a day."]),
        (Dose(times_per_day=3), ["Do this 3 times a day."]),
        (Dose(days_per_week=1), ["Do this 1 day a week."]),
        (Dose(days_per_week=3), ["Do this 3 days a week."]),
        (Dose(days_per_week=7), ["Do this every day."]),
        (Dose(load="light resistance band"), ["Band or weight: light resistance band."]),
        (Dose(load="light band."), ["Band or weight: light band."]),
    ],
    ids=repr,
)
def test_singular_and_plural(dose: Dose, expected: list[str]) -> None:
    assert dose_sentences(dose) == expected


@pytest.mark.parametrize(
    ("side", "phrase"),
    [
        ("each", " on each side"),
        ("left", " on the left side only"),
        ("right", " on the right side only"),
        ("both", ""),
        (None, ""),
    ],
)
def test_every_side(side: str | None, phrase: str) -> None:
    assert dose_sentences(Dose(reps=3, side=side)) == [f"Do this 3 times{phrase}."]
    # a set is on one side; the sets are counted on each side (never "Do 2 sets" in doubt)
    one_side = " on one side" if side == "each" else phrase
    assert dose_sentences(Dose(reps=8, sets=2, side=side)) == [
        f"Do this 8 times in a row{one_side}. That is 1 set.",
        f"Do 2 sets{phrase if side == 'each' else ''}.",
    ]
    assert dose_sentences(Dose(sets=2, side=side)) == [f"Do 2 sets{phrase}."]
    side_only = [f"Do this{phrase}."] if phrase else []
    assert dose_sentences(Dose(side=side)) == side_only


def test_every_field_in_order() -> None:
    dose = Dose(
        hold=5,
        reps=10,
        sets=2,
        rest=30,
        side="each",
        load="a light band",
        times_per_day=2,
        days_per_week=5,
    )
    assert dose_sentences(dose) == [
        "Hold for 5 seconds.",
        "Do this 10 times in a row on one side. That is 1 set.",
        "Do 2 sets on each side, resting 30 seconds between sets.",
        "Band or weight: a light band.",
        "Do this 2 times a day, 5 days a week.",
    ]


def test_overridden_by_replaces_only_the_fields_set() -> None:
    base = Dose(hold=30, reps=3, side="each", times_per_day=2)
    assert base.overridden_by(Dose(reps=5, sets=2)) == Dose(
        hold=30, reps=5, sets=2, side="each", times_per_day=2
    )
    assert base.overridden_by(Dose()) == base


def test_rest_between_sets_prints_without_reps() -> None:
    """Found by this suite (rest was dropped when sets were given without reps); fixed."""
    assert dose_sentences(Dose(hold=30, sets=3, rest=30)) == [
        "Hold for 30 seconds.",
        "Do 3 sets, resting 30 seconds between sets.",
    ]
    assert dose_sentences(Dose(sets=2, rest=60, side="each")) == [
        "Do 2 sets on each side, resting 1 minute between sets."
    ]


def test_one_repetition_in_sets_reads_naturally():
    assert dose_sentences(Dose(reps=1, sets=3)) == [
        "Do this once. That is 1 set.",
        "Do 3 sets.",
    ]


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (
            Dose(hold=30, reps=3, side="each", times_per_day=2),  # the clinic's own example
            [
                "Mantenga la posición durante 30 segundos.",
                "Repita 3 veces de cada lado.",
                "Hágalo 2 veces al día.",
            ],
        ),
        (
            Dose(hold=1, reps=1, times_per_day=1),
            ["Mantenga la posición durante 1 segundo.", "Repita 1 vez.", "Hágalo 1 vez al día."],
        ),
        (Dose(hold=90), ["Mantenga la posición durante 1 minuto y 30 segundos."]),
        (
            Dose(reps=8, sets=2, side="left", rest=60),
            [
                "Repita 8 veces seguidas solo del lado izquierdo. Eso es 1 serie.",
                "Haga 2 series. Descanse 1 minuto entre series.",
            ],
        ),
        (Dose(days_per_week=1), ["Hágalo 1 día a la semana."]),
        (Dose(days_per_week=3), ["Hágalo 3 días a la semana."]),
        (Dose(days_per_week=7), ["Hágalo todos los días."]),
    ],
)
def test_spanish_sentences_and_plurals(dose: Dose, expected: list[str]) -> None:
    assert dose_sentences(dose, SPANISH) == expected
