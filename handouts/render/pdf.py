"""Lay a Handout out on pages: header with the brand, footer with the disclaimer and page N of M."""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from handouts import __version__
from handouts.compose import Handout
from handouts.errors import RenderError, ValidationError
from handouts.model import Layout
from handouts.render.cards import Card
from handouts.render.chrome import PageChrome
from handouts.render.figure import StartEndPanels, keep_drawn
from handouts.render.fonts import check_glyphs, font_family
from handouts.render.output import PdfSink, releasing
from handouts.render.paragraphs import Keep, measure
from handouts.render.story import exercises, first_card_under, front_matter, page_one_heights
from handouts.render.styles import PAPERS, make_styles, tighter

# Page streams are compressed, not also ASCII85-encoded: a fifth smaller, and less work
rl_config.useA85 = 0
MARKS = "0123456789 \u00a0.,:;!_-()•·"  # page numbers, dates, doses, bullets, blanks to write on


MIN_LINES = 10  # lines of body text a page must hold under its header and above its footer
MIN_LETTERS = 12  # body-size letters a line of an exercise card must hold
FIGURE_CAPTION, FIGURE_PAD, FIGURE_MIN = 1.6, 8.0, 12.0  # (render/figure.py's panels)


def fit_problems(layout: Layout, paper: str) -> list[str]:
    """Why `layout` cannot be laid out on `paper` whatever the text, in its own settings' terms
    (build refuses it before drawing; `handouts check --layout` lists the same)."""
    page_width, page_height = PAPERS[paper]
    width = page_width - layout.margin_left - layout.margin_right
    small = layout.small_size * 1.25
    # a later page's header, and a footer of two lines of disclaimer and the page number
    chrome = (small + 18) + (3 * small + layout.small_size * 0.3 + 8)
    room = page_height - layout.margin_top - layout.margin_bottom - chrome
    line = layout.body_size * layout.leading
    where = f"{layout.origin}: on {paper} paper"
    margins = (f"margins top {_inches(layout.margin_top)} and bottom "
               f"{_inches(layout.margin_bottom)}")  # fmt: skip
    problems = []
    if room < MIN_LINES * line:
        problems.append(
            f"{where}, {margins} leave {room:.0f} pt for text under the header and above the "
            f"footer (small size {layout.small_size:g} pt); sizes.body {layout.body_size:g} pt "
            f"at leading {layout.leading:g} needs {MIN_LINES * line:.0f} pt for {MIN_LINES} "
            "lines: make the margins, the sizes or the leading smaller"
        )
    gap = layout.body_size * 1.5
    card = (width - gap * (layout.columns - 1)) / layout.columns
    if card < MIN_LETTERS * layout.body_size:
        problems.append(
            f"{where}, margins left {_inches(layout.margin_left)} and right "
            f"{_inches(layout.margin_right)} leave {width:.0f} pt across"
            + (f", {card:.0f} pt a column in {layout.columns} columns" if layout.columns > 1
               else "")
            + f"; sizes.body {layout.body_size:g} pt needs {MIN_LETTERS * layout.body_size:.0f} "
            f"pt for {MIN_LETTERS} letters a line: make the margins, the body size or the "
            "columns smaller"
        )  # fmt: skip
    figures = layout.figure_height
    smallest = layout.body_size * FIGURE_CAPTION + 2 * FIGURE_PAD + FIGURE_MIN
    if figures and figures < smallest:
        problems.append(
            f"{layout.origin}: exercises.figures {figures:g} pt leaves no room for a picture "
            f"under its caption (at least {smallest:.0f} pt with body size "
            f"{layout.body_size:g}; or 0 for no pictures)"
        )
    elif figures + layout.body_size * 0.8 > room:
        problems.append(
            f"{where}, exercises.figures {_inches(figures)} is taller than the "
            f"{room - layout.body_size * 0.8:.0f} pt that {margins} leave for it: make the "
            "figures or the margins smaller"
        )
    views = layout.views_height  # (a figure with a second view: its taller pictures)
    if figures and views + layout.body_size * 0.8 > room:
        problems.append(
            f"{where}, exercises.figures_views {_inches(views)} is taller than the "
            f"{room - layout.body_size * 0.8:.0f} pt that {margins} leave for it: make it or the "
            "margins smaller"
        )
    return problems


