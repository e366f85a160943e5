"""The story: a Handout as a list of reportlab flowables. All text is escaped here, never parsed."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
    TableStyle,
)

from handouts.compose import Handout, Item
from handouts.render.cards import MOVE_ON, RUN_ON, Card, stacked
from handouts.render.figure import (
    FLOOR_SHARE,
    ArrowKey,
    FigurePair,
    StartEndPanels,
    body_floor,
    body_length,
)
from handouts.render.log import weekly_log
from handouts.render.memo import value_key
from handouts.render.paragraphs import (
    Keep,
    Kept,
    ListItem,
    Para,
    Size,
    flowing,
    labelled,
    measure,
    outlined,
    para,
    sizes,
)
from handouts.render.photos import PhotoPair, photo_height
from handouts.render.qr import QrCode
from handouts.render.styles import SOFT_TINT, WARNING, WARNING_TINT, Styles, tighter
from handouts.render.summary import choice_boxes, summary
from handouts.render.tables import SplittingTable
from handouts.text import markup

SPLITS = (0.54, 0.58, 0.62, 0.5, 0.46)  # the steps' share of a card's width: the usual one, then
# more for the steps, then more for the dose column
BLANK = "_" * 18  # a line to write on when a name was not given
UNDER_FLOOR = 0.6  # a standard card's pictures go under their floor, down to this share of their
# height, rather than the card be split over pages (README, Pictures)
SPARE = 0.5  # points a card made to fit its room by its pictures' height leaves (no float's edge)
QR_SIZE = 72.0  # one inch: reads at 150 dpi and from a phone held at arm's length


def equipment_list(items: tuple[str, ...]) -> str:
    """'Exercise mat; pillow or folded towel': items after the first start in lower case."""

    def lower(text: str) -> str:
        return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text

    return "; ".join([items[0], *(lower(item) for item in items[1:])]) if items else ""


def build_story(
    handout: Handout, s: Styles, width: float, height: float = float("inf")
) -> list[Flowable]:
    """The whole handout in one column `width` wide (see front_matter and exercises)."""
    return front_matter(handout, s, width) + exercises(handout, s, width, height)


def page_one_heights(handout: Handout, s: Styles, width: float) -> list[float]:
    """How tall what must be on page 1 is, at the least (set a little tighter, as front_matter
    may; the first page's header shrinks until it fits under it: render/pdf.py): the title, who
    and when and the whole red-flag box; else the title, the patient's line and the box; else
    the title and the box."""
    return [measure(kept, width) for kept, _ in _page_one(handout, tighter(s), width)]


def _page_one(handout: Handout, s: Styles, width: float) -> list[tuple[list, list]]:
    """Each way page 1 may hold its must-haves, most first: (what must be on page 1, the
    story's start with it): see front_matter."""
    title, box = para(handout.title, s.title), _red_flags(handout, s, width)
    patient, rest = _who_and_when(handout, s, width)
    gap = Spacer(1, s.layout.body_size * 0.8)
    return [
        ([title, patient, *rest, box], [title, Keep([patient, *rest]), Keep(box), gap]),
        ([title, patient, box], [title, patient, Keep(box), gap, Keep(rest)]),
        ([title, box], [title, Keep(box), gap, Keep([patient, *rest])]),
    ]


def front_matter(
    handout: Handout, s: Styles, width: float, room: float = float("inf")
) -> list[Flowable]:
    """Page 1's full-width top: title, who and when, the red-flag box, the intro, the safety list.

    The red-flag box is on page 1 (`room` high), whole, under the title and who and when: the
    header shrinks first (render/pdf.py), and these are set a little tighter (styles.tighter:
    never smaller type) when only that keeps them on page 1; only when they do not fit even
    then do the therapist and date go after the box, then the patient's line too; and when the
    box does not fit whole at all (a layout with giant type), it breaks between two signs."""
    layout = s.layout
    story: list[Flowable] = []
    for way in range(3):
        for styles in (s, tighter(s)):
            kept, start = _page_one(handout, styles, width)[way]
            if measure(kept, width) <= room:
                story = start
                break
        if story:
            break
    if not story:
        title, box = para(handout.title, s.title), _red_flags(handout, s, width)
        patient, rest = _who_and_when(handout, s, width)
        story = [title, box, Spacer(1, layout.body_size * 0.8), Keep([patient, *rest])]
    if handout.intro and layout.shows("intro"):
        story.append(para(handout.intro, s.body))
    if handout.notes and layout.shows("notes"):
        story += _notes(handout, s)  # the therapist's words on page 1, before any card
    if layout.shows("safety") and layout.style == "brief":  # one paragraph on a reminder sheet
        d = handout.disclaimers
        title = handout.labels.fill("label", label=d.safety_title.rstrip(":"))
        story.append(labelled(title, " ".join(d.safety), s))
    elif layout.shows("safety"):
        story += _safety(handout, s)
    if layout.shows("safety"):  # who "call your doctor or physical therapist" means
        story.append(contact_line(handout, s))
    return story


def contact_line(handout: Handout, s: Styles) -> Flowable:
    """The number to call: the brand's phone, or a line to write it on."""
    labels, brand = handout.labels, handout.brand
    if brand.phone:
        return para(labels.fill("contact_phone", clinic=brand.name, phone=brand.phone), s.bold)
    return labelled(labels["contact_line"], BLANK, s, remember=False)


def exercises(
    handout: Handout,
    s: Styles,
    width: float,
    height: float = float("inf"),
    log_template: str = "",
    first: tuple[list[Flowable], list[Size], list[int]] | None = None,
) -> list[Flowable]:
    """The exercise cards, each kept together within `height` (a frame `width` wide: a page, or a
    column), then the summary at a glance and the weekly log (on pages of `log_template` when given).
    `first`: the first card as first_card_under made it, to start under page 1's front matter
    where that spilled onto the next page."""
    layout = s.layout
    story: list[Flowable] = []
    pictures: dict[str, StartEndPanels] = {}  # each card's picture: the summary's thumbnails
    for index, item in enumerate(handout.items):
        if index == 0 and first is not None:
            card, card_sizes, breaks = first
        else:
            card, card_sizes, breaks = _exercise(item, s, width, height)
        whole = layout.columns == 1 and layout.arrangement == "side"  # standard: never split
        if whole:  # when it fits on a page (measured as platypus stacks it, not the sum)
            card, card_sizes, breaks = _on_one_page(item, s, width, height,
                                                    (card, card_sizes, breaks))  # fmt: skip
        picture = next((part for part in card if isinstance(part, StartEndPanels)), None)
        if picture is not None:
            pictures[item.number] = picture
        if whole:
            fits = stacked(card_sizes) <= height
        else:
            fits = sum(sum(size) for size in card_sizes) <= height and layout.columns == 1
        if fits:
            story.append(Kept(card, card_sizes, width))
        else:  # taller than a page (large print), or in columns that start shorter on page 1:
            # runs on in whole groups, its title repeated
            move_on = RUN_ON if layout.columns == 1 else MOVE_ON  # (see render/cards.py)
            story.append(Card(card, card_sizes, breaks, _continued(item, s), width, height,
                              line=s.body.leading, move_on=move_on))  # fmt: skip
    if layout.shows("summary"):
        story += summary(handout, s, log_template, pictures, height)
    if handout.log_weeks:
        story += weekly_log(handout, s, log_template, height)
    return story


def first_card_under(
    handout: Handout, s: Styles, width: float, height: float, room: float
) -> tuple[list[Flowable], list[Size], list[int]] | None:
    """The first exercise card made to fit whole in `room` (what page 1's front matter left
    on the page it spilled onto; a page is `height`): its pictures down to their floor and no
    further (least_picture_height), then set a little tighter (styles.tighter: never smaller
    type); else None (it starts on the next page, as before). Measured as platypus stacks it
    under the spilled lines (_under), not as the sum of its parts' spaces."""
    if not handout.items:
        return None
    item = handout.items[0]
    least = least_picture_height(item, s, width) if s.layout.shows("figures") else 0.0
    # (then with less space around its headings and list items)
    for styles, made_for, keep_floor in ((s, height, False), (s, room, True),
                                         (tighter(s), room, True)):  # fmt: skip
        card = _exercise(item, styles, width, made_for, keep_floor=keep_floor)
        fitted = _shrunk(item, styles, width, room, card, least, _under)
        if fitted is not None:
            return fitted
    return None


def _under(part_sizes: list[Size]) -> float:
    """How tall a card of parts of these sizes is under something already on the page: stacked
    as platypus stacks it, with the space above its title."""
    return stacked(part_sizes) + (part_sizes[0][1] if part_sizes else 0.0)


def _on_one_page(
    item: Item, s: Styles, width: float, height: float, card: tuple
) -> tuple[list[Flowable], list[Size], list[int]]:
    """A standard card (one column, the steps beside the dose and tips) made to fit on a page
    `height` tall when it can, measured as platypus stacks it: as `card` was made; else with its
    pictures smaller, down to their floor (least_picture_height); else set a little tighter
    (styles.tighter: never smaller type); else with its pictures under their floor as far as
    the page needs, down to UNDER_FLOOR of their height. `card` itself when none fits (then it
    runs on over pages, its title repeated)."""
    if stacked(card[1]) <= height:
        return card
    least = least_picture_height(item, s, width) if s.layout.shows("figures") else 0.0
    tight = tighter(s)
    lowest = _picture_height(item, s) * UNDER_FLOOR
    for styles, made, floor in ((s, card, least), (tight, None, least), (tight, None, lowest)):
        made = made or _exercise(item, styles, width, height)
        fitted = _shrunk(item, styles, width, height, made, floor)
        if fitted is not None:
            return fitted
    return card


def _shrunk(
    item: Item, s: Styles, width: float, height: float, card: tuple, floor: float, tall=stacked
) -> tuple[list[Flowable], list[Size], list[int]] | None:
    """`card` with its pictures made smaller, to no less than `floor` high, so that it fits in
    `height` (as platypus stacks it, or as `tall` measures it); None when it cannot."""
    for _ in range(3):  # (a figure's frames are as tall as its drawing needs: a second try)
        parts, part_sizes, _ = card
        over = tall(part_sizes) - height
        if over <= 0:
            return card
        drawn = next((size[0] for part, size in zip(parts, part_sizes, strict=True)
                      if isinstance(part, StartEndPanels)), None)  # fmt: skip
        if drawn is None or drawn - over < floor - 0.01:
            return None
        card = _exercise(item, s, width, height, pictures=max(drawn - over - SPARE, floor))
    return card if tall(card[1]) <= height else None


def _continued(item: Item, s: Styles):
    """What makes the title that starts each page an exercise's card runs on to."""
    title = s.labels.fill("continued", title=f"{item.number}. {item.exercise.title}")
    return lambda: para(title, s.heading)


def _who_and_when(handout: Handout, s: Styles, width: float) -> tuple[Flowable, list[Flowable]]:
    """'For: ... Therapist: ... Date: ...' on one row when it fits (and nothing else), else the
    patient's line and the others, one line each; a line to write on where a name was not
    given."""
    labels = handout.labels
    size = s.layout.body_size
    pairs = [(labels.label("patient"), handout.patient or BLANK),
             (labels.label("therapist"), handout.therapist or BLANK),
             (labels.label("date"), labels.date(handout.date))]  # fmt: skip
    needed = [stringWidth(f"{label} {text}", s.fonts.bold, size) + size for label, text in pairs]
    # a name typed is not kept for the process (see Para); the date and a blank line are
    names = (handout.patient, handout.therapist, None)
    kept = [not name for name in names]
    if sum(needed) > width:
        lines = [labelled(label, text, s, remember=keep)
                 for (label, text), keep in zip(pairs, kept, strict=True)]  # fmt: skip
        return lines[0], [*lines[1:], Spacer(1, size * 0.3)]
    spare = (width - sum(needed)) / 2
    widths = [needed[0] + spare, needed[1] + spare, needed[2]]
    cells = [labelled(label, text, s, remember=keep)
             for (label, text), keep in zip(pairs, kept, strict=True)]  # fmt: skip
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.5),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    return table, []


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


def _bullets(items, s: Styles, kind: type[Para] = Para) -> list[Flowable]:
    """A bulleted list: one paragraph per item, the bullet drawn by the paragraph itself."""
    return [kind(markup(text), s.bulleted, bulletText="•") for text in items]


def _numbered(items, s: Styles) -> list[Flowable]:
    return [Para(markup(text), s.numbered, bulletText=f"{n}.") for n, text in enumerate(items, 1)]


def _red_flags(handout: Handout, s: Styles, width: float) -> Flowable:
    d = handout.disclaimers
    icon_size = s.layout.heading_size * 1.4
    heading = Table(
        [[WarningIcon(icon_size, s.fonts.bold), outlined(d.red_flags_title, s.warning_heading)]],
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
    rows = [[heading], *([item] for item in _bullets(d.red_flags, s))]
    if d.red_flags_action:
        rows.append([para(d.red_flags_action, s.warning_action)])
    box = Table(rows, colWidths=[width], repeatRows=1)  # a row a sign: never split inside one
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


def _safety(handout: Handout, s: Styles) -> list[Flowable]:
    """'Before you start': the heading stays with its first item, in the standard layout (the
    steps beside the dose) with its first two (never a page that ends with the heading and one
    item); the list may run on a page between items, each moving on whole (ListItem), never
    split mid-sentence."""
    d = handout.disclaimers
    items = _bullets(d.safety, s, ListItem)
    if s.layout.arrangement == "side":
        return [Keep([para(d.safety_title, s.section), *items[:2]]), *items[2:]]
    return [para(d.safety_title, s.section), *items]  # (large print: its own breaks)


def _exercise(
    item: Item,
    s: Styles,
    width: float,
    height: float,
    keep_floor: bool = False,
    pictures: float | None = None,
) -> tuple[list[Flowable], list[Size], list[int]]:
    """One exercise, kept together, the size of each of its parts (title, why, pictures, then
    the steps with the dose, tips and cautions beside them (arrangement: side) or below them
    (stacked)), and where a card taller than a page may break: before the steps, after the
    dose box, before the tips, the cautions, the video and each link. `keep_floor`: the pictures
    never go under their floor (least_picture_height), even when the card then does not fit.
    `pictures`: the pictures this tall whatever the room, under their floor too (_on_one_page:
    a standard card fitted to its page)."""
    e, layout, labels = item.exercise, s.layout, s.labels
    size = layout.body_size
    parts: list[Flowable] = []
    if item.label:  # the first line of a block gets the space above it (dropped at a page top)
        parts += [
            para(item.label, s.section_label),
            outlined(f"{item.number}. {e.title}", s.heading),
        ]
    else:
        parts.append(outlined(f"{item.number}. {e.title}", s.section))
    if item.chosen:  # "Your therapist chose this one for you, not Cobra pose.": first
        parts.append(para(item.chosen, s.bold))
    if layout.shows("purpose"):
        parts.append(labelled(labels.label("why"), e.purpose, s))
    if e.position and layout.shows("position"):
        parts.append(labelled(labels.label("position"), e.position, s))
    if e.equipment and layout.shows("equipment"):
        parts.append(labelled(labels.label("equipment"), equipment_list(e.equipment), s))
    if item.facts:  # level and muscles: one line, in every layout
        parts.append(para(item.facts, s.body))
    if item.pick:  # alternatives nobody chose between: the therapist ticks one on the paper
        parts.append(choice_boxes(item.pick, labels, s))
    picture_at = len(parts)
    head = parts
    links = [para(link, s.body) for link in item.links] if layout.shows("links") else []
    full = _picture_height(item, s)
    least = least_picture_height(item, s, width) if layout.shows("figures") else 0.0
    # the arrow key, once in the handout: over the first pictures with arrows (after the front
    # matter it could be left alone on a page of its own); its line comes out of the text's room
    key = _arrow_key(item, s)
    key_height = key.wrap(width, height)[1] if key is not None else 0.0
    # the pictures take what room is left on one page, down to the least that keeps the body at
    # its floor (least_picture_height); when that does not fit, the card's text shrinks first:
    # a video's QR code goes under the steps instead of the dose column, the two columns share
    # the width another way, How much (then the tips too) goes under the steps; when nothing
    # fits (large print), the card runs over pages with its pictures at full size
    if layout.style == "brief":
        brief = _brief(item, s)
        parts = head + brief + links
        part_sizes = sizes(parts, width)
        together = 1 + bool(item.dose) + bool(item.notes)  # the steps with their dose
        groups = [together] + [1] * (len(brief) - together + len(links))
    else:
        steps, side = _full(item, s)
        limit = height - least - key_height - size * 0.8  # the most text that leaves the room
        parts, part_sizes = _arranged(item, steps, side, s, width, head, links, limit)
        groups = _groups(item, steps, side, s) + [1] * len(links)
    room = height - _tall(part_sizes) - size * 0.8 - key_height
    picture_height = min(full, room) if room >= least else max(least, full - key_height)
    if room < least and layout.arrangement == "side" and room >= full * 0.6 and not keep_floor:
        # the standard layout's promise (a card never split over pages) wins over the floor:
        # a card whose text leaves less room even after it shrank (a long clinic exercise with
        # a video) keeps its pictures down to 60% of their height, as before
        picture_height = room
    if pictures is not None:
        picture_height = min(pictures, full)
    picture = picture_for(item, s, width, picture_height) if layout.shows("figures") else None
    if isinstance(picture, FigurePair):  # what the body must be drawn at (bench, tests)
        target = body_target(item, s, width)
        under = pictures is not None and pictures < least  # (on purpose: _on_one_page)
        for taller in (least, full):  # (a second view under or beside: not always monotonic)
            if under or body_length(picture) >= target - 0.01:
                break
            if taller > picture_height:
                picture_height = taller
                picture = picture_for(item, s, width, picture_height)
        picture.body_target = target
    if picture is not None:
        drawn = picture.wrap(width, height)[1]
        keyed = [key, picture] if key is not None and isinstance(picture, FigurePair) else [picture]
        parts[picture_at:picture_at] = [Spacer(1, size * 0.3), *keyed, Spacer(1, size * 0.5)]
        part_sizes[picture_at:picture_at] = [
            (size * 0.3, 0.0, 0.0),
            *([(key_height, 0.0, 0.0)] if len(keyed) > 1 else []),
            (drawn, 0.0, 0.0),
            (size * 0.5, 0.0, 0.0),
        ]
    breaks, at = [], len(parts) - sum(groups)
    for count in groups:
        breaks.append(at)
        at += count
    return parts, part_sizes, breaks


_ARRANGED: dict[tuple, tuple[float, bool, int]] = {}  # _arranged's choices, by _card_key
_STYLE_KEYS: dict[object, int] = {}  # each styles' value key, by a number (the keys stay small)
_LAST_STYLES: list = [None, 0]  # the styles last asked about (kept alive here) and their number
ARRANGED_MAX = 256  # choices remembered (~6 KB each); then it starts over
STYLES_MAX = 16  # styles numbered (~60 KB each: every attribute of every style, the labels)


def _arranged(
    item: Item,
    steps: list[Flowable],
    side: list[Flowable],
    s: Styles,
    width: float,
    head: list[Flowable],
    links: list[Flowable],
    limit: float,
) -> tuple[list[Flowable], list[Size]]:
    """A card's parts (`head`, the steps and the side column arranged, `links`) and their sizes:
    the steps taking SPLITS[0] of the width, the video's QR code in the side column; when its
    text is then taller than `limit` (side by side): the video's QR code under the steps, the
    two columns sharing the width another way, How much (then the tips too) under the steps;
    each kept when shorter, until one fits.

    Each try is a table made and measured (every cell wrapped): the arrangement chosen is
    remembered for the process by the card's value (_card_key: the same card in the next handout
    of a batch, or tried again in a smaller room, is made and measured once)."""
    beside = s.layout.arrangement == "side"
    key = _card_key(item, s, width, limit) if beside else None
    chosen = _ARRANGED.get(key) if key is not None else None
    if chosen is not None:
        parts = head + _arrange(item, steps, side, s, width, *chosen) + links
        return parts, sizes(parts, width)
    parts = head + _arrange(item, steps, side, s, width, SPLITS[0]) + links
    part_sizes = sizes(parts, width)
    chosen = (SPLITS[0], False, 0)
    if _tall(part_sizes) <= limit or not beside:
        _remember(key, chosen)
        return parts, part_sizes
    left = False  # the video's QR code under the steps
    if item.exercise.video:
        candidate = head + _arrange(item, steps, side, s, width, SPLITS[0], True) + links
        candidate_sizes = sizes(candidate, width)
        if _tall(candidate_sizes) < _tall(part_sizes):
            parts, part_sizes, left = candidate, candidate_sizes, True
            chosen = (SPLITS[0], True, 0)
    for split in _other_splits(item, steps, side, s, width, _tall(part_sizes) - limit):
        candidate = head + _arrange(item, steps, side, s, width, split, left) + links
        candidate_sizes = sizes(candidate, width)
        if _tall(candidate_sizes) < _tall(part_sizes):
            parts, part_sizes, chosen = candidate, candidate_sizes, (split, left, 0)
        if _tall(part_sizes) <= limit:
            break
    for moved in range(1, len(_side_groups(side, s)) + 1):  # How much, then the tips too, under
        if _tall(part_sizes) <= limit:  # the steps
            break
        for split in SPLITS:
            candidate = head + _arrange(item, steps, side, s, width, split, left, moved)
            candidate_sizes = sizes(candidate + links, width)
            if _tall(candidate_sizes) < _tall(part_sizes):
                parts, part_sizes, chosen = candidate + links, candidate_sizes, (split, left, moved)
            if _tall(part_sizes) <= limit:
                break
    _remember(key, chosen)
    return parts, part_sizes


def _remember(key: tuple | None, chosen: tuple[float, bool, int]) -> None:
    if key is None:  # (nothing to remember it by: see _card_key)
        return
    if len(_ARRANGED) >= ARRANGED_MAX:
        _ARRANGED.clear()
    _ARRANGED[key] = chosen


def _card_key(item: Item, s: Styles, width: float, limit: float) -> tuple | None:
    """What a card's arrangement depends on, by value (render/memo.py): every field of the item
    and its exercise, every style, the layout, fonts and labels, the frame's width and the room
    for its text; None when something in them has no value key, or the card holds one patient's
    text (the therapist's note: never kept for the process, as paragraphs.Para's cache does not
    keep it), so that nothing is remembered."""
    if item.notes:
        return None
    try:
        if _LAST_STYLES[0] is not s:  # (a handout's cards share its styles: their value is found
            # once; styles are never changed once made, as paragraphs.Para's cache relies on)
            styles = value_key(s)
            number = _STYLE_KEYS.get(styles)
            if number is None:
                if len(_STYLE_KEYS) >= STYLES_MAX:  # (the numbers start over, with the choices)
                    _STYLE_KEYS.clear()
                    _ARRANGED.clear()
                number = _STYLE_KEYS[styles] = len(_STYLE_KEYS)
            _LAST_STYLES[:] = [s, number]
        return (value_key(item), _LAST_STYLES[1], width, limit)
    except TypeError:
        return None


def _arrow_key(item: Item, s: Styles) -> Flowable | None:
    """'Arrows show which way to move.' for the item that carries the handout's arrow key."""
    layout = s.layout
    if not item.arrow_key or not layout.shows("figures") or not layout.figure_height:
        return None
    return ArrowKey(item.arrow_key, s.fonts.bold, layout.body_size, s.accent)


def _groups(item: Item, steps: list[Flowable], side: list[Flowable], s: Styles) -> list[int]:
    """How many flowables each group after the pictures holds: the steps with the dose box
    under them (stacked), the tips, the cautions, the video; side by side, the one table."""
    if s.layout.arrangement == "side":
        return [1]
    dose = 3 if (item.dose or item.notes) else 0  # (_dose_box: a spacer, the box, a spacer)
    groups = [len(steps) + dose]
    rest = side
    while rest:  # a heading and its items
        n = 1 + next((i for i, p in enumerate(rest[1:]) if getattr(p, "style", None) is not
                      s.bulleted), len(rest) - 1)  # fmt: skip
        groups.append(n)
        rest = rest[n:]
    if item.exercise.video and s.layout.shows("qr"):
        groups.append(1)
    return groups


def _tall(part_sizes: list[Size]) -> float:
    """How tall flowables of these sizes are, stacked (as `measure`)."""
    return sum(sum(size) for size in part_sizes)


def _full(item: Item, s: Styles) -> tuple[list[Flowable], list[Flowable]]:
    """Numbered steps; the tips and cautions to go beside them or below them (under the dose
    box, which _arrange makes for the column's width: a table keeps the first width it is
    given)."""
    e, layout, labels = item.exercise, s.layout, s.labels
    steps: list[Flowable] = [para(labels["steps"], s.subheading), *_numbered(e.steps, s)]
    side: list[Flowable] = []
    if e.tips and layout.shows("tips"):
        side += [para(labels["tips"], s.subheading), *_bullets(e.tips, s)]
    if e.cautions and layout.shows("cautions"):
        side += [para(labels["cautions"], s.caution_heading), *_bullets(e.cautions, s)]
    return steps, side


def _other_splits(
    item: Item, steps: list[Flowable], side: list[Flowable], s: Styles, width: float, over: float
) -> tuple[float, ...]:
    """Other shares of the width for the steps, when the card is `over` too tall with the usual
    one: those that give the taller column more room, if evening the columns could win that."""
    if over <= 0 or s.layout.arrangement != "side":
        return ()
    split = SPLITS[0]
    steps_height = measure(steps, width * split - s.layout.body_size)
    side_height = measure(_side(item, side, s, width * (1 - split)), width * (1 - split))
    if over > abs(steps_height - side_height) / 2:
        return ()
    return SPLITS[1:3] if steps_height > side_height else SPLITS[3:]


def _side(
    item: Item,
    side: list[Flowable],
    s: Styles,
    width: float,
    video: bool = True,
    dose: bool = True,
) -> list[Flowable]:
    """The dose box (unless not `dose`), tips, cautions and (unless not `video`) the video's QR
    code, in a column `width` wide."""
    if dose and (item.dose or item.notes):
        side = [*_dose_box(item, s), *side]
    if video and item.exercise.video and s.layout.shows("qr"):
        side = [*side, _video(item.exercise.video, s, width)]
    return side


def _side_groups(side: list[Flowable], s: Styles) -> list[list[Flowable]]:
    """The tips and the cautions: each heading with its items."""
    groups: list[list[Flowable]] = []
    for part in side:
        if getattr(part, "style", None) is s.bulleted and groups:
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def _arrange(
    item: Item,
    steps: list[Flowable],
    side: list[Flowable],
    s: Styles,
    width: float,
    split: float,
    video_left: bool = False,
    moved: int = 0,
) -> list[Flowable]:
    """The steps and the side column (with the video's QR code, or the steps with it when
    `video_left`) beside each other, the steps taking `split` of the width, the first `moved`
    groups of the side column (How much, then the tips) under the steps; or one below the
    other (arrangement: stacked)."""
    beside = s.layout.arrangement == "side"
    if beside and moved:  # How much (then the tips) under the steps: the reading order stays
        # steps, How much, tips, cautions (as the HTML copy's)
        groups = _side_groups(side, s)
        dose = _dose_box(item, s) if item.dose or item.notes else []
        under = [*dose, *(part for group in groups[: moved - 1] for part in group)]
        steps = [*steps, *under]
        side = [part for group in groups[moved - 1 :] for part in group]
        return [_side_by_side(steps, _side(item, side, s, width * (1 - split), True, False),
                              width, s, split)]  # fmt: skip
    left = video_left and beside and item.exercise.video and s.layout.shows("qr")
    if left:
        steps = [*steps, _video(item.exercise.video, s, width * split - s.layout.body_size)]
    side = _side(item, side, s, width * (1 - split) if beside else width, video=not left)
    return [_side_by_side(steps, side, width, s, split)] if beside else steps + side


def _brief(item: Item, s: Styles) -> list[Flowable]:
    """The same content run on as paragraphs: '1. Lie down. 2. Bend one knee.' for a reminder."""
    e, layout, labels = item.exercise, s.layout, s.labels
    # a no-break space keeps each step's number with its first word
    run_on = " ".join(f"{n}.\u00a0{step}" for n, step in enumerate(e.steps, 1))
    parts: list[Flowable] = [labelled(labels.label("steps"), run_on, s)]
    if item.dose:
        parts.append(labelled(labels.label("how_much"), " ".join(item.dose), s, s.dose_line))
        parts[-1].keep_whole = True  # (a card breaking for MIN_SIDE lines breaks in the steps)
    if item.notes:
        parts.append(labelled(labels.label("therapist_says"), item.notes, s, remember=False))
        parts[-1].keep_whole = True
    if e.tips and layout.shows("tips"):
        parts.append(labelled(labels.label("tips"), " ".join(e.tips), s))
    if e.cautions and layout.shows("cautions"):
        parts.append(labelled(labels.label("cautions"), " ".join(e.cautions), s, color=WARNING))
    if e.video and layout.shows("qr"):
        parts.append(_video(e.video, s, s.layout.body_size * 20))
    return parts


def _side_by_side(
    steps: list[Flowable], side: list[Flowable], width: float, s: Styles, split: float
) -> Table:
    columns = SplittingTable([[steps, side]], colWidths=[width * split, width * (1 - split)])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), s.layout.body_size),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    return columns


