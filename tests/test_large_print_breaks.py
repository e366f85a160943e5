"""Where large print breaks its pages (issue #14, review findings 4, 8, 9 and 12): a card that runs
on carries at least two steps with How much; no list item splits over a page; the plan at a glance
ends on a page with two rows at least; a week of the log is on as few pages as its rows need, its
lines for notes under its last rows.

Read from what prints: every program, on letter and A4, in English and Spanish, with the built-in
brand and the README's long one, with notes and a week's log (24 builds, once per module)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import Pdf, PdfPage, build_pdf

from handouts.compose import Handout
from handouts.language import Labels
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library
from handouts.render.cards import RUN_ON, Card
from handouts.render.fonts import font_family
from handouts.render.paragraphs import ListItem, Para, para, sizes
from handouts.render.rows import rows_on_pages, split_rows
from handouts.render.story import _dose_box, _numbered
from handouts.render.styles import Styles, make_styles

PROGRAMS = ("sciatica", "sciatica-gentle", "sciatica-strength")
NOTES = "Start with 1 set of each exercise this week. Add the second set next week if the pain does not get worse."  # noqa: E501
PATIENT = "Maria Guadalupe Fernandez-Castellanos de la Torre"
MATRIX = [
    pytest.param(program, paper, lang, long, id=f"{program}-{paper}-{lang}-{'long' if long else 'builtin'}")
    for program in PROGRAMS
    for paper in ("letter", "a4")
    for lang in ("en", "es")
    for long in (False, True)
]  # fmt: skip
STEP = re.compile(r"\d+\.")  # a step's number ("7.")
ROW = re.compile(r"(\d+)(?:b?\.| or \d+b\.| o \d+b\.)")  # a row's number: "2.", "2b.", "2 or 2b."


@pytest.fixture(scope="module")
def built(long_brand: Path) -> Callable[..., tuple[Handout, Pdf]]:
    memo: dict[tuple, tuple[Handout, Pdf]] = {}

    def get(program: str, paper: str, lang: str, long: bool) -> tuple[Handout, Pdf]:
        key = (program, paper, lang, long)
        if key not in memo:
            extra = {"brand": long_brand} if long else {}
            memo[key] = build_pdf(program=program, layout="large-print", paper=paper, lang=lang,
                                  patient=PATIENT, therapist="Dr. Sam Lee, DPT", notes=NOTES,
                                  log_weeks=1, allow_fallback=True, **extra)  # fmt: skip
        return memo[key]

    return get


@pytest.fixture(scope="module")
def styles() -> Styles:
    layout = load_layout("large-print")
    labels = Labels(load_library().languages["en"])
    return make_styles(layout, load_brand(None), font_family(layout.font), labels)


# -- reading the pages -------------------------------------------------------------------------
def lines_of(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines (tops within 2 pt), top down, each left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def text(line: list[dict]) -> str:
    return " ".join(w["text"] for w in line)


def story_lines(page: PdfPage, handout: Handout) -> list[list[dict]]:
    """A page's lines between its header (a later page's one line) and its footer."""
    lines = lines_of(page.words)
    footer = handout.disclaimers.footer.split()[:3]
    end = next(i for i, line in enumerate(lines) if [w["text"] for w in line][:3] == footer)
    return lines[(0 if page.number == 1 else 1) : end]


def body_lines(page: PdfPage, handout: Handout) -> list[list[dict]]:
    """The story's lines in body type (a card's title, 24 pt, left out)."""
    size = load_layout("large-print").body_size
    return [line for line in story_lines(page, handout) if line[0]["size"] < size + 1]


def lone_steps(handout: Handout, pdf: Pdf) -> list[str]:
    """Each page where How much follows fewer than two steps run on from the page before."""
    labels = handout.labels
    found = []
    for page in pdf.pages:
        lines = [text(line) for line in body_lines(page, handout)]
        if labels["how_much"] not in lines:
            continue
        before = lines[: lines.index(labels["how_much"])]
        if labels["steps"] in before:
            continue  # (the steps start on this page)
        steps = [line for line in before if STEP.fullmatch(line.split()[0])]
        if len(steps) < 2:
            found.append(f"page {page.number}: {steps} then {labels['how_much']}")
    return found


def split_items(handout: Handout, pdf: Pdf, s: Styles) -> list[str]:
    """Each page that starts with the rest of a list item (a line at the item's indent, with no
    bullet or number before it): an item split over a page."""
    layout = s.layout
    indents = [layout.margin_left + style.leftIndent for style in (s.bulleted, s.numbered)]
    end = pdf.page_of(handout.labels["summary_title"]) if len(handout.plan) > 1 else 0
    found = []
    for page in pdf.pages[1 : end - 1 if end else None]:
        lines = body_lines(page, handout)
        if lines and any(abs(lines[0][0]["x0"] - indent) < 1 for indent in indents):
            found.append(f"page {page.number} starts with {text(lines[0])!r}")
    return found


def rows_by_page(handout: Handout, pdf: Pdf, first: int, last: int) -> list[set[str]]:
    """The numbers of the plan's rows on each page from `first` to `last`."""
    pages = []
    for page in pdf.pages[first - 1 : last]:
        lines = [text(line) for line in story_lines(page, handout)]
        pages.append({m.group(1) for line in lines if (m := ROW.match(line))})
    return pages


