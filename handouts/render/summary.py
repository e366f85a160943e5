"""The plan at a glance (the page for the fridge), and the boxes a therapist ticks when nobody
chose between two alternatives."""

from __future__ import annotations

from dataclasses import replace

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table, TableStyle

from handouts.compose import Handout, Item, PlanRow
from handouts.language import Labels
from handouts.pose import Figure
from handouts.render.figure import FigurePair
from handouts.render.paragraphs import Keep, para
from handouts.render.photos import PhotoPair
from handouts.render.styles import INK, PAPERS, RULE, SOFT_TINT, Styles


class TickBox(Flowable):
    """An empty square for the therapist to tick, drawn (not a font glyph), at its cell's left."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1.2)
        self.canv.roundRect(0, 0, self.size, self.size, 2, stroke=1, fill=0)


# the columns' shares of the width: picture, exercise, how much, how often
SHARES = (0.16, 0.23, 0.37, 0.24)


def choice_boxes(numbers: tuple[str, ...], labels: Labels, s: Styles) -> Flowable:
    """'Your therapist ticks the one for you:' and a drawn box before each number."""
    size = s.layout.body_size
    box = size * 1.15
    cells: list[object] = []
    widths: list[float] = []
    for number in numbers:
        cells += [TickBox(box), para(number, s.bold)]
        widths += [box + 4, size * (len(number) + 1.5)]
    boxes = Table([cells], colWidths=widths, hAlign="LEFT")
    boxes.setStyle(_plain(s, [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    line = Table([[para(labels["choice_tick"], s.bold)], [boxes]], colWidths=["100%"],
                 hAlign="LEFT")  # fmt: skip
    line.setStyle(_plain(s, [("NOSPLIT", (0, 0), (-1, -1)),
                             ("BOTTOMPADDING", (0, -1), (-1, -1), size * 0.4)]))  # fmt: skip
    return line


def summary(handout: Handout, s: Styles, template: str = "") -> list[Flowable]:
    """The plan on a page of its own (of `template` when given, a full-width one): a row for
    each exercise to do (one for a pair of alternatives), with its start picture, name, how much
    and how often. Nothing for a handout of one exercise: its card is the summary."""
    if len(handout.plan) < 2:
        return []
    labels, layout = handout.labels, s.layout
    size = layout.body_size
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    widths = [width * share for share in SHARES]
    # the exercise column as wide as its longest word (no word broken in pieces at 18 pt), the
    # room taken from how much
    longest = max(
        stringWidth(word, s.bold.fontName, s.bold.fontSize)
        for row in handout.plan
        for item in row.items
        for word in f"{item.number}. {item.exercise.title}".split()
    )
    box = size * 1.75 if any(len(row.items) > 1 for row in handout.plan) else 0.0  # _ticked's
    wider = max(longest + box + size * 0.7 - widths[1], 0.0)  # its padding and a little room
    widths[1] += wider
    widths[2] -= wider
    header = [
        "",
        para(labels["summary_exercise"], s.bold),
        para(labels["summary_how_much"], s.bold),
        para(labels["summary_how_often"], s.bold),
    ]
    rows: list[list[object]] = [header]
    for row in handout.plan:
        rows.append(_row(row, s, widths))
    table = Table(rows, colWidths=widths, repeatRows=1)  # a row never splits
    table.setStyle(
        _plain(
            s,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SOFT_TINT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.8, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), size * 0.3),
                ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.3),
                ("TOPPADDING", (0, 0), (-1, -1), size * 0.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.1),
            ],
        )
    )
    page = [NextPageTemplate(template)] if template else []
    heading = [para(labels["summary_title"], s.section), para(labels["summary_help"], s.body)]
    return [*page, PageBreak(), Keep([*heading, table])]


def _row(row: PlanRow, s: Styles, widths: list[float]) -> list[object]:
    size = s.layout.body_size
    picture_width = widths[0] - size * 0.6
    pictures = [p for p in (start_picture(i, s, picture_width) for i in row.items) if p]
    if len(row.items) > 1:  # a box to tick before each alternative
        names: list[object] = [_ticked(i, s, widths[1] - size * 0.6) for i in row.items]
    else:
        names = [para(f"{row.number}. {row.items[0].exercise.title}", s.bold)]
    return [
        pictures or "",
        names,
        para(" ".join(row.how_much), s.body),
        para(" ".join(row.how_often), s.bold),
    ]


def _ticked(item: Item, s: Styles, width: float) -> Flowable:
    size = s.layout.body_size
    box = size * 1.15
    table = Table(
        [[TickBox(box), para(f"{item.number}. {item.exercise.title}", s.bold)]],
        colWidths=[box + size * 0.6, width - box - size * 0.6],
        hAlign="LEFT",
    )
    table.setStyle(_plain(s, [("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def start_picture(item: Item, s: Styles, width: float) -> Flowable | None:
    """The exercise's start position alone, small: its line-art figure or the clinic's photo."""
    e = item.exercise
    if not s.layout.figure_height or not s.layout.shows("figures"):
        return None
    height = width * 0.8
    captions = (s.labels["start"], s.labels["end"])
    size = s.layout.body_size
    if e.images:
        what = f"exercise '{e.id}' ({e.origin})"
        pair = _StartPhoto(e.images, what, width * 2 + size, height, s.fonts.bold, size, captions)
    elif e.figure is not None:
        pair = _StartFigure(e.figure, width * 2 + size, height, s.fonts.bold, size, s.accent,
                            captions)  # fmt: skip
    else:
        return None
    return pair


class _StartOnly:
    """One panel (the start), no caption: the width given is that of two panels and a gap."""

    count = 1

    def _one_panel(self) -> None:
        self.count = 1  # (PhotoPair counts its photos)
        self.caption_lines = []  # (drawn under the panel, over the next row's picture)
        self.caption_h = self.key_h = 0.0
        self.height = self.panel_h
        self.left = 0.0  # (PhotoPair centres its pair)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.panel_w, self.height


class _StartFigure(_StartOnly, FigurePair):
    def __init__(self, figure: Figure, width: float, height: float, *args) -> None:
        # the side view alone: the second views beside it would draw the body half as large
        figure = replace(figure, views=(), close_up=None)
        FigurePair.__init__(self, figure, width, height, *args)
        FigurePair.__init__(self, figure, width, height + self.caption_h, *args)  # (its room)
        self._one_panel()


class _StartPhoto(_StartOnly, PhotoPair):
    def __init__(self, images, what: str, width: float, height: float, *args) -> None:
        PhotoPair.__init__(self, images, what, width, height, *args)
        PhotoPair.__init__(self, images, what, width, height + self.caption_h, *args)
        self._one_panel()


def _plain(s: Styles, commands: list[tuple]) -> TableStyle:
    return TableStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            *commands,
        ]
    )
