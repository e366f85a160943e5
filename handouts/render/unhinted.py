"""TrueType subsets without hinting: a smaller PDF, the same outlines.

Hinting is bytecode that snaps outlines to a coarse pixel grid (the font program `fpgm`, the
control values `cvt `, the pre-program `prep`, and each glyph's own instructions). reportlab's
subsets keep all of it: about 4 KB of a handout's two compressed subsets. Printers ignore it, and
at the sizes a handout prints (12 pt and up on paper; a screen's 96 dpi or more) viewers draw the
outlines well without it (most of them ignore it already: Apple's, Chrome's PDFium at its default
settings, pdf.js through the browser). Glyph instructions without the font program that they call
would be broken code, so both go: an unhinted font is a valid font."""

from __future__ import annotations

from struct import pack, unpack_from

from reportlab.pdfbase.ttfonts import TTFontFace, TTFontMaker

HINTING = ("cvt ", "fpgm", "prep")  # the tables that hold nothing but hinting
_MORE_COMPONENTS, _WORDS, _SCALE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = (
    0x20, 0x01, 0x08, 0x40, 0x80, 0x100,
)  # fmt: skip


def unhinted(font: bytes) -> bytes:
    """The TrueType font `font` (a subset reportlab made) without its hinting tables and glyph
    instructions; every other table as it was. The same bytes give the same bytes."""
    tables = _tables(font)
    if "glyf" not in tables:
        return font
    head, maxp = tables["head"], tables["maxp"]
    long_loca = unpack_from(">h", head, 50)[0] == 1
    count = unpack_from(">H", maxp, 4)[0]
    loca = unpack_from(f">{count + 1}{'L' if long_loca else 'H'}", tables["loca"])
    if not long_loca:
        loca = [offset * 2 for offset in loca]
    glyf = tables["glyf"]
    glyphs = [_without_instructions(glyf[loca[n] : loca[n + 1]]) for n in range(count)]
    offsets, pos = [], 0
    for glyph in glyphs:
        offsets.append(pos)
        pos += len(glyph)
    offsets.append(pos)
    short = pos // 2 <= 0xFFFF
    out = TTFontMaker()
    for tag, data in tables.items():
        if tag in HINTING:
            continue
        if tag == "glyf":
            data = b"".join(glyphs)
        elif tag == "loca":
            data = pack(f">{len(offsets)}{'H' if short else 'L'}",
                        *(o // 2 if short else o for o in offsets))  # fmt: skip
        elif tag == "head":
            data = data[:50] + pack(">h", 0 if short else 1) + data[52:]
        elif tag == "maxp" and len(data) >= 32:  # (version 1.0: the hinting limits, now none)
            data = data[:16] + bytes(12) + data[28:]
        out.add(tag, data)
    return out.makeStream()


def _tables(font: bytes) -> dict[str, bytes]:
    count = unpack_from(">H", font, 4)[0]
    tables = {}
    for n in range(count):
        tag, _, offset, length = unpack_from(">4sLLL", font, 12 + 16 * n)
        tables[tag.decode("latin-1")] = font[offset : offset + length]
    return tables


_DONE: dict[bytes, bytes] = {}  # glyph -> the same without instructions: each is done once


def _without_instructions(glyph: bytes) -> bytes:
    """One glyph's outline without its instructions, padded to 4 bytes as reportlab pads."""
    done = _DONE.get(glyph)
    if done is None:
        if len(_DONE) >= 4096:
            _DONE.clear()
        done = _DONE[glyph] = _stripped(glyph)
    return done


def _stripped(glyph: bytes) -> bytes:
    if len(glyph) < 10:
        return glyph
    contours = unpack_from(">h", glyph)[0]
    if contours >= 0:  # simple: the contours' end points, then the instructions, then points
        at = 10 + 2 * contours
        length = unpack_from(">H", glyph, at)[0]
        points = glyph[at + 2 + length :]
        count = unpack_from(">H", glyph, at - 2)[0] + 1 if contours else 0
        glyph = glyph[:at] + b"\0\0" + points[: _points_length(points, count)]
    else:  # composite: its components; instructions after the last when a flag says so
        parts, at, flags = [glyph[:10]], 10, _MORE_COMPONENTS
        while flags & _MORE_COMPONENTS:
            flags = unpack_from(">H", glyph, at)[0]
            size = 4 + (4 if flags & _WORDS else 2)
            size += (
                2 if flags & _SCALE else 4 if flags & _XY_SCALE else 8 if flags & _TWO_BY_TWO else 0
            )
            parts.append(pack(">H", flags & ~_INSTRUCTIONS) + glyph[at + 2 : at + size])
            at += size
        glyph = b"".join(parts)
    return glyph + bytes(-len(glyph) % 4)


def _points_length(data: bytes, count: int) -> int:
    """How many bytes of `data` a simple glyph's `count` points take (flags, then x and y):
    what follows is padding."""
    at, flags = 0, []
    while len(flags) < count:
        flag = data[at]
        at += 1
        repeat = 1
        if flag & 8:
            repeat += data[at]
            at += 1
        flags += [flag] * repeat
    for flag in flags[:count]:
        at += 1 if flag & 2 else 0 if flag & 16 else 2
        at += 1 if flag & 4 else 0 if flag & 32 else 2
    return at


class UnhintedFace(TTFontFace):
    """reportlab's TrueType face whose subsets (what a PDF embeds) carry no hinting."""

    def makeSubset(self, subset):  # noqa: N802 (reportlab's name)
        return unhinted(super().makeSubset(subset))


def without_hinting(face: TTFontFace) -> TTFontFace:
    """`face` (parsed by reportlab), embedding its subsets without hinting from now on."""
    if type(face) is TTFontFace:
        face.__class__ = UnhintedFace
    return face
