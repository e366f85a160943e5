"""Read a `font:` setting (brand or layout): a built-in font's name, or TrueType files."""

from __future__ import annotations

from pathlib import Path

from handouts.errors import InputError
from handouts.load.fields import Fields, describe
from handouts.load.source import is_file
from handouts.model import DEFAULT_FONT, Font

FONTS = ("atkinson-hyperlegible",)  # the built-in fonts
FACES = ("regular", "bold")  # handouts print no italics


def read_font(f: Fields, key: str = "font") -> Font | None:
    """`font: atkinson-hyperlegible`, or `font: {regular: a.ttf, bold: b.ttf}` with paths relative
    to the file. Files are checked here (they exist and are TrueType); glyphs when printing."""
    value = f.data.get(key)
    if value is None:
        return None
    origin = f"{f.source.name}:{f.line_of(key)}"
    if isinstance(value, str):
        if value in FONTS:
            return DEFAULT_FONT if value == DEFAULT_FONT.name else Font(value, origin=origin)
        f.problem(key, f"must be one of {', '.join(FONTS)} or a mapping of TrueType files "
                       f"(regular:, bold:), got {describe(value)}")  # fmt: skip
        return None
    faces = f.mapping(key)
    faces.check_keys(FACES)
    paths: dict[str, Path] = {}
    for face in FACES:
        if face not in faces.data:
            faces.problem(face, "is required (a .ttf file)")
        elif face in faces.data:
            path = _font_file(faces, face, f.source.path.parent)
            if path is not None:
                paths[face] = path
    if "regular" not in paths or "bold" not in paths:
        return None
    return Font(paths["regular"].name, origin=origin, **paths)


def _font_file(f: Fields, face: str, folder: Path) -> Path | None:
    text = f.text(face, required=True)
    if not text:
        return None
    path = folder / text
    if not is_file(path):
        f.problem(face, f"'{text}' was not found (looked for {path})")
        return None
    try:
        with path.open("rb") as file:
            magic = file.read(4)
    except OSError as error:
        f.problem(face, f"'{text}' cannot be read: {error.strerror}")
        return None
    if not magic:
        f.problem(face, f"'{text}' is an empty file, not a TrueType font")
    elif magic == b"OTTO":
        f.problem(face, f"'{text}' is an OpenType font with PostScript (CFF) outlines, which "
                        "cannot be embedded; use a TrueType (.ttf) version of it")  # fmt: skip
    elif magic == b"ttcf":
        f.problem(face, f"'{text}' is a font collection (.ttc); give one .ttf file per face")
    elif magic not in (b"\x00\x01\x00\x00", b"true"):
        f.problem(face, f"'{text}' is not a TrueType font file")
    else:
        try:
            truetype_face(path)
        except InputError as error:
            f.problem(face, f"'{text}' {error.message}")
            return None
        return path
    return None


_FACES: dict[tuple[str, int, int], object] = {}


def truetype_face(path: Path):
    """The TrueType file at `path`, parsed by reportlab (the parser that embeds it) and checked
    for what embedding it needs, once per process while the file is unchanged. A file it cannot
    use is an InputError whose message says why ("is a damaged TrueType font: ...")."""
    try:
        stat = path.stat()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    face = _FACES.get(key)
    if face is None:
        face = _FACES[key] = _parse(path)
    return face


def _parse(path: Path):
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFace

    try:
        face = TTFontFace(str(path))
        reason = _incomplete(face)
    except TTFError as error:  # reportlab's own words, without the file's full path
        text = " ".join(str(error).replace(f'"{path}"', "").replace(str(path), "").split())
        if "subsetting/embedding" in text:
            raise InputError(
                "is a font whose licence does not allow embedding it in a document "
                "(its OS/2 fsType); choose another font"
            ) from None
        reason = text.rstrip(".") or "it cannot be read"
    except KeyError as error:
        reason = f"it has no '{error.args[0]}' table"
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror or error}") from None
    except Exception:  # noqa: BLE001 - a damaged file makes the parser fail anyhow
        reason = "the file is cut short or damaged"
    if reason:
        raise InputError(f"is a damaged or incomplete TrueType font: {reason}")
    return face


def _incomplete(face) -> str:
    """What a parsed face lacks for embedding, or '' (reportlab reads the glyphs only when it
    writes the PDF: a truncated glyph table would fail there)."""
    if "glyf" not in face.table:
        return "it has no 'glyf' table (no TrueType outlines)"
    data_size = len(face._ttf_data)
    for tag, record in face.table.items():
        if record["offset"] + record["length"] > data_size:
            return f"its '{tag.strip()}' table runs past the end of the file (cut short?)"
    glyf_length = face.table["glyf"]["length"]
    positions = face.glyphPos
    if len(positions) != face.numGlyphs + 1 or any(
        b < a for a, b in zip(positions, positions[1:], strict=False)
    ):
        return "its glyph locations ('loca' table) are out of order"
    if positions and positions[-1] > glyf_length:
        return "its glyphs run past the end of the 'glyf' table (cut short?)"
    if not any(0 < glyph < face.numGlyphs for glyph in face.charToGlyph.values()):
        return "it maps no characters to glyphs (no usable 'cmap' table)"
    return ""
