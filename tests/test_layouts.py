"""Layouts: the shipped ones on the page (standard, compact, large-print on Letter and A4), the
weekly log, `handouts layouts`, and a clinic's own layout files.

Each handout is built once per module (the `built` fixture keeps them) and parsed once (conftest.Pdf).
Known bugs are strict xfails: each reason says what is wrong.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from functools import cache
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import (
    A4,
    DATE_ARG,
    LETTER,
    SCIATICA_NOTES,
    Pdf,
    PdfPage,
    build_pdf,
    chars_outside,
    flat,
    leftovers,
    overlapping_words,
)

from handouts.cli import cli
from handouts.compose import Handout
from handouts.errors import InputError, ValidationError
from handouts.load.layout import layout_names, layout_summaries, load_layout
from handouts.model import Layout
from handouts.render.log import box_size
from handouts.resources import builtin_layouts_dir

LAYOUTS = ("standard", "compact", "large-print")
PAPERS = {"letter": LETTER, "a4": A4}
MATRIX = [pytest.param(lay, paper, id=f"{lay}-{paper}") for lay in LAYOUTS for paper in PAPERS]
FIXTURES = Path(__file__).parent / "fixtures" / "layouts"
PATIENT = "Jane Doe"
THERAPIST = "Sam Lee, PT"
SMALL_IDS = ("glute-bridge", "hip-hinge")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SHORT_DAYS = tuple(day[:2] for day in DAYS)  # "Mo" ... "Su"
# large print: 7 columns of "Wed" would take more than 60% of the width, so the days are shortened
LOG_DAYS = {"standard": DAYS, "compact": DAYS, "large-print": SHORT_DAYS}
FAMILY = {f"AtkinsonHyperlegible-{face}" for face in ("Regular", "Bold", "Italic", "BoldItalic")}
FULL_NUMBERS = ["1", "1b", "2", "2b", "3", "4", "5", "6", "7"]  # versions printed as cards
CARD_NUMBERS = ["1", "2", "2b", "3", "4", "5", "6", "7"]  # compact names the harder one
LOG = "My exercise log"
BLANK = "_" * 14  # the week's date is written on it
LOG_HELP = (
    f"Week starting {BLANK}. Tick a box each time you do the exercise. "
    "Bring this page to your next visit."
)
LOG_NOTES = "My notes (how did it feel? any pain, numbness or tingling?)"
NOTE_WORDS = [f"w{n}" for n in range(1, 2001)]
LONG_STEPS = [
    f"Step {n} of the long exercise, move slowly and carefully, keep breathing, and stop at once "
    f"if the pain spreads down your leg or your foot feels numb (s{n})."
    for n in range(1, 26)
]


# -- building ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built() -> Callable[..., tuple[Handout, Pdf]]:
    """build_pdf, remembered: the same request is built once in this module."""
    memo: dict[str, tuple[Handout, Pdf]] = {}

    def get(**request) -> tuple[Handout, Pdf]:
        key = repr(sorted(request.items()))
        if key not in memo:
            memo[key] = build_pdf(**request)
        return memo[key]

    return get


def sciatica(built, layout: str, paper: str = "letter", weeks: int = 1) -> tuple[Handout, Pdf]:
    """The sciatica program for a patient, with a therapist and notes; a weekly log by default."""
    return built(program="sciatica", patient=PATIENT, therapist=THERAPIST, notes=SCIATICA_NOTES,
                 layout=layout, paper=paper, log_weeks=weeks)  # fmt: skip


@cache
def shipped(name: str) -> Layout:
    return load_layout(name)


# -- reading the page --------------------------------------------------------------------------
def same(a: float, b: float, tolerance: float = 0.01) -> bool:
    return abs(a - b) <= tolerance


def story_band(page: PdfPage, handout: Handout, layout: Layout) -> tuple[float, float]:
    """(top, bottom) of the story on a page: below the page's header, above its footer."""
    words = page.words
    if page.number == 1:  # the first page's header ends where the handout's title starts
        first = handout.title.split()[0]
        top = min(
            w["top"] for w in words if w["text"] == first and same(w["size"], layout.title_size)
        )
    else:  # later pages: one header line
        head = min(w["top"] for w in words)
        top = max(w["bottom"] for w in words if w["top"] < head + 1)
    lead = handout.disclaimers.footer.split()[:3]  # the footer starts with the disclaimer
    starts = [
        w["top"]
        for i, w in enumerate(words)
        if [x["text"] for x in words[i : i + 3]] == lead and same(w["size"], layout.small_size)
    ]
    assert starts, f"no footer on page {page.number}"
    return top, max(starts)


def in_band(char: dict, band: tuple[float, float]) -> bool:
    return char["top"] >= band[0] - 0.5 and char["top"] < band[1] - 0.5


def regular(char: dict) -> bool:
    return char["fontname"].endswith("AtkinsonHyperlegible-Regular")


def bold(word: dict) -> bool:
    return word["fontname"].endswith("AtkinsonHyperlegible-Bold")


def step_openings(pdf: Pdf, handout: Handout) -> dict[tuple[str, int], list[dict]]:
    """The first three words of each exercise step, found as a run of words on a page:
    {(item number, step index): words}. A step that wraps after its first word is not found."""
    found: dict[tuple[str, int], list[dict]] = {}
    log_page = next((n for n, t in enumerate(pdf.texts, 1) if LOG in t), pdf.page_count + 1)
    for page in pdf.pages[: log_page - 1]:
        texts = [w["text"] for w in page.words]
        for item in handout.items:
            for index, step in enumerate(item.exercise.steps):
                opening = step.split()[:3]
                for i in range(len(texts) - len(opening) + 1):
                    if texts[i : i + len(opening)] == opening:
                        found.setdefault((item.number, index), []).extend(
                            page.words[i : i + len(opening)]
                        )
    return found


def headings(pdf: Pdf, layout: Layout) -> list[dict]:
    """The 'N.' word of every exercise card's title (bold, heading size); not the title again
    on a page a card runs on to ('... (continued)')."""
    found = []
    for page in pdf.pages:
        words = page.words
        for i, w in enumerate(words):
            if not (bold(w) and same(w["size"], layout.heading_size) and w["text"][:1].isdigit()
                    and w["text"].endswith(".")):  # fmt: skip
                continue
            title = []  # the words after it in the heading's type, wrapped or not
            for x in words[i + 1 : i + 16]:
                if not (bold(x) and same(x["size"], layout.heading_size)):
                    break
                title.append(x["text"])
            if "(continued)" not in title:
                found.append(w)
    return found


def columns_x(layout: Layout, paper: str) -> tuple[float, float, float]:
    """(left column x, left column's right edge, right column x) for a two-column layout."""
    width = PAPERS[paper][0] - layout.margin_left - layout.margin_right
    gap = layout.body_size * 1.5
    card = (width - gap) / 2
    return layout.margin_left, layout.margin_left + card, layout.margin_left + card + gap


