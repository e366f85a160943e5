"""QR codes drawn as vector squares; each link is encoded once, then kept between runs, and its
drawing made once per size in a process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

QUIET = 4  # modules of white border that scanners need
# the code that turns a link into a QR code (reportlab's encoder is found without importing it)
_ENCODERS = (Path(__file__), Path(reportlab.__file__).parent / "graphics/barcode/qrencoder.py")


@lru_cache(maxsize=256)
def qr_runs(link: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The code's size in modules and its dark runs as (row, first column, length): encoded once
    per link, then kept in the cache between runs (see handouts.load.cache)."""
    from handouts.load.cache import remembered

    return remembered("qr", link, _ENCODERS, lambda: _encode(link))


def _encode(link: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    from reportlab.graphics.barcode import qrencoder  # only for handouts with a QR code

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(link)
    code.make()
    count = code.getModuleCount()
    runs: list[tuple[int, int, int]] = []
    for row in range(count):
        col = 0
        while col < count:
            if code.isDark(row, col):
                start = col
                while col < count and code.isDark(row, col):
                    col += 1
                runs.append((row, start, col - start))
            else:
                col += 1
    return count, tuple(runs)


@lru_cache(maxsize=256)
def _qr_operators(link: str, size: float) -> str:
    """The PDF drawing operators of the code at the origin: a white square, then one black path
    of the dark runs. Made once per link and size; every use copies them."""
    count, runs = qr_runs(link)
    module = size / (count + 2 * QUIET)
    top = size - QUIET * module
    dark = [
        f"{fp_str((QUIET + col) * module, top - (row + 1) * module, length * module, module)} re"
        for row, col, length in runs
    ]
    return "\n".join([f"1 g 0 0 {fp_str(size, size)} re f 0 g", *dark, "f"])


def draw_qr(canvas, link: str, x: float, y: float, size: float) -> None:
    """The code for `link` in a size x size square (quiet zone included) with its corner at x, y."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.addLiteral(_qr_operators(link, size))
    canvas.restoreState()


class QrCode(Flowable):
    def __init__(self, link: str, size: float) -> None:
        super().__init__()
        self.link = link
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.link, 0, 0, self.size)
