"""How the pages fill (issue #14, Layout): the standard weekly log on one page a week, large print
without runs of half-empty pages, and its plan at a glance set one line under another."""

from __future__ import annotations

import pytest
from conftest import build_pdf, flat

from handouts.render.cards import _apart
from handouts.render.paragraphs import Para

NOTES = "Start with 1 set. Add the second set next week."
TITLES = {"en": ("My exercise log: week 1", "My exercise log: week 2"),
          "es": ("Mi registro de ejercicios: semana 1", "Mi registro de ejercicios: semana 2")}  # fmt: skip
PLAN = {"en": "Your plan at a glance", "es": "Su plan de un vistazo"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_standard_log_is_one_page_a_week(paper: str, lang: str) -> None:
    """The table, its dose reminders and the lines for notes of each week on one page; the
    week after on the next (Spanish on letter paper says only how often under each name)."""
    handout, pdf = build_pdf(program="sciatica", patient="Jane Doe", notes=NOTES, paper=paper,
                             lang=lang, log_weeks=2)  # fmt: skip
    one, two = TITLES[lang]
    first = pdf.page_of(one)
    assert pdf.page_of(two) == first + 1 == pdf.page_count
    notes = handout.labels["log_notes"]
    for number in (first, first + 1):
        text = pdf.texts[number - 1]
        assert flat(notes) in flat(text), number
        for row in handout.plan:  # every exercise to do, with how often, on the week's page
            assert f"{row.number}. " in text and flat(" ".join(row.how_often)) in flat(text)
    assert pdf.page_of(PLAN[lang]) == first - 1


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_takes_at_most_so_many_pages(paper: str, lang: str) -> None:
    """Cards start on a page with more than a third of it left and run on (leaving at
    least 3 lines on each side of a break), and the plan at a glance is set
    one line under another, so the sciatica program (no log) is at most this many pages."""
    # (one page more than before issue 13's larger pictures: a figure with a second view takes
    # a 3.6 in frame, the view under the side view; A4 Spanish one more since at least two steps
    # go on with How much (issue 14): the split squat's cautions then start a page)
    most = {("letter", "en"): 33, ("a4", "en"): 30, ("letter", "es"): 36, ("a4", "es"): 34}
    _, pdf = build_pdf(program="sciatica", layout="large-print", paper=paper, lang=lang,
                       patient="Jane Doe")  # fmt: skip
    assert pdf.page_count <= most[(paper, lang)]


def test_the_large_print_plan_sets_each_row_one_line_under_another() -> None:
    """In 18 pt four columns are narrow: the name, how much and how often under each other
    beside the picture, so no 'How much' column; the standard plan keeps its four columns."""
    handout, large = build_pdf(program="sciatica", layout="large-print", patient="Jane Doe")
    _, standard = build_pdf(program="sciatica", patient="Jane Doe")
    how_much = handout.labels["summary_how_much"]
    plan = large.texts[large.page_of("Your plan at a glance") - 1]
    assert how_much not in plan
    row = handout.plan[0]
    text = flat(plan)
    name = text.index(f"{row.number}. {row.title}")
    assert (
        name < text.index(flat(" ".join(row.how_much))) < text.index(flat(" ".join(row.how_often)))
    )
    assert how_much in standard.texts[standard.page_of("Your plan at a glance") - 1]


def test_a_list_breaks_only_with_two_items_on_each_side() -> None:
    from reportlab.lib.styles import ParagraphStyle

    heading = ParagraphStyle("h", keepWithNext=1)
    body = ParagraphStyle("b")
    group = [Para("Tips", heading), *(Para(f"tip {n}", body) for n in range(4))]
    assert not _apart(group, 2)  # the heading and one tip: a lone tip
    assert _apart(group, 3)
    assert not _apart(group, 4)  # one tip left for the next page
