"""Compact as the returning patient's reminder (issue #14, Layout): the cards with their pictures,
steps, dose and how often on three pages at 12 pt, no plan page, no introduction; and the later
pages' lean chrome (one header line; the disclaimer, clinic and "Page N of M" on every page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_pdf, flat

from handouts.load.layout import load_layout

NOTES = "Start with 1 set. Add the second set next week.\nCall us if the pain moves down your leg."
LONG_PATIENT = "Maria Guadalupe Fernández-Castellanos de la Vega"
FOOTER = "Questions? Call us Monday to Friday, 8 to 5."


@pytest.mark.parametrize("notes", ["", NOTES], ids=["plain", "notes"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_compact_sciatica_is_three_pages_with_everything_a_reminder_needs(
    long_brand: Path, paper: str, lang: str, notes: str
) -> None:
    """Letter and A4, English and Spanish, the long brand, with and without notes: at most
    three pages at 12 pt (Spanish with the long brand may take four: on letter its last card
    moves on whole rather than leave its dose alone; on A4 with notes the brand's Spanish footer
    on page 1 takes a line more), each card's steps and dose, both pictures, the tick boxes and
    the phone line; never the plan page or the introduction."""
    handout, pdf = build_pdf(program="sciatica", layout="compact", paper=paper, lang=lang,
                             patient=LONG_PATIENT, brand=long_brand, notes=notes,
                             allow_fallback=True)  # fmt: skip
    most = 4 if lang == "es" else 3
    assert pdf.page_count <= most
    text = flat(pdf.text)
    labels = handout.labels
    for item in handout.items:
        assert flat(" ".join(item.dose)) in text, item.number
        assert flat(item.exercise.steps[-1]) in text, item.number
    assert text.count(flat(labels["choice_tick"])) == 2  # 2 and 2b, nobody chose
    assert "(555) 010-0199" in flat(pdf.texts[0])
    assert flat(labels["summary_title"]) not in text
    assert flat(handout.intro) not in text
    for page in pdf.pages:
        assert min(w["size"] for w in page.words) >= 12 - 0.01, page.number
    for number in range(2, pdf.page_count + 1):  # no page holds one line or one part alone
        assert len(pdf.texts[number - 1].split()) >= 40, number


def test_compact_leaves_the_plan_and_intro_to_the_full_handout() -> None:
    lay = load_layout("compact")
    assert not lay.shows("summary") and not lay.shows("intro")
    assert lay.shows("safety") and lay.shows("figures")
    assert min(lay.margin_top, lay.margin_bottom, lay.margin_left, lay.margin_right) >= 0.4 * 72
    standard = load_layout("standard")
    assert standard.shows("summary") and standard.shows("intro")


def test_a_log_still_follows_the_compact_cards() -> None:
    handout, pdf = build_pdf(program="sciatica", layout="compact", patient="Jane Doe",
                             log_weeks=1)  # fmt: skip
    assert "Your plan at a glance" not in pdf.text
    assert pdf.page_of("My exercise log") == pdf.page_count
    assert pdf.page_of("My exercise log") > pdf.page_of(f"7. {handout.items[-1].exercise.title}")


@pytest.mark.parametrize("layout", ["standard", "compact", "large-print"])
def test_later_pages_keep_the_disclaimer_clinic_and_page_number(
    long_brand: Path, layout: str
) -> None:
    """Lean chrome: one header line with the patient's name; the brand's footer text on page 1
    (and on every page in the standard layout); the disclaimer, clinic and page on all."""
    handout, pdf = build_pdf(program="sciatica", layout=layout, patient=LONG_PATIENT,
                             brand=long_brand)  # fmt: skip
    count = pdf.page_count
    for number, text in enumerate(pdf.texts, 1):
        assert flat(handout.disclaimers.footer) in text, number
        assert "Riverside Physical Therapy" in text and f"Page {number} of {count}" in text
        assert (FOOTER in text) == (number == 1 or layout == "standard"), number
    for page in pdf.pages[1:]:  # the patient's whole name on the header's one line, with the
        # title (which gives way to the name in large print: test_page_headers.py)
        top = min(w["top"] for w in page.words)
        header = [w["text"] for w in page.words if w["top"] < top + 1]
        assert f"For: {LONG_PATIENT}" in " ".join(header), page.number
        if layout != "large-print":
            assert header[0] == handout.title.split()[0], page.number
