"""The weekly log: a page per week with the exercises against the days, boxes to tick, and lines
for the patient's notes."""

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

from handouts.compose import Handout, PlanRow
from handouts.render.paragraphs import Keep, measure, outlined, para
from handouts.render.rows import on_top, rows_on_pages, split_rows
from handouts.render.styles import INK, PAPERS, RULE, SOFT_TINT, Styles

NOTE_LINES = 3  # ruled lines for how it felt, at least; as many as the page has room for
MOST_NOTE_LINES = 10
BOX_MIN = 20.0  # points: a tick box at least 7 mm wide (7.06 mm), whatever the type size
MOST_BOXES = 4  # boxes a day for an exercise done up to this many times a day


def box_size(size: float) -> float:
    """The side of a tick box for body text of `size` points."""
    return max(BOX_MIN, size * 1.15)


class TickBox(Flowable):
    """`count` empty squares to tick (one for each time a day), drawn (not a font glyph), side
    by side when the cell is wide enough, else one above the other, centred in their cell."""

    def __init__(self, size: float, count: int = 1) -> None:
        super().__init__()
        self.size = size
        self.count = max(1, min(count, MOST_BOXES))
        self.gap = size * 0.2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.cell_width = available_width
        across = self.count * self.size + (self.count - 1) * self.gap
        self.across = across + 1 <= available_width  # (the cell's padding parts the days)
        if self.across:
            return available_width, self.size
        return available_width, self.count * self.size + (self.count - 1) * self.gap

    def draw(self) -> None:
        step = self.size + self.gap
        across = self.count * self.size + (self.count - 1) * self.gap
        left = (self.cell_width - (across if self.across else self.size)) / 2
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1.2)
        for n in range(self.count):
            x, y = (left + n * step, 0.0) if self.across else (left, n * step)
            self.canv.roundRect(x, y, self.size, self.size, 2, stroke=1, fill=0)


class RuledLines(Flowable):
    """Lines to write on, `spacing` apart: NOTE_LINES at least, more while the page has room."""

    def __init__(self, width: float, spacing: float) -> None:
        super().__init__()
        self.width, self.spacing = width, spacing
        self.count = NOTE_LINES

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        room = int(available_height // self.spacing) if available_height < 1e5 else NOTE_LINES
        self.count = max(NOTE_LINES, min(MOST_NOTE_LINES, room))
        return self.width, self.count * self.spacing

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.8)
        for n in range(self.count):
            self.canv.line(0, n * self.spacing, self.width, n * self.spacing)


NAME_SHARES = (0.4, 0.33, 0.3)  # the least share of the width the exercise's names keep: first the
# usual one, then less when that lets each day's boxes stand side by side and the week fit a page
PADDINGS = (0.18, 0.1)  # a row's padding above and below, as a share of the type size


def weekly_log(
    handout: Handout, s: Styles, template: str = "", height: float = float("inf")
) -> list[Flowable]:
    """`handout.log_weeks` pages, each a table of exercises by day and lines for notes; on pages of
    `template` (a full-width one) when given. Each week is one page (`height` tall) when a way
    of setting its table (narrower names so that a day's boxes stand side by side, less padding)
    lets it fit with three lines for notes; else (large print) it is set the way that takes
    fewest pages, its rows over them by render/rows.py, the lines for notes under the last."""

    layout, labels = s.layout, handout.labels
    size = layout.body_size
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    lines = RuledLines(width, size * 2.0)
    notes = [Spacer(1, size * 0.4), para(labels["log_notes"], s.subheading)]
    intro = [para(labels["log_title"], s.section),
             para(f"{labels['log_week_start']} {'_' * 14}. {labels['log_help']}", s.body)]  # fmt: skip
    least = measure([*intro, *notes], width) + NOTE_LINES * lines.spacing
    ways = [(share, padding, whole) for whole in (True, False) for share in NAME_SHARES
            for padding in PADDINGS]  # fmt: skip
    weeks: dict[tuple, tuple[Table, float]] = {}  # each way's whole week, made when first asked

    def week_table(way: tuple) -> tuple[Table, float]:
        if way not in weeks:
            made = _table(handout, s, width, *way)
            weeks[way] = made, made.wrap(width, 1e6)[1]
        return weeks[way]

    chosen = next((way for way in ways if least + week_table(way)[1] <= height), None)
    pages = None  # rows a page, when a week runs over pages (large print)
    if chosen is None:  # the way on fewest pages (the first of those), the notes with its rows
        tail = measure(notes, width) + NOTE_LINES * lines.spacing
        first = height - on_top(intro, width)
        found = [(way, _pages(handout, week_table(way)[0], way[2], first, height, tail))
                 for way in ways]  # fmt: skip
        chosen, pages = min(found, key=lambda found: len(found[1]))
    flowables: list[Flowable] = []
    for week in range(1, handout.log_weeks + 1):
        heading = (
            labels.fill("log_title_week", week=week) if handout.log_weeks > 1
            else labels["log_title"]
        )  # fmt: skip
        if template:
            flowables.append(NextPageTemplate(template))
        plans = split_rows(handout.plan, pages) if pages else [None]  # (None: the whole plan)
        tables = [_table(handout, s, width, *chosen, plan=None if rows is None else tuple(rows))
                  for rows in plans]  # fmt: skip
        flowables += [
            PageBreak(),
            outlined(heading, s.section),
            para(f"{labels['log_week_start']} {'_' * 14}. {labels['log_help']}", s.body),
            tables[0],
            *(part for table in tables[1:] for part in (PageBreak(), table)),
            Keep([*notes, RuledLines(width, size * 2.0)]),
        ]
    return flowables