# -- the builds ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("program", "paper", "lang", "long"), MATRIX)
def test_at_least_two_steps_go_on_with_how_much(built, program, paper, lang, long) -> None:
    handout, pdf = built(program, paper, lang, long)
    assert lone_steps(handout, pdf) == []


@pytest.mark.parametrize(("program", "paper", "lang", "long"), MATRIX)
def test_no_list_item_splits_over_a_page(built, styles, program, paper, lang, long) -> None:
    """A safety bullet (or a step, a tip) moves on whole rather than break mid-sentence."""
    handout, pdf = built(program, paper, lang, long)
    assert split_items(handout, pdf, styles) == []


@pytest.mark.parametrize(("program", "paper", "lang", "long"), MATRIX)
def test_the_plan_ends_on_a_page_of_two_rows_at_least(built, program, paper, lang, long) -> None:
    handout, pdf = built(program, paper, lang, long)
    first = pdf.page_of(handout.labels["summary_title"])
    log = pdf.page_of(handout.labels["log_title"])
    pages = rows_by_page(handout, pdf, first, log - 1)
    assert set().union(*pages) == {re.match(r"\d+", row.number)[0] for row in handout.plan}
    assert all(pages), pages  # (no page of the plan without a row)
    if len(pages) > 1:  # (unless the page before would then be left with one)
        assert len(pages[-1]) >= 2 or len(pages[-2]) <= 2, pages


@pytest.mark.parametrize(("program", "paper", "lang", "long"), MATRIX)
def test_the_log_notes_go_with_its_last_rows(built, program, paper, lang, long) -> None:
    """A week's lines for notes are under its last rows, never on a page of their own; the last
    page holds two rows at least, and each row is on one page only (never split)."""
    handout, pdf = built(program, paper, lang, long)
    log = pdf.page_of(handout.labels["log_title"])
    pages = rows_by_page(handout, pdf, log, pdf.page_count)
    notes = pdf.page_of(handout.labels["log_notes"])
    assert notes == pdf.page_count
    assert pages[-1], f"page {notes} holds the notes alone"
    if len(pages) > 1:  # (unless the page before would then be left with one)
        assert len(pages[-1]) >= 2 or len(pages[-2]) <= 2, pages
    assert sum(len(p) for p in pages) == len(handout.plan)  # (each row on one page)


@pytest.mark.parametrize(("paper", "lang"), [("letter", "en"), ("letter", "es"), ("a4", "en"),
                                             ("a4", "es")])  # fmt: skip
