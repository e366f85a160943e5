"""Paragraphs of literal text, made and measured quickly: the same texts print on every handout
of a batch, and platypus, the page-fit checks and measure() ask each one its height again and
again."""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.flowables import _FUZZ

from handouts.render.styles import Styles
from handouts.text import markup

_PARSED: dict[tuple[str, int, str | None], tuple[object, list, str, dict]] = {}
PARSED_MAX = 5_000  # texts remembered (~3 KB each with their line breaks); then it starts over


class Para(Paragraph):
    """A Paragraph that is parsed once per text and style in a process, and broken into lines once
    per text, style and width (the same texts print on every handout of a batch, and platypus, the
    page-fit checks and measure() ask each one its height again and again). Its height depends on
    the width alone."""

    _wraps: dict | None = None  # width -> (widths, lines, height), shared by the text's paragraphs

    def __init__(self, text, style=None, bulletText=None, frags=None, **more) -> None:  # noqa: N803
        """`remember=False`: a text of one patient's (notes, a name), not worth keeping."""
        remember = more.pop("remember", True)
        plain = frags is not None or more or not isinstance(bulletText, (str, type(None)))
        if plain or not remember:
            super().__init__(text, style, bulletText, frags=frags, **more)  # split() makes these
            return
        key = (text, id(style), bulletText)
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is style:  # (the style is kept alive by the entry)
            super().__init__(hit[2], style, bulletText, frags=hit[1])
            self._wraps = hit[3]
            return
        super().__init__(text, style, bulletText)
        if len(_PARSED) >= PARSED_MAX:
            _PARSED.clear()
        self._wraps = {}
        _PARSED[key] = (style, self.frags, self.text, self._wraps)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        mine = self.__dict__
        if mine.get("_wrapped_at") == available_width and "blPara" in mine:
            return self.width, self.height  # (split() drops blPara: then it wraps again)
        wraps = self._wraps
        known = wraps.get(available_width) if wraps is not None else None
        if known is not None:
            self._wrapWidths, self.blPara, self.height = known
            self.width = self._wrapped_at = available_width
            self._shared_lines = True
            return available_width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        self._shared_lines = False
        if wraps is not None and size[0] == available_width:  # (not "too narrow to wrap")
            wraps[available_width] = (self._wrapWidths, self.blPara, self.height)
        return size

    def split(self, available_width: float, available_height: float) -> list:
        """Split over a page break, on lines of its own: reportlab's split edits the words of the
        lines it splits, and the shared lines print on other handouts."""
        if self.__dict__.get("_shared_lines") and "blPara" in self.__dict__:
            del self.blPara
            self._wraps = None  # (this paragraph only)
            super().wrap(self.width, available_height)
            self._wrapped_at, self._shared_lines = self.width, False
        return super().split(available_width, available_height)


class ListItem(Para):
    """A list item that moves on whole to the next page rather than break over it (page 1's
    safety list: a bullet never split mid-sentence, issue #14); it breaks only at the top of a
    page, where it is taller than the page."""

    def split(self, available_width: float, available_height: float) -> list:
        frame = getattr(self, "_frame", None)
        if frame is not None and not getattr(frame, "_atTop", False):
            return []
        return super().split(available_width, available_height)


def para(text: str, style, remember: bool = True) -> Paragraph:
    """A paragraph of literal text: '<b>', 'R&D' and '<img .../>' print exactly as typed.
    `remember=False` for one patient's text (see Para)."""
    return Para(markup(text), style, remember=remember)


# The most characters of one patient's text (a note) in one Paragraph. platypus lays out the rest
# of a paragraph again on each page it flows onto, so one 400 KB note took a minute (quadratic);
# in pieces of this size it is linear, and a note shorter than this prints as before.
PIECE = 2_000


def flowing(text: str, style) -> list[Paragraph]:
    """One patient's paragraph (`remember=False`) as paragraphs of at most PIECE characters,
    cut at a line break, else a space, else anywhere, and stacked with no space between them
    (so a long text reads as one paragraph, a line ending early at each cut)."""
    pieces = []
    while len(text) > PIECE:
        cut = max(text.rfind("\n", 1, PIECE), 0) or max(text.rfind(" ", 1, PIECE), 0)
        pieces.append(text[: cut or PIECE])
        text = text[cut + 1 :] if cut else text[PIECE:]
    pieces.append(text)
    if len(pieces) == 1:
        return [para(text, style, remember=False)]
    first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
    inner = ParagraphStyle(f"{style.name}-inner", parent=first, spaceBefore=0)
    last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
    styles = [first] + [inner] * (len(pieces) - 2) + [last]
    return [para(piece, kind, remember=False) for piece, kind in zip(pieces, styles, strict=True)]