def log_section(pdf: Pdf) -> str:
    return pdf.text[pdf.text.index(LOG) :]


def cards_section(pdf: Pdf) -> str:
    return pdf.text[: pdf.text.index(LOG)] if LOG in pdf.text else pdf.text


def page_starts_with(pdf: Pdf, number: int, handout: Handout, text: str) -> bool:
    """Page `number`'s story starts with `text` (after the later pages' header line)."""
    header = f"{handout.title} For: {handout.patient}"
    return pdf.texts[number - 1].startswith(f"{header} {text}")


def log_heading(week: int, weeks: int) -> str:
    """The heading of a week's log: one line; the help under it has a blank for the date."""
    return f"{LOG}: week {week}" if weeks > 1 else LOG


def tick_box_rows(pdf: Pdf, size: float) -> list[list[dict]]:
    """The drawn squares of `size` on the log's pages, a list per table row, left to right."""
    rows: dict[tuple[int, float], list[dict]] = {}
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        for page in doc.pages[pdf.page_of(LOG) - 1 :]:
            for c in page.curves:
                if same(c["width"], size, 0.1) and same(c["height"], size, 0.1):
                    rows.setdefault((page.page_number, round(c["top"], 1)), []).append(dict(c))
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def rules_on(pdf: Pdf, number: int, left: float, right: float) -> list[float]:
    """The tops of the horizontal lines from `left` to `right` on page `number`, top down."""
    with pdfplumber.open(io.BytesIO(pdf.data), pages=[number]) as doc:
        lines = doc.pages[0].lines
    return sorted(
        line["top"]
        for line in lines
        if same(line["x0"], left) and same(line["x1"], right) and same(line["top"], line["bottom"])
    )


def day_header_rows(pdf: Pdf, layout: Layout) -> list[tuple[int, list[str]]]:
    """(page number, words) of each header row of the log's table ('Exercise' and the days),
    down to where a day name's wrapped second line would be."""
    rows = []
    for page in pdf.pages[pdf.page_of(LOG) - 1 :]:
        for head in [w for w in page.words if w["text"] == "Exercise" and bold(w)]:
            low, high = head["top"] - 1, head["top"] + layout.body_size * layout.leading + 1
            rows.append((page.number, [w["text"] for w in page.words if low <= w["top"] < high]))
    return rows


def margins_of(page: PdfPage, layout: Layout) -> tuple[float, float, float, float]:
    return (layout.margin_left, layout.margin_top, page.width - layout.margin_right,
            page.height - layout.margin_bottom)  # fmt: skip