def test_a_week_of_the_sciatica_log_is_two_pages(built, paper, lang) -> None:
    """Seven rows in 18 pt with 7 mm boxes: two pages, not three (the reminder then says how
    often; the plan at a glance just before has the whole dose)."""
    handout, pdf = built("sciatica", paper, lang, False)
    log = pdf.page_of(handout.labels["log_title"])
    assert pdf.page_count - log + 1 == 2
    for row in handout.plan:
        assert " ".join(row.how_often).split()[0] in pdf.text


def test_the_checks_find_what_they_look_for() -> None:
    """lone_steps and rows_by_page on pages made up to fail them (so the tests above can fail)."""
    handout = SimpleNamespace(
        labels={"how_much": "How much", "steps": "Steps"},
        disclaimers=SimpleNamespace(footer="This handout does not take"),
    )

    def word(t: str, top: float, x0: float = 72, size: float = 18) -> dict:
        return {"text": t, "top": top, "bottom": top + size, "x0": x0, "x1": x0 + 30, "size": size}

    foot = [word(t, 700, 72 + 40 * i) for i, t in enumerate(["This", "handout", "does"])]
    page = PdfPage(9, 612, 792, [], [word("Header", 40), word("1b.", 80, size=24),
                                     word("Pigeon", 80, 110, size=24), word("8.", 110),
                                     word("Push", 110, 100), word("How", 140),
                                     word("much", 140, 110), *foot])  # fmt: skip
    pdf = SimpleNamespace(pages=[page])
    assert lone_steps(handout, pdf) == ["page 9: ['8. Push'] then How much"]
    page.words.insert(3, word("7.", 100))
    page.words.insert(4, word("Hold", 100, 100))
    assert lone_steps(handout, pdf) == []
    assert rows_by_page(handout, pdf, 1, 1) == [{"1", "7", "8"}]  # (read on the plan's pages)


# -- the rules, each on its own ------------------------------------------------------------------
def test_rows_fill_pages_and_the_last_holds_two() -> None:
    assert rows_on_pages([100] * 7, 20, 330, 330) == [3, 2, 2]  # (3, 3, 1 filled in order)
    assert rows_on_pages([100] * 6, 20, 330, 330) == [3, 3]
    assert rows_on_pages([100] * 3, 20, 330, 330) == [3]
    assert rows_on_pages([100] * 4, 20, 230, 330) == [2, 2]  # a shorter first page
    assert rows_on_pages([], 20, 330, 330) == []


def test_what_follows_the_last_row_never_goes_alone() -> None:
    # seven rows of 100 under a 20 pt header, 150 pt of notes: 3 + 3 + 1 would leave the notes
    # alone on a fourth page; the last row goes with them, and the page before gives one up
    assert rows_on_pages([100] * 7, 20, 330, 530, tail=150) == [3, 2, 2]
    assert rows_on_pages([100] * 4, 20, 330, 530, tail=150) == [2, 2]  # (3 + 1: one given up)
    assert rows_on_pages([100] * 2, 20, 330, 530, tail=150) == [1, 1]
    assert rows_on_pages([100], 20, 330, 530, tail=250) == [1]  # (nothing to go with the notes)


def test_split_rows_cuts_in_order() -> None:
    assert split_rows("abcdefg", [3, 2, 2]) == [["a", "b", "c"], ["d", "e"], ["f", "g"]]


