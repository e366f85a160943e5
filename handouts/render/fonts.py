"""Embedded TrueType fonts, registered once per process when a handout is first rendered."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

from handouts.errors import InputError
from handouts.load.fonts import truetype_face
from handouts.model import Font
from handouts.render.unhinted import UnhintedFace, without_hinting


class _TTFont(TTFont):
    """reportlab's TrueType font, with a quicker `splitString` (its share of drawing text was
    the largest single cost of a large-print handout): once every character of a text has its
    code in the document's first subset, which is the case for all but the first few lines of a
    handout, the text is mapped to its codes by `str.translate` instead of a Python loop. The
    bytes are the same.

    A clinic's font comes with the face parsed (and checked) when its brand or layout was
    loaded, and `origin` to name it should writing its subsets fail (a damaged glyph)."""

    origin = ""

    @classmethod
    def from_face(cls, name: str, face, origin: str) -> _TTFont:
        """A font over a face parsed already (load/fonts.truetype_face): what TTFont.__init__
        does after parsing the file."""
        font = cls.__new__(cls)
        font.fontName = name
        font.face = without_hinting(face)
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = False  # (handouts set no shaping)
        font.origin = origin
        return font

    def addObjects(self, doc):  # noqa: N802 (reportlab's name)
        try:
            return super().addObjects(doc)
        except Exception as error:  # noqa: BLE001 - a damaged glyph makes subsetting fail anyhow
            if not self.origin:
                raise
            raise InputError(
                f"{self.origin} cannot be embedded: the font file is damaged "
                f"({type(error).__name__}: {error})"
            ) from None

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 (reportlab's name)
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and text:
            assignments = state.assignments
            fast = state.__dict__.get("_fast")
            if fast is None or fast[0] != len(assignments):
                fast = state._fast = _codes(assignments)
            if fast[2].issuperset(text):
                return [(0, text.translate(fast[1]).encode("latin-1"))]
        return super().splitString(text, doc, encoding)


def _codes(assignments: dict[int, int]) -> tuple[int, dict[int, str], frozenset[str]]:
    """The characters that have a code in the first subset, and their codes, for str.translate
    (a no-break space prints as the space, as in reportlab's own loop)."""
    table = {char: chr(code) for char, code in assignments.items() if code < 256}
    if 32 in table:
        table[0xA0] = table[32]
    return len(assignments), table, frozenset(map(chr, table))


@dataclass(frozen=True)
class FontFamily:
    label: str  # what people call it
    regular: str  # registered reportlab font names
    bold: str

    @property
    def printing(self) -> tuple[str, ...]:
        """The faces that print a handout's text. There are no italics: text for patients with
        low vision avoids them, and only the faces used are registered and embedded."""
        return (self.regular, self.bold)


@cache
def font_family(font: Font) -> FontFamily:
    """The registered faces of `font`; a built-in name or the clinic's TrueType files."""
    if font.regular is None:
        return _atkinson()
    key = hashlib.sha256(str(font.regular.resolve()).encode()).hexdigest()[:8]
    names = {}
    for face in ("regular", "bold"):
        path = getattr(font, face)
        names[face] = f"{path.stem}-{key}-{face}"
        where = f"{font.origin}: font.{face} '{path.name}'"
        try:  # parsed and checked when the brand or layout was loaded (the same cache)
            parsed = truetype_face(path)
        except InputError as error:
            raise InputError(f"{where} {error.message}") from None
        _register(_TTFont.from_face(names[face], parsed, where))
    family = FontFamily(label=font.name, **names)
    _map(family)
    return family


@cache
def _atkinson() -> FontFamily:
    import fontpkg_atkinson_hyperlegible as atkinson

    folder = atkinson.ROOT / "files"
    family = FontFamily(
        label=atkinson.FAMILY,
        regular="AtkinsonHyperlegible",
        bold="AtkinsonHyperlegible-Bold",
    )
    for face, file in zip(family.printing, ("Regular", "Bold"), strict=True):
        path = folder / f"AtkinsonHyperlegible-{file}.ttf"
        _register(_TTFont.from_face(face, UnhintedFace(str(path)), ""))
    _map(family)
    return family


def _register(font: _TTFont) -> None:
    """Register `font` under its own name. reportlab's registerFont hands a new name the font
    registered first for the same PostScript name: two files that both call themselves
    'NotoSans-Regular' (two versions, a fixed copy) would print with the first one's glyphs."""
    pdfmetrics.registerFont(font)
    if pdfmetrics.getFont(font.fontName) is not font:
        pdfmetrics._fonts[font.fontName] = font


def _map(family: FontFamily) -> None:
    """Bold (and, should markup ask, italic) of the regular face resolve to the family's own
    faces, never to Helvetica."""
    for bold, italic in ((0, 1), (1, 1), (0, 0), (1, 0)):  # the upright faces last: a face
        # maps back to the last style it was added as, and it must read as upright
        addMapping(family.regular, bold, italic, family.bold if bold else family.regular)


@cache
def _printable(family: FontFamily) -> set[str]:
    """The characters found printable in both faces of `family`, for the process."""
    return {"\n"}


def missing_glyphs(family: FontFamily, texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each character a face that prints text cannot print, with the places it comes from."""
    faces = [pdfmetrics.getFont(name).face for name in family.printing]
    faces = [(face.charToGlyph, face.numGlyphs) for face in faces]
    missing: dict[str, list[str]] = {}
    printable = _printable(family)
    for origin, text in texts:
        if printable.issuperset(text):  # (most texts, once a process has checked a few)
            continue
        for char in dict.fromkeys(text):
            if char in printable:
                continue
            # a character mapped to glyph 0 (or past the last glyph) prints as the .notdef box
            if all(0 < glyphs.get(ord(char), 0) < count for glyphs, count in faces):
                printable.add(char)
                continue
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
