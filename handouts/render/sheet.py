"""A contact sheet of every exercise's pictures, to check them all at a glance."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

from handouts import __version__
from handouts.compose import Item
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND
from handouts.model import Layout, Library
from handouts.render.fonts import check_glyphs, font_family
from handouts.render.paragraphs import para
from handouts.render.story import picture_for
from handouts.render.styles import PAPERS, make_styles


def render_sheet(library: Library, layout: Layout, paper: str, date: dt.date) -> bytes:
    """Each exercise's id, title and start/end pictures; exercises without any are listed as such."""
    fonts = font_family(layout.font)
    exercises = list(library.exercises.values())
    check_glyphs(fonts, [(f"exercise '{e.id}' title", e.title) for e in exercises])
    labels = Labels(library.languages["en"])  # a sheet for staff, in the library's own English
    s = make_styles(layout, DEFAULT_BRAND, fonts, labels)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAPERS[paper], leftMargin=layout.margin_left, rightMargin=layout.margin_right,
        topMargin=layout.margin_top, bottomMargin=layout.margin_bottom, title="Exercise figures",
        creator=f"handouts {__version__}", invariant=1, initialFontName=fonts.regular,
    )  # fmt: skip
    missing = [e.title for e in exercises if not e.figure and not e.images]
    story = [para(f"Exercise figures: {len(exercises)} exercises", s.title)]
    if missing:
        story.append(para(f"No pictures yet: {', '.join(missing)}.", s.body))
    story.append(para(f"Made {labels.date(date)}.", s.body))
    for exercise in exercises:
        picture = picture_for(Item("", exercise, ()), s, doc.width)
        if picture is None:
            continue
        heading = para(f"{exercise.title} ({exercise.id})", s.heading)
        story.append(KeepTogether([Spacer(1, s.layout.body_size), heading, picture]))
    doc.build(story)
    return out.getvalue()
