"""Story layer: the flowables for a handout, checked without writing a PDF.

Text from every source is escaped (it prints exactly as typed, never as markup), the red-flag box
comes before the first exercise, and each exercise block fits on one page.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator

import pytest
from conftest import DATE
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from handouts.compose import Handout, compose
from handouts.language import Labels
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library
from handouts.model import Layout, Library
from handouts.render.fonts import font_family
from handouts.render.story import build_story
from handouts.render.styles import Styles, make_styles

WIDTH = 612 - 2 * 43.2  # letter, standard layout margins
# a later page's frame: the page less its margins, a one-line header (12 pt and a rule, 33 pt)
# and the two-line footer (12 pt lines and a rule, 42 pt)
FRAME_HEIGHT = 792 - 2 * 43.2 - 33 - 42
INJECTIONS = '<img src="/etc/passwd"/> R&D <b>bold?</b>'


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def layout() -> Layout:
    return load_layout("standard")


@pytest.fixture(scope="module")
def styles(layout: Layout) -> Styles:
    labels = Labels(load_library().languages["en"])
    return make_styles(layout, load_brand(None), font_family(layout.font), labels)


def make_story(library: Library, styles: Styles, **options) -> tuple[Handout, list[Flowable]]:
    options.setdefault("date", DATE)
    handout = compose(library, load_brand(None), **options)
    return handout, build_story(handout, styles, WIDTH, FRAME_HEIGHT)


def children(flowable) -> Iterator:
    """The flowables inside a container (KeepTogether, Table cells, lists, list items)."""
    if isinstance(flowable, (list, tuple)):
        yield from flowable
        return
    if isinstance(flowable, Table):
        for row in flowable._cellvalues:
            yield from row
        return
    single = getattr(flowable, "_flowable", None)  # a list item once the list is laid out
    if single is not None:
        yield single
        return
    # a list keeps its items in _flowables until it is wrapped, then in _content; other
    # containers such as KeepTogether keep theirs in _content
    inner = getattr(flowable, "_flowables", None)
    if inner is None:
        inner = getattr(flowable, "_content", None)
    yield from inner or ()


def paragraphs(flowable) -> Iterator[Paragraph]:
    """Every Paragraph in a flowable tree, in order."""
    if isinstance(flowable, Paragraph):
        yield flowable
        return
    for child in children(flowable):
        yield from paragraphs(child)


def plain(paragraph: Paragraph) -> str:
    """A paragraph's text as printed: our own tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", paragraph.text.replace("<br/>", "\n")))


def texts(flowable) -> list[str]:
    return [plain(p) for p in paragraphs(flowable)]


def fragments(frags) -> Iterator:
    """Every styled fragment of a paragraph, before or after it was wrapped into words."""
    for frag in frags:
        if isinstance(frag, (list, tuple)):
            yield from fragments(frag)
        elif hasattr(frag, "fontSize"):
            yield frag


@pytest.fixture  # cheap, and wrapping changes flowables: a fresh story for each test
def sciatica(library: Library, styles: Styles) -> tuple[Handout, list[Flowable]]:
    return make_story(
        library,
        styles,
        program="sciatica",
        patient=INJECTIONS,
        therapist="Sam Lee, PT",
        notes="First paragraph.\n\nSecond <i>paragraph</i> & more.",
    )


def exercise_start(story: list[Flowable], title: str) -> int:
    for index, flowable in enumerate(story):
        if title in texts(flowable):
            return index
    raise AssertionError(f"no flowable holds {title!r}")


def test_story_opens_with_title_and_who_line(sciatica) -> None:
    handout, story = sciatica
    assert isinstance(story[0], Paragraph)
    assert story[0].getPlainText() == "Stretches and exercises for sciatica"
    assert story[0].style.name == "title"
    assert texts(story[1]) == [
        f"For: {INJECTIONS}",
        "Therapist: Sam Lee, PT",
        "Date: November 29, 2026",
    ]


