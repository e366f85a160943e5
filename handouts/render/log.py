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

from handouts.compose import Handout
from handouts.render.paragraphs import Keep, para
from handouts.render.styles import INK, PAPERS, RULE, SOFT_TINT, Styles

NOTE_LINES = 3


class TickBox(Flowable):
    """An empty square to tick, drawn (not a font glyph), centred in its cell."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.cell_width = available_width
        return available_width, self.size

    def draw(self) -> None:
        left = (self.cell_width - self.size) / 2
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1.2)
        self.canv.roundRect(left, 0, self.size, self.size, 2, stroke=1, fill=0)


def weekly_log(handout: Handout, s: Styles, template: str = "") -> list[Flowable]:
    """`handout.log_weeks` pages, each a table of exercises by day and lines for notes; on pages of
    `template` (a full-width one) when given."""

    layout, labels = s.layout, handout.labels
    size = layout.body_size
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    days = labels.items("days")
    widest = max(stringWidth(day, s.fonts.bold, size) for day in days)
    if widest + size * 1.2 > width * 0.6 / 7:  # large print: "Mo", "Tu"...
        days = labels.items("days_short")
    day_width = max(stringWidth(max(days, key=len) + "m", s.fonts.bold, size) + 10, size * 1.8)
    day_width = min(day_width, width * 0.6 / 7)  # the exercise's name keeps 40% of the width
    widest = max(stringWidth(day, s.fonts.bold, size) for day in days)
    padding = max(2.0, min(6.0, (day_width - widest) / 2 - 0.5))
    name_width = width - 7 * day_width
    flowables: list[Flowable] = []
    for week in range(1, handout.log_weeks + 1):
        heading = (
            labels.fill("log_title_week", week=week) if handout.log_weeks > 1
            else labels["log_title"]
        )  # fmt: skip
        rows = [[para(labels["log_exercise"], s.bold), *(para(day, s.bold) for day in days)]]
        spans = []
        for row in handout.plan:  # the exercises to do: one row for a pair of alternatives
            rows.append([para(f"{row.number}. {row.title}", s.bold),
                         *(TickBox(size * 1.15) for _ in days)])  # fmt: skip
            spans.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 1.8, INK))
            dose = (*row.how_much, *row.how_often)
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
            ("TOPPADDING", (0, 0), (-1, -1), size * 0.18),
            ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.18),
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ("LEFTPADDING", (1, 0), (-1, -1), padding),  # day names fit even in large print
            ("RIGHTPADDING", (1, 0), (-1, -1), padding),
            *spans,
        ]))  # fmt: skip
        lines = Table([[""]] * NOTE_LINES, colWidths=[width], rowHeights=[size * 2.0] * NOTE_LINES)
        lines.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, -1), 0.8, RULE),
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
        ]))  # fmt: skip
        if template:
            flowables.append(NextPageTemplate(template))
        flowables += [
            PageBreak(),
            para(heading, s.section),
            para(f"{labels['log_week_start']} {'_' * 14}. {labels['log_help']}", s.body),
            table,
            Keep([Spacer(1, size * 0.4), para(labels["log_notes"], s.subheading), lines]),
        ]
    return flowables