def labelled(
    label: str, text: str, s: Styles, style=None, color=None, remember: bool = True
) -> Paragraph:
    """'Label text', the label ('Why:') in bold (and `color`). Both parts are escaped.
    `remember=False` for one patient's text (see Para)."""
    tint = f' color="{color.hexval()}"' if color is not None else ""
    head = f'<font name="{s.fonts.bold}"{tint}>{markup(label)}</font>'
    return Para(f"{head} {markup(text)}", style or s.body, remember=remember)


Size = tuple[float, float, float]  # a flowable's height, and the space it asks above and below


def measure(parts: list[Flowable], width: float) -> float:
    """How tall these flowables are, stacked, in a frame `width` wide."""
    return sum(heights(parts, width))


def heights(parts: list[Flowable], width: float) -> list[float]:
    """How tall each of these flowables is, with the space around it, in a frame `width` wide."""
    return [sum(size) for size in sizes(parts, width)]


def sizes(parts: list[Flowable], width: float) -> list[Size]:
    """Each flowable's height and the space it asks above and below it, in a frame `width`
    wide (a KeepTogether: its content's height, stacked, with no space around)."""
    scratch = _scratch()
    found = []
    for part in parts:
        if isinstance(part, KeepTogether):  # it only says how tall it is by splitting
            found.append((measure(part._content, width), 0.0, 0.0))
            continue
        height = part.wrapOn(scratch, width, 1e6)[1]
        found.append((height, part.getSpaceBefore(), part.getSpaceAfter()))
    return found


class Keep(KeepTogether):
    """reportlab's KeepTogether, measured without a deep copy of the page's frame each time (the
    copy is there to collect content that flowables add to a frame while measured, such as index
    entries; a handout's flowables add none). platypus also keeps each heading with what follows
    it in one of these (BaseDocTemplate.keepTogetherClass)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc = getattr(self.canv, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if frame is None:
            return super().wrap(available_width, available_height)
        doc.frame = None
        try:
            return super().wrap(available_width, available_height)
        finally:
            doc.frame = frame


class Kept(Keep):
    """A KeepTogether told the sizes of its content, measured already at `width`: reportlab's
    own measures all of it again each time a page is tried, on a deep copy of the frame. Its
    sums are reportlab's (_listWrapOn: the space between two flowables is the larger of the one
    below the first and the one above the second; the first one's space above and the last one's
    space below do not count)."""

    def __init__(self, flowables: list[Flowable], known: list[Size], width: float) -> None:
        super().__init__(flowables)
        self._known, self._known_width = known, width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        content, known = self._content, self._known
        if available_width != self._known_width or len(content) != len(known):
            return super().wrap(available_width, available_height)
        total = below = 0.0
        first = True
        for part, (height, above, after) in zip(content, known, strict=True):
            if hasattr(part, "frameAction") or isinstance(part, KeepTogether):
                return super().wrap(available_width, available_height)
            if height <= _FUZZ:
                continue
            total += height
            if first:
                first = False
            else:
                total += max(
                    (below if getattr(part, "_SPACETRANSFER", False) else above) - below, 0
                )
            below = below if getattr(part, "_SPACETRANSFER", False) else after
            total += below
        self._H = total - below
        self._H0 = known[0][0] if known else 0
        self._wrapInfo = available_width, available_height
        return available_width, 0xFFFFFF  # (as KeepTogether: "too tall", so that it splits)


@cache
def _scratch() -> Canvas:
    """A canvas that some flowables measure text on (nothing is drawn on it)."""
    return Canvas(io.BytesIO())


class Outlined(Para):
    """A heading that is also an entry of the PDF's outline (its bookmarks), pointing at where it
    is drawn: wherever that is (in a table, a card that runs on, a column)."""

    def __init__(self, text: str, style, title: str) -> None:
        super().__init__(markup(text), style)
        self.title = title

    def draw(self) -> None:
        # the page is known only once pages are written at the end (chrome's NumberedCanvas
        # holds them back for "Page N of M"): the canvas keeps the mark with its page
        canvas = self.canv
        _, top = canvas.absolutePosition(0, self.height)
        marks = getattr(canvas, "outline_marks", ())
        canvas.outline_marks = [*marks, (self.title, top)]  # (a new list: each page its own)
        super().draw()


def outlined(text: str, style) -> Paragraph:
    """A heading of literal text that is an entry of the PDF's outline (see Outlined)."""
    return Outlined(text, style, text)