def test_user_text_is_escaped_not_parsed(sciatica) -> None:
    _, story = sciatica
    who = next(paragraphs(story[1]))
    assert who.getPlainText() == f"For: {INJECTIONS}"
    assert "&lt;img src=" in who.text and "<img" not in who.text
    # only the label is bold; the '<b>' typed by the user made nothing bold
    bold = re.findall(r'<font name="[^"]*-Bold"[^>]*>(.*?)</font>', who.text)
    assert bold == ["For:"]
    assert "<b>" not in who.text and "<a " not in who.text and "<link" not in who.text


def test_notes_are_literal_paragraphs(sciatica, styles: Styles) -> None:
    _, story = sciatica
    heading = exercise_start(story, "Notes from your therapist")
    notes = story[heading : heading + 3]  # on page 1, before any card (see test_patient_plan)
    assert [texts(f) for f in notes] == [
        ["Notes from your therapist"],
        ["First paragraph."],
        ["Second <i>paragraph</i> & more."],
    ]
    last = notes[-1]
    assert all(not f.italic for f in last.frags)
    assert {f.fontSize for f in last.frags} == {styles.layout.body_size}


def test_markup_in_notes_never_changes_size_or_links(library: Library, styles: Styles) -> None:
    note = '<font size=200>big</font> <a href="javascript:alert(1)">click</a> <unclosed'
    _, story = make_story(library, styles, ids=["glute-bridge"], notes=note)
    paragraph = story[exercise_start(story, "Notes from your therapist") + 1]
    assert paragraph.getPlainText() == note
    assert {f.fontSize for f in paragraph.frags} == {styles.layout.body_size}
    assert all(not getattr(f, "link", None) for f in paragraph.frags)


def test_blank_lines_to_write_on_and_the_date(library: Library, styles: Styles) -> None:
    _, story = make_story(library, styles, ids=["glute-bridge"], date=dt.date(2026, 3, 5))
    assert texts(story[1]) == [
        "For: __________________",
        "Therapist: __________________",
        "Date: March 5, 2026",
    ]


def test_red_flag_box_comes_before_the_first_exercise(sciatica, library: Library) -> None:
    _, story = sciatica
    disclaimers = library.disclaimers
    box = next(i for i, f in enumerate(story) if disclaimers.red_flags_title in texts(f))
    safety = next(i for i, f in enumerate(story) if disclaimers.safety_title in texts(f))
    first = exercise_start(story, "1. Knee to opposite shoulder")
    assert box < safety < first
    box_texts = texts(story[box])
    for flag in disclaimers.red_flags:
        assert flag in box_texts
    assert box_texts[-1] == disclaimers.red_flags_action
    safety_texts = [t for f in story[safety:first] for t in texts(f)]
    for item in disclaimers.safety:
        assert item in safety_texts


def test_exercises_in_order_each_kept_together(sciatica) -> None:
    handout, story = sciatica
    starts = []
    for item in handout.items:
        index = exercise_start(story, f"{item.number}. {item.exercise.title}")
        block = story[index]
        assert isinstance(block, KeepTogether), item.number
        block_texts = texts(block)
        assert f"Why: {item.exercise.purpose}" in block_texts
        for step in item.exercise.steps:
            assert step in block_texts, (item.number, step)
        for sentence in item.dose:
            assert sentence in block_texts, (item.number, sentence)
        for link in item.links:
            assert link in block_texts, (item.number, link)
        if item.label:
            position = block_texts.index(item.label)
            assert block_texts[position + 1] == f"{item.number}. {item.exercise.title}"
        starts.append(index)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_each_exercise_block_fits_on_one_page(sciatica, layout: Layout) -> None:
    handout, story = sciatica
    canvas = Canvas(io.BytesIO())
    for item in handout.items:
        block = story[exercise_start(story, f"{item.number}. {item.exercise.title}")]
        parts = block._content
        height = sum(part.wrapOn(canvas, WIDTH, 10_000)[1] for part in parts)
        # a frame drops the space above the first flowable at the top of a page
        height += sum(part.getSpaceBefore() for part in parts[1:])
        height += sum(part.getSpaceAfter() for part in parts[:-1])
        assert 100 < height <= FRAME_HEIGHT, (item.number, height)


@pytest.mark.parametrize("name", ["standard", "compact", "large-print"])
def test_a_kept_card_sums_its_sizes_as_reportlab_does(library: Library, name: str) -> None:
    """A card is told its parts' sizes, measured while it was made, so that platypus does not
    measure it all again on each page it tries: the sums must be reportlab's own."""
    from reportlab.platypus import Spacer

    from handouts.render.cards import Card
    from handouts.render.paragraphs import Kept, sizes

    layout = load_layout(name)
    labels = Labels(library.languages["en"])
    s = make_styles(layout, load_brand(None), font_family(layout.font), labels)
    handout = compose(library, load_brand(None), program="sciatica", date=DATE)
    story = build_story(handout, s, WIDTH, FRAME_HEIGHT)
    kept = [f for f in story if isinstance(f, Kept)]  # a card running on: as one kept whole
    kept += [Kept(f._content, f._known, f._known_width) for f in story if isinstance(f, Card)]
    spaced = Spacer(1, 5)
    spaced.spaceBefore, spaced.spaceAfter = 7, 3  # spaces that merge with their neighbours'
    extra = [spaced, Spacer(1, 0), *kept[0]._content]  # and one too thin to count
    kept.append(Kept(extra, sizes(extra, WIDTH), WIDTH))
    assert len(kept) >= len(handout.items) + 1
    canvas = Canvas(io.BytesIO())
    for block in kept:
        ours = block.wrap(WIDTH, 500)
        theirs = KeepTogether(block._content)
        theirs.canv = canvas
        assert ours == (WIDTH, theirs.wrap(WIDTH, 500)[1])
        assert (block._H, block._H0) == (theirs._H, theirs._H0)
        assert block.split(WIDTH, 500)[0].__class__ == theirs.split(WIDTH, 500)[0].__class__


@pytest.mark.parametrize(
    "request_",
    [
        {"program": "sciatica", "layout": "large-print", "log_weeks": 1},
        {"program": "sciatica", "layout": "compact", "lang": "es"},
        {"program": "sciatica", "notes": "Walk every day. " * 40},
    ],
)
def test_handouts_keep_together_as_reportlab_would(
    monkeypatch: pytest.MonkeyPatch, request_: dict
) -> None:
    """Cards told their sizes, and keeping without a copy of the frame, lay pages out exactly as
    reportlab's own KeepTogether does: the same bytes, and no frame copied."""
    from conftest import build_pdf
    from reportlab.platypus import flowables

    from handouts.render.paragraphs import Keep, Kept

    copies = []
    deepcopy = flowables.deepcopy
    monkeypatch.setattr(flowables, "deepcopy", lambda x: copies.append(x) or deepcopy(x))
    _, ours = build_pdf(**request_)
    assert copies == []
    monkeypatch.setattr(Keep, "wrap", KeepTogether.wrap)
    monkeypatch.setattr(Kept, "wrap", KeepTogether.wrap)
    _, reportlabs = build_pdf(**request_)
    assert copies  # (reportlab's way copies the frame)
    assert ours.data == reportlabs.data


def test_every_paragraph_is_at_least_12_pt_in_the_handout_font(sciatica) -> None:
    _, story = sciatica
    found = list(paragraphs(story))
    assert len(found) > 100
    for paragraph in found:
        assert paragraph.style.fontSize >= 12, paragraph.text
        assert paragraph.style.fontName.startswith("AtkinsonHyperlegible")
        found_frags = list(fragments(paragraph.frags))
        assert found_frags, paragraph.text
        for frag in found_frags:
            assert frag.fontSize >= 12, paragraph.text
            assert frag.fontName.startswith("AtkinsonHyperlegible"), paragraph.text


def test_no_notes_no_notes_section(library: Library, styles: Styles) -> None:
    _, story = make_story(library, styles, ids=["glute-bridge"], notes="   \n\n  ")
    assert all("Notes from your therapist" not in texts(f) for f in story)