# -- the command line --------------------------------------------------------------------------
@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="handouts")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# == 1. every shipped layout, Letter and A4, with the weekly log ================================
def test_the_shipped_layouts() -> None:
    assert layout_names() == sorted(LAYOUTS)
    sizes = {name: shipped(name).body_size for name in LAYOUTS}
    assert sizes == {"standard": 13, "compact": 12, "large-print": 18}
    assert all(shipped(name).paper == "letter" for name in LAYOUTS)


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_page_size(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    assert handout.paper == paper
    assert pdf.page_count >= 2
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(PAPERS[paper], abs=0.01)


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_everything_inside_the_page_and_the_side_and_top_margins(
    built, layout: str, paper: str
) -> None:
    _, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    for page in pdf.pages:
        assert chars_outside(page, 0, 0, page.width, page.height) == [], page.number
        left, top, right, _ = margins_of(page, lay)
        assert chars_outside(page, left, top, right, page.height) == [], page.number


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_everything_inside_the_bottom_margin(built, layout: str, paper: str) -> None:
    _, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    for page in pdf.pages:
        assert chars_outside(page, 0, 0, page.width, page.height - lay.margin_bottom) == [], (
            page.number
        )


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_header_and_footer_are_drawn_inside_the_margins(built, layout: str, paper: str) -> None:
    """The renderer draws the header from the top margin down and the footer from the bottom
    margin up: the first line of each page sits just under the top margin, and the footer's last
    line (the page number) a descent over the bottom one, so nothing hangs below it."""
    handout, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    for page in pdf.pages:
        top = min(c["top"] for c in page.chars)
        # a cap height or so below the margin: the header is not up in the margin, nor far below
        assert lay.margin_top <= top <= lay.margin_top + lay.heading_size, page.number
        (label,) = [w for w in page.words if w["text"] == "Page" and bold(w)]
        baseline = page.height - label["bottom"] + label["size"] * 0.29  # the font's descent
        # the page number's baseline is the font's descent (0.3 em) above the bottom margin
        assert baseline == pytest.approx(lay.margin_bottom + lay.small_size * 0.3, abs=0.02), (
            page.number
        )
        band = story_band(page, handout, lay)
        assert lay.margin_top < band[0] < band[1] < page.height - lay.margin_bottom


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_no_text_overprints_other_text(built, layout: str, paper: str) -> None:
    _, pdf = sciatica(built, layout, paper)
    for page in pdf.pages:
        assert overlapping_words(page.words) == [], page.number


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_type_sizes(built, layout: str, paper: str) -> None:
    """Nothing is smaller than the layout's body and small sizes; regular text in the story is
    exactly the body size, and in the header and footer exactly the small size."""
    handout, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    smallest = min(lay.body_size, lay.small_size)
    story_sizes: set[float] = set()
    chrome_sizes: set[float] = set()
    for page in pdf.pages:
        assert all(c["size"] >= smallest - 0.01 for c in page.chars), page.number
        band = story_band(page, handout, lay)
        for c in page.chars:
            if regular(c) and c["text"].strip():
                (story_sizes if in_band(c, band) else chrome_sizes).add(round(c["size"], 2))
    assert story_sizes == {lay.body_size}
    assert chrome_sizes == {lay.small_size}


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_steps_print_at_exactly_the_body_size(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    found = step_openings(pdf, handout)
    steps = {(item.number, i) for item in handout.items for i in range(len(item.exercise.steps))}
    # a step that wraps after its first word in a narrow column is the only one not found
    assert set(found) <= steps
    assert len(found) >= 0.9 * len(steps), sorted(steps - set(found))
    for item in handout.items:
        assert any(number == item.number for number, _ in found), item.number
    for key, words in found.items():
        assert {round(w["size"], 2) for w in words} == {lay.body_size}, key
        assert all(w["fontname"].endswith("-Regular") for w in words), key


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_only_the_embedded_font(built, layout: str, paper: str) -> None:
    _, pdf = sciatica(built, layout, paper)
    names = pdf.font_names()
    assert names
    for font in names:
        # a subset tag ("AAAAAA+") shows the font is embedded and subset
        assert font.startswith("/") and "+AtkinsonHyperlegible" in font, font
        assert "Helvetica" not in font
    assert {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars} <= FAMILY


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_has_no_italics(built, paper: str) -> None:
    _, pdf = sciatica(built, "large-print", paper)
    assert not [name for name in pdf.font_names() if "Italic" in name]
    assert not {c["fontname"] for p in pdf.pages for c in p.chars if "Italic" in c["fontname"]}


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_red_flags_on_page_one_before_any_exercise(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    d = handout.disclaimers
    first = pdf.texts[0]
    assert d.red_flags_title in first
    for flag in d.red_flags:
        assert flat(flag) in first, flag
    assert f"{flat(d.red_flags[-1])} {d.red_flags_action}" in first
    assert pdf.text.index(d.red_flags_title) < pdf.text.index(
        f"1. {handout.items[0].exercise.title}"
    )


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_every_exercise_title_prints(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    numbers = [item.number for item in handout.items]
    assert numbers == (CARD_NUMBERS if layout == "compact" else FULL_NUMBERS)
    cards = cards_section(pdf)
    titles = [f"{item.number}. {item.exercise.title}" for item in handout.items]
    positions = [cards.index(title) for title in titles]
    assert positions == sorted(positions)
    # and each title is a heading on the page: bold, the heading size
    assert [w["text"] for w in headings(pdf, shipped(layout))] == [f"{n}." for n in numbers]


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_page_n_of_m_on_every_page(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    count = pdf.page_count
    for number, text in enumerate(pdf.texts, start=1):
        assert f"Page {number} of {count}" in text
        assert handout.disclaimers.footer in text
    assert f"Page {count + 1} of" not in pdf.text


# == 2. compact ===================================================================================
@pytest.mark.parametrize("paper", PAPERS)
def test_compact_fits_the_sciatica_program_on_three_pages(built, paper: str) -> None:
    """(Two pages at 11 pt with half-inch pictures; three at 12 pt with pictures an inch tall.)"""
    handout, pdf = sciatica(built, "compact", paper, weeks=0)
    # issue 14: the cards (now with 2b, an alternative to tick) take three pages; no plan at a
    # glance (each card has its picture, how much and how often), no introduction
    assert pdf.page_count == 3
    assert "Your plan at a glance" not in pdf.text
    assert flat(handout.intro) not in flat(pdf.text)
    assert LOG not in pdf.text
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(PAPERS[paper], abs=0.01)
        assert chars_outside(page, *margins_of(page, shipped("compact"))) == [], page.number
        assert overlapping_words(page.words) == [], page.number
    # with the red-flag box on page 1 and every card
    assert handout.disclaimers.red_flags_title in pdf.texts[0]
    for item in handout.items:
        assert f"{item.number}. {item.exercise.title}" in pdf.text


@pytest.mark.parametrize("paper", PAPERS)
def test_compact_starts_the_cards_on_page_1_under_the_front_matter(built, paper: str) -> None:
    """Without notes, page 1's room under the front matter holds the first card's title and
    pictures: it starts there, in the left column, and runs on ('(continued)')."""
    _, pdf = built(program="sciatica", patient=PATIENT, layout="compact", paper=paper,
                   log_weeks=0)  # fmt: skip
    lay = shipped("compact")
    assert [w["text"] for w in headings(pdf, lay) if w in pdf.pages[0].words][:1] == ["1."]
    assert pdf.page_count == 3


@pytest.mark.parametrize("paper", PAPERS)
def test_compact_has_two_columns_of_cards(built, paper: str) -> None:
    handout, pdf = sciatica(built, "compact", paper, weeks=0)
    lay = shipped("compact")
    left, left_edge, right = columns_x(lay, paper)
    starts = [round(w["x0"], 2) for w in headings(pdf, lay)]
    assert len(starts) == len(handout.items) == 8
    assert {round(left, 2), round(right, 2)} == set(starts)
    assert abs(max(starts) - PAPERS[paper][0] / 2) < lay.body_size * 1.5  # near the middle
    # below the first card's title, nothing crosses the gutter between the columns
    first = [w for w in headings(pdf, lay) if w["text"] == "1."]
    first_card = min(w["top"] for w in first)
    on_page_1 = first[0] in pdf.pages[0].words if first else False
    for page in pdf.pages:  # (no plan at a glance in compact: every page is cards)
        band = story_band(page, handout, lay)
        for c in page.chars:
            if not in_band(c, band) or (
                page.number == 1 and (not on_page_1 or c["top"] < first_card - 0.5)
            ):
                continue
            assert c["x1"] <= left_edge + 0.5 or c["x0"] >= right - 0.5, (page.number, c["text"])


@pytest.mark.parametrize("paper", PAPERS)
def test_compact_keeps_the_pictures(built, paper: str) -> None:
    handout, pdf = sciatica(built, "compact", paper, weeks=0)
    words = [w for page in pdf.pages for w in page.words]
    captions = [w["text"].rstrip(":") for w in words
                if bold(w) and w["text"].rstrip(":") in ("Start", "End")]  # fmt: skip
    assert captions == ["Start", "End"] * len(handout.items)


@pytest.mark.parametrize("paper", PAPERS)
def test_compact_body_text_is_12_pt(built, paper: str) -> None:
    handout, pdf = sciatica(built, "compact", paper, weeks=0)
    lay = shipped("compact")
    assert lay.body_size == 12
    sizes = set()
    for page in pdf.pages:
        band = story_band(page, handout, lay)
        sizes |= {round(c["size"], 2) for c in page.chars if regular(c) and in_band(c, band)}
    assert sizes == {12.0}


def test_compact_names_the_other_versions_in_a_line(built) -> None:
    handout, pdf = sciatica(built, "compact", "letter", weeks=0)
    text = pdf.text
    assert "1b." not in text and "2b. Cobra pose" in text  # an alternative to tick prints
    assert "Pigeon pose" not in [item.exercise.title for item in handout.items]
    assert "Too easy? Ask your therapist about a harder version: Pigeon pose." in text
    assert text.count("Pigeon pose") == 1
    # the line is on the card of the exercise it belongs to, after its dose
    card = text[text.index("1. Knee to opposite shoulder") : text.index("2. Child's pose")]
    dose = f"How much: {' '.join(handout.items[0].dose)}"
    mention = "Too easy? Ask your therapist about a harder version: Pigeon pose."
    assert card.index(dose) < card.index(mention)


def test_compact_leaves_out_tips_cautions_and_why(built) -> None:
    handout, pdf = sciatica(built, "compact", "letter", weeks=0)
    text = pdf.text
    for label in ("Why:", "Tips", "Be careful", "Position:", "You need:"):
        assert label not in text
    # the safety list still prints, run on as one paragraph on page 1
    safety = handout.disclaimers
    assert f"{safety.safety_title}: {' '.join(safety.safety)}" in flat(pdf.texts[0])
    assert "Phone:" not in text  # header: contact: false
    for item in handout.items:
        assert f"How much: {' '.join(item.dose)}" in text


# == 3. large print ===============================================================================
@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_story_is_18_pt_or_more(built, paper: str) -> None:
    handout, pdf = sciatica(built, "large-print", paper)
    lay = shipped("large-print")
    assert lay.body_size >= 18 and lay.heading_size >= 24
    for page in pdf.pages:
        band = story_band(page, handout, lay)
        small = [c["text"] for c in page.chars if in_band(c, band) and c["size"] < 18 - 0.01]
        assert small == [], page.number


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_margins_are_one_inch(built, paper: str) -> None:
    _, pdf = sciatica(built, "large-print", paper)
    lay = shipped("large-print")
    assert (lay.margin_top, lay.margin_bottom, lay.margin_left, lay.margin_right) == (72,) * 4
    width = PAPERS[paper][0]
    for page in pdf.pages:
        assert min(c["x0"] for c in page.chars) >= 72 - 0.01, page.number
        assert max(c["x1"] for c in page.chars) <= width - 72 + 0.01, page.number
        assert min(c["top"] for c in page.chars) >= 72 - 0.01, page.number
    # the text does reach both margins: the lines are as wide as the page allows
    assert min(c["x0"] for p in pdf.pages for c in p.chars) == pytest.approx(72, abs=0.01)
    assert max(c["x1"] for p in pdf.pages for c in p.chars) == pytest.approx(width - 72, abs=1)


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_is_one_column(built, paper: str) -> None:
    handout, pdf = sciatica(built, "large-print", paper)
    lay = shipped("large-print")
    assert lay.columns == 1 and lay.arrangement == "stacked"
    titles = headings(pdf, lay)
    assert len(titles) == len(handout.items) == 9
    assert {round(w["x0"], 2) for w in titles} == {72.0}
    # stacked: the dose box is below the steps, at the left margin too, never beside them
    for page in pdf.pages[: pdf.page_of("Your plan at a glance") - 1]:
        for w in page.words:
            if w["text"] == "How" and bold(w):
                assert w["x0"] < 72 + lay.body_size * 1.5, page.number


def test_large_print_has_bigger_pictures() -> None:
    heights = {name: shipped(name).figure_height for name in LAYOUTS}
    assert heights == {"standard": 1.9 * 72, "compact": 1.3 * 72, "large-print": 2.8 * 72}


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_pictures_print(built, paper: str) -> None:
    handout, pdf = sciatica(built, "large-print", paper)
    captions = [w for p in pdf.pages for w in p.words
                if bold(w) and w["text"].rstrip(":") in ("Start", "End")]  # fmt: skip
    assert [w["text"].rstrip(":") for w in captions] == ["Start", "End"] * len(handout.items)
    assert {round(w["size"], 2) for w in captions} == {18.0}


# == 4. the weekly log ============================================================================
@pytest.mark.parametrize("paper", PAPERS)
def test_compact_log_adds_one_page_a_week(built, paper: str) -> None:
    handout, without = sciatica(built, "compact", paper, weeks=0)
    _, one = sciatica(built, "compact", paper, weeks=1)
    _, three = sciatica(built, "compact", paper, weeks=3)
    assert one.page_count == without.page_count + 1
    assert three.page_count == without.page_count + 3
    assert page_starts_with(one, without.page_count + 1, handout, f"{log_heading(1, 1)} {LOG_HELP}")
    assert f"{LOG}: week" not in one.text
    for week in (1, 2, 3):
        number = without.page_count + week
        assert page_starts_with(three, number, handout, f"{log_heading(week, 3)} {LOG_HELP}")
        assert LOG_NOTES in three.texts[number - 1]  # the whole week on its page
    assert f"{LOG}: week 4" not in three.text


@pytest.mark.parametrize("paper", PAPERS)
def test_standard_log_weeks_each_start_a_page(built, paper: str) -> None:
    """The table of 9 exercises with their doses (two rows of boxes for twice a day) and the
    notes take the same pages each week; each week starts a page."""
    handout, without = sciatica(built, "standard", paper, weeks=0)
    _, one = sciatica(built, "standard", paper, weeks=1)
    _, three = sciatica(built, "standard", paper, weeks=3)
    span = one.page_count - without.page_count
    assert span in (1, 2)
    assert three.page_count == without.page_count + 3 * span
    assert page_starts_with(one, without.page_count + 1, handout, f"{log_heading(1, 1)} {LOG_HELP}")
    assert LOG_NOTES in one.texts[-1]
    for week in (1, 2, 3):
        number = without.page_count + 1 + (week - 1) * span
        assert page_starts_with(three, number, handout, f"{log_heading(week, 3)} {LOG_HELP}")
        week_text = " ".join(three.texts[number - 1 : number - 1 + span])
        last = handout.items[-1]
        assert f"{last.number}. {last.exercise.title}" in week_text
        assert LOG_NOTES in week_text


def test_large_print_log_weeks_each_start_a_page(built) -> None:
    """A week of large print may run over more than one page; each week starts a page and takes
    the same number of pages."""
    handout, without = sciatica(built, "large-print", "letter", weeks=0)
    _, three = sciatica(built, "large-print", "letter", weeks=3)
    starts = []
    for week in (1, 2, 3):
        heading = f"{LOG}: week {week} Week starting"
        pages = [n for n in range(1, three.page_count + 1)
                 if page_starts_with(three, n, handout, heading)]  # fmt: skip
        assert len(pages) == 1, week
        starts += pages
    assert starts[0] == without.page_count + 1
    span = starts[1] - starts[0]
    assert span >= 1 and starts[2] - starts[1] == span
    assert three.page_count == without.page_count + 3 * span
    assert f"{LOG}: week 4" not in three.text
    # the pages of the cards are the same with or without the log
    footer = handout.disclaimers.footer
    cards = [text.split(footer)[0] for text in without.texts]
    assert [text.split(footer)[0] for text in three.texts[: without.page_count]] == cards


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_log_lists_each_exercise_with_its_dose(built, layout: str, paper: str) -> None:
    """The heading, the help on its own line, then the table: each exercise's row and its dose
    row under it, the two never split between pages; the notes come after the table. (Large
    print on letter paper says only how often: the week then takes two pages, not three.)"""
    handout, pdf = sciatica(built, layout, paper)
    log = log_section(pdf)
    days = " ".join(LOG_DAYS[layout])
    assert log.startswith(f"{log_heading(1, 1)} {LOG_HELP} Exercise {days} ")
    start = pdf.page_of(LOG)
    positions = []
    for plan in handout.plan:  # the exercises to do: one row for a pair of alternatives
        row = f"{plan.number}. {plan.title} {' '.join((*plan.how_much, *plan.how_often))}"
        if layout == "large-print" and paper == "letter":
            row = f"{plan.number}. {plan.title} {' '.join(plan.how_often)}"
        assert row in log, row
        on = [n for n, text in enumerate(pdf.texts[start - 1 :], start) if row in text]
        assert len(on) == 1, row  # the name and its dose on one page
        positions.append(log.index(row))
    assert positions == sorted(positions)
    assert log.index(LOG_NOTES) > positions[-1]
    assert log.count(LOG_NOTES) == 1
    assert len(handout.items) == (8 if layout == "compact" else 9)


@pytest.mark.parametrize(
    ("layout", "paper", "weeks"),
    [
        pytest.param(
            lay,
            paper,
            weeks,
            id=f"{lay}-{paper}-{weeks}",
        )
        for lay in LAYOUTS
        for paper in PAPERS
        for weeks in (1, 3)
    ],
)  # fmt: skip
def test_log_heading_is_one_bold_line_then_the_help(
    built, layout: str, paper: str, weeks: int
) -> None:
    handout, pdf = sciatica(built, layout, paper, weeks)
    lay = shipped(layout)
    starts = [n for n, text in enumerate(pdf.texts, 1) if LOG in text]
    assert len(starts) == weeks
    for week, number in enumerate(starts, 1):
        words = pdf.pages[number - 1].words
        heading = log_heading(week, weeks).split()
        (i,) = [
            i
            for i, w in enumerate(words)
            if w["text"] == "My" and same(w["size"], lay.heading_size)
        ]
        head = words[i : i + len(heading)]
        assert [w["text"] for w in head] == heading, week
        assert all(bold(w) and same(w["size"], lay.heading_size) for w in head), week
        assert all(same(w["top"], head[0]["top"]) for w in head), week  # one line
        assert same(head[0]["x0"], lay.margin_left)
        # the help follows on its own line(s), in the body's regular type
        help_words = words[i + len(heading) : i + len(heading) + len(LOG_HELP.split())]
        assert [w["text"] for w in help_words] == LOG_HELP.split(), week
        assert all(regular(w) and same(w["size"], lay.body_size) for w in help_words), week
        assert help_words[0]["top"] > head[0]["bottom"], week
        assert same(help_words[0]["x0"], lay.margin_left), week


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_log_notes_have_three_ruled_lines_or_more(built, layout: str, paper: str) -> None:
    handout, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    number = pdf.page_of(LOG_NOTES)
    page = pdf.pages[number - 1]
    (label,) = [
        w for w in page.words if w["text"] == "My" and bold(w) and same(w["size"], lay.body_size)
    ]
    left, _, right, _ = margins_of(page, lay)
    *ruled, footer_rule = [
        top for top in rules_on(pdf, number, left, right) if top > label["bottom"]
    ]
    # the last line across the page is the footer's rule, just above its first line
    band = story_band(page, handout, lay)
    assert band[1] - lay.small_size < footer_rule < band[1]
    assert len(ruled) >= 3  # as many as the page has room for (at most 10)
    assert ruled[0] > label["bottom"]
    for upper, lower in pairwise(ruled):
        assert lower - upper == pytest.approx(lay.body_size * 2.0, abs=0.01)
    assert ruled[-1] < footer_rule


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_log_heads_the_days_monday_to_sunday(built, layout: str, paper: str) -> None:
    """Each header row of the log table reads 'Exercise Mon ... Sun' (large print, where seven
    columns of 'Wed' would take more than 60% of the width: 'Exercise Mo ... Su'), each day on
    one line in its cell."""
    _, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    rows = day_header_rows(pdf, lay)
    assert rows
    for _, row in rows:
        assert row == ["Exercise", *LOG_DAYS[layout]]
    # the header row heads the table on each page it runs over
    table_pages = {
        c["page_number"] for row in tick_box_rows(pdf, box_size(lay.body_size)) for c in row
    }
    assert [number for number, _ in rows] == sorted(table_pages)


@pytest.mark.parametrize(("layout", "paper"), MATRIX)
def test_log_tick_boxes_are_drawn(built, layout: str, paper: str) -> None:
    """Seven drawn squares (body size x 1.15, 7 mm at least) a row, a row for each time a day, centred in day columns no wider than 60% / 7
    of the width, which end at the right margin; the exercise's name keeps the rest."""
    handout, pdf = sciatica(built, layout, paper)
    lay = shipped(layout)
    rows = tick_box_rows(pdf, box_size(lay.body_size))
    assert len(rows) == sum(max(i.times_per_day for i in row.items) for row in handout.plan)
    assert all(len(row) == 7 for row in rows)
    left, right = lay.margin_left, PAPERS[paper][0] - lay.margin_right
    width = right - left
    for row in rows:
        centres = [c["x0"] + c["width"] / 2 for c in row]
        step = centres[1] - centres[0]
        assert all(same(b - a, step) for a, b in pairwise(centres))
        assert step <= width * 0.6 / 7 + 0.01
        assert same(centres[-1] + step / 2, right)
        assert centres[0] - step / 2 >= left + width * 0.4 - 0.01
        # standard's 'Wed' and large print's 18 pt would want wider columns: held to the cap
        assert same(step, width * 0.6 / 7) == (layout != "compact")
    # not a glyph: no tick-box characters in the text
    assert not {"\u2610", "\u25a1"} & set(log_section(pdf))


@pytest.mark.parametrize("weeks", ["13", "-1", "two"])  # 0 is no log (test_rx_rebuild.py)
def test_weeks_out_of_range_is_a_usage_error(here: Path, weeks: str) -> None:
    result = run("build", *SMALL_IDS, "--weeks", weeks, "--date", DATE_ARG)
    assert result.exit_code == 2
    assert "Invalid value for '--weeks'" in result.stderr
    assert result.stdout == ""
    assert leftovers(here) == []


@pytest.mark.parametrize(
    ("options", "headings_printed"),
    [
        (["--log"], [log_heading(1, 1)]),
        (["--weeks", "2"], [log_heading(1, 2), log_heading(2, 2)]),
        (["--log", "--weeks", "3"], [log_heading(1, 3), log_heading(2, 3), log_heading(3, 3)]),
        ([], []),
    ],
    ids=["log", "weeks-2-implies-log", "log-weeks-3", "no-log"],
)
def test_log_options(here: Path, options: list[str], headings_printed: list[str]) -> None:
    out = here / "h.pdf"
    args = ["build", *SMALL_IDS, "--layout", "compact", "-o", str(out), "--date", DATE_ARG]
    result = run(*args, *options)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}\n"
    pdf = Pdf(out.read_bytes())
    title = "Your home exercises"
    heads = [t.split(f" {LOG_HELP}")[0] for t in pdf.texts if LOG_HELP in t]
    assert heads == [f"{title} {heading}" for heading in headings_printed]
    assert pdf.text.count(f"starting {BLANK}") == len(headings_printed)


# == 5. `handouts layouts` and unknown names =====================================================
def test_layouts_command_lists_each_with_its_description(here: Path) -> None:
    result = run("layouts")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "compact      Two columns of exercise cards, 12 pt text; the sciatica program on three "
        "pages.\n"
        "large-print  Large print for low vision - 18 pt text, 1-inch margins, bigger pictures.\n"
        "standard     One column, 13 pt text, pictures for every exercise; the default handout.\n"
    )
    # the descriptions are the files' own
    for name, description in layout_summaries():
        text = (builtin_layouts_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text)["description"] == description
        assert f"{name:<11}  {description}\n" in result.stdout


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("nope", ""),
        ("compcat", " (did you mean 'compact'?)"),
        ("large_print", " (did you mean 'large-print'?)"),
    ],  # fmt: skip
)
def test_unknown_layout_lists_the_choices(here: Path, name: str, hint: str) -> None:
    result = run("build", *SMALL_IDS, "--layout", name, "--date", DATE_ARG)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: --layout: unknown layout '{name}'{hint}; choose one of: compact, large-print, standard "
        "(or give a layout file's path)\n"
    )
    assert leftovers(here) == []