def _steps_card(s: Styles, steps: list[str], tips: int = 2) -> tuple[Card, list]:
    """A large-print card run on from a page: its title again, the steps with How much, tips."""
    dose = SimpleNamespace(dose=("Hold for 30 seconds.", "Do this 3 times."), notes="")
    parts = [para("1b. Pigeon pose (continued)", s.heading), para("Steps", s.subheading),
             *_numbered(steps, s), *_dose_box(dose, s), para("Tips", s.subheading),
             *(Para(f"Tip {n}.", s.bulleted, bulletText="•") for n in range(tips))]  # fmt: skip
    width = 468.0
    known = sizes(parts, width)
    tips_at = 2 + len(steps) + 3  # (after the title, Steps, the steps and How much's 3 parts)
    card = Card(parts, known, [tips_at], lambda: para("1b. (continued)", s.heading),
                width, 527.0, True, s.body.leading, RUN_ON)  # fmt: skip
    card._frame = SimpleNamespace(_atTop=True)  # at a page's top
    return card, [sum(size) for size in known]


def _steps_before_dose(parts: list) -> int:
    rest = parts[-1]._content  # the card's rest, on the next page
    at = next(i for i, part in enumerate(rest) if getattr(part, "is_dose_box", False))
    return sum(1 for part in rest[:at] if getattr(part, "bulletText", None))


def test_a_card_breaking_in_its_steps_carries_two_of_them(styles: Styles) -> None:
    """The steps and How much do not fit on one page: the break leaves two steps to go on with
    How much, not one (the dose box is not the second item)."""
    card, tall = _steps_card(styles, [f"Step number {n} of the exercise." for n in range(1, 9)])
    room = sum(tall[:10]) + 1  # the title, Steps and all eight steps, not How much
    parts = card.split(468.0, room)
    assert _steps_before_dose(parts) == 2


def test_a_card_pulled_back_for_its_lone_lines_carries_two_steps(styles: Styles) -> None:
    """After How much only the tips' heading and a tip would go on (fewer than three lines): the
    lines pulled back to go with them are two whole steps, never one step or part of one."""
    long = "Push up with your hands and bring your back leg forward to come out of it."
    card, tall = _steps_card(styles, ["Get down.", "Bring one knee forward.", long], tips=1)
    assert styles.body.leading * 1.5 < tall[4] < styles.body.leading * 2.5  # (two lines)
    card._continued = False  # (its first page: it moves on whole unless at a page's top)
    room = sum(tall[:9]) + 1  # all but the tips
    parts = card.split(468.0, room)
    assert _steps_before_dose(parts) == 2
    assert all(getattr(p, "bulletText", None) for p in parts[-1]._content[1:3])  # (whole)


def test_a_list_item_moves_on_whole_unless_at_a_pages_top(styles: Styles) -> None:
    text = " ".join(["These exercises help many people, but not everyone."] * 4)
    item = ListItem(text, styles.bulleted, bulletText="•")
    plain = Para(text, styles.bulleted, bulletText="•")
    height = item.wrap(468.0, 1e6)[1]
    room = height * 0.6
    item._frame = plain._frame = SimpleNamespace(_atTop=False)
    assert item.split(468.0, room) == []
    assert len(plain.split(468.0, room)) == 2  # (a paragraph splits, two lines on each side)
    item._frame = SimpleNamespace(_atTop=True)
    assert len(item.split(468.0, room)) == 2  # (taller than a page: at its top, it must)


def test_a_paragraph_breaks_with_two_lines_on_each_side(styles: Styles) -> None:
    """The front matter's paragraphs (the introduction, the notes): never one line alone on
    either side of a page break."""

    def lines(paragraph: Para) -> int:
        return round(paragraph.wrap(468.0, 1e6)[1] / styles.body.leading)

    def split(count: int, room: int) -> list[int]:
        text = " ".join(["Move slowly and gently."] * 40)
        paragraph = Para(text, styles.body)
        while lines(paragraph) > count:  # (a paragraph `count` lines long)
            text = text.rsplit(" ", 3)[0]
            paragraph = Para(text, styles.body)
        assert lines(paragraph) == count
        return [lines(p) for p in paragraph.split(468.0, room * styles.body.leading + 1)]

    assert split(3, 2) == []  # (it moves on whole: one line would go on alone)
    assert split(3, 1) == []
    assert split(4, 3) == [2, 2]
    assert split(5, 3) == [3, 2]
