"""What each layout promises on the page (issue #14, Layout), read from the PDF: the red-flag box
whole on page 1 whatever the brand, names, paper and language; large print at 18 pt everywhere,
with no near-empty page and cards that say "(continued)"; compact's 12 pt floor and pictures an
inch tall; a weekly log a patient can use.

Each handout is built once per module (the `built` fixture keeps them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import Pdf, build_pdf, flat

from handouts.compose import Handout
from handouts.errors import ValidationError
from handouts.load.layout import load_layout
from handouts.model import Layout
from handouts.render.log import BOX_MIN, box_size

LAYOUTS = ("standard", "compact", "large-print")
PAPERS = ("letter", "a4")
LANGS = ("en", "es")
LONG_PATIENT = "Maria Guadalupe Fernández-Castellanos de la Vega"
LONG_THERAPIST = "Dr. Alexander Christopher Montgomery-Whitfield, DPT, OCS"
CONTINUED = {"en": "(continued)", "es": "(continuación)"}
MIN_STORY_LINES = 4  # lines of text a page holds under its header, except the last page
MM = 72 / 25.4


@cache
def shipped(name: str) -> Layout:
    return load_layout(name)


@pytest.fixture(scope="module")
def built(long_brand: Path) -> Callable[..., tuple[Handout, Pdf]]:
    memo: dict[tuple, tuple[Handout, Pdf]] = {}

    def get(layout: str, paper: str = "letter", lang: str = "en", long: bool = True,
            weeks: int = 0) -> tuple[Handout, Pdf]:  # fmt: skip
        key = (layout, paper, lang, long, weeks)
        if key not in memo:
            names = ({"patient": LONG_PATIENT, "therapist": LONG_THERAPIST, "brand": long_brand}
                     if long else {"patient": "Jane Doe", "therapist": "Sam Lee, PT"})  # fmt: skip
            memo[key] = build_pdf(program="sciatica", layout=layout, paper=paper, lang=lang,
                                  allow_fallback=True, log_weeks=weeks, **names)  # fmt: skip
        return memo[key]

    return get


def page_lines(pdf: Pdf, number: int) -> list[tuple[float, list[dict]]]:
    """(top, words) of each line of text on a page, top down."""
    lines: dict[float, list[dict]] = {}
    for w in pdf.pages[number - 1].words:
        lines.setdefault(round(w["top"]), []).append(w)
    return sorted(lines.items())


def story_lines(pdf: Pdf, number: int, handout: Handout) -> list[str]:
    """The lines of a later page between its header (the title and patient lines, then the
    rule) and its footer (from the disclaimer down)."""
    lines = page_lines(pdf, number)
    footer_start = handout.disclaimers.footer.split()[:3]
    texts = [" ".join(w["text"] for w in words) for _, words in lines]
    end = next(i for i, text in enumerate(texts) if text.split()[:3] == footer_start)
    # the header: one or two lines of the title (maybe cut short with "…") and the patient's
    # name (maybe without its label, maybe on two lines: render/chrome.py)
    words = {*handout.title.split(), handout.labels.label("patient"), *handout.patient.split()}
    start = 0
    while start < 2 and all(w in words or w.endswith("…") for w in texts[start].split()):
        start += 1
    return texts[start:end]


# == the red-flag box ============================================================================
BOX_MATRIX = [
    pytest.param(lay, paper, lang, long, id=f"{lay}-{paper}-{lang}-{'long' if long else 'short'}")
    for lay in LAYOUTS
    for paper in PAPERS
    for lang in LANGS
    for long in (False, True)
]


@pytest.mark.parametrize(("layout", "paper", "lang", "long"), BOX_MATRIX)
def test_the_red_flag_box_is_whole_on_page_one(
    built, layout: str, paper: str, lang: str, long: bool
) -> None:
    handout, pdf = built(layout, paper, lang, long)
    d = handout.disclaimers
    first = flat(pdf.texts[0])
    assert flat(d.red_flags_title) in first
    for flag in d.red_flags:
        assert flat(flag) in first, flag
    assert flat(d.red_flags_action) in first
    later = flat(" ".join(pdf.texts[1:]))
    for flag in d.red_flags:  # not split: no sign of it on a later page
        assert flat(flag) not in later, flag
    assert flat(d.red_flags_action) not in later
    # and the patient's line with it
    assert f"{handout.labels.label('patient')} {flat(handout.patient)}" in first


@pytest.mark.parametrize("paper", PAPERS)
def test_the_header_shrinks_before_the_box_moves(built, paper: str) -> None:
    """Large print with the full brand: the header leaves out what it must (the address, the
    web and email, the QR code, the logo...) and keeps the clinic's name; standard keeps it
    all. (The therapist and date stay on page 1: test_page_headers.py.)"""
    handout, pdf = built("large-print", paper)
    first = pdf.texts[0]
    assert first.startswith("Riverside Physical Therapy")
    assert "12 River Road" not in first
    _, standard = built("standard", paper)
    for text in ("(555) 010-0199", "front.desk@example.org", "12 River Road", "Springfield",
                 "Moving you forward", "Scan to book"):  # fmt: skip
        assert text in standard.texts[0], text


# == large print ================================================================================
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_every_word_is_18_pt_or_more(built, paper: str, lang: str) -> None:
    """Header, footer, page numbers, captions, labels and the log too (UKAAF)."""
    for weeks in (1,):
        _, pdf = built("large-print", paper, lang, True, weeks)
        for page in pdf.pages:
            small = [w["text"] for w in page.words if w["size"] < 18 - 0.01]
            assert small == [], page.number


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_has_no_near_empty_page(built, paper: str, lang: str) -> None:
    handout, pdf = built("large-print", paper, lang)
    for number in range(2, pdf.page_count):  # every page but the last
        lines = story_lines(pdf, number, handout)
        assert len(lines) >= MIN_STORY_LINES, (number, lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_cards_say_continued_at_the_top_of_the_next_page(
    built, paper: str, lang: str
) -> None:
    handout, pdf = built("large-print", paper, lang)
    titles = {f"{item.number}. {item.exercise.title}" for item in handout.items}
    mark = CONTINUED[lang]
    seen = 0
    for number in range(2, pdf.page_count + 1):
        lines = story_lines(pdf, number, handout)
        text = " ".join(lines)
        if mark not in text:
            continue
        seen += 1
        assert text.count(mark) == 1, number
        head = text[: text.index(mark)].strip()
        assert head in titles, (number, head)  # the page's story starts with the title
    assert seen >= len(handout.items)  # every card of the sciatica program runs on


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_steps_stay_with_their_dose(built, paper: str, lang: str) -> None:
    """The last step of each exercise is on the page of its How much box."""
    handout, pdf = built("large-print", paper, lang)
    how_much = handout.labels["how_much"]
    for item in handout.items:
        last = flat(item.exercise.steps[-1])
        dose = flat(item.dose[0])
        pages = [n for n, t in enumerate(pdf.texts, 1) if last in t and how_much in t]
        assert any(dose in pdf.texts[n - 1] for n in pages), item.number


# == compact =====================================================================================
def test_compact_keeps_the_12_pt_floor_and_pictures_an_inch_tall() -> None:
    lay = shipped("compact")
    assert lay.body_size >= 12 and lay.small_size >= 12
    # the pictures' panel: the figure height less its caption line (render/figure.py)
    assert lay.figure_height - lay.body_size * 1.6 >= 72


@pytest.mark.parametrize("paper", PAPERS)
def test_compact_prints_nothing_under_12_pt(built, paper: str) -> None:
    _, pdf = built("compact", paper, "en", False)
    # three pages of cards, no plan at a glance (each card has the dose and how often)
    assert pdf.page_count == 3 and "Your plan at a glance" not in pdf.text
    for page in pdf.pages:
        assert all(w["size"] >= 12 - 0.01 for w in page.words), page.number


def test_no_layout_may_go_under_12_pt(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text("extends: compact\nsizes: {body: 11, small: 11}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_layout(str(path))
    assert caught.value.problems == [
        f"{path}:2: sizes.body must be from 12 to 24, got 11",
        f"{path}:2: sizes.small must be from 12 to 24, got 11",
    ]


# == the weekly log ==============================================================================
def log_boxes(pdf: Pdf, start: int, size: float) -> list[dict]:
    found = []
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        for page in doc.pages[start - 1 :]:
            found += [dict(c) for c in page.curves
                      if abs(c["width"] - size) < 0.1 and abs(c["height"] - size) < 0.1]  # fmt: skip
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_log_has_a_7_mm_box_for_each_time_a_day(built, layout: str) -> None:
    handout, pdf = built(layout, "letter", "en", False, 1)
    size = box_size(shipped(layout).body_size)
    assert size >= 7 * MM and BOX_MIN >= 7 * MM
    start = next(n for n, t in enumerate(pdf.texts, 1) if "My exercise log" in t)
    boxes = log_boxes(pdf, start, size)
    twice = [item for item in handout.items if item.times_per_day == 2]
    assert twice and any(item.times_per_day == 1 for item in handout.items)
    # a row for each exercise to do (one for a pair of alternatives: "2 or 2b", as often as the
    # more often of the two)
    assert any(len(row.items) > 1 for row in handout.plan)
    times = [max(item.times_per_day for item in row.items) for row in handout.plan]
    assert len(boxes) == 7 * sum(times)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_log_has_room_to_write_how_it_felt(built, layout: str) -> None:
    handout, pdf = built(layout, "letter", "en", False, 1)
    number = pdf.page_of("My notes (how did it feel?")
    lay = shipped(layout)
    with pdfplumber.open(io.BytesIO(pdf.data), pages=[number]) as doc:
        page = doc.pages[0]
        label = min(w["top"] for w in page.extract_words() if w["text"] == "notes")
        width = page.width - lay.margin_left - lay.margin_right
        rules = [ln for ln in page.lines if ln["top"] > label and abs(ln["x1"] - ln["x0"] - width)
                 < 0.5]  # fmt: skip
    assert len(rules) - 1 >= 3  # (the last one across the page is the footer's)


def test_large_print_log_is_18_pt(built) -> None:
    _, pdf = built("large-print", "letter", "en", False, 1)
    start = pdf.page_of("My exercise log")
    for page in pdf.pages[start - 1 :]:
        assert all(w["size"] >= 18 - 0.01 for w in page.words), page.number


# -- no page left nearly blank by page 1's spill ------------------------------------------------
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize(
    ("lang", "notes"),
    [("en", ""), ("es", ""), ("en", "Start with 1 set. Add the second set next week.")],
)
def test_page_1_is_set_tighter_rather_than_spill_a_few_lines(paper, lang, notes) -> None:
    """Page 1's front matter is set a little tighter (never smaller type) when only that keeps it
    on page 1, so its last lines do not sit alone on page 2 while card 1 moves on to page 3.
    (Spanish with notes on letter paper still spills two bullets: see the README, Layouts.)"""
    _, pdf = build_pdf(program="sciatica", patient="Jane Doe", therapist="Sam Lee, PT",
                       notes=notes, paper=paper, lang=lang)  # fmt: skip
    plan = pdf.page_of("Your plan at a glance" if lang == "en" else "Su plan de un vistazo")
    words = [len(text.split()) for text in pdf.texts[: plan - 1]]
    assert all(count >= 80 for count in words), words
    assert pdf.page_of("1. ") <= 2  # card 1 starts on page 1 or 2, never later


def test_the_tighter_page_1_keeps_every_size_and_is_used_only_when_needed() -> None:
    """With notes, the English front matter is set tighter and card 1 still starts on page 2, as
    without them; its type keeps its size."""
    _, plain = build_pdf(program="sciatica", patient="Jane Doe", therapist="Sam Lee, PT")
    handout, noted = build_pdf(program="sciatica", patient="Jane Doe", therapist="Sam Lee, PT",
                               notes="Start with 1 set. Add the second set next week.")  # fmt: skip
    assert noted.page_count == plain.page_count  # the notes did not push card 1 to page 3
    sizes = {round(w["size"], 1) for w in noted.pages[0].words}
    assert min(sizes) >= 12
