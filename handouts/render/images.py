"""Pictures from the clinic (the brand logo, exercise photos): checked, and fitted to print size.

A JPEG is printed as it is (its bytes embedded in the PDF, DCTDecode, never decoded) when it
needs nothing done: RGB, grey or Adobe CMYK, baseline or progressive, upright (no EXIF rotation
to apply) and at most PASS_DPI at its printed size; a camera's MPO prints its first picture the
same way. Any other JPEG, and a PNG photo, is decoded (with Pillow's draft mode when it is
reduced: the JPEG decoder scales by 1/2, 1/4 or 1/8 as it decodes), turned upright, reduced to
about PHOTO_DPI and saved as a JPEG of quality 85. A PNG that needs to stay exact (transparency,
a palette, line art of at most 256 colours) becomes a PNG, also at about PHOTO_DPI. What was
made is kept in the cache between runs (`remembered`, keyed by the photo's content and the size
made) and in the process. An SVG logo becomes a reportlab Drawing, after checks that it holds only
shapes and text (no raster image, no reference to another file, no XML entities) and that every
size and coordinate in it is a finite, reasonable number. Anything else is an InputError that
names the file.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from handouts.errors import InputError

PRINT_DPI = 200  # the logo's (and print_ready_png's)
PHOTO_DPI = 300  # a picture that has to be made again is made at about this
PASS_DPI = 450  # a JPEG up to this at its printed size prints as it is (1.5 x PHOTO_DPI: its
# own bytes cost less than making it again, and lose nothing)
JPEG_QUALITY = 85
STEPS = 8  # a reduced picture's scale is rounded down to a power of 2 ** (1 / STEPS) (at most
# 9% under the dpi): pictures of nearly the same size (a card with less room) share one
MAX_PIXELS = 40_000_000  # a photo larger than this is refused, not decoded
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # a camera's MPO is a JPEG (+ previews)
LOGO_MAX = (1.8 * 72, 0.9 * 72)  # the logo's box in the header: width, height in points
SVG_MAX_ELEMENTS = 20_000  # a logo, not a map
SVG_MIN_SIZE, SVG_MAX_SIZE = 0.01, 1e6  # an SVG's width and height, in its own units
SVG_MAX_NUMBER = 1e7  # any coordinate or length in it
XLINK = "{http://www.w3.org/1999/xlink}href"
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)
ORIENTATION = 0x0112  # the EXIF tag: 1 is upright; 5-8 turn the picture a quarter
JPEG_COMPONENTS = {"L": 1, "RGB": 3, "CMYK": 4}
CUT_SHORT = "cannot be read, the file seems damaged (truncated: the picture's data stops early)"
MEMORY = 32 * 1024 * 1024  # bytes of pictures kept in a process (a batch prints the same ones)


class Picture:
    """A picture ready to print: a JPEG (`kind` "jpeg", embedded as its bytes are) or a PNG,
    `width` x `height` pixels, upright."""

    __slots__ = ("kind", "data", "width", "height", "_reader")

    def __init__(self, kind: str, data: bytes, width: int, height: int) -> None:
        self.kind, self.data, self.width, self.height = kind, data, width, height
        self._reader = None

    def reader(self) -> ImageReader:
        """What canvas.drawImage takes: made once, shared by every handout of the process."""
        if self._reader is None:
            if self.kind == "jpeg":
                self._reader = _JpegBytes(self.data, self.width, self.height)
            else:
                self._reader = ImageReader(io.BytesIO(self.data))
        return self._reader


class _JpegBytes(ImageReader):
    """A JPEG for canvas.drawImage, embedded as its bytes are (reportlab's JPEG path) and never
    decoded: reportlab's ImageReader names an image by its decoded pixels, this one by a hash of
    its bytes (the same photo twice in a PDF is embedded once)."""

    def __init__(self, data: bytes, width: int, height: int) -> None:  # no super(): no decoding
        self.fileName, self._ident, self._image = "jpeg", None, None
        self.fp = io.BytesIO(data)
        self._width, self._height = width, height
        self._transparent = self._data = self._dataA = None
        self._key = hashlib.blake2b(data).digest()

    def jpeg_fh(self) -> io.BytesIO:  # reportlab's name: the JPEG to embed as it is
        # (a method, not reportlab's `self.jpeg_fh = self._jpeg_fh`: that makes a cycle, and the
        # photo's bytes would stay in memory until the garbage collector runs)
        self.fp.seek(0)
        return self.fp

    def getRGBData(self) -> bytes:  # noqa: N802 - reportlab's name; used only to name the image
        return self._key


class _Facts:
    """What opening a picture (without decoding it) says: what `check` validates, and what
    `print_ready` decides from."""

    __slots__ = ("upright", "jpeg")

    def __init__(self, upright: tuple[int, int], jpeg: bytes | None) -> None:
        self.upright = upright  # pixel width and height once turned as the camera meant
        self.jpeg = jpeg  # the bytes to embed as they are, when it can be (None: make it again)


_FACTS: dict[bytes, _Facts] = {}
_MADE: dict[tuple, Picture] = {}
_kept = [0]  # bytes held by _FACTS and _MADE


def _keep(table: dict, key, value, size: int):
    if _kept[0] + size > MEMORY:
        _FACTS.clear()
        _MADE.clear()
        _kept[0] = 0
    table[key] = value
    _kept[0] += size
    return value


def inspect_picture(path: Path, what: str) -> tuple[int, int]:
    """Check the picture at `path` as `handouts check` does, without decoding or re-encoding it:
    it can be read, is a PNG or JPEG of at most MAX_PIXELS, its header and (PNG) chunks are
    sound, a JPEG ends as it should. Returns its upright pixel size; an InputError otherwise."""
    return _facts(_read_bytes(path, what), path, what)[1].upright


def print_ready(
    path: Path, what: str, width_pt: float, height_pt: float, dpi: float = PHOTO_DPI
) -> Picture:
    """The picture at `path`, ready to print within width x height points at about `dpi` (see
    the module's docstring; a JPEG up to PASS_DPI / PHOTO_DPI times `dpi` prints as it is).
    A missing, unreadable, corrupt, huge or non-PNG/JPEG file is an InputError that
    names the file."""
    if not (0 < width_pt < math.inf and 0 < height_pt < math.inf):
        raise InputError(
            f"{path}: {what} has no room to print: its frame is {width_pt:g} x {height_pt:g} pt"
        )
    data = _read_bytes(path, what)
    digest, facts = _facts(data, path, what)
    width, height = facts.upright
    printed = 72 / min(width_pt / width, height_pt / height)  # pixels per inch as printed
    if facts.jpeg is not None and printed <= dpi * PASS_DPI / PHOTO_DPI:
        return _passed(digest, facts)
    wanted = dpi / printed
    step = math.floor(math.log2(wanted) * STEPS) if wanted < 1 else 0
    key = (digest, step)
    made = _MADE.get(key)
    if made is None:
        from PIL import __version__ as pillow

        from handouts.load.cache import remembered

        def make() -> tuple:
            return _make(data, path, what, 2 ** (step / STEPS))

        text = f"{digest.hex()}|{step}|Pillow {pillow}"
        found = remembered("picture", text, (Path(__file__),), make, tuple)
        if not _made_well(found):
            found = make()
        made = _keep(_MADE, key, Picture(*found), len(found[1]))
    return made


def _passed(digest: bytes, facts: _Facts) -> Picture:
    key = (digest, "as is")
    found = _MADE.get(key)
    if found is None:
        found = _keep(_MADE, key, Picture("jpeg", facts.jpeg, *facts.upright), 0)  # type: ignore[arg-type]
    return found


def _made_well(found: object) -> bool:
    return (isinstance(found, tuple) and len(found) == 4 and found[0] in ("jpeg", "png")
            and isinstance(found[1], bytes) and all(isinstance(v, int) for v in found[2:]))  # fmt: skip


def _read_bytes(path: Path, what: str) -> bytes:
    with _reading(path, what):
        return path.read_bytes()


def _facts(data: bytes, path: Path, what: str) -> tuple[bytes, _Facts]:
    digest = hashlib.blake2b(data).digest()
    facts = _FACTS.get(digest)
    if facts is None:
        with _reading(path, what), _opened(data, path, what) as image:
            width, height = image.size
            turn = _orientation(image)
            upright = (height, width) if turn in (5, 6, 7, 8) else (width, height)
            jpeg = None
            if image.format == "PNG":
                try:
                    with Image.open(io.BytesIO(data)) as again:
                        again.verify()  # every chunk's checksum, without decoding the pixels
                except OSError as exc:
                    if "truncated" not in str(exc).lower():
                        raise
                    raise InputError(f"{path}: {what} {CUT_SHORT}") from None
            else:
                whole = _whole(_first_picture(data, image))
                if whole is None:
                    raise InputError(f"{path}: {what} {CUT_SHORT}")
                jpeg = _embeddable(whole, image, turn)
        facts = _keep(_FACTS, digest, _Facts(upright, jpeg), len(jpeg or b""))
    return digest, facts


def _orientation(image: Image.Image) -> int:
    try:
        turn = image.getexif().get(ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block: printed as stored, as viewers do
        return 1
    return turn if isinstance(turn, int) and 1 <= turn <= 8 else 1


def _first_picture(data: bytes, image: Image.Image) -> bytes:
    """A JPEG's bytes; an MPO's first picture (the photo; the others are previews)."""
    if image.format == "MPO":
        try:
            size = image.mpinfo[0xB002][0]["Size"]  # type: ignore[attr-defined]
        except (AttributeError, KeyError, IndexError, TypeError):
            return data
        if isinstance(size, int) and 0 < size <= len(data):
            return data[:size]
    return data


def _whole(jpeg: bytes) -> bytes | None:
    """The JPEG up to its end-of-image marker (what a camera may write after it left out), or
    None when its last scan never ends (the file was cut short). Inside a scan a 0xFF byte is
    always followed by 0x00 or a restart marker, so 0xFF 0xD9 after the last start of scan
    (0xFF 0xDA) is the end; an EXIF thumbnail's own markers come before the picture's."""
    if jpeg.endswith(b"\xff\xd9"):
        return jpeg
    scan = jpeg.rfind(b"\xff\xda")
    end = jpeg.find(b"\xff\xd9", scan) if scan >= 0 else -1
    return None if end < 0 else jpeg[: end + 2]


def _embeddable(jpeg: bytes, image: Image.Image, turn: int) -> bytes | None:
    """The JPEG's bytes when they can be embedded as they are: upright, RGB, grey or Adobe CMYK
    (its inverted inks, which reportlab's /Decode undoes), an 8-bit baseline or progressive
    frame as reportlab reads it to embed it; else None (the picture is decoded and made again:
    a lossless, arithmetic-coded or 12-bit JPEG, a YCCK one)."""
    from reportlab.pdfbase.pdfutils import readJPEGInfo

    if turn != 1 or image.mode not in JPEG_COMPONENTS:
        return None
    adobe = image.info.get("adobe") and image.info.get("adobe_transform") == 0
    if image.mode == "CMYK" and not adobe:
        return None
    try:
        width, height, components, _ = readJPEGInfo(io.BytesIO(jpeg))
    except Exception:  # noqa: BLE001 - reportlab raises PDFError, struct.error, ...
        return None
    if (width, height) != image.size or components != JPEG_COMPONENTS[image.mode]:
        return None
    return jpeg


def _stays_exact(image: Image.Image) -> bool:
    """Whether a PNG must stay exact: transparency, a palette or two-tone, or at most 256
    colours (line art, a diagram); a photo saved as PNG becomes a JPEG."""
    if image.mode in ("P", "PA", "1", "LA", "RGBA") or "transparency" in image.info:
        return True
    if image.mode not in ("RGB", "L"):
        return True  # 16-bit, 32-bit grey: decoded carefully (_eight_bit), kept exact
    image.load()
    return image.getcolors(256) is not None


def _make(data: bytes, path: Path, what: str, scale: float) -> tuple:
    """The picture made again: upright, `scale` times its size, JPEG or PNG (see the module's
    docstring); as (kind, bytes, width, height)."""
    with _reading(path, what), _opened(data, path, what) as image:
        turn = _orientation(image)
        lossless = image.format == "PNG" and _stays_exact(image)
        stored = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        if scale < 1 and image.format in ("JPEG", "MPO"):
            image.draft("L" if image.mode == "L" else "RGB", stored)  # decode smaller
        image.load()
        picture = ImageOps.exif_transpose(image) or image
        if turn in (5, 6, 7, 8):
            stored = stored[::-1]
        if lossless:
            picture = _eight_bit(picture)
        elif picture.mode != "L":
            picture = _eight_bit(picture).convert("RGB")
        if picture.size != stored:
            picture = picture.resize(stored, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if lossless:
            picture.save(out, format="PNG")
        else:
            picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        return ("png" if lossless else "jpeg", out.getvalue(), picture.width, picture.height)


@contextmanager
def _opened(data: bytes, path: Path, what: str):
    """The picture opened from its bytes (not decoded), its format checked; an MPO at its
    first picture."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise InputError(f"{path}: {what} must be a PNG or JPEG image, got {image.format}")
            image.seek(0)
            yield image


@contextmanager
def _reading(path: Path, what: str):
    """Any failure to read or decode the picture, as one InputError naming the file."""
    try:
        yield
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


def print_ready_png(
    path: Path, what: str, width_pt: float, height_pt: float
) -> tuple[bytes, int, int]:
    """The image at `path` decoded, upright, fitted within width x height points at about
    PRINT_DPI, as PNG bytes and its pixel size (what every picture printed as before JPEGs were
    kept: for tests and callers that need the pixels)."""
    if not (0 < width_pt < math.inf and 0 < height_pt < math.inf):
        raise InputError(
            f"{path}: {what} has no room to print: its frame is {width_pt:g} x {height_pt:g} pt"
        )
    data = _read_bytes(path, what)
    with _reading(path, what), _opened(data, path, what) as image:
        image.load()
        picture = _eight_bit(ImageOps.exif_transpose(image) or image)
    scale = min(
        width_pt / 72 * PRINT_DPI / picture.width, height_pt / 72 * PRINT_DPI / picture.height, 1.0
    )
    if scale < 1.0:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height


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
            picture = print_ready(path, what, max_width, max_height, PRINT_DPI)
            px_w, px_h = picture.width, picture.height
            self.image = picture.reader()
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
