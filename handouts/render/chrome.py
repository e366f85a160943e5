"""What is drawn around the story on every page: header with the brand, footer with the
disclaimer, the clinic and "Page N of M"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from handouts.compose import Handout
from handouts.render.images import Logo, brand_logo
from handouts.render.qr import draw_qr
from handouts.render.styles import INK, RULE, Styles

QR_HEADER = 64.0  # the brand's QR code in the first page's header (with its quiet zone)
QR_CAPTION_WIDTH = 96.0
PHONE_BLANK = "_" * 16  # patients are told to call: a line to write the number on
TITLE_LEAST = 0.25  # of a later page's header line the title needs to print beside the name
NAME_LINES = 2  # a later page's header: the patient's name wraps onto a second line, no more
MIN_TEXT_EMS = 16  # the header's text goes under the logo and QR code when beside them is narrower
# What the first page's header leaves out, step by step, when the title, who and when and the
# whole red-flag box would not fit on page 1 under it (large print with a long brand or long
# names): its contact parts first, then the phone (or its blank: the phone is also in the "call
# us" line under "Before you start"), and last the clinic's name, which is in every footer, so
# that the header never shows a phone without the name: at the last step there is no header
_PARTS = ("packed", "tagline", "address", "online", "logo", "qr", "phone", "name")
LEVELS = tuple(frozenset(_PARTS[:n]) for n in range(len(_PARTS) + 1))


class PageChrome:
    """What is drawn around the story on every page: header, footer, page numbers."""

    def __init__(self, handout: Handout, styles: Styles, page_size: tuple[float, float]) -> None:
        self.handout = handout
        self.s = styles
        self.page_width, self.page_height = page_size
        layout = styles.layout
        self.left = layout.margin_left
        self.width = self.page_width - layout.margin_left - layout.margin_right
        self.top = self.page_height - layout.margin_top
        self.bottom = layout.margin_bottom
        self.small = layout.small_size
        self.leading = self.small * 1.25
        self._logo = self._load_logo()
        self.level = 0
        self._first_header()
        self.later_lines = self._later_header_lines()
        self.later_header_height = self.leading * len(self.later_lines) + 18
        # page 1's footer, and the later pages' (lean: without the brand's footer text when the
        # layout says so; the disclaimer, clinic and "Page N of M" on every page)
        self.footers = [self._footer(first=True), self._footer(first=False)]
        self.footer_height, self.later_footer_height = (
            (len(lines) + (not joined)) * self.leading + self.small * 0.3 + 8
            for lines, joined in self.footers
        )

    def shrink(self) -> bool:
        """Make the first page's header smaller by one step (see LEVELS), so that what must be on
        page 1 (the red-flag box) fits under it; False when it is as small as it gets."""
        if self.level + 1 >= len(LEVELS):
            return False
        self.set_level(self.level + 1)
        return True

    def set_level(self, level: int) -> None:
        if level != self.level or not hasattr(self, "first_lines"):
            self.level = level
            self._first_header()

    def _first_header(self) -> None:
        """The first page's header at this level: which parts it keeps, where its text goes (beside
        the logo and QR code, or under them when that leaves too narrow a column: large print),
        and how tall it is."""
        dropped = LEVELS[self.level]
        brand, layout = self.handout.brand, self.s.layout
        self.logo = self._logo if "logo" not in dropped else None
        self.qr = brand.qr_link if "qr" in layout.header and "qr" not in dropped else None
        caption = brand.qr_caption or self.handout.labels["qr_caption"]
        self.qr_caption_width = max(QR_CAPTION_WIDTH, self.small * 7)
        self.qr_lines = wrap(caption, self.s.fonts.regular, self.small,
                             self.qr_caption_width) if self.qr else []  # fmt: skip
        self.qr_height = max(QR_HEADER, len(self.qr_lines) * self.leading) if self.qr else 0
        logo_height = self.logo.height if self.logo else 0
        self.below = False
        self.below = self._text_right() - self._text_left() < MIN_TEXT_EMS * self.small
        self.first_lines = self._first_header_lines(dropped)
        text_height = sum(size * 1.25 for _, _, size in self.first_lines)
        if self.name_wide:  # the QR caption under the name's lines, beside the QR code
            caption = self.name_height + self.small * 0.35 + len(self.qr_lines) * self.leading
            self.qr_height = max(QR_HEADER, caption)
        if self.below:  # the logo and the QR code on a row, the text under them
            self.text_top = self.top - max(logo_height, self.qr_height) - 6
            self.first_header_height = self.top - self.text_top + text_height + 22
        else:
            self.text_top = self.top
            self.first_header_height = max(text_height, logo_height, self.qr_height) + 22
        if not (self.first_lines or self.logo or self.qr):  # all given way: no header, no rule
            self.first_header_height = 0.0

    # -- header --------------------------------------------------------------------------------
    def _load_logo(self) -> Logo | None:
        brand = self.handout.brand
        if brand.logo is None or "logo" not in self.s.layout.header:
            return None
        return brand_logo(brand)

    def _text_left(self) -> float:
        if getattr(self, "below", False):
            return self.left
        return self.left + (self.logo.width + 14 if self.logo else 0)

    def _text_right(self) -> float:
        if getattr(self, "below", False):
            return self.left + self.width
        return self.left + self.width - (QR_HEADER + self.qr_caption_width + 14 if self.qr else 0)

    def _first_header_lines(self, dropped: frozenset[str]) -> list[tuple[str, str, float]]:
        """(text, font, size) lines of the first page's header, wrapped to fit beside the logo
        (or under it), without the `dropped` parts."""
        brand, labels = self.handout.brand, self.handout.labels
        fonts = self.s.fonts
        width = self._text_right() - self._text_left()
        lines: list[tuple[str, str, float]] = []

        def add(text: str, font: str, size: float, room: float = width) -> None:
            for line in wrap(text, font, size, room):
                lines.append((line, font, size))

        # the clinic's name may run on over the QR code's caption (which then starts under it),
        # up to the code itself, rather than wrap with room to spare
        self.name_wide, self.name_height = False, 0.0
        if "name" not in dropped:
            size = self.s.layout.heading_size + 1
            wide = width
            if self.qr and not self.below and stringWidth(brand.name, fonts.bold, size) > width:
                wide = self.left + self.width - QR_HEADER - 14 - self._text_left()
                self.name_wide = True
            add(brand.name, fonts.bold, size, wide)
            self.name_height = len(lines) * size * 1.25
        shown = self.s.layout.header
        if brand.tagline and "tagline" in shown and "tagline" not in dropped:
            add(brand.tagline, fonts.regular, self.small)
        online = "online" not in dropped
        phone = (brand.phone or PHONE_BLANK) if "phone" not in dropped else None
        contact = [
            f"{label} {value}"
            for label, value in (
                (labels.label("phone"), phone),
                (labels.label("email"), brand.email if online else None),
                (labels.label("website"), brand.website if online else None),
            )
            if value
        ]
        if "contact" not in shown:
            return lines
        address = brand.address.splitlines() if brand.address and "address" not in dropped else []
        if "packed" in dropped:  # the address runs on after the phone, email and website
            contact, address = contact + [", ".join(address)] if address else contact, []
        for line in _pack(contact, "  ·  ", fonts.regular, self.small, width):
            add(line, fonts.regular, self.small)
        for line in address:
            add(line, fonts.regular, self.small)
        return lines

    def draw_first_header(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if not self.first_header_height:
            return
        canvas.saveState()
        y = self.top
        if self.logo:
            self.logo.draw(canvas, self.left, self.top - self.logo.height, self.s.fonts.regular)
        if self.qr:
            right = self.left + self.width
            draw_qr(canvas, self.qr, right - QR_HEADER, self.top - QR_HEADER, QR_HEADER)
            canvas.setFont(self.s.fonts.regular, self.small)
            canvas.setFillColor(INK)
            line_y = self.top - QR_HEADER / 2 + (len(self.qr_lines) - 1) * self.leading / 2 - 4
            if len(self.qr_lines) * self.leading > QR_HEADER:  # (large print) from the top down
                line_y = self.top - self.small
            if self.name_wide:  # under the clinic's name, which runs on over it
                line_y = self.top - self.name_height - self.small * 1.1
            for line in self.qr_lines:
                canvas.drawRightString(right - QR_HEADER - 6, line_y, line)
                line_y -= self.leading
        x, y = self._text_left(), self.text_top
        for text, font, size in self.first_lines:
            y -= size * 1.25
            canvas.setFont(font, size)
            canvas.setFillColor(self.s.primary if font == self.s.fonts.bold else INK)
            canvas.drawString(x, y + size * 0.25, text)
        rule_y = self.top - self.first_header_height + 12
        canvas.setStrokeColor(self.s.primary)
        canvas.setLineWidth(2)
        canvas.line(self.left, rule_y, self.left + self.width, rule_y)
        canvas.restoreState()

    def _later_header_lines(self) -> list[tuple[str, str]]:
        """(title, patient) texts of each line of a later page's header: the patient's name, so
        loose pages find their owner, is never cut short (up to NAME_LINES lines of it): the
        title gives way first. One line when both fit, else the title cut short with '…'
        beside the whole name while it keeps TITLE_LEAST of the line, else the name alone
        ('For:' too when only the name fits), on a second line when it must (a name longer
        than two lines is cut short there with '…')."""
        fonts, size, width = self.s.fonts, self.small, self.width
        title, patient = self.handout.title, self.handout.patient
        if not patient:
            return [(_fit(title, fonts.bold, size, width), "")]
        name = f"{self.handout.labels.label('patient')} {patient}"
        room = width - stringWidth(name, fonts.regular, size) - 18
        if room >= min(stringWidth(title, fonts.bold, size), width * TITLE_LEAST):
            return [(_fit(title, fonts.bold, size, room), name)]
        if stringWidth(name, fonts.regular, size) > width >= stringWidth(patient, fonts.regular,
                                                                          size):  # fmt: skip
            return [("", patient)]  # (the label gives way before the name takes two lines)
        lines = wrap(name, fonts.regular, size, width)
        if len(lines) > NAME_LINES:  # (hundreds of letters: printed whole on page 1)
            at = 0  # (each line is a piece of the name, in order)
            for line in lines[: NAME_LINES - 1]:
                at = name.index(line, at) + len(line)
            lines = [*lines[: NAME_LINES - 1], _fit(name[at:].strip(), fonts.regular, size, width)]
        return [("", line) for line in lines]

    def draw_later_header(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The title, and the patient's name so loose pages find their owner: at the right of
        the title, or alone from the left."""
        fonts = self.s.fonts
        canvas.saveState()
        y = self.top - self.small
        canvas.setFillColor(INK)
        for title, patient in self.later_lines:
            if title:
                canvas.setFont(fonts.bold, self.small)
                canvas.drawString(self.left, y, title)
            if patient:
                canvas.setFont(fonts.regular, self.small)
                if title:
                    canvas.drawRightString(self.left + self.width, y, patient)
                else:
                    canvas.drawString(self.left, y, patient)
            y -= self.leading
        canvas.setStrokeColor(self.s.primary)
        canvas.setLineWidth(1.5)
        rule_y = self.top - self.later_header_height + 12
        canvas.line(self.left, rule_y, self.left + self.width, rule_y)
        canvas.restoreState()

    # -- footer --------------------------------------------------------------------------------
    def _footer(self, first: bool) -> tuple[list[str], bool]:
        """A page's footer lines (the disclaimer, then the brand's footer text on page 1, and on
        later pages too unless the layout leaves it to page 1), and whether the clinic and
        "Page N of M" go on the last of them, at its right (when they fit beside it), rather
        than on a line of their own."""
        font = self.s.fonts.regular
        lines: list[str] = []
        texts = [self.handout.disclaimers.footer]
        footer = self.s.layout.footer
        if "brand_footer" in footer and (first or "brand_footer_later" in footer):
            texts.append(self.handout.brand.footer)
        for text in texts:
            for paragraph in text.splitlines():
                lines += wrap(paragraph, font, self.small, self.width)
        widest = max("0123456789", key=lambda d: stringWidth(d, self.s.fonts.bold, self.small))
        label = self.handout.labels.fill("page", page=widest * 3, pages=widest * 3)
        tail = stringWidth(f"{self.handout.brand.name}  ·  {label}", self.s.fonts.bold, self.small)
        joined = bool(lines) and stringWidth(lines[-1], font, self.small) + 18 + tail <= self.width
        return lines, joined

    def draw_footer(self, canvas: Canvas, page: int, pages: int) -> None:
        fonts = self.s.fonts
        lines, joined = self.footers[page != 1]
        canvas.saveState()
        # the last line's baseline sits a descent (0.3 em) above the margin: nothing hangs below it
        y = self.bottom + self.leading * (len(lines) - joined) + self.small * 0.3
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(self.left, y + self.leading, self.left + self.width, y + self.leading)
        canvas.setFillColor(INK)
        canvas.setFont(fonts.regular, self.small)
        for line in lines:
            canvas.drawString(self.left, y, line)
            y -= self.leading
        label = self.handout.labels.fill("page", page=page, pages=pages)
        canvas.setFont(fonts.bold, self.small)
        if joined:  # "Clinic · Page N of M" at the right of the last line
            y += self.leading
            canvas.drawRightString(self.left + self.width, y,
                                   f"{self.handout.brand.name}  ·  {label}")  # fmt: skip
        else:
            canvas.drawRightString(self.left + self.width, y, label)
            room = self.width - stringWidth(label, fonts.bold, self.small) - 18
            canvas.drawString(self.left, y, _fit(self.handout.brand.name, fonts.bold,
                                                 self.small, room))  # fmt: skip
        canvas.restoreState()

    def canvas_class(self) -> type[Canvas]:
        chrome = self

        class NumberedCanvas(Canvas):
            """Holds pages back until the end, so each footer can say 'Page N of M'."""

            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self) -> None:  # noqa: N802 - reportlab's name
                self._pages.append(dict(self.__dict__))
                self.outline_marks = []  # (paragraphs.Outlined)
                self._startPage()

            def save(self) -> None:
                total = len(self._pages)
                marks = 0
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    for title, top in state.get("outline_marks", ()):  # the PDF's bookmarks
                        key = f"o{marks}"
                        self.bookmarkHorizontalAbsolute(key, top)
                        self.addOutlineEntry(title, key, level=0)
                        marks += 1
                    chrome.draw_footer(self, number, total)
                    super().showPage()
                super().save()

        return NumberedCanvas


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line within `width`, cut short with '…' when it is too long."""
    if stringWidth(text, font, size) <= width:
        return text
    cut = _longest(text, lambda n: stringWidth(text[:n] + "…", font, size) <= width)
    return text[:cut].rstrip() + "…"


def _fits(text: str, font: str, size: float, width: float, n: int) -> bool:
    return stringWidth(text[:n], font, size) <= width


def _longest(text: str, fits: Callable[[int], bool], least: int = 0) -> int:
    """The largest n (at least `least`) such that text[:n] fits, by halving: widths only grow
    with the length, and a long text (a 20,000-character name) costs ~15 measures, not one per
    character."""
    low, high = least, len(text)  # text[:low] fits (or is the least taken), text[:high + 1] not
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _pack(items: list[str], separator: str, font: str, size: float, width: float) -> list[str]:
    """Join items into lines no wider than `width`, breaking only between items."""
    lines: list[str] = []
    for item in items:
        joined = f"{lines[-1]}{separator}{item}" if lines else item
        if lines and stringWidth(joined, font, size) <= width:
            lines[-1] = joined
        else:
            lines.append(item)
    return lines


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: between words where it can, inside a word (a long
    link, say) where it must."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width:
            cut = _longest(line, partial(_fits, line, font, size, width), least=1)
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines
