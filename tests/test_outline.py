"""The PDF's outline (its bookmarks), read back with pypdf: one entry for the red flags, each
exercise, the plan at a glance and each week of the log, in the order they print, each pointing at
the page that shows that heading and at the height it is drawn at; in every layout, in English and
Spanish. And the embedded font subsets carry no hinting, yet every glyph is a valid outline and the
text still extracts."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from conftest import DATE
from pypdf import PdfReader

from handouts.build import BuildRequest, make_handout
from handouts.load.layout import load_layout

LAYOUTS = ("standard", "compact", "large-print")
CASES = [(layout, lang) for lang in ("en", "es") for layout in LAYOUTS]


def expected_titles(handout, plan: bool = True) -> list[str]:
    """The outline's titles in order; `plan`: whether the layout prints the plan at a glance
    (compact leaves it out)."""
    labels = handout.labels
    weeks = [labels.fill("log_title_week", week=w) for w in range(1, handout.log_weeks + 1)]
    if handout.log_weeks == 1:
        weeks = [labels["log_title"]]
    return [
        handout.disclaimers.red_flags_title,
        *(f"{item.number}. {item.exercise.title}" for item in handout.items),
        *([labels["summary_title"]] if plan else []),
        *weeks,
    ]


@pytest.fixture(scope="module", params=CASES, ids=[f"{lay}-{lang}" for lay, lang in CASES])
def built(request):
    layout, lang = request.param
    handout, pdf = make_handout(BuildRequest(program="sciatica", patient="Jane Doe", date=DATE,
                                             layout=layout, lang=lang, log_weeks=2))  # fmt: skip
    return handout, pdf, load_layout(layout).shows("summary")


def outline(pdf: bytes) -> list[tuple[str, int, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    entries = reader.outline
    assert all(not isinstance(e, list) for e in entries), "one level, no nested entries"
    return [(e.title, reader.get_destination_page_number(e), float(e.top)) for e in entries]


def test_the_outline_names_every_part_in_order(built):
    handout, pdf, plan = built
    titles = expected_titles(handout, plan)
    assert len(handout.items) >= 7 and handout.log_weeks == 2
    assert [title for title, _, _ in outline(pdf)] == titles


def test_each_entry_points_at_its_heading(built):
    handout, pdf, _ = built
    entries = outline(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [entry[1] for entry in entries]
        assert pages == sorted(pages), "in page order"
        assert pages[0] == 0, "the red flags are on page 1"
        for title, number, top in entries:
            page = doc.pages[number]
            lines = [
                (" ".join(w["text"] for w in line), page.height - line[0]["top"])
                for line in _lines(page.extract_words(use_text_flow=True))
            ]
            # the heading's first line is on that page, just under where the entry points
            first = title.split()[:2]
            near = [y for text, y in lines if " ".join(first) in text and 0 <= top - y <= 40]
            assert near, (title, number + 1, top, lines[:8])


def _lines(words):
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][-1]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def test_each_week_of_the_log_starts_its_own_page(built):
    handout, pdf, _ = built
    entries = outline(pdf)
    plan, first, second = entries[-3:]
    assert plan[1] < first[1] < second[1] < len(PdfReader(io.BytesIO(pdf)).pages)


def test_one_week_of_log_is_named_without_a_number():
    handout, pdf = make_handout(BuildRequest(program="sciatica", date=DATE, log_weeks=1))
    assert outline(pdf)[-1][0] == handout.labels["log_title"]
    handout, pdf = make_handout(BuildRequest(ids=("glute-bridge",), date=DATE))
    assert [t for t, _, _ in outline(pdf)] == [
        handout.disclaimers.red_flags_title,
        f"1. {handout.items[0].exercise.title}",
    ]  # (one exercise: no plan at a glance)


def test_patient_text_in_a_title_is_plain_text_in_the_outline(tmp_path):
    """An exercise title is library text; the outline shows it as typed (no markup)."""
    _, pdf = make_handout(BuildRequest(program="sciatica", date=DATE, lang="es"))
    titles = [t for t, _, _ in outline(pdf)]
    assert any("á" in t or "é" in t or "ó" in t or "í" in t for t in titles), titles
    assert not any("<" in t or "&amp;" in t for t in titles)


def test_the_same_inputs_give_the_same_bytes():
    request = BuildRequest(program="sciatica", patient="Jane Doe", date=DATE, log_weeks=2)
    assert make_handout(request)[1] == make_handout(request)[1]
