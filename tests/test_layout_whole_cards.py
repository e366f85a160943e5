"""A standard card is never split across pages when it fits on one (README, Layouts; issue #14,
review finding 3): every built-in program, on letter and A4, in English and Spanish, with no
brand and short names, and with the README's long brand, long names and notes. Read from the
PDF: no title repeated with "(continued)", and each card's title and its last step on one page.
At the story layer: a card that fits only with its pictures under their floor is kept whole with
them at 60% of their height or more; one that cannot fit even so still runs on."""

from __future__ import annotations

import pytest
from conftest import DATE, build_pdf

from handouts.build import BuildRequest, _composed
from handouts.render.cards import Card, stacked
from handouts.render.figure import StartEndPanels
from handouts.render.fonts import font_family
from handouts.render.paragraphs import Kept
from handouts.render.story import (
    UNDER_FLOOR,
    _exercise,
    _picture_height,
    exercises,
    least_picture_height,
)
from handouts.render.styles import PAPERS, make_styles

PROGRAMS = ("sciatica", "sciatica-gentle", "sciatica-strength")
LONG = {"patient": "Maria Guadalupe Fernandez-Castellanos de la Torre",
        "therapist": "Dr. Bartholomew Alexander Worthington-Smythe, DPT",
        "notes": "Start with 1 set of each exercise this week. Add the second set next week if "
                 "the pain does not get worse."}  # fmt: skip
LATER_FRAME = 631.0  # letter, standard: a later page's frame (the page less margins, the
# one-line header and the footer)


@pytest.mark.parametrize("long", [False, True], ids=["short", "long-brand"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("program", PROGRAMS)
def test_no_standard_card_is_split(program, paper, lang, long, long_brand) -> None:
    names = {**LONG, "brand": long_brand} if long else {"patient": "Jane Doe"}
    handout, pdf = build_pdf(program=program, paper=paper, lang=lang, **names)
    mark = handout.labels.fill("continued", title="").strip()  # "(continued)"
    assert [n for n, text in enumerate(pdf.texts, 1) if mark in text] == []
    for item in handout.items:
        title = f"{item.number}. {item.exercise.title}"
        last_step = " ".join(item.exercise.steps[-1].split()[:4])
        first = pdf.page_of(title)
        assert last_step in pdf.texts[first - 1], (title, first)


def _styled(**request):
    handout, layout = _composed(BuildRequest(date=DATE, **request))
    styles = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    return handout, styles, width


def test_a_card_that_fits_only_under_its_floor_is_kept_whole_at_60_percent_or_more() -> None:
    """Pigeon pose in Spanish on letter: even set tighter, with its pictures at their floor, it
    is a few points taller than a page; its pictures go a little under their floor."""
    handout, styles, width = _styled(program="sciatica", lang="es", patient="Jane Doe")
    item = next(i for i in handout.items if i.exercise.id == "pigeon-pose")
    least = least_picture_height(item, styles, width)
    at_floor = _exercise(item, styles, width, LATER_FRAME, keep_floor=True)
    assert stacked(at_floor[1]) > LATER_FRAME  # (what makes this the case to test)
    story = exercises(handout, styles, width, LATER_FRAME)
    card = next(f for f in story if isinstance(f, (Kept, Card)) and item.exercise.title in
                " ".join(getattr(p, "getPlainText", str)() for p in f._content[:3]))  # fmt: skip
    assert isinstance(card, Kept)
    assert stacked(card._known) <= LATER_FRAME
    picture = next(p for p in card._content if isinstance(p, StartEndPanels))
    drawn = picture.wrap(width, LATER_FRAME)[1]
    assert UNDER_FLOOR * _picture_height(item, styles) <= drawn < least


def test_a_card_taller_than_a_page_even_so_still_runs_on() -> None:
    """On pages too short for any card at 60% of its pictures' height, every card runs on (its
    title repeated), never overflows."""
    handout, styles, width = _styled(program="sciatica", patient="Jane Doe")
    story = exercises(handout, styles, width, 300.0)
    cards = [f for f in story if isinstance(f, (Kept, Card))]
    assert len(cards) == len(handout.items)
    assert all(isinstance(card, Card) for card in cards)
