"""Paragraph styles and colours for one layout and brand (built when first used, never at
import)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle

from handouts.language import Labels
from handouts.model import Brand, Layout
from handouts.render.fonts import FontFamily

PAPERS = {"letter": LETTER, "a4": A4}  # page sizes in points
INK = colors.HexColor("#1a1a1a")
WARNING = colors.HexColor("#a50e0e")  # dark red, still dark on a black-and-white copy
WARNING_TINT = colors.HexColor("#fdecea")
SOFT_TINT = colors.HexColor("#eef3f8")
RULE = colors.HexColor("#8c8c8c")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    bold: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    section: ParagraphStyle  # a heading that starts a new part: space above it
    section_label: ParagraphStyle
    subheading: ParagraphStyle
    caution_heading: ParagraphStyle
    warning_heading: ParagraphStyle
    warning_action: ParagraphStyle
    dose_line: ParagraphStyle
    bulleted: ParagraphStyle
    numbered: ParagraphStyle
    primary: colors.Color
    accent: colors.Color
    fonts: FontFamily
    layout: Layout
    labels: Labels  # the words printed around the content, in the handout's language


def make_styles(layout: Layout, brand: Brand, fonts: FontFamily, labels: Labels) -> Styles:
    """The styles of a handout. The same layout, colours and fonts give the same style objects
    in one process, so paragraphs parsed for one handout serve the next (story.Para)."""
    primary = layout.primary_color or brand.primary_color
    accent = layout.accent_color or brand.accent_color
    return replace(_styles(layout, primary, accent, fonts), labels=labels)


@lru_cache(maxsize=32)
def _styles(layout: Layout, primary_color: str, accent_color: str, fonts: FontFamily) -> Styles:
    size, heading_size = layout.body_size, layout.heading_size
    primary = colors.HexColor(primary_color)
    accent = colors.HexColor(accent_color)
    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=size, leading=size * layout.leading,
        alignment=TA_LEFT, textColor=INK, spaceAfter=size * 0.35, splitLongWords=1,
        allowWidows=0, allowOrphans=0,  # no line of a paragraph alone on a page
    )  # fmt: skip

    def bold(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, fontName=fonts.bold, **changes)

    def big(name: str, font_size: float, **changes) -> ParagraphStyle:
        return bold(name, fontSize=font_size, leading=font_size * 1.2, **changes)

    def item(name: str, indent: float, bullet_indent: float) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, spaceAfter=size * 0.2, leftIndent=indent,
                              bulletIndent=bullet_indent, bulletFontName=fonts.bold,
                              bulletFontSize=size)  # fmt: skip

    small_gap, keep = size * 0.3, {"keepWithNext": 1}
    # a reminder sheet (style: brief) runs its parts on as paragraphs: less space between them
    brief = layout.style == "brief"
    between, before = (size * 0.15, size * 0.7) if brief else (size * 0.35, size * 1.3)
    body.spaceAfter = between
    return Styles(
        body=body,
        bold=bold("bold"),
        title=big("title", layout.title_size, textColor=primary, spaceAfter=size * 0.6),
        heading=big("heading", heading_size, textColor=primary, spaceAfter=small_gap, **keep),
        section=big(
            "section",
            heading_size,
            textColor=primary,
            spaceBefore=before,
            spaceAfter=small_gap,
            **keep,
        ),  # fmt: skip
        section_label=bold(
            "section_label", textColor=accent, spaceBefore=before, spaceAfter=0, **keep
        ),  # fmt: skip
        subheading=bold("subheading", spaceBefore=small_gap, spaceAfter=size * 0.15, **keep),
        warning_heading=big(
            "warning_heading", heading_size, textColor=WARNING, spaceAfter=small_gap
        ),  # fmt: skip
        caution_heading=bold(
            "caution_heading",
            textColor=WARNING,
            spaceBefore=small_gap,
            spaceAfter=size * 0.15,
            **keep,
        ),  # fmt: skip
        warning_action=bold(
            "warning_action", textColor=WARNING, spaceBefore=small_gap, spaceAfter=0
        ),  # fmt: skip
        dose_line=ParagraphStyle(
            "dose_line",
            parent=body,
            backColor=SOFT_TINT,
            borderPadding=(2, 4, 3, 4),
            spaceBefore=small_gap,
            spaceAfter=between if brief else size * 0.5,
        ),  # fmt: skip
        bulleted=item("bulleted", size * 1.3, size * 0.2),
        numbered=item("numbered", size * 1.6, 0),
        primary=primary,
        accent=accent,
        fonts=fonts,
        layout=layout,
        labels=None,  # type: ignore[arg-type] - make_styles gives each handout its own
    )


def tighter(styles: Styles) -> Styles:
    """The same styles with less space around headings, list items and paragraphs (never smaller
    type or lines): for page 1's front matter when only that keeps it on page 1."""
    size = styles.layout.body_size

    def less(style: ParagraphStyle, before: float, after: float) -> ParagraphStyle:
        return ParagraphStyle(f"{style.name}_tight", parent=style,
                              spaceBefore=min(style.spaceBefore, before),
                              spaceAfter=min(style.spaceAfter, after))  # fmt: skip

    return replace(
        styles,
        title=less(styles.title, 0.0, size * 0.3),
        body=less(styles.body, 0.0, 0.0),
        section=less(styles.section, size * 0.6, size * 0.2),
        bulleted=less(styles.bulleted, 0.0, 0.0),
    )
