"""The plan at a glance (the page for the fridge), and the boxes a therapist ticks when nobody
chose between two alternatives."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from handouts.compose import Handout, Item, PlanRow
from handouts.language import Labels
from handouts.render.figure import FigurePair, Sketch, StartEndPanels
from handouts.render.paragraphs import Keep, measure, outlined, para
from handouts.render.photos import PhotoPair
from handouts.render.rows import on_top, rows_on_pages, split_rows
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
THUMBNAIL_RATIO = 0.8  # a picture in the plan is at most this much as tall as wide


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


def summary(handout: Handout, s: Styles, template: str = "",
            pictures: dict[str, StartEndPanels] | None = None,
            height: float = float("inf")) -> list[Flowable]:  # fmt: skip
    """The plan on a page of its own (of `template` when given, a full-width one, `height`
    tall): a row for each exercise to do (one for a pair of alternatives), with its end
    picture (from its card's picture in `pictures`, by item number), name, how much and how
    often; in large print (cards stacked), taller than a page, on as few pages as its rows
    need, the last with at least two rows (render/rows.py). Nothing for a handout of one
    exercise: its card is the summary."""
    if len(handout.plan) < 2:
        return []
    labels, layout = handout.labels, s.layout
    size = layout.body_size
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    widths = [width * share for share in SHARES]
    # the names' longest word on one line, after its tick box (large print): from "how much"
    ticked = [i for row in handout.plan if len(row.items) > 1 for i in row.items]
    words = [w for i in ticked for w in f"{i.number}. {i.exercise.title}".split()]
    widest = max((stringWidth(w, s.fonts.bold, size) for w in words), default=0.0)
    needed = widest + size * 1.15 + size * 0.6 + size * 1.2  # box, its gap, the paddings
    more = min(needed - widths[1], widths[2] / 2)  # ("how much" keeps half its width)
    if more > 0:
        widths[1], widths[2] = widths[1] + more, widths[2] - more
    table = _table(handout, s, widths, pictures or {})
    # in large type the four columns are narrow and tall: the name, how much and how often one
    # under the other beside the picture, when that is shorter
    two = [widths[0], width - widths[0]]
    stacked = _table(handout, s, two, pictures or {})
    if stacked.wrap(width, 1e6)[1] < table.wrap(width, 1e6)[1]:
        table, widths = stacked, two
    page = [NextPageTemplate(template)] if template else []
    heading = [outlined(labels["summary_title"], s.section), para(labels["summary_help"], s.body)]
    if layout.arrangement != "stacked" or measure([*heading, table], width) <= height:
        return [*page, PageBreak(), Keep([*heading, table])]  # (platypus splits it between rows)
    # large print's (its cards stacked), taller than a page: its rows balanced over pages
    header, *rows = table._rowHeights  # (a row for each exercise to do, under the header)
    counts = rows_on_pages(rows, header, height - on_top(heading, width), height)
    tables = [_table(handout, s, widths, pictures or {}, tuple(plan))
              for plan in split_rows(handout.plan, counts)]  # fmt: skip
    return [*page, PageBreak(), Keep([*heading, tables[0]]),
            *(part for table in tables[1:] for part in (PageBreak(), table))]  # fmt: skip


def _table(handout: Handout, s: Styles, widths: list[float],
           pictures: dict[str, StartEndPanels],
           plan: tuple[PlanRow, ...] | None = None) -> Table:  # fmt: skip
    """The plan's table in four columns (picture, exercise, how much, how often), or in two
    (`widths` of two: the picture, then the rest one under the other); of the rows `plan`
    (by default the handout's whole plan) under the header row."""
    labels, size = handout.labels, s.layout.body_size
    header = [
        "",
        para(labels["summary_exercise"], s.bold),
        para(labels["summary_how_much"], s.bold),
        para(labels["summary_how_often"], s.bold),
    ]
    if len(widths) == 2:
        header = ["", para(labels["summary_exercise"], s.bold)]
    rows: list[list[object]] = [header]
    for row in handout.plan if plan is None else plan:
        cells = _row(row, s, widths, pictures)
        rows.append(cells if len(widths) == 4 else [cells[0], [*cells[1], cells[2], cells[3]]])
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
    return table


def _row(row: PlanRow, s: Styles, widths: list[float],
         cards: dict[str, StartEndPanels]) -> list[object]:  # fmt: skip
    size = s.layout.body_size
    width = widths[0] - size * 0.6
    pictures: list[Flowable] = []
    for item in row.items:
        picture = thumbnail(cards[item.number], width) if item.number in cards else None
        if picture is not None:
            pictures += [Spacer(1, size * 0.3)] if pictures else []
            pictures.append(picture)
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


class PhotoThumbnail(Flowable):
    """The end photo of an exercise's card (`picture`, a PhotoPair; its only one if it has one)
    again, at most `width` wide and `height` tall: the same image, so embedded once."""

    def __init__(self, picture: PhotoPair, width: float, height: float) -> None:
        super().__init__()
        self.image, w, h = picture.pictures[-1]
        self.scale = min(1.0, width / w, height / h)
        self.width, self.height = w * self.scale, h * self.scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.image, 0, 0, self.width, self.height, mask="auto")


def thumbnail(picture: StartEndPanels, width: float) -> Flowable | None:
    """An exercise's end picture (what tells the exercises apart), small, from its card's
    picture: the photo again, or a sketch of the figure's end (Sketch)."""
    if isinstance(picture, PhotoPair):
        return PhotoThumbnail(picture, width, width * THUMBNAIL_RATIO)
    if isinstance(picture, FigurePair):
        return Sketch(picture.figure, width, width * THUMBNAIL_RATIO)
    return None


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
