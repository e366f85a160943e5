"""Compact's page 1 (issue #14, review finding 2): the first card starts in the columns under the
front matter whenever its title and pictures fit there, and runs on into the next column with
its title repeated, as in English; it no longer needs two lines of its steps there too (Spanish
on letter left ~2.9 in blank under the phone line, the card moved whole to page 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATE, build_pdf

from handouts.build import BuildRequest, _composed
from handouts.render.cards import Card
from handouts.render.fonts import font_family
from handouts.render.pdf import _first_column
from handouts.render.story import exercises
from handouts.render.styles import PAPERS, make_styles

LONG = {"patient": "Maria Guadalupe Fernandez-Castellanos de la Torre",
        "therapist": "Dr. Bartholomew Alexander Worthington-Smythe, DPT",
        "notes": "Start with 1 set of each exercise this week. Add the second set next week if "
                 "the pain does not get worse."}  # fmt: skip


@pytest.mark.parametrize(("paper", "lang", "brand"), [
    ("letter", "en", False), ("letter", "en", True), ("letter", "es", False),
    ("a4", "en", False), ("a4", "en", True), ("a4", "es", False), ("a4", "es", True),
])  # fmt: skip
def test_card_one_starts_on_page_one_with_its_title_and_pictures(paper, lang, brand,
                                                                 long_brand) -> None:  # fmt: skip
    """Every case of the review's but Spanish on letter with the long brand, whose header and
    three-line footer leave 141 pt under the phone line for a title and pictures 161 pt tall."""
    names = {**LONG, "brand": long_brand} if brand else LONG
    handout, pdf = build_pdf(program="sciatica", layout="compact", paper=paper, lang=lang,
                             **names)  # fmt: skip
    item = handout.items[0]
    first = pdf.texts[0]
    assert f"{item.number}. {item.exercise.title}" in first
    assert handout.labels["start"] in first and handout.labels["end"] in first  # its captions
    continued = handout.labels.fill("continued", title=f"{item.number}. {item.exercise.title}")
    assert continued in first  # it runs on into the right column, its title repeated


def test_spanish_a4_with_the_long_brand_takes_three_pages_not_four(long_brand) -> None:
    _, pdf = build_pdf(program="sciatica", layout="compact", paper="a4", lang="es",
                       brand=long_brand, **LONG)  # fmt: skip
    assert pdf.page_count == 3


def test_the_first_column_needs_the_title_and_pictures_or_two_lines_without_them(
    tmp_path: Path,
) -> None:
    handout, layout = _composed(BuildRequest(program="sciatica", layout="compact", lang="es",
                                             patient="Jane Doe", date=DATE))  # fmt: skip
    s = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    width = (PAPERS["letter"][0] - layout.margin_left - layout.margin_right
             - layout.body_size * 1.5) / 2  # fmt: skip
    story = exercises(handout, s, width, 600.0, "full")
    card = next(f for f in story if isinstance(f, Card))
    assert _first_column(story, layout, width) == pytest.approx(card.first_group(width))
    path = tmp_path / "no-pictures.yaml"
    path.write_text("extends: compact\nexercises: {figures: 0}\n", encoding="utf-8")
    handout, layout = _composed(BuildRequest(program="sciatica", layout=str(path), lang="es",
                                             patient="Jane Doe", date=DATE))  # fmt: skip
    s = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    story = exercises(handout, s, width, 600.0, "full")
    card = next(f for f in story if isinstance(f, Card))
    line = layout.body_size * layout.leading
    assert _first_column(story, layout, width) == pytest.approx(card.first_group(width) + 2 * line)
