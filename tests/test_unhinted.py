"""The embedded font subsets carry no hinting (render/unhinted.py): no fpgm, prep or cvt table, no
glyph instructions; every other table and every outline as reportlab subset them, so the pages
draw the same and the text extracts the same. A clinic's own TrueType font too."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import DATE
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFace
from test_languages import ASCII, font_layout

from handouts.build import BuildRequest, make_handout
from handouts.render.unhinted import UnhintedFace, unhinted

HINTING = {"fpgm", "prep", "cvt "}


def embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {
            str(obj.FontName): obj.FontFile2.read_bytes()
            for obj in doc.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        }


def check_unhinted(font: bytes) -> TTFont:
    """`font` has no hinting, and fontTools reads every glyph of it whole."""
    parsed = TTFont(io.BytesIO(font))
    assert not HINTING & set(parsed.reader.keys())
    glyf = parsed["glyf"]
    for name in parsed.getGlyphOrder():
        glyph = glyf[name]
        if glyph.isComposite():
            assert glyph.getComponentNames(glyf)
            assert not hasattr(glyph, "program") or not glyph.program.getBytecode()
        elif glyph.numberOfContours:
            coordinates, ends, _ = glyph.getCoordinates(glyf)
            assert len(coordinates) == ends[-1] + 1
            assert not glyph.program.getBytecode(), name
    assert parsed["maxp"].maxSizeOfInstructions == 0
    return parsed


@pytest.fixture(scope="module")
def sciatica() -> bytes:
    return make_handout(BuildRequest(program="sciatica", patient="Jane Doe", date=DATE,
                                     lang="es", log_weeks=1))[1]  # fmt: skip


def test_the_atkinson_subsets_have_no_hinting(sciatica):
    fonts = embedded_fonts(sciatica)
    assert sorted(name.split("+")[1] for name in fonts) == [
        "AtkinsonHyperlegible-Bold",
        "AtkinsonHyperlegible-Regular",
    ]
    for font in fonts.values():
        parsed = check_unhinted(font)
        assert parsed["cmap"].tables[0].cmap  # (reportlab's own tables stay)
        assert {"name", "OS/2", "head", "hhea", "hmtx", "maxp", "loca", "glyf", "post"} <= set(
            parsed.reader.keys()
        )


def test_the_outlines_and_metrics_are_reportlabs(monkeypatch, sciatica):
    """The same subset with hinting (reportlab's own): every glyph's points and advance agree."""
    monkeypatch.setattr(UnhintedFace, "makeSubset", TTFontFace.makeSubset)
    hinted = embedded_fonts(make_handout(BuildRequest(program="sciatica", patient="Jane Doe",
                                                      date=DATE, lang="es", log_weeks=1))[1])  # fmt: skip
    ours = embedded_fonts(sciatica)
    assert hinted.keys() == ours.keys()
    for name, font in ours.items():
        a, b = TTFont(io.BytesIO(hinted[name])), TTFont(io.BytesIO(font))
        assert set(a.reader.keys()) >= HINTING  # (it had hinting to drop)
        assert len(font) < len(hinted[name]) - 3000
        assert a.getGlyphOrder() == b.getGlyphOrder()
        assert a["hmtx"].metrics == b["hmtx"].metrics
        for glyph in a.getGlyphOrder():
            ga, gb = a["glyf"][glyph], b["glyf"][glyph]
            if ga.isComposite():
                assert [(c.glyphName, c.x, c.y) for c in ga.components] == [
                    (c.glyphName, c.x, c.y) for c in gb.components
                ]
            elif ga.numberOfContours:
                assert list(ga.getCoordinates(a["glyf"])[0]) == list(
                    gb.getCoordinates(b["glyf"])[0]
                )


def test_the_pages_draw_and_read_the_same(monkeypatch, sciatica, tmp_path: Path):
    monkeypatch.setattr(UnhintedFace, "makeSubset", TTFontFace.makeSubset)
    hinted = make_handout(BuildRequest(program="sciatica", patient="Jane Doe", date=DATE,
                                       lang="es", log_weeks=1))[1]  # fmt: skip
    assert len(sciatica) < len(hinted) - 6000
    texts = [[p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
             for pdf in (hinted, sciatica)]  # fmt: skip
    assert texts[0] == texts[1] and "Busque ayuda médica" in texts[1][0]
    pngs = []
    for name, pdf in (("hinted", hinted), ("ours", sciatica)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "3",
                        str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)  # fmt: skip
        pngs.append(sorted(tmp_path.glob(f"{name}-*.png")))
    assert len(pngs[0]) == 3
    from PIL import Image, ImageChops

    for a, b in zip(*pngs, strict=True):
        assert ImageChops.difference(Image.open(a), Image.open(b)).getbbox() is None, a.name
    fonts = subprocess.run(["pdffonts", str(tmp_path / "ours.pdf")], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert len(rows) == 2 and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts


def test_a_clinics_own_font_is_embedded_without_hinting(tmp_path: Path):
    layout = font_layout(tmp_path, ASCII)
    pdf = make_handout(BuildRequest(ids=("glute-bridge",), date=DATE, layout=str(layout)))[1]
    fonts = embedded_fonts(pdf)
    assert len(fonts) == 2
    for font in fonts.values():
        check_unhinted(font)


def test_unhinted_keeps_a_font_without_hinting_as_it_was():
    """A subset made twice gives the same bytes, and unhinting an unhinted font changes nothing."""
    import fontpkg_atkinson_hyperlegible as atkinson

    face = UnhintedFace(str(atkinson.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf"))
    subset = [ord(c) for c in "Hola, ¿qué tal? Ññ 0123456789"]
    once = face.makeSubset(subset)
    assert once == face.makeSubset(subset)
    assert unhinted(once) == once
    check_unhinted(once)
