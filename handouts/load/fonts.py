"""Read a `font:` setting (brand or layout): a built-in font's name, or TrueType files."""

from __future__ import annotations

from pathlib import Path

from handouts.load.fields import Fields, describe
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
    if not path.is_file():
        f.problem(face, f"'{text}' was not found (looked for {path})")
        return None
    try:
        with path.open("rb") as file:
            magic = file.read(4)
    except OSError as error:
        f.problem(face, f"'{text}' cannot be read: {error.strerror}")
        return None
    if magic == b"OTTO":
        f.problem(face, f"'{text}' is an OpenType font with PostScript (CFF) outlines, which "
                        "cannot be embedded; use a TrueType (.ttf) version of it")  # fmt: skip
    elif magic == b"ttcf":
        f.problem(face, f"'{text}' is a font collection (.ttc); give one .ttf file per face")
    elif magic not in (b"\x00\x01\x00\x00", b"true"):
        f.problem(face, f"'{text}' is not a TrueType font file")
    else:
        return path
    return None