def picture_for(
    item: Item, s: Styles, width: float, height: float | None = None
) -> Flowable | None:
    """The clinic's own pictures when it gave them, else the line-art figure, else nothing; each
    captioned with what it shows (the item's captions), the handout's arrow key above the first
    figure with arrows."""
    e = item.exercise
    # each picture's name, then what it shows in words ("Start: On your back"; item.captions, the
    # alternative text, joins the two); a reminder sheet (style: brief) prints the names alone
    captions = (s.labels["start"], s.labels["end"])
    described = e.captions if item.captions and s.layout.style != "brief" else ()
    if described:
        captions = tuple(s.labels.fill("label", label=name) for name in captions)
    height = _picture_height(item, s) if height is None else height
    if not s.layout.figure_height:
        return None
    if e.images:
        what = f"exercise '{e.id}' ({e.origin})"
        return PhotoPair(e.images, what, width, height, s.fonts.bold, s.layout.body_size, captions,
                         described, s.fonts.regular)  # fmt: skip
    if e.figure is not None:
        names = {"above": s.labels["view_above"], "front": s.labels["view_front"],
                 "close_up": s.labels["close_up"]}  # fmt: skip
        return FigurePair(e.figure, width, height, s.fonts.bold, s.layout.body_size, s.accent,
                          captions, names, described, s.fonts.regular)  # fmt: skip
    return None