def _pages(handout: Handout, table: Table, whole: bool, first: float, height: float,
           tail: float) -> list[int]:  # fmt: skip
    """How many of the plan's rows each page of a week holds, in `table` (its whole week, wrapped;
    `whole`: its reminders say the whole dose): as few pages as they need, the lines for notes
    under the last rows, never alone (render/rows.py)."""
    heights, at, rows = table._rowHeights, 1, []
    for row in handout.plan:  # its name's row, and its dose's under it
        count = 2 if _reminder(row, whole) else 1
        rows.append(sum(heights[at : at + count]))
        at += count
    return rows_on_pages(rows, heights[0], first, height, tail)


def _reminder(row: PlanRow, whole: bool) -> tuple[str, ...]:
    """The dose under an exercise's name: all of it, or (not `whole`) how often."""
    return (*row.how_much, *row.how_often) if whole else row.how_often


def _table(
    handout: Handout,
    s: Styles,
    width: float,
    name_share: float,
    padding: float,
    whole: bool,
    plan: tuple[PlanRow, ...] | None = None,
) -> Table:
    """The exercises by the days, the names keeping at least `name_share` of the width, each
    row `padding` times the type size above and below, under each name its whole dose (or, not
    `whole`, how often: the plan at a glance has the rest); the rows of `plan` (by default the
    handout's whole plan: its columns are set for the whole plan either way)."""
    layout, labels = s.layout, handout.labels
    size = layout.body_size
    days = labels.items("days")
    widest = max(stringWidth(day, s.fonts.bold, size) for day in days)
    most = width * (1 - name_share) / 7
    if widest + size * 1.2 > most:  # large print: "Mo", "Tu"...
        days = labels.items("days_short")
    box = box_size(size)
    times = max((max(item.times_per_day for item in row.items) for row in handout.plan),
                default=1)  # fmt: skip
    count = min(times, MOST_BOXES)
    boxes = count * box + (count - 1) * box * 0.2 + 1  # (TickBox: side by side)
    day_width = max(stringWidth(max(days, key=len) + "m", s.fonts.bold, size) + 10, size * 1.8,
                    box + 6)  # fmt: skip
    if name_share < NAME_SHARES[0]:  # narrower names: room for a day's boxes side by side
        day_width = max(day_width, boxes + 4)
    day_width = min(day_width, most)
    widest = max(stringWidth(day, s.fonts.bold, size) for day in days)
    inner = widest + 1 if name_share == NAME_SHARES[0] else max(widest + 1, boxes)
    pad = max(2.0, min(6.0, (day_width - inner) / 2))
    name_width = width - 7 * day_width
    rows = [[para(labels["log_exercise"], s.bold), *(para(day, s.bold) for day in days)]]
    spans = []
    for row in handout.plan if plan is None else plan:  # one row for a pair of alternatives
        times = max(item.times_per_day for item in row.items)
        rows.append([para(f"{row.number}. {row.title}", s.bold),
                     *(TickBox(box, times) for _ in days)])  # fmt: skip
        spans.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 1.8, INK))
        dose = _reminder(row, whole)
        if dose:  # the dose as a reminder, across the whole row under the name
            rows.append([para(" ".join(dose), s.body), *([""] * 7)])
            spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            spans.append(("NOSPLIT", (0, len(rows) - 2), (-1, len(rows) - 1)))
    table = Table(rows, colWidths=[name_width, *([day_width] * 7)], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SOFT_TINT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), size * padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * padding),
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
        ("LEFTPADDING", (1, 0), (-1, -1), pad),  # day names fit even in large print
        ("RIGHTPADDING", (1, 0), (-1, -1), pad),
        *spans,
    ]))  # fmt: skip
    return table