def test_a_missing_layout_file_is_an_error(here: Path) -> None:
    result = run("build", *SMALL_IDS, "--layout", "mine.yaml", "-o", "h.pdf")
    assert result.exit_code == 2
    assert result.stderr == "Error: --layout: mine.yaml: layout file not found\n"
    assert leftovers(here) == []


# == 6. a clinic's own layout =====================================================================
def test_own_layout_extends_compact_with_bigger_text() -> None:
    layout = load_layout(str(FIXTURES / "compact-12.yaml"))
    compact = shipped("compact")
    assert layout.body_size == 12
    assert (layout.heading_size, layout.title_size, layout.small_size) == (14, 18, 12)
    assert (layout.columns, layout.style, layout.versions) == (2, "brief", "mention")
    assert layout.margin_left == compact.margin_left and layout.show == compact.show
    assert layout.origin == str(FIXTURES / "compact-12.yaml")


def test_own_layout_extending_compact_prints_12_pt_in_two_columns(built) -> None:
    path = str(FIXTURES / "compact-12.yaml")
    handout, pdf = built(program="sciatica", patient=PATIENT, layout=path)
    layout = load_layout(path)
    sizes = set()
    for page in pdf.pages:
        band = story_band(page, handout, layout)
        sizes |= {round(c["size"], 2) for c in page.chars if regular(c) and in_band(c, band)}
        assert chars_outside(page, *margins_of(page, layout)) == [], page.number
        assert overlapping_words(page.words) == [], page.number
    assert sizes == {12.0}
    left, _, right = columns_x(layout, "letter")
    starts = {round(w["x0"], 2) for w in headings(pdf, layout)}
    assert starts == {round(left, 2), round(right, 2)}
    found = step_openings(pdf, handout)
    assert found and {round(w["size"], 2) for ws in found.values() for w in ws} == {12.0}


