"""The story: a Handout as a list of reportlab flowables. All text is escaped here, never parsed."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from handouts.compose import Handout, Item
from handouts.render.figure import FigurePair, PhotoPair
from handouts.render.qr import QrCode
from handouts.render.styles import SOFT_TINT, WARNING, WARNING_TINT, Styles
from handouts.text import markup

BLANK = "_" * 18  # a line to write on when a name was not given
QR_SIZE = 72.0  # one inch: reads at 150 dpi and from a phone held at arm's length
VIDEO_CAPTION = "Scan this code with your phone's camera to watch a video of this exercise."


def para(text: str, style) -> Paragraph:
    """A paragraph of literal text: '<b>', 'R&D' and '<img .../>' print exactly as typed."""
    return Paragraph(markup(text), style)


def labelled(label: str, text: str, s: Styles) -> Paragraph:
    """'Label: text', the label in bold. Both parts are escaped."""
    return Paragraph(f'<font name="{s.fonts.bold}">{markup(label)}</font> {markup(text)}', s.body)


def equipment_list(items: tuple[str, ...]) -> str:
    """'Exercise mat; pillow or folded towel': items after the first start in lower case."""

    def lower(text: str) -> str:
        return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text

    return "; ".join([items[0], *(lower(item) for item in items[1:])]) if items else ""


def build_story(
    handout: Handout, s: Styles, width: float, height: float = float("inf")
) -> list[Flowable]:
    """The handout as flowables for a frame `width` wide; an exercise block is kept to `height`
    (a page's frame) by drawing its pictures smaller, so it is not split across pages."""
    story: list[Flowable] = [para(handout.title, s.title), _who_and_when(handout, s, width)]
    if handout.intro:
        story.append(para(handout.intro, s.body))
    story += [Spacer(1, s.layout.body_size * 0.5), _red_flags(handout, s, width)]
    story.append(_safety(handout, s))
    for item in handout.items:
        story.append(_exercise(item, s, width, height))
    if handout.notes:
        story += _notes(handout, s)
    return story


def _who_and_when(handout: Handout, s: Styles, width: float) -> Flowable:
    """'For: ... Therapist: ... Date: ...', with a line to write on where a name was not given."""
    date = f"{handout.date:%B} {handout.date.day}, {handout.date.year}"
    size = s.layout.body_size
    date_width = stringWidth("Date: " + date, s.fonts.bold, size) + size
    cells = [
        labelled("For:", handout.patient or BLANK, s),
        labelled("Therapist:", handout.therapist or BLANK, s),
        labelled("Date:", date, s),
    ]
    name_width = (width - date_width) / 2
    table = Table([cells], colWidths=[name_width, name_width, date_width], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.6),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.5),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    return table


class WarningIcon(Flowable):
    """A filled triangle with '!', drawn with the page's own font: reads in black and white."""

    def __init__(self, size: float, font: str) -> None:
        super().__init__()
        self.size = size
        self.font = font

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size * 0.9

    def draw(self) -> None:
        c, size = self.canv, self.size
        c.saveState()
        c.setFillColor(WARNING)
        c.setStrokeColor(WARNING)
        c.setLineJoin(1)
        path = c.beginPath()
        path.moveTo(0, 0)
        path.lineTo(size, 0)
        path.lineTo(size / 2, size * 0.9)
        path.close()
        c.drawPath(path, stroke=1, fill=1)
        c.setFillColor(colors.white)
        c.setFont(self.font, size * 0.62)
        c.drawCentredString(size / 2, size * 0.14, "!")
        c.restoreState()


def _bullets(items, s: Styles, bullet: str = "•") -> ListFlowable:
    return ListFlowable(
        [ListItem(para(text, s.list_item), value=bullet) for text in items],
        bulletType="bullet",
        start=bullet,
        bulletFontName=s.fonts.bold,
        bulletFontSize=s.layout.body_size,
        leftIndent=s.layout.body_size * 1.3,
    )


