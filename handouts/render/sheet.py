"""A contact sheet of every exercise's pictures, for a clinic drawing its own: each figure large,
its captions, its pose values as written in the library, and what `handouts check` says of it."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

from handouts import __version__
from handouts.compose import Item, with_pictures
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND
from handouts.load.figures import figure_warnings, pose_text
from handouts.model import Layout, Library
from handouts.pose import problems
from handouts.render.figure import ArrowKey
from handouts.render.fonts import check_glyphs, font_family
from handouts.render.paragraphs import para
from handouts.render.story import picture_for
from handouts.render.styles import PAPERS, make_styles

SHEET_FIGURE = 3.0 * 72  # each figure large: its panels up to 3 inches high


def render_sheet(library: Library, layout: Layout, paper: str, date: dt.date) -> bytes:
    """Each exercise's id, title and start/end pictures, with its pose values and problems;
    exercises without any pictures are listed as such."""
    fonts = font_family(layout.font)
    exercises = list(library.exercises.values())
    check_glyphs(fonts, [(f"exercise '{e.id}' title", e.title) for e in exercises]
                 + [(f"exercise '{e.id}' captions", c) for e in exercises for c in e.captions])  # fmt: skip
    labels = Labels(library.languages["en"])  # a sheet for staff, in the library's own English
    s = make_styles(layout, DEFAULT_BRAND, fonts, labels)
    values = ParagraphStyle("values", parent=s.body, fontSize=layout.small_size,
                            leading=layout.small_size * 1.25, spaceAfter=2)  # fmt: skip
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
    story.append(para(f"Made {labels.date(date)}. Under each figure: its pose values as written "
                      "in the library, and what 'handouts check' says of it.", s.body))  # fmt: skip
    items = with_pictures([Item("", e, ()) for e in exercises], labels)
    for item in items:
        exercise = item.exercise
        picture = picture_for(item, s, doc.width, SHEET_FIGURE)
        if picture is None:
            continue
        heading = para(f"{exercise.title} ({exercise.id})", s.heading)
        facts = [f"Written at {exercise.origin.rsplit('/', 1)[-1]}."]
        f = exercise.figure
        if f is not None and not exercise.images:
            facts += [f"start: {pose_text(f.start)}", f"end: {pose_text(f.end)}"]
            for i, view in enumerate(f.views):
                facts += [f"views[{i}] from {view.side}: start: {pose_text(view.start)}",
                          f"views[{i}] end: {pose_text(view.end)}"]  # fmt: skip
            c = f.close_up
            if c is not None:
                facts.append(f"close_up {c.part}: start gap {c.start_gap:g}, tilt "
                             f"{c.start_tilt:g}; end gap {c.end_gap:g}, tilt {c.end_tilt:g}")  # fmt: skip
        found = (problems(f) if f is not None else []) + figure_warnings(exercise)
        facts += [f"Check: {text}" for text in found] or ["Check: no problems found."]
        key = [ArrowKey(item.arrow_key, s.fonts.bold, layout.body_size, s.accent)] * bool(
            item.arrow_key
        )
        story.append(KeepTogether([Spacer(1, s.layout.body_size), heading, *key, picture,
                                   *(para(text, values) for text in facts)]))  # fmt: skip
    doc.build(story)
    return out.getvalue()