MANY_PROBLEMS = [
    "{f}:3: sizes.body must be from 12 to 24, got 8",
    "{f}:4: margins.top must be a length like 54, '0.75in' or '20mm', got 'huge'",
    "{f}:6: exercises.columns must be from 1 to 2, got 3",
    "{f}:7: show.tips must be true or false, got 'maybe'",
    "{f}:8: colour is not a known key (did you mean 'colors'?); expected one of: name, description, "
    "extends, paper, margins, font, sizes, leading, colors, exercises, show, header, footer",
]


def test_every_problem_in_a_layout_file_is_reported_together() -> None:
    path = FIXTURES / "many-problems.yaml"
    with pytest.raises(ValidationError) as caught:
        load_layout(str(path))
    assert caught.value.problems == [line.format(f=path) for line in MANY_PROBLEMS]


def test_a_bad_layout_file_exits_2_and_writes_nothing(here: Path) -> None:
    path = FIXTURES / "many-problems.yaml"
    result = run("build", *SMALL_IDS, "--layout", str(path), "-o", "h.pdf", "--date", DATE_ARG)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = [line.format(f=path) for line in MANY_PROBLEMS]
    assert result.stderr == "Error: 5 problems found:\n" + "".join(f"  {x}\n" for x in lines)
    assert leftovers(here) == []


