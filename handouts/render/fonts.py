"""Embedded TrueType fonts, registered once per process when a handout is first rendered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handouts.errors import InputError


@dataclass(frozen=True)
class FontFamily:
    label: str  # what people call it
    regular: str  # registered reportlab font names
    bold: str
    italic: str
    bold_italic: str

    @property
    def faces(self) -> tuple[str, ...]:
        return (self.regular, self.bold, self.italic, self.bold_italic)


@cache
def font_family(name: str) -> FontFamily:
    if name != "atkinson-hyperlegible":  # the layout loader only lets known names through
        raise InputError(f"unknown font '{name}'; the fonts are: atkinson-hyperlegible")
    import fontpkg_atkinson_hyperlegible as atkinson

    folder = atkinson.ROOT / "files"
    family = FontFamily(
        label=atkinson.FAMILY,
        regular="AtkinsonHyperlegible",
        bold="AtkinsonHyperlegible-Bold",
        italic="AtkinsonHyperlegible-Italic",
        bold_italic="AtkinsonHyperlegible-BoldItalic",
    )
    files = ("Regular", "Bold", "Italic", "BoldItalic")
    for face, file in zip(family.faces, files, strict=True):
        pdfmetrics.registerFont(TTFont(face, str(folder / f"AtkinsonHyperlegible-{file}.ttf")))
    for bold, italic, face in (
        (0, 0, family.regular),
        (1, 0, family.bold),
        (0, 1, family.italic),
        (1, 1, family.bold_italic),
    ):
        addMapping(family.regular, bold, italic, face)
    return family


def missing_glyphs(family: FontFamily, texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each character the font cannot print, with the places (origins) it comes from."""
    glyphs = pdfmetrics.getFont(family.regular).face.charToGlyph
    missing: dict[str, list[str]] = {}
    for origin, text in texts:
        for char in text:
            if char != "\n" and ord(char) not in glyphs:
                places = missing.setdefault(char, [])
                if origin not in places:
                    places.append(origin)
    return missing


def check_glyphs(family: FontFamily, texts: Iterable[tuple[str, str]]) -> None:
    """Fail, naming each character and where it came from, if the font cannot print it.

    reportlab would otherwise draw a box or nothing, with no warning.
    """
    missing = missing_glyphs(family, texts)
    if missing:
        lines = [
            f"  '{char}' (U+{ord(char):04X}) in {', '.join(places)}"
            for char, places in missing.items()
        ]
        raise InputError(
            f"the font {family.label} cannot print {len(missing)} character"
            f"{'s' if len(missing) != 1 else ''}; change the text or choose another font:\n"
            + "\n".join(lines)
        )
