"""Lay a Handout out on pages: header with the brand, footer with the disclaimer and page N of M."""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from handouts import __version__
from handouts.compose import Handout
from handouts.errors import RenderError
from handouts.model import Layout
from handouts.render.chrome import PageChrome
from handouts.render.fonts import check_glyphs, font_family
from handouts.render.paragraphs import Keep, measure
from handouts.render.story import exercises, front_matter
from handouts.render.styles import PAPERS, make_styles

# Page streams are compressed, not also ASCII85-encoded: a fifth smaller, and less work
rl_config.useA85 = 0
MARKS = "0123456789 \u00a0.,:;!_-()•·"  # page numbers, dates, doses, bullets, blanks to write on
MIN_COLUMN = 3 * 72.0  # columns shorter than this under page 1's front matter start on page 2


def render(handout: Handout, layout: Layout) -> bytes:
    """The handout as PDF bytes: the same handout and layout always give the same bytes."""
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
    out = io.BytesIO()
    doc = BaseDocTemplate(
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
    bottom = layout.margin_bottom + chrome.footer_height
    top = page_size[1] - layout.margin_top
    first_top = top - chrome.first_header_height
    later_top = top - chrome.later_header_height
    front = front_matter(handout, styles, width, room=first_top - bottom)
    if layout.columns == 1:
        templates = [
            _template(
                "first", [(first_top, width)], layout, bottom, chrome.draw_first_header, "later"
            ),
            _template("later", [(later_top, width)], layout, bottom, chrome.draw_later_header),
        ]
        cards, log = width, ""
    else:  # the front matter across the page, then the cards in columns
        gap = layout.body_size * 1.5
        cards = (width - gap * (layout.columns - 1)) / layout.columns
        front_height = measure(front, width) + layout.body_size
        columns = [(first_top - front_height, cards)] * layout.columns
        if first_top - front_height - bottom < MIN_COLUMN:  # no room for cards under it: page 2
            front_height, columns = first_top - bottom, []
        templates = [
            _template("first", [(first_top, width), *columns], layout, bottom,
                      chrome.draw_first_header, "later", front_height, gap),
            _template("later", [(later_top, cards)] * layout.columns, layout, bottom,
                      chrome.draw_later_header, gap=gap),
            _template("full", [(later_top, width)], layout, bottom, chrome.draw_later_header),
        ]  # fmt: skip
        front.append(FrameBreak())
        log = "full"
    doc.addPageTemplates(templates)
    doc.keepTogetherClass = Keep  # (a heading and what follows it)
    height = later_top - bottom
    try:
        story = front + exercises(handout, styles, cards, height, log)
        doc.build(story, canvasmaker=chrome.canvas_class())
    except LayoutError as exc:
        raise RenderError(f"the handout could not be laid out on the page: {exc}") from None
    return out.getvalue()


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