def body_target(item: Item, s: Styles, width: float) -> float:
    """How long (points) the card's side-view body must be drawn: the layout's floor
    (figure.body_floor), or FLOOR_SHARE of its length in the layout's full frame when that frame
    cannot draw it so long (a person standing); 0 for a photo or no figure."""
    full = _picture_height(item, s)
    if item.exercise.figure is None or item.exercise.images or not full:
        return 0.0
    whole = picture_for(item, s, width, full)
    if not isinstance(whole, FigurePair):
        return 0.0
    return min(body_floor(s.layout), FLOOR_SHARE * body_length(whole))


_LEAST: dict[tuple, float] = {}  # least_picture_height, once per figure, frame and layout


def least_picture_height(item: Item, s: Styles, width: float) -> float:
    """The least height the pictures may be given: for a line-art figure, the least at which its
    body is drawn body_target long (to a point); for photos, 60% of their full height. Found
    once per figure, captions, width, layout and fonts in a process (a search of ~8 layouts)."""
    full = _picture_height(item, s)
    e = item.exercise
    if e.figure is None or e.images or not full:
        return full * 0.6
    labels = s.labels
    key = (e.figure, e.captions, item.captions, width, s.layout, s.fonts.bold,
           s.fonts.regular, labels.fill("label", label="x"),
           *(labels[k] for k in ("start", "end", "view_above", "view_front", "close_up")))  # fmt: skip
    found = _LEAST.get(key)
    if found is None:
        if len(_LEAST) >= 512:
            _LEAST.clear()
        found = _LEAST[key] = _least_picture_height(item, s, width, full)
    return found


