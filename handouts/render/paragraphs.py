"""Paragraphs of literal text, made and measured quickly: the same texts print on every handout
of a batch, and platypus, the page-fit checks and measure() ask each one its height again and
again."""

from __future__ import annotations

import io
from functools import cache

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from handouts.render.styles import Styles
from handouts.text import markup

_PARSED: dict[tuple[str, int, str | None], tuple[object, list, str]] = {}
PARSED_MAX = 20_000  # texts remembered; a batch of varied notes starts over past this


class Para(Paragraph):
    """A Paragraph that is parsed once per text and style in a process (the same texts print on
    every handout of a batch) and remembers its last wrap: platypus, the page-fit checks and
    measure() ask it the same width again and again. Its height depends on the width alone."""

    def __init__(self, text, style=None, bulletText=None, frags=None, **more) -> None:  # noqa: N803
        if frags is not None or more or not isinstance(bulletText, (str, type(None))):
            super().__init__(text, style, bulletText, frags=frags, **more)  # split() makes these
            return
        key = (text, id(style), bulletText)
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is style:  # (the style is kept alive by the entry)
            super().__init__(hit[2], style, bulletText, frags=hit[1])
            return
        super().__init__(text, style, bulletText)
        if len(_PARSED) >= PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = (style, self.frags, self.text)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.__dict__.get("_wrapped_at") == available_width and "blPara" in self.__dict__:
            return self.width, self.height  # (split() drops blPara: then it wraps again)
        size = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return size


def para(text: str, style) -> Paragraph:
    """A paragraph of literal text: '<b>', 'R&D' and '<img .../>' print exactly as typed."""
    return Para(markup(text), style)


def labelled(label: str, text: str, s: Styles, style=None, color=None) -> Paragraph:
    """'Label text', the label ('Why:') in bold (and `color`). Both parts are escaped."""
    tint = f' color="{color.hexval()}"' if color is not None else ""
    head = f'<font name="{s.fonts.bold}"{tint}>{markup(label)}</font>'
    return Para(f"{head} {markup(text)}", style or s.body)


def measure(parts: list[Flowable], width: float) -> float:
    """How tall these flowables are, stacked, in a frame `width` wide."""
    return sum(heights(parts, width))


def heights(parts: list[Flowable], width: float) -> list[float]:
    """How tall each of these flowables is, with the space around it, in a frame `width` wide."""
    scratch = _scratch()
    found = []
    for part in parts:
        if isinstance(part, KeepTogether):  # it only says how tall it is by splitting
            found.append(measure(part._content, width))
            continue
        height = part.wrapOn(scratch, width, 1e6)[1]
        found.append(height + part.getSpaceBefore() + part.getSpaceAfter())
    return found


@cache
def _scratch() -> Canvas:
    """A canvas that some flowables measure text on (nothing is drawn on it)."""
    return Canvas(io.BytesIO())