def _inches(points: float) -> str:
    return f"{points / 72:.3g}in"


def render(handout: Handout, layout: Layout) -> bytes:
    """The handout as PDF bytes: the same handout and layout always give the same bytes."""
    problems = fit_problems(layout, handout.paper)
    if problems:
        raise ValidationError(problems) if len(problems) > 1 else RenderError(problems[0])
    fonts = font_family(handout.brand.font or layout.font)
    styles = make_styles(layout, handout.brand, fonts, handout.labels)
    page_size = PAPERS[handout.paper]
    chrome = PageChrome(handout, styles, page_size)
    logo = (
        [(f"the logo {handout.brand.logo}", text) for text in chrome.logo.texts]
        if chrome.logo
        else []
    )
    check_glyphs(fonts, [*handout.texts(), *logo, ("numbers and marks", MARKS)])
    out = PdfSink()  # (io.BytesIO would hold a second copy of a 100 MB PDF)
    doc = _Document(
        out,
        pagesize=page_size,
        leftMargin=layout.margin_left,
        rightMargin=layout.margin_right,
        topMargin=layout.margin_top,
        bottomMargin=layout.margin_bottom,
        title=handout.title,
        author=handout.brand.name,
        subject=handout.labels.fill("pdf_subject", clinic=handout.brand.name),
        creator=f"handouts {__version__}",
        lang=handout.labels.locale,
        displayDocTitle=1,
        invariant=1,
        initialFontName=fonts.regular,
        initialFontSize=layout.body_size,
    )
    width = doc.width
    first_bottom = layout.margin_bottom + chrome.footer_height
    bottom = layout.margin_bottom + chrome.later_footer_height
    top = page_size[1] - layout.margin_top
    first_top = top - chrome.first_header_height
    first_top = top - _header_for_page_one(chrome, page_one_heights(handout, styles, width),
                                           top - first_bottom)  # fmt: skip
    later_top = top - chrome.later_header_height
    front = front_matter(handout, styles, width, room=first_top - first_bottom)
    height = later_top - bottom
    if layout.columns == 1:
        front = _fitted(front, handout, styles, width, first_top - first_bottom)
        templates = [
            _template(
                "first",
                [(first_top, width)],
                layout,
                first_bottom,
                chrome.draw_first_header,
                "later",
            ),
            _template("later", [(later_top, width)], layout, bottom, chrome.draw_later_header),
        ]
        cards, log = width, ""
        first = None  # the first card, made to start under front matter that spills
        spill = measure(front, width) - (first_top - first_bottom)
        if 0 < spill < height:  # (front matter running over pages, long notes: as before)
            front, first = _spilled(front, handout, styles, width, first_top - first_bottom,
                                    height, doc, templates)  # fmt: skip
        rest = exercises(handout, styles, cards, height, log, first=first)
    else:  # the front matter across the page, then the cards in columns
        gap = layout.body_size * 1.5
        cards = (width - gap * (layout.columns - 1)) / layout.columns
        front_height = measure(front, width) + layout.body_size
        columns = [(first_top - front_height, cards)] * layout.columns
        rest = exercises(handout, styles, cards, height, "full")
        if first_top - front_height - first_bottom < _first_column(rest, layout, cards):
            front_height, columns = (
                first_top - first_bottom,
                [],
            )  # no room for cards under it: page 2
        templates = [
            _template("first", [(first_top, width), *columns], layout, first_bottom,
                      chrome.draw_first_header, "later", front_height, gap),
            _template("later", [(later_top, cards)] * layout.columns, layout, bottom,
                      chrome.draw_later_header, gap=gap),
            _template("full", [(later_top, width)], layout, bottom, chrome.draw_later_header),
        ]  # fmt: skip
        front.append(FrameBreak())
    doc.addPageTemplates(templates)
    doc.keepTogetherClass = Keep  # (a heading and what follows it)
    try:
        story, front, rest = front + rest, [], []  # (built, the story lets each page's photos go)
        doc.build(story, canvasmaker=releasing(chrome.canvas_class()))
    except LayoutError:
        raise RenderError(_not_laid_out(doc, layout, handout.paper)) from None
    keep_drawn()  # the figures' panels, for the next run
    return out.getvalue()


