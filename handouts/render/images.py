"""Pictures from the clinic (the brand logo, exercise photos): checked, and fitted to print size.

A raster picture (PNG or JPEG, a camera's MPO included) is decoded with Pillow and written again as
a PNG at about 200 dpi; an SVG logo becomes a reportlab Drawing, after checks that it holds only
shapes and text (no raster image, no reference to another file, no XML entities) and that every
size and coordinate in it is a finite, reasonable number. Anything else is an InputError that
names the file.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from handouts.errors import InputError

PRINT_DPI = 200
MAX_PIXELS = 40_000_000  # a photo larger than this is refused, not decoded
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # a camera's MPO is a JPEG (+ previews)
LOGO_MAX = (1.8 * 72, 0.9 * 72)  # the logo's box in the header: width, height in points
SVG_MAX_ELEMENTS = 20_000  # a logo, not a map
SVG_MIN_SIZE, SVG_MAX_SIZE = 0.01, 1e6  # an SVG's width and height, in its own units
SVG_MAX_NUMBER = 1e7  # any coordinate or length in it
XLINK = "{http://www.w3.org/1999/xlink}href"
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)


def print_ready_png(
    path: Path, what: str, width_pt: float, height_pt: float
) -> tuple[bytes, int, int]:
    """The image at `path`, fitted within width x height points at about 200 dpi, as PNG bytes.

    Returns the PNG and its pixel size. A missing, unreadable, corrupt, huge or non-PNG/JPEG file
    is an InputError that names the file.
    """
    if not (0 < width_pt < math.inf and 0 < height_pt < math.inf):
        raise InputError(
            f"{path}: {what} has no room to print: its frame is {width_pt:g} x {height_pt:g} pt"
        )
    picture = _decode(path, what)
    scale = min(
        width_pt / 72 * PRINT_DPI / picture.width, height_pt / 72 * PRINT_DPI / picture.height, 1.0
    )
    if scale < 1.0:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height


def _decode(path: Path, what: str) -> Image.Image:
    """The picture, upright (as the camera's orientation tag says), as 8-bit RGB or RGBA."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in FORMATS:
                    raise InputError(
                        f"{path}: {what} must be a PNG or JPEG image, got {image.format}"
                    )
                image.seek(0)  # an MPO's first picture is the photo; the others are previews
                image.load()
                return _eight_bit(ImageOps.exif_transpose(image) or image)
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
    except PermissionError as exc:
        raise InputError(f"{path}: {what} cannot be read: {exc.strerror}") from None
    except InputError:
        raise
    except MemoryError:
        raise InputError(f"{path}: {what} is too large to decode") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file makes a decoder fail in any way
        detail = str(exc) or type(exc).__name__
        raise InputError(
            f"{path}: {what} cannot be read, the file seems damaged ({detail})"
        ) from None


def _eight_bit(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency (an alpha band, or a transparent colour
    in a palette or grey PNG); 16-bit and 32-bit grey are scaled down, not clipped to white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif image.mode in ("I", "F"):
        low, high = image.getextrema()
        span = (high - low) or 1
        image = image.point(lambda v: (v - low) * (255 / span)).convert("L")
    transparent = "A" in image.getbands() or "transparency" in image.info
    if image.mode == "P" and not transparent:
        transparent = image.palette is not None and image.palette.mode == "RGBA"
    return image.convert("RGBA" if transparent else "RGB")


class Logo:
    """The brand's logo, fitted within a box: a PNG/JPEG at about 200 dpi, or an SVG as vectors.
    `texts` are the SVG's texts (printed in the handout's font: checked like all other text)."""

    def __init__(self, path: Path, what: str, max_width: float, max_height: float) -> None:
        self.drawing = None
        self.texts: tuple[str, ...] = ()
        if path.suffix.lower() == ".svg":
            self.drawing, self.texts = _read_svg(path, what)
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


_LOGOS: dict[tuple, Logo] = {}


def open_logo(path: Path, what: str, box: tuple[float, float] = LOGO_MAX) -> Logo:
    """The logo at `path`, fitted within `box`: decoded and checked once per process while the
    file is unchanged (the brand's loading checks it; the page header then draws the same one)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{path}: {what} cannot be read: {exc.strerror}") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, what, box)
    logo = _LOGOS.get(key)
    if logo is None:
        if len(_LOGOS) > 32:
            _LOGOS.clear()
        logo = _LOGOS[key] = Logo(path, what, *box)
    return logo


def brand_logo(brand) -> Logo | None:
    """The brand's logo as the page header draws it (None without one)."""
    if brand.logo is None:
        return None
    return open_logo(brand.logo, f"the logo in {brand.origin}")


def _set_font(node, font: str, shapes) -> None:
    """Print every piece of SVG text in the handout's own (embedded) font."""
    if isinstance(node, shapes.String):
        node.fontName = font
    for child in getattr(node, "contents", ()):
        _set_font(child, font, shapes)


def _read_svg(path: Path, what: str):
    """An SVG file as a reportlab Drawing, and its texts; svglib is imported only for an SVG."""
    from lxml import etree
    from svglib.svglib import SvgRenderer

    root = _parse_svg(path, what, etree)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.disable(logging.CRITICAL)  # svglib logs its own error lines: ours is the one
            try:
                drawing = SvgRenderer(str(path)).render(root)
            finally:
                logging.disable(logging.NOTSET)
    except RecursionError:
        raise InputError(f"{path}: {what} is nested too deeply to draw") from None
    except Exception as exc:  # noqa: BLE001 - svglib fails in many ways on odd input
        raise InputError(
            f"{path}: {what} is not a readable SVG image ({exc or type(exc).__name__})"
        ) from None
    if drawing is None:
        raise InputError(f"{path}: {what} is not a readable SVG image (no size or no content)")
    size = (drawing.width, drawing.height)
    if not all(isinstance(v, (int, float)) and SVG_MIN_SIZE <= v <= SVG_MAX_SIZE for v in size):
        given = ", ".join(f'{key}="{root.get(key)}"' for key in ("width", "height", "viewBox")
                          if root.get(key) is not None) or "none given"  # fmt: skip
        if not all(v == v and v not in (math.inf, -math.inf) for v in size if v is not None):
            problem = "is not a finite number"
        elif not all(size):
            raise InputError(f"{path}: {what} is not a readable SVG image (no size or no content)")
        else:
            problem = f"must be between {SVG_MIN_SIZE:g} and {SVG_MAX_SIZE:,.0f}"
        raise InputError(f"{path}: {what}: its size {problem} ({given})")
    texts: list[str] = []
    _check_numbers(drawing, path, what, texts)
    return drawing, tuple(texts)


def _parse_svg(path: Path, what: str, etree):
    """The SVG's XML, parsed without fetching or expanding anything, and refused when it holds
    what a logo must not: a raster image, a reference to another file, XML entities, a script,
    or more than SVG_MAX_ELEMENTS elements."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)  # fmt: skip
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{path}: {what} cannot be read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(f"{path}: {what} is not a readable SVG image (no size or no content)")
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        exc.msg = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
        if "amplification" in exc.msg or "entity" in exc.msg.lower():
            raise InputError(f"{path}:{exc.lineno}: {what} uses XML entities (<!ENTITY>), "
                             "which a logo may not use; save it again as plain SVG") from None  # fmt: skip
        if "depth" in exc.msg:
            raise InputError(f"{path}:{exc.lineno}: {what} is nested too deeply (more than "
                             "256 levels); simplify it") from None  # fmt: skip
        raise InputError(
            f"{path}: {what} is not a readable SVG image (line {exc.lineno}: {exc.msg})"
        ) from None
    root = tree.getroot()

    def refuse(line: int | None, why: str) -> InputError:
        return InputError(f"{path}{f':{line}' if line else ''}: {what} {why}")

    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise refuse(1, "declares XML entities (<!ENTITY>), which a logo may not use; "
                        "save it again as plain SVG")  # fmt: skip
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise InputError(f"{path}: {what} is not an SVG image (it does not start with <svg>)")
    count = 0
    for element in root.iter():
        count += 1
        if count > SVG_MAX_ELEMENTS:
            raise refuse(None, f"has more than {SVG_MAX_ELEMENTS:,} elements; simplify it")
        if isinstance(element, etree._Entity):
            raise refuse(element.sourceline, f"uses the XML entity &{element.name};")
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("image", "feImage"):
            raise refuse(element.sourceline, f"holds a raster image (<{name}>), which a logo "
                         "cannot print; use a PNG or JPEG logo, or an SVG of shapes and text")  # fmt: skip
        if name in ("script", "foreignObject"):
            raise refuse(element.sourceline, f"holds <{name}>, which a logo may not use")
        href = element.get(XLINK) or element.get("href")
        if href and name != "a" and not href.strip().startswith("#"):
            raise refuse(element.sourceline, f"refers to another file or address ('{href[:60]}'); "
                         "a logo must be one self-contained file")  # fmt: skip
        style = (element.text or "") if name == "style" else element.get("style", "")
        if style and EXTERNAL_URL.search(style):
            raise refuse(element.sourceline, "has a style that refers to another file or "
                         "address (url(...) or @import); a logo must be one self-contained file")  # fmt: skip
    return root


def _check_numbers(node, path: Path, what: str, texts: list[str]) -> None:
    """Every number in the drawing is finite and within SVG_MAX_NUMBER (NaN or infinity would
    reach the page's drawing operators and blank it); collects the drawing's texts."""
    stack = [node]
    while stack:
        node = stack.pop()
        for key, value in vars(node).items():
            if key == "contents":
                stack.extend(value)
                continue
            if key == "text" and isinstance(value, str):
                texts.append(value)
            numbers = value if isinstance(value, (list, tuple)) else (value,)
            for number in numbers:
                if isinstance(number, bool) or not isinstance(number, (int, float)):
                    continue
                if not -SVG_MAX_NUMBER <= number <= SVG_MAX_NUMBER:  # (NaN fails both)
                    shape = type(node).__name__.lower()
                    raise InputError(
                        f"{path}: {what} has a {shape} whose {key} is {number:g}: every size "
                        f"and position must be a finite number within ±{SVG_MAX_NUMBER:,.0f}"
                    )
