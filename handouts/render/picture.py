"""One exercise's start and end pictures alone on a small page, as the handout draws them: what
the front desk's page shows beside each exercise (as an image made from this PDF)."""

from __future__ import annotations

import io

from reportlab.platypus import SimpleDocTemplate

from handouts import __version__
from handouts.compose import Item, with_pictures
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND
from handouts.model import Layout, Library
from handouts.render.fonts import font_family
from handouts.render.story import picture_for
from handouts.render.styles import make_styles

WIDTH = 4.0 * 72  # the picture's width on its page: start and end side by side
HEIGHT = 1.6 * 72
PAD = 4
FRAME = 12  # a platypus frame's own padding, both sides


def picture_pdf(library: Library, exercise_id: str, layout: Layout) -> bytes | None:
    """A one-page PDF of the exercise's pictures (the clinic's photos, else its figure), in the
    library's English; None when it has neither."""
    exercise = library.exercises[exercise_id]
    labels = Labels(library.languages["en"])
    s = make_styles(layout, DEFAULT_BRAND, font_family(layout.font), labels)
    (item,) = with_pictures([Item("", exercise, ())], labels)
    picture = picture_for(item, s, WIDTH, HEIGHT)
    if picture is None:
        return None
    _, height = picture.wrap(WIDTH, HEIGHT * 2)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(WIDTH + 2 * PAD + FRAME, height + 2 * PAD + FRAME), leftMargin=PAD,
                            rightMargin=PAD, topMargin=PAD, bottomMargin=PAD,
                            title=exercise.title, creator=f"handouts {__version__}", invariant=1,
                            initialFontName=s.fonts.regular)  # fmt: skip
    doc.build([picture])
    return out.getvalue()