def test_problems_in_the_file_extended_are_reported_too(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("sizes: {heading: 5}\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nleading: 3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_layout(str(child))
    assert caught.value.problems == [
        f"{tmp_path / 'base.yaml'}:1: sizes.heading must be from 12 to 36, got 5",
        f"{child}:2: leading must be from 1 to 2.5, got 3",
    ]


def test_an_extends_loop_is_a_clear_error(here: Path) -> None:
    a, b = FIXTURES / "loop-a.yaml", FIXTURES / "loop-b.yaml"
    with pytest.raises(InputError) as caught:
        load_layout(str(a))
    message = f"{b}:2: extends makes a loop (loop-a.yaml is already in the chain)"
    assert caught.value.format_message() == message
    result = run("build", *SMALL_IDS, "--layout", str(a), "-o", "h.pdf")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert leftovers(here) == []


def test_a_layout_extending_itself_is_a_loop(tmp_path: Path) -> None:
    path = tmp_path / "self.yml"
    path.write_text("# me again\nextends: ./self.yml\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_layout(str(path))
    assert caught.value.format_message() == (
        f"{path}:2: extends makes a loop (./self.yml is already in the chain)"
    )


def test_extends_a_file_relative_to_the_layout_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nowhere near the files: ./base.yaml is found beside child.yaml
    child = FIXTURES / "child.yaml"
    for given in (str(child), os.path.relpath(child, tmp_path)):
        layout = load_layout(given)
        assert layout.name == "my-clinic"
        assert layout.description == "A base for child.yaml."
        assert (layout.body_size, layout.columns) == (15, 2)  # from base.yaml
        assert layout.margin_left == 72  # its own
        standard = shipped("standard")  # base.yaml has no extends: it builds on standard
        assert layout.margin_right == standard.margin_right
        assert (layout.heading_size, layout.small_size) == (17, 12)
        assert (layout.arrangement, layout.figure_height) == ("side", 1.9 * 72)
        assert layout.origin == given


def test_a_yml_layout_file_and_the_readme_example(tmp_path: Path) -> None:
    path = tmp_path / "my-layout.yml"
    path.write_text(
        "# my-layout.yaml:  handouts build --program sciatica --layout ./my-layout.yaml\n"
        "extends: compact\n"
        "name: compact-14\n"
        "description: The compact cards with bigger type.\n"
        "sizes: {body: 14, heading: 16}\n"
        "show: {cautions: true}\n",
        encoding="utf-8",
    )
    layout = load_layout(str(path))
    assert (layout.name, layout.description) == (
        "compact-14",
        "The compact cards with bigger type.",
    )
    assert (layout.body_size, layout.heading_size, layout.columns) == (14, 16, 2)
    assert layout.shows("cautions") and not layout.shows("tips")


def test_own_layout_without_pictures_or_contact_and_with_its_own_colour(built) -> None:
    path = str(FIXTURES / "plain-header.yaml")
    layout = load_layout(path)
    assert not layout.shows("figures") and "contact" not in layout.header
    assert layout.primary_color == "#112233"
    handout, pdf = built(ids=SMALL_IDS, patient=PATIENT, layout=path)
    words = [w["text"] for page in pdf.pages for w in page.words]
    assert "Start" not in words and "End" not in words
    assert pdf.texts[0].startswith(f"{handout.brand.name} {handout.brand.tagline} Your home")
    assert "Phone:" not in pdf.text
    # the title and headings are drawn in the layout's colour, not the brand's
    title = [c for c in pdf.pages[0].chars if same(c["size"], layout.title_size)]
    assert "".join(c["text"] for c in title) == handout.title
    expected = (0x11 / 255, 0x22 / 255, 0x33 / 255)
    for c in title:
        assert c["non_stroking_color"] == pytest.approx(expected, abs=0.002)


def test_standard_title_is_in_the_brand_colour(built) -> None:
    handout, pdf = sciatica(built, "standard")
    brand = handout.brand.primary_color.lstrip("#")
    expected = tuple(int(brand[i : i + 2], 16) / 255 for i in (0, 2, 4))
    assert expected != pytest.approx((0x11 / 255, 0x22 / 255, 0x33 / 255), abs=0.002)
    title = [c for c in pdf.pages[0].chars if same(c["size"], shipped("standard").title_size)]
    assert title
    for c in title:
        assert c["non_stroking_color"] == pytest.approx(expected, abs=0.002)


def test_own_layout_paper_is_used_unless_paper_is_given(built, tmp_path: Path) -> None:
    path = tmp_path / "a4.yaml"
    path.write_text("extends: compact\npaper: a4\nexercises: {figures: 0}\n", encoding="utf-8")
    for paper, size in ((None, A4), ("letter", LETTER)):
        _, pdf = built(ids=SMALL_IDS, layout=str(path), paper=paper)
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx(size, abs=0.01)
        assert "Start" not in pdf.text  # figures: 0 leaves the pictures out


def test_a_child_layout_can_go_back_to_the_brand_colour(built, tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text("colors: {primary: '#112233'}\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: ./base.yaml\ncolors: {primary: brand}\n", encoding="utf-8")
    assert load_layout(str(base)).primary_color == "#112233"
    assert load_layout(str(child)).primary_color == ""  # "": the brand's, over the parent's
    # and the title is printed in the brand's colour, not the parent layout's
    handout, pdf = built(ids=SMALL_IDS, layout=str(child))
    brand = handout.brand.primary_color.lstrip("#")
    expected = tuple(int(brand[i : i + 2], 16) / 255 for i in (0, 2, 4))
    title = [c for c in pdf.pages[0].chars if same(c["size"], shipped("standard").title_size)]
    assert "".join(c["text"] for c in title) == handout.title
    for c in title:
        assert c["non_stroking_color"] == pytest.approx(expected, abs=0.002)


def test_a_long_chain_without_a_loop_is_not_called_a_loop(tmp_path: Path) -> None:
    """At most 9 layouts extend each other, standard included: f1 ... f8 and standard load; one
    file more is refused as too long a chain, at the extends that makes it so, not as a loop."""
    for n in range(8):
        (tmp_path / f"f{n}.yaml").write_text(f"extends: f{n + 1}.yaml\n", encoding="utf-8")
    (tmp_path / "f8.yaml").write_text("sizes: {body: 14}\nextends: standard\n", encoding="utf-8")
    assert load_layout(str(tmp_path / "f1.yaml")).body_size == 14
    with pytest.raises(InputError) as caught:
        load_layout(str(tmp_path / "f0.yaml"))
    assert caught.value.format_message() == (
        f"{tmp_path / 'f8.yaml'}:2: too many layouts extend each other (at most 9)"
    )


def test_two_columns_on_top_of_standard_prints_the_sciatica_program(tmp_path: Path) -> None:
    """Standard's front matter fills page 1, so the columns of cards start on page 2."""
    path = tmp_path / "two.yaml"
    path.write_text("exercises: {columns: 2}\n", encoding="utf-8")
    layout = load_layout(str(path))
    handout, pdf = build_pdf(program="sciatica", patient=PATIENT, layout=str(path))
    assert "7. Hip hinge" in pdf.text
    first = f"1. {handout.items[0].exercise.title}"
    assert first not in pdf.texts[0]
    assert page_starts_with(pdf, 2, handout, first)
    titles = headings(pdf, layout)
    assert [w["text"] for w in titles] == [f"{item.number}." for item in handout.items]
    left, _, right = columns_x(layout, "letter")
    # (a card taller than a column runs on into the next one, its title repeated)
    assert {round(w["x0"], 2) for w in titles} <= {round(left, 2), round(right, 2)}
    assert "(continued)" in pdf.text
    for page in pdf.pages:
        assert chars_outside(page, *margins_of(page, layout)) == [], page.number
        assert overlapping_words(page.words) == [], page.number


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A layout with the largest body text allowed, 24 pt."""
    path = tmp_path_factory.mktemp("largest") / "largest.yaml"
    path.write_text("extends: large-print\nsizes: {body: 24, heading: 32, title: 36}\n",
                    encoding="utf-8")  # fmt: skip
    return str(path)


def test_log_with_the_largest_body_text(built, largest: str) -> None:
    """With 24 pt body text the log still builds, inside the margins, the day columns held to
    60% / 7 of the width so the exercise's name keeps 40%."""
    layout = load_layout(largest)
    assert layout.body_size == 24
    handout, pdf = built(ids=SMALL_IDS, layout=largest, log_weeks=1)
    log = log_section(pdf)
    assert log.startswith(f"{log_heading(1, 1)} {LOG_HELP} Exercise ")
    for plan in handout.plan:
        assert f"{plan.number}. {plan.title} {' '.join((*plan.how_much, *plan.how_often))}" in log
    assert LOG_NOTES in log
    for page in pdf.pages:
        assert chars_outside(page, *margins_of(page, layout)) == [], page.number
        assert overlapping_words(page.words) == [], page.number
    rows = tick_box_rows(pdf, box_size(24))
    assert len(rows) == sum(max(i.times_per_day for i in row.items) for row in handout.plan)
    assert all(len(row) == 7 for row in rows)
    width = LETTER[0] - layout.margin_left - layout.margin_right
    for row in rows:
        assert same(row[1]["x0"] - row[0]["x0"], width * 0.6 / 7)


def test_log_day_names_stay_whole_with_the_largest_body_text(built, largest: str) -> None:
    _, pdf = built(ids=SMALL_IDS, layout=largest, log_weeks=1)
    rows = day_header_rows(pdf, load_layout(largest))
    assert rows
    for _, row in rows:
        assert row == ["Exercise", *SHORT_DAYS]


def test_body_text_past_24_is_refused(here: Path) -> None:
    path = here / "huge.yaml"
    path.write_text("extends: large-print\nsizes: {body: 28, heading: 32, title: 36}\n",
                    encoding="utf-8")  # fmt: skip
    message = f"{path}:2: sizes.body must be from 12 to 24, got 28"
    with pytest.raises(ValidationError) as caught:
        load_layout(str(path))
    assert caught.value.problems == [message]
    result = run("build", *SMALL_IDS, "--layout", str(path), "--log", "-o", "h.pdf",
                 "--date", DATE_ARG)  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"
    assert leftovers(here) == []


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [("body", 12, 24), ("heading", 12, 36), ("title", 14, 48), ("small", 12, 24)],
)
def test_type_size_limits(tmp_path: Path, key: str, low: int, high: int) -> None:
    path = tmp_path / "sizes.yaml"
    for size in (low, high):
        path.write_text(f"sizes: {{{key}: {size}}}\n", encoding="utf-8")
        assert getattr(load_layout(str(path)), f"{key}_size") == size
    for size in (low - 1, high + 1):
        path.write_text(f"# {key}\nsizes: {{{key}: {size}}}\n", encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            load_layout(str(path))
        assert caught.value.problems == [
            f"{path}:2: sizes.{key} must be from {low} to {high}, got {size}"
        ]


@pytest.mark.parametrize("small", [12, 14, 16, 20, 24])
def test_footer_text_of_any_size_stays_inside_the_bottom_margin(tmp_path: Path, small: int) -> None:
    """The footer's last line sits a descent above the bottom margin whatever its size (it was a
    fixed 4 pt, so from small: 14 up the page number hung below the margin)."""
    path = tmp_path / "footer.yaml"
    path.write_text(f"sizes: {{small: {small}}}\nshow: {{figures: false}}\n", encoding="utf-8")
    layout = load_layout(str(path))
    _, pdf = build_pdf(ids=("glute-bridge",), layout=str(path))
    for page in pdf.pages:
        assert chars_outside(page, *margins_of(page, layout)) == [], page.number
        (label,) = [w for w in page.words if w["text"] == "Page" and bold(w)]
        assert same(label["size"], small)
        baseline = page.height - label["bottom"] + small * 0.29  # the font's descent
        assert baseline == pytest.approx(layout.margin_bottom + small * 0.3, abs=0.02)


# == 7. long content flows in every layout =======================================================
@pytest.fixture(scope="module")
def long_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.yaml"
    steps = "".join(f"      - {json.dumps(step)}\n" for step in LONG_STEPS)
    path.write_text(
        "exercises:\n"
        "  - id: long-one\n"
        "    title: A very long exercise\n"
        "    purpose: Shows that a long exercise flows on.\n"
        "    steps:\n" + steps + "    dose: {reps: 10, sets: 2}\n"
        "    tags: {region: [hip], condition: [sciatica], kind: stretch}\n",
        encoding="utf-8",
    )
    return path


def long_handout(built, library: Path, layout: str) -> tuple[Handout, Pdf]:
    return built(ids=("long-one", "glute-bridge"), library=library, layout=layout,
                 patient=PATIENT, notes=" ".join(NOTE_WORDS))  # fmt: skip


@pytest.mark.parametrize("layout", LAYOUTS)
def test_long_content_flows_on(built, long_library: Path, layout: str) -> None:
    handout, pdf = long_handout(built, long_library, layout)
    assert [item.exercise.steps for item in handout.items][0] == tuple(LONG_STEPS)
    assert pdf.page_count >= 3
    lay = shipped(layout)
    for number, page in enumerate(pdf.pages, start=1):
        assert chars_outside(page, 0, 0, page.width, page.height) == [], number
        left, top, right, _ = margins_of(page, lay)
        assert chars_outside(page, left, top, right, page.height) == [], number
        assert overlapping_words(page.words) == [], number
        assert f"Page {number} of {pdf.page_count}" in pdf.texts[number - 1]
    # every word of the note, once each, in order
    words = [w["text"] for page in pdf.pages for w in page.words]
    assert sorted(w for w in words if w in set(NOTE_WORDS)) == sorted(NOTE_WORDS)
    in_order = [w for w in pdf.text.split() if w.startswith("w") and w[1:].isdigit()]
    assert in_order == NOTE_WORDS
    # and every step, in order
    markers = [w.rstrip(".") for w in pdf.text.split() if w.startswith("(s")]
    assert markers == [f"(s{n})" for n in range(1, 26)]
    assert (  # the therapist's notes before the cards
        pdf.text.index("Notes from your therapist") < pdf.text.index("w1 ") < pdf.text.index("(s1)")
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_long_content_stays_inside_the_bottom_margin(
    built, long_library: Path, layout: str
) -> None:
    _, pdf = long_handout(built, long_library, layout)
    bottom = shipped(layout).margin_bottom
    for page in pdf.pages:
        assert chars_outside(page, 0, 0, page.width, page.height - bottom) == [], page.number


def test_cards_with_video_codes_keep_to_one_page_each(tmp_path: Path) -> None:
    """A QR code on every card goes under the steps where the dose column is too long, so no
    code is left alone on the next page, cut off from its exercise."""
    import yaml

    from handouts.resources import builtin_library_path

    builtin = yaml.safe_load(builtin_library_path().read_text(encoding="utf-8"))
    exercises = [
        {**e, "video": f"https://example.org/videos/{e['id']}"} for e in builtin["exercises"]
    ]
    library = tmp_path / "videos.yaml"
    library.write_text(
        yaml.safe_dump({"exercises": exercises}, allow_unicode=True), encoding="utf-8"
    )
    handout, pdf = build_pdf(program="sciatica", library=library)
    assert pdf.page_count == 1 + len(handout.items) + 1  # and the summary
    caption = handout.labels["video_caption"]
    for page, item in zip(pdf.texts[1:-1], handout.items, strict=True):
        assert f"{item.number}. {item.exercise.title}" in page
        assert flat(caption) in flat(page)