def _least_picture_height(item: Item, s: Styles, width: float, full: float) -> float:
    target = body_target(item, s, width)
    if not target:
        return full * 0.6
    low, high = s.layout.body_size * 2, full  # (a frame cannot be shorter than two lines)
    while high - low > 1.0:  # (each try is a layout solved once, then remembered: _LAID_OUT)
        middle = (low + high) / 2
        pair = picture_for(item, s, width, middle)
        if isinstance(pair, FigurePair) and body_length(pair) >= target - 0.01:
            high = middle
        else:
            low = middle
    return high


def _picture_height(item: Item, s: Styles) -> float:
    """The layout's height for pictures; taller for portrait photos (see photo_height) and for
    a figure with a second view or a close-up where the layout gives those more (figures_views:
    large print's views go under the side view, not beside it in a frame too narrow)."""
    e, full = item.exercise, s.layout.figure_height
    if e.images and full and s.layout.shows("figures"):
        what = f"exercise '{e.id}' ({e.origin})"
        return photo_height(e.images, what, full, s.layout.body_size)
    if e.figure is not None and full and (e.figure.views or e.figure.close_up is not None):
        return max(full, s.layout.views_height)
    return full


def _video(link: str, s: Styles, width: float) -> Flowable:
    """A QR code and a line saying what it is for."""
    size = QR_SIZE
    table = Table(
        [[QrCode(link, size), para(s.labels["video_caption"], s.body)]],
        colWidths=[size + 8, width - size - 8],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), s.layout.body_size * 0.6),
        ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
    ]))  # fmt: skip
    return table


def _dose_box(item: Item, s: Styles) -> list[Flowable]:
    labels = s.labels
    lines = [para(labels["how_much"], s.subheading), *(para(line, s.body) for line in item.dose)]
    if item.notes:  # the therapist's own word on this exercise, in the same box
        lines.append(
            labelled(labels.label("therapist_says"), item.notes, s, color=s.primary, remember=False)
        )
    box = Table([[lines]], colWidths=["100%"], hAlign="LEFT")  # one cell: never split
    size = s.layout.body_size
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SOFT_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 4, s.primary),
                ("LEFTPADDING", (0, 0), (-1, -1), size * 0.8),
                ("TOPPADDING", (0, 0), (-1, -1), size * 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.4),
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.regular),
            ]
        )
    )
    box.is_dose_box = True  # a large-print card keeps together through it when it can
    return [Spacer(1, size * 0.3), box, Spacer(1, size * 0.2)]


def _notes(handout: Handout, s: Styles) -> list[Flowable]:
    """The therapist's notes, one paragraph per blank-line-separated block; long notes flow on."""
    blocks = [b.strip("\n") for b in handout.notes.split("\n\n") if b.strip()]
    return [para(s.labels["notes"], s.section), *(p for b in blocks for p in flowing(b, s.body))]
