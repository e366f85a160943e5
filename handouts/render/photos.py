"""The clinic's own photos of an exercise, start and end side by side, each in a frame of its
own shape (a portrait photo is not a thin strip in a wide frame), captioned like the figures."""

from __future__ import annotations

from pathlib import Path

from handouts.render.figure import StartEndPanels
from handouts.render.images import inspect_picture, print_ready

PAD = 4.0  # between a photo and its frame
PORTRAIT_GAIN = 1.5  # a portrait pair may be this much taller than the layout's pictures


class PhotoPair(StartEndPanels):
    """The clinic's pictures, each fitted into the panel's room and framed at its own shape;
    the frames (one size for both: the larger photo's) are centred in the width."""

    def __init__(self, images: tuple[Path, ...], what: str, width: float, height: float,
                 font: str, size: float, captions: tuple[str, str]) -> None:  # fmt: skip
        super().__init__(width, height, font, size, captions)
        self.count = len(images)
        room = (self.panel_w - 2 * PAD, self.panel_h - 2 * PAD)
        self.pictures = []
        for path in images:
            picture = print_ready(path, f"the picture for {what}", *room)
            fit = min(room[0] / picture.width, room[1] / picture.height)
            self.pictures.append((picture.reader(), picture.width * fit, picture.height * fit))
        self.panel_w = max(w for _, w, _ in self.pictures) + 2 * PAD
        self.panel_h = max(h for _, _, h in self.pictures) + 2 * PAD
        self.height = self.panel_h + self.caption_h
        used = self.count * self.panel_w + (self.count - 1) * self.gap
        self.left = (width - used) / 2

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
