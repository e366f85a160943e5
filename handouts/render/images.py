"""Pictures from the clinic (the brand logo): checked, and downsampled to print size."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from handouts.errors import InputError

PRINT_DPI = 200
MAX_PIXELS = 40_000_000  # a photo larger than this is refused, not decoded


def print_ready_png(
    path: Path, what: str, width_pt: float, height_pt: float
) -> tuple[bytes, int, int]:
    """The image at `path`, fitted within width x height points at about 200 dpi, as PNG bytes.

    Returns the PNG and its pixel size. A missing, unreadable, corrupt, huge or non-PNG/JPEG file
    is an InputError that names the file.
    """
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in ("PNG", "JPEG"):
                    raise InputError(
                        f"{path}: {what} must be a PNG or JPEG image, got {image.format}"
                    )
                image.load()
                picture = image.convert(
                    "RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB"
                )
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: {what} is a folder, expected a PNG or JPEG image") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"{path}: {what} is too large (over {MAX_PIXELS:,} pixels)") from None
    except UnidentifiedImageError:
        raise InputError(
            f"{path}: {what} is not a PNG or JPEG image (or the file is damaged)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: {what} cannot be read, the file seems damaged ({exc})") from None
    scale = min(
        width_pt / 72 * PRINT_DPI / picture.width, height_pt / 72 * PRINT_DPI / picture.height, 1.0
    )
    if scale < 1.0:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height


class Logo:
    """The brand's logo, fitted within a box: a PNG/JPEG at about 200 dpi, or an SVG as vectors."""

    def __init__(self, path: Path, what: str, max_width: float, max_height: float) -> None:
        self.drawing = None
        if path.suffix.lower() == ".svg":
            self.drawing = _read_svg(path, what)
            px_w, px_h = self.drawing.width, self.drawing.height
        else:
            png, px_w, px_h = print_ready_png(path, what, max_width, max_height)
            self.image = ImageReader(io.BytesIO(png))
        self.scale = min(max_width / px_w, max_height / px_h)
        self.width, self.height = px_w * self.scale, px_h * self.scale

    def draw(self, canvas, x: float, y: float, font: str) -> None:
        """Draw with the bottom-left corner at x, y; text in an SVG is set in `font`."""
        if self.drawing is None:
            canvas.drawImage(self.image, x, y, self.width, self.height, mask="auto")
            return
        from reportlab.graphics import renderPDF, shapes

        _set_font(self.drawing, font, shapes)
        # renderPDF starts from STATE_DEFAULTS, whose Helvetica would otherwise land in the file
        default = shapes.STATE_DEFAULTS["fontName"]
        shapes.STATE_DEFAULTS["fontName"] = font
        canvas.saveState()
        try:
            canvas.translate(x, y)
            canvas.scale(self.scale, self.scale)
            renderPDF.draw(self.drawing, canvas, 0, 0)
        finally:
            canvas.restoreState()
            shapes.STATE_DEFAULTS["fontName"] = default


def _set_font(node, font: str, shapes) -> None:
    """Print every piece of SVG text in the handout's own (embedded) font."""
    if isinstance(node, shapes.String):
        node.fontName = font
    for child in getattr(node, "contents", ()):
        _set_font(child, font, shapes)


def _read_svg(path: Path, what: str):
    """An SVG file as a reportlab Drawing; svglib is imported only for an SVG logo."""
    from lxml import etree
    from svglib.svglib import svg2rlg

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.disable(logging.CRITICAL)  # svglib logs its own error lines: ours is the one
            try:
                drawing = svg2rlg(str(path))
            finally:
                logging.disable(logging.NOTSET)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except (etree.XMLSyntaxError, ValueError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"{path}: {what} is not a readable SVG image ({exc})") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise InputError(f"{path}: {what} is not a readable SVG image (no size or no content)")
    return drawing
