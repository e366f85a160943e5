"""The clinic's own photos of an exercise, start and end side by side, each in a frame of its
own shape (a portrait photo is not a thin strip in a wide frame), captioned like the figures."""

from __future__ import annotations

from pathlib import Path

from handouts.render.figure import StartEndPanels
from handouts.render.images import inspect_picture, print_ready

PAD = 4.0  # between a photo and its frame
PORTRAIT_GAIN = 1.5  # a portrait pair may be this much taller than the layout's pictures
MIN_FRAME = 7.0  # a photo's frame is at least this many body sizes wide (room for its caption)


class PhotoPair(StartEndPanels):
    """The clinic's pictures, each fitted into the room the layout gives and framed at its own
    shape: the panels (one size for both, the larger photo's, at least MIN_FRAME body sizes
    wide for the caption) are laid out as StartEndPanels lays out a pair that wide, centred in
    `width`. The arguments after `height` are StartEndPanels' (font, size, captions, ...)."""

    def __init__(self, images: tuple[Path, ...], what: str, width: float, height: float,
                 *panels, **named) -> None:  # fmt: skip
        super().__init__(width, height, *panels, **named)  # the room: the widest panels
        pictures = [self._fitted(path, what) for path in images]
        frame = max(MIN_FRAME * self.size, *(w + 2 * PAD for _, w, _ in pictures))
        if frame < self.panel_w:  # the panels of a pair that wide (captions wrapped to them)
            super().__init__(2 * frame + self.gap, height, *panels, **named)
            pictures = [self._fitted(path, what) for path in images]
        self.count = len(images)
        self.pictures = [(picture.reader(), w, h) for picture, w, h in pictures]
        self.panel_h = min(self.panel_h, max(h for _, _, h in pictures) + 2 * PAD)
        self.height = self.panel_h + self.caption_h + getattr(self, "key_h", 0.0)
        used = self.count * self.panel_w + (self.count - 1) * self.gap
        self.left = (width - used) / 2
        self.width = width

    def _fitted(self, path: Path, what: str):
        """The picture ready for this panel's room, and its size there in points."""
        room = (self.panel_w - 2 * PAD, self.panel_h - 2 * PAD)
        picture = print_ready(path, f"the picture for {what}", *room)
        fit = min(room[0] / picture.width, room[1] / picture.height)
        return picture, picture.width * fit, picture.height * fit

    def draw(self) -> None:
        self.canv.translate(self.left, 0)
        super().draw()

    def draw_panel(self, index: int, left: float, bottom: float) -> None:
        image, w, h = self.pictures[index]
        x = left + (self.panel_w - w) / 2
        y = bottom + (self.panel_h - h) / 2
        self.canv.drawImage(image, x, y, w, h, mask="auto")


def photo_height(images: tuple[Path, ...], what: str, height: float, size: float) -> float:
    """How tall the photos' panels (captions included) should be where the layout gives pictures
    `height`: taller for portrait photos (up to PORTRAIT_GAIN), so that they print about as
    large as landscape ones."""
    tallest = 1.0
    for path in images:
        width, high = inspect_picture(path, f"the picture for {what}")
        tallest = max(tallest, high / width)
    caption = size * 1.6  # StartEndPanels.caption_h
    return caption + (height - caption) * min(PORTRAIT_GAIN, tallest)