def _fitted(front: list, handout, styles, width: float, room: float) -> list:
    """Page 1's front matter, set a little tighter (less space around its headings, list items
    and paragraphs) when only that keeps it all on page 1: spilling a few lines would leave
    page 2 holding them alone, when the first card does not fit under them."""
    if measure(front, width) <= room:
        return front
    tight = tighter(styles)
    fitted = front_matter(handout, tight, width, room=room)
    return fitted if measure(fitted, width) <= room else front


class _Room(Flowable):
    """Placed last: the page it lands on, and the room left there under what came before it."""

    _ZEROSIZE = True
    found: tuple[int, float] | None = None

    def __init__(self, doc: BaseDocTemplate) -> None:
        super().__init__()
        self._doc = doc

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.found = (self._doc.page, available_height)
        return 0.0, 0.0

    def draw(self) -> None:
        pass


def _spilled(front: list, handout, styles, width, room, height, doc, templates) -> tuple:
    """Page 1's front matter that spills onto page 2, and the first card made to fit under the
    lines it spills there (first_card_under), its pictures no smaller than their floor: set as
    it is, else a little tighter (a shorter spill). (front, None) when the card fits under
    neither: it starts on the next page."""
    for candidate in (styles, tighter(styles)):
        under = _room_under(front_matter(handout, candidate, width, room=room), doc, templates)
        card = None if under is None else first_card_under(handout, styles, width, height, under)
        if card is not None:
            spilled = front if candidate is styles else front_matter(handout, candidate, width,
                                                                     room=room)  # fmt: skip
            return spilled, card
    return front, None


def _room_under(front: list, like: BaseDocTemplate, templates: list[PageTemplate]) -> float | None:
    """The room left on the page where page 1's front matter ends, when that is not page 1:
    the front matter laid out alone (a fresh copy of it) on the handout's pages, nothing drawn
    but it (a millisecond or two, only for a handout whose front matter spills)."""
    trial = BaseDocTemplate(io.BytesIO(), pagesize=like.pagesize, leftMargin=like.leftMargin,
                            rightMargin=like.rightMargin, topMargin=like.topMargin,
                            bottomMargin=like.bottomMargin, invariant=1,
                            initialFontName=like.initialFontName,
                            initialFontSize=like.initialFontSize)  # fmt: skip
    trial.addPageTemplates([
        PageTemplate(t.id, [Frame(f._x1, f._y1, f._width, f._height, id=f.id, leftPadding=0,
                                  rightPadding=0, topPadding=0, bottomPadding=0) for f in t.frames],
                     autoNextPageTemplate=t.autoNextPageTemplate)
        for t in templates
    ])  # fmt: skip
    trial.keepTogetherClass = Keep
    marker = _Room(trial)
    try:
        trial.build([*front, marker])
    except LayoutError:
        return None
    if marker.found is None or marker.found[0] < 2:
        return None
    return marker.found[1]


def _first_column(story: list, layout: Layout, width: float) -> float:
    """The least room for columns of cards under page 1's front matter: the first card's title
    and pictures (it runs on from there into the next column, its title repeated: cards.py;
    a picture holds its side of a break as MIN_SIDE lines do); with no pictures, its title
    and two lines of its steps."""
    first = next((f for f in story if isinstance(f, Card)), None)
    if first is None:
        return 0.0
    pictured = any(isinstance(part, StartEndPanels) for part in first._content)
    line = layout.body_size * layout.leading
    return first.first_group(width) + (0.0 if pictured else 2 * line)


