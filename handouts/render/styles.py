"""Paragraph styles and colours for one layout and brand (built per render, never at import)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from handouts.model import Brand, Layout
from handouts.render.fonts import FontFamily

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
    list_item: ParagraphStyle
    dose_line: ParagraphStyle
    bulleted: ParagraphStyle
    numbered: ParagraphStyle
    primary: colors.Color
    accent: colors.Color
    fonts: FontFamily
    layout: Layout


def make_styles(layout: Layout, brand: Brand, fonts: FontFamily) -> Styles:
    size = layout.body_size
    lead = layout.leading
    primary = colors.HexColor(layout.primary_color or brand.primary_color)
    accent = colors.HexColor(layout.accent_color or brand.accent_color)
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=size,
        leading=size * lead,
        alignment=TA_LEFT,
        textColor=INK,
        spaceAfter=size * 0.35,
        splitLongWords=1,
    )
    heading_size = layout.heading_size
    return Styles(
        body=body,
        bold=ParagraphStyle("bold", parent=body, fontName=fonts.bold),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.bold,
            fontSize=layout.title_size,
            leading=layout.title_size * 1.2,
            textColor=primary,
            spaceAfter=size * 0.6,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=fonts.bold,
            fontSize=heading_size,
            leading=heading_size * 1.2,
            textColor=primary,
            spaceBefore=0,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        section=ParagraphStyle(
            "section",
            parent=body,
            fontName=fonts.bold,
            fontSize=heading_size,
            leading=heading_size * 1.2,
            textColor=primary,
            spaceBefore=size * 1.3,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        section_label=ParagraphStyle(
            "section_label",
            parent=body,
            fontName=fonts.bold,
            textColor=accent,
            spaceBefore=size * 1.3,
            spaceAfter=0,
            keepWithNext=1,
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=fonts.bold,
            spaceBefore=size * 0.3,
            spaceAfter=size * 0.15,
            keepWithNext=1,
        ),
        warning_heading=ParagraphStyle(
            "warning_heading",
            parent=body,
            fontName=fonts.bold,
            fontSize=heading_size,
            leading=heading_size * 1.2,
            textColor=WARNING,
            spaceAfter=size * 0.3,
        ),
        caution_heading=ParagraphStyle(
            "caution_heading",
            parent=body,
            fontName=fonts.bold,
            textColor=WARNING,
            spaceBefore=size * 0.3,
            spaceAfter=size * 0.15,
            keepWithNext=1,
        ),
        warning_action=ParagraphStyle(
            "warning_action",
            parent=body,
            fontName=fonts.bold,
            textColor=WARNING,
            spaceBefore=size * 0.3,
            spaceAfter=0,
        ),
        list_item=ParagraphStyle("list_item", parent=body, spaceAfter=size * 0.2),
        dose_line=ParagraphStyle(
            "dose_line",
            parent=body,
            backColor=SOFT_TINT,
            borderPadding=(2, 4, 3, 4),
            spaceBefore=size * 0.3,
            spaceAfter=size * 0.5,
        ),
        bulleted=ParagraphStyle(
            "bulleted",
            parent=body,
            spaceAfter=size * 0.2,
            leftIndent=size * 1.3,
            bulletIndent=size * 0.2,
            bulletFontName=fonts.bold,
            bulletFontSize=size,
        ),
        numbered=ParagraphStyle(
            "numbered",
            parent=body,
            spaceAfter=size * 0.2,
            leftIndent=size * 1.6,
            bulletIndent=0,
            bulletFontName=fonts.bold,
            bulletFontSize=size,
        ),
        primary=primary,
        accent=accent,
        fonts=fonts,
        layout=layout,
    )
