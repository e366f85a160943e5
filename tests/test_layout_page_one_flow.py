"""Page 1's front matter in the standard layout (issue #14, review finding 6): page 1 never ends
with the "Before you start" heading and one item of its list; the first card made to start
under front matter that spilled onto page 2 fits there as platypus stacks it, its pictures at
their floor or larger, whenever it fits at all in less room (no knife's edge)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DATE, build_pdf

from handouts.build import BuildRequest, _composed
from handouts.render.cards import stacked
from handouts.render.figure import FigurePair, body_length
from handouts.render.fonts import font_family
from handouts.render.story import first_card_under
from handouts.render.styles import PAPERS, make_styles

LONG = {"patient": "Maria Guadalupe Fernandez-Castellanos de la Torre",
        "therapist": "Dr. Bartholomew Alexander Worthington-Smythe, DPT",
        "notes": "Start with 1 set of each exercise this week. Add the second set next week if "
                 "the pain does not get worse."}  # fmt: skip
ES_NOTES = "Camine 10 minutos al día. Empiece con 1 serie. Llame si el dolor baja por la pierna."
FRAME = 631.0  # letter, standard: a later page's frame


@pytest.mark.parametrize("long", [False, True], ids=["short", "long-brand"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_before_you_start_keeps_two_items_with_its_heading(paper, lang, long, long_brand) -> None:
    """The review's letter/en/long-brand build ended page 1 with the heading and one item."""
    names = {**LONG, "brand": long_brand} if long else {"patient": "Jane Doe"}
    handout, pdf = build_pdf(program="sciatica", paper=paper, lang=lang, **names)
    d = handout.disclaimers
    page = pdf.page_of(d.safety_title)
    text = pdf.texts[page - 1]
    after = text[text.index(d.safety_title) :]
    for item in d.safety[:2]:
        assert " ".join(item.split()[:5]) in after, (page, item)


@pytest.mark.parametrize(("lang", "program"), [("es", "sciatica"), ("en", "sciatica"),
                                               ("es", "sciatica-strength")])  # fmt: skip
def test_the_first_card_under_a_spill_fits_whenever_less_room_did(lang, program) -> None:
    handout, layout = _composed(BuildRequest(program=program, lang=lang, notes=ES_NOTES,
                                             patient="Ana García", date=DATE))  # fmt: skip
    s = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    fitted_at = None
    for room in [FRAME - step * 1.5 for step in range(120, -1, -1)]:  # 451 pt up to a page
        card = first_card_under(handout, s, width, FRAME, room)
        if card is None:
            assert fitted_at is None, (room, fitted_at)  # it fitted in less room
            continue
        fitted_at = fitted_at or room
        parts, sizes, _ = card
        assert stacked(sizes) + sizes[0][1] <= room  # under the spilled lines, as stacked
        for part in parts:
            if isinstance(part, FigurePair):
                assert body_length(part) >= part.body_target - 0.01  # never under the floor
    assert fitted_at is not None and fitted_at < FRAME - 30  # (the case tests something)


def test_same_inputs_same_bytes_with_the_first_card_under_the_spill() -> None:
    request = {"program": "sciatica", "lang": "es", "notes": ES_NOTES, "patient": "Ana García",
               "date": dt.date(2026, 1, 5)}  # fmt: skip
    first, second = build_pdf(**request)[1], build_pdf(**request)[1]
    assert first.data == second.data
    assert first.page_of("1. Rodilla al hombro contrario") == 2