def _header_for_page_one(chrome: PageChrome, heights: list[float], room: float) -> float:
    """The first page's header made as small as it must be (chrome.shrink) for page 1 to hold
    the title, who and when and the whole red-flag box (`heights[0]` tall); when nothing
    does, the fullest header under which the title, the patient's line and the box fit
    (`heights[1]`: the therapist and date after the box), else the title and the box. Its
    height."""
    sizes = [chrome.first_header_height]
    while chrome.shrink():
        sizes.append(chrome.first_header_height)
    for needed in heights:
        for level, size in enumerate(sizes):
            if needed <= room - size:
                chrome.set_level(level)
                return size
    return sizes[-1]


class _Document(BaseDocTemplate):
    """Remembers the flowable being placed, so a layout that cannot hold it says which."""

    placing = None

    def handle_flowable(self, flowables) -> None:
        if flowables:
            self.placing = flowables[0]
        super().handle_flowable(flowables)


def _not_laid_out(doc: _Document, layout: Layout, paper: str) -> str:
    """What did not fit, in the layout's own terms (never reportlab's flowable names)."""
    frame = getattr(doc, "frame", None)
    room = getattr(frame, "_height", 0.0)
    what, height = "a part of the handout", 0.0
    if doc.placing is not None and frame is not None:
        what = _describe(doc.placing)
        try:
            height = doc.placing.wrap(frame._width, frame._height)[1]
        except Exception:  # noqa: BLE001 - only for the message
            height = 0.0
    tall = f" is {height:.0f} pt tall and" if height > room else ""
    return (
        f"{layout.origin}: the handout cannot be laid out with this layout on {paper} paper: "
        f"{what}{tall} does not fit in the {room:.0f} pt the page leaves for it "
        f"(margins top {layout.margin_top:g} pt, bottom {layout.margin_bottom:g} pt; sizes body "
        f"{layout.body_size:g}, heading {layout.heading_size:g}, title {layout.title_size:g}, "
        f"small {layout.small_size:g}; leading {layout.leading:g}; figures "
        f"{layout.figure_height:g} pt); make the sizes, the leading, the figures or the margins "
        "smaller"
    )


def _describe(flowable, depth: int = 0) -> str:
    """'the part that starts "Get medical help..."', from the first text inside `flowable`."""
    text = _first_text(flowable, 0)
    if not text:
        return "a picture or a block of the handout"
    text = " ".join(text.split())
    return f"the part that starts '{text[:50]}{'...' if len(text) > 50 else ''}'"


def _first_text(flowable, depth: int) -> str:
    if depth > 6 or flowable is None:
        return ""
    if hasattr(flowable, "getPlainText"):
        return flowable.getPlainText()
    inner = getattr(flowable, "_content", None)  # KeepTogether
    if inner is None:
        cells = getattr(flowable, "_cellvalues", None)  # Table
        inner = [c for row in cells or () for c in row]
    for part in inner:
        for piece in part if isinstance(part, (list, tuple)) else (part,):
            found = _first_text(piece, depth + 1)
            if found:
                return found
    return ""


def _template(
    name: str,
    frames: list[tuple[float, float]],
    layout: Layout,
    bottom: float,
    on_page,
    next_template: str | None = None,
    first_height: float | None = None,
    gap: float = 0.0,
) -> PageTemplate:
    """A page of frames given as (top, width): one across the page, or columns side by side.
    On a first page with `first_height`, the first frame is the front matter's, above the columns."""
    placed = []
    x = layout.margin_left
    for index, (top, width) in enumerate(frames):
        if first_height is not None and index == 0:
            frame_bottom, height = top - first_height, first_height
        else:
            frame_bottom, height = bottom, top - bottom
        placed.append(Frame(x, frame_bottom, width, height, id=f"{name}{index}", leftPadding=0,
                            rightPadding=0, topPadding=0, bottomPadding=0))  # fmt: skip
        if not (first_height is not None and index == 0):
            x += width + gap
    return PageTemplate(name, placed, onPage=on_page, autoNextPageTemplate=next_template)
