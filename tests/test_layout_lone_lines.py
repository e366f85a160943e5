"""No page and no column holds a lone line (issue #14, Layout): every layout, on letter and A4, in
English and Spanish, with the built-in brand and the README's long one, with and without notes and
a two-week log. Each page's text between its header and its footer (in compact, each column's)
is at least MIN_LINES lines, except the log's last page (its ruled lines for notes may run on).

The matrix's corners: layout x paper x language x brand (24), each built twice, plainly (no notes,
no log) and in full (three sentences of notes and --weeks 2): 48 builds, once per module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Pdf, PdfPage, build_pdf

from handouts.compose import Handout
from handouts.render.cards import MIN_SIDE

LAYOUTS = ("standard", "compact", "large-print")
PAPERS = ("letter", "a4")
LANGS = ("en", "es")
NOTES = {
    "en": "Start with 1 set of each exercise. Add the second set next week if the pain is no "
    "worse. Stop and call us if the pain spreads down your leg.",
    "es": "Empiece con 1 serie de cada ejercicio. Añada la segunda serie la próxima semana si el "
    "dolor no empeora. Pare y llámenos si el dolor baja por la pierna.",
}
MIN_LINES = 3  # lines of text a page or a column holds (a picture comes with its captions)
MATRIX = [
    pytest.param(
        lay,
        paper,
        lang,
        long,
        full,
        id=f"{lay}-{paper}-{lang}-{'long' if long else 'builtin'}-"
        f"{'notes-log' if full else 'plain'}",
    )  # fmt: skip
    for lay in LAYOUTS
    for paper in PAPERS
    for lang in LANGS
    for long in (False, True)
    for full in (False, True)
]


@pytest.fixture(scope="module")
def built(long_brand: Path) -> Callable[..., tuple[Handout, Pdf]]:
    memo: dict[tuple, tuple[Handout, Pdf]] = {}

    def get(layout: str, paper: str, lang: str, long: bool, full: bool) -> tuple[Handout, Pdf]:
        key = (layout, paper, lang, long, full)
        if key not in memo:
            extra = {"brand": long_brand} if long else {}
            memo[key] = build_pdf(program="sciatica", layout=layout, paper=paper, lang=lang,
                                  patient="Jane Doe", therapist="Sam Lee, PT",
                                  notes=NOTES[lang] if full else "", log_weeks=2 if full else 0,
                                  allow_fallback=True, **extra)  # fmt: skip
        return memo[key]

    return get


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines (tops within 2 pt), top down."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def story_words(page: PdfPage, handout: Handout) -> list[dict]:
    """A page's words between its header (a later page's one line) and its footer (from the
    disclaimer down)."""
    lines = _lines(page.words)
    footer = handout.disclaimers.footer.split()[:3]
    end = next(i for i, line in enumerate(lines) if [w["text"] for w in line][:3] == footer)
    start = 0 if page.number == 1 else 1
    return [w for line in lines[start:end] for w in line]


def _across(line: list[dict], middle: float) -> bool:
    """Whether a line runs across the page's middle (a word over it, or two words on either
    side of it closer than the columns' gutter, 18 pt in compact)."""
    line = sorted(line, key=lambda w: w["x0"])
    return any(w["x0"] < middle < w["x1"] for w in line) or any(
        a["x1"] <= middle <= b["x0"] and b["x0"] - a["x1"] < 9
        for a, b in zip(line, line[1:], strict=False)
    )


def columns(page: PdfPage, words: list[dict], count: int) -> list[list[dict]]:
    """The words of each column under the lines across the page (page 1's front matter); the
    whole text when there is one column or nothing under those lines."""
    middle = page.width / 2
    across = [line[0]["bottom"] for line in _lines(words) if _across(line, middle)]
    below = [w for w in words if w["top"] > max(across, default=0.0)]
    if count == 1 or not below:
        return [words]
    return [[w for w in below if w["x0"] < middle], [w for w in below if w["x0"] >= middle]]


def _continued(line: list[dict], handout: Handout) -> bool:
    """Whether a line is a card's title repeated, "1. Knee to opposite shoulder (continued)"
    (it does not count: the lines under it do)."""
    mark = handout.labels.fill("continued", title="").split()
    return bool(mark) and [w["text"] for w in line[-len(mark) :]] == mark


def lone_pages(handout: Handout, pdf: Pdf, layout: str) -> list[str]:
    """Each page or column holding fewer than MIN_LINES lines (but some), as 'page N column C:
    the lines'."""
    found = []
    last = pdf.page_count
    notes = handout.labels["log_notes"].split()[:3] if handout.log_weeks else None
    for page in pdf.pages:
        if handout.log_weeks and page.number == last:
            continue  # (the log's notes lines may run on to a last page)
        words = story_words(page, handout)
        if notes and [w["text"] for w in words[:3]] == notes:
            continue  # a week's ruled lines for notes, run on to a page of their own
        log = notes and " ".join(notes) in " ".join(w["text"] for w in words)
        count = 2 if layout == "compact" and not log else 1  # (the log is across the page)
        for index, column in enumerate(columns(page, words, count), 1):
            lines = [line for line in _lines(column) if not _continued(line, handout)]
            if 0 < len(lines) < MIN_LINES:
                texts = [" ".join(w["text"] for w in line) for line in lines]
                found.append(f"page {page.number} column {index}: {texts}")
            if not lines and index == 1:
                found.append(f"page {page.number}: empty")
    return found


@pytest.mark.parametrize(("layout", "paper", "lang", "long", "full"), MATRIX)
def test_no_page_or_column_holds_a_lone_line(built, layout, paper, lang, long, full) -> None:
    handout, pdf = built(layout, paper, lang, long, full)
    assert lone_pages(handout, pdf, layout) == []


def test_the_check_finds_a_lone_line() -> None:
    """The check above fails on a page of one line (so it can fail)."""

    class Labels:
        def fill(self, key: str, title: str) -> str:
            return f"{title} (continued)"

    class Handout_:
        log_weeks = 0
        labels = Labels()

        class disclaimers:  # noqa: N801
            footer = "This handout does not take"

    def word(text: str, top: float, x0: float = 50) -> dict:
        return {"text": text, "top": top, "bottom": top + 12, "x0": x0, "x1": x0 + 30}

    foot = [word(t, 700, 50 + 40 * i) for i, t in enumerate(["This", "handout", "does"])]
    page = PdfPage(2, 612, 792, [], [word("Header", 40), word("1. Bridge", 80),
                                     word("(continued)", 80, 100), word("Alone", 100),
                                     word("again", 120), *foot])  # fmt: skip

    class Pdf_:
        page_count = 2
        pages = [page]

    assert lone_pages(Handout_, Pdf_, "standard") == ["page 2 column 1: ['Alone', 'again']"]
    assert MIN_SIDE == MIN_LINES