def _red_flags(handout: Handout, s: Styles, width: float) -> Flowable:
    d = handout.disclaimers
    icon_size = s.layout.heading_size * 1.4
    heading = Table(
        [[WarningIcon(icon_size, s.fonts.bold), para(d.red_flags_title, s.warning_heading)]],
        colWidths=[icon_size + 8, None],
    )
    heading.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    rows = [[heading], [_bullets(d.red_flags, s)]]
    if d.red_flags_action:
        rows.append([para(d.red_flags_action, s.warning_action)])
    box = Table(rows, colWidths=[width], splitInRow=1)
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 3, WARNING),
                ("BACKGROUND", (0, 0), (-1, -1), WARNING_TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    return box


def _safety(handout: Handout, s: Styles) -> Flowable:
    d = handout.disclaimers
    return KeepTogether([para(d.safety_title, s.section), _bullets(d.safety, s)])


def _exercise(item: Item, s: Styles, width: float, height: float) -> Flowable:
    """Title and purpose across the page; steps on the left, dose, tips and cautions on the right."""
    e = item.exercise
    size = s.layout.body_size
    parts: list[Flowable] = []
    if item.label:  # the first line of a block gets the space above it (dropped at a page top)
        parts += [para(item.label, s.section_label), para(f"{item.number}. {e.title}", s.heading)]
    else:
        parts.append(para(f"{item.number}. {e.title}", s.section))
    parts.append(labelled("Why:", e.purpose, s))
    if e.position:
        parts.append(labelled("Position:", e.position, s))
    if e.equipment:
        parts.append(labelled("You need:", equipment_list(e.equipment), s))
    picture_at = len(parts)
    steps: list[Flowable] = [
        para("Steps", s.subheading),
        ListFlowable(
            [ListItem(para(step, s.list_item)) for step in e.steps],
            bulletType="1",
            bulletFormat="%s.",
            bulletFontName=s.fonts.bold,
            bulletFontSize=size,
            leftIndent=size * 1.6,
        ),
    ]
    side: list[Flowable] = _dose_box(item, s) if item.dose else []
    if e.tips:
        side += [para("Tips", s.subheading), _bullets(e.tips, s)]
    if e.cautions:
        side += [para("Be careful", s.caution_heading), _bullets(e.cautions, s)]
    if e.video:
        side.append(_video(e.video, s, width * 0.46))
    gap = size
    columns = Table([[steps, side]], colWidths=[width * 0.54, width * 0.46], splitInRow=1)
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), gap),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    parts.append(columns)
    parts += [para(link, s.body) for link in item.links]
    # the pictures take what room is left on one page, down to 60% of their full height
    room = height - _height(parts, width) - size * 0.8
    picture_height = min(s.layout.figure_height, max(room, s.layout.figure_height * 0.6))
    picture = picture_for(item, s, width, picture_height)
    if picture is not None:
        parts[picture_at:picture_at] = [Spacer(1, size * 0.3), picture, Spacer(1, size * 0.5)]
    return KeepTogether(parts)


def _height(parts: list[Flowable], width: float) -> float:
    """How tall these flowables are, stacked, in a frame `width` wide."""
    total = 0.0
    for part in parts:
        total += part.wrap(width, 1e6)[1] + part.getSpaceBefore() + part.getSpaceAfter()
    return total


def picture_for(
    item: Item, s: Styles, width: float, height: float | None = None
) -> Flowable | None:
    """The clinic's own pictures when it gave them, else the line-art figure, else nothing."""
    e = item.exercise
    height = s.layout.figure_height if height is None else height
    if not s.layout.figure_height:
        return None
    if e.images:
        what = f"exercise '{e.id}' ({e.origin})"
        return PhotoPair(e.images, what, width, height, s.fonts.bold, s.layout.body_size)
    if e.figure is not None:
        return FigurePair(e.figure, width, height, s.fonts.bold, s.layout.body_size, s.accent)
    return None


def _video(link: str, s: Styles, width: float) -> Flowable:
    """A QR code and a line saying what it is for."""
    size = QR_SIZE
    table = Table(
        [[QrCode(link, size), para(VIDEO_CAPTION, s.body)]], colWidths=[size + 8, width - size - 8]
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), s.layout.body_size * 0.6),
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
    ]))  # fmt: skip
    return table


def _dose_box(item: Item, s: Styles) -> list[Flowable]:
    rows = [[para("How much", s.subheading)]] + [[para(line, s.body)] for line in item.dose]
    box = Table(rows, colWidths=["100%"], splitInRow=1, hAlign="LEFT")
    size = s.layout.body_size
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SOFT_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 4, s.primary),
                ("LEFTPADDING", (0, 0), (-1, -1), size * 0.8),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), size * 0.5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), size * 0.4),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    return [Spacer(1, size * 0.3), box, Spacer(1, size * 0.2)]


def _notes(handout: Handout, s: Styles) -> list[Flowable]:
    """The therapist's notes, one paragraph per blank-line-separated block; long notes flow on."""
    blocks = [b.strip("\n") for b in handout.notes.split("\n\n") if b.strip()]
    return [para("Notes from your therapist", s.section), *(para(b, s.body) for b in blocks)]
