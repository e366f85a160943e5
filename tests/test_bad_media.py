"""Fonts, logos, photos and layouts that reportlab, Pillow or svglib cannot use: each is exit 2
with one message naming the file (and the key), found when the file is loaded; the pictures that
are only unusual (a camera's MPO, CMYK, 16-bit, a palette with transparency) print correctly.

Every file is made here, in the test's own folder, and every case runs through the command line.
"""

from __future__ import annotations

import base64
import io
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE_ARG, leftovers
from PIL import Image
from test_languages import ASCII, make_font

from handouts.cli import cli


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), prog_name="handouts")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def build(*args: str):
    return run("build", *args, "--date", DATE_ARG)


def refused(result, message: str) -> None:
    """Exit 2 with exactly `message`, nothing on stdout, no traceback."""
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == f"Error: {message}\n"


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def qpdf_ok(path: Path) -> None:
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


# -- fonts -------------------------------------------------------------------------------------
def good_fonts(folder: Path) -> None:
    make_font(folder / "good.ttf", ASCII)
    make_font(folder / "good-bold.ttf", ASCII, "Bold")


def strip_table(tag: str):
    def make(path: Path) -> None:
        from fontTools.ttLib import TTFont

        font = TTFont(str(path.parent / "good.ttf"))
        del font[tag]
        if tag == "glyf":
            del font["loca"]
        font.save(str(path))

    return make


def cut(fraction: float):
    def make(path: Path) -> None:
        data = (path.parent / "good.ttf").read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return make


def raw(data: bytes):
    return lambda path: path.write_bytes(data)


def otf(path: Path) -> None:
    path.write_bytes(b"OTTO" + bytes(200))


DAMAGED = "is a damaged or incomplete TrueType font: "
FONT_CASES = {
    "truncated-half": (cut(0.5), DAMAGED + "the file is cut short or damaged"),
    "truncated-header": (cut(0.01), DAMAGED + "Corrupt TTF file cannot read Table Directory"),
    "empty": (raw(b""), "is an empty file, not a TrueType font"),
    "text": (raw(b"hello, I am not a font"), "is not a TrueType font file"),
    "truetype-magic-then-junk": (raw(b"\x00\x01\x00\x00" + b"junk" * 10),
                                 DAMAGED + "Corrupt TTF file cannot read Table Directory"),
    "no-glyph-tables": (strip_table("glyf"), DAMAGED + "missing location table"),
    "no-cmap": (strip_table("cmap"), DAMAGED + "it has no 'cmap' table"),
    "no-hmtx": (strip_table("hmtx"), DAMAGED + "it has no 'hmtx' table"),
    "no-name": (strip_table("name"), DAMAGED + "it has no 'name' table"),
    "no-post": (strip_table("post"), DAMAGED + "it has no 'post' table"),
    "otf": (otf, "is an OpenType font with PostScript (CFF) outlines, which cannot be embedded; "
                 "use a TrueType (.ttf) version of it"),
    "ttc": (raw(b"ttcf" + bytes(60)), "is a font collection (.ttc); give one .ttf file per face"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(FONT_CASES))
@pytest.mark.parametrize("where", ["brand", "layout"])
def test_a_bad_font_file_is_refused_when_loaded(folder: Path, case: str, where: str) -> None:
    good_fonts(folder)
    make, reason = FONT_CASES[case]
    make(folder / "bad.ttf")
    setting = "font: {regular: good.ttf, bold: bad.ttf}\n"
    if where == "brand":
        write(folder / "brand.yaml", "name: Clinic\n" + setting)
        args = ["--brand", "brand.yaml"]
    else:
        write(folder / "ours.yaml", "extends: compact\n" + setting)
        args = ["--layout", "ours.yaml"]
    file = args[1]
    message = f"{file}:2: font.bold 'bad.ttf' {reason}"
    refused(build("glute-bridge", *args), message)
    assert leftovers(folder) == []
    checked = run("check", *args)
    assert checked.exit_code == 1
    assert f"  {message}\n" in checked.stdout


def test_a_font_with_a_damaged_glyph_names_the_font_when_embedding(folder: Path) -> None:
    """The glyph data is read only when the PDF is written: a composite glyph pointing past the
    last glyph is reported with the font's file and key, not as an internal error."""
    from fontTools.ttLib import TTFont

    good_fonts(folder)
    font = TTFont(str(folder / "good.ttf"))
    glyph = font.getGlyphOrder().index("uni0041")  # 'A'
    font.close()
    data = bytearray((folder / "good.ttf").read_bytes())
    parsed = TTFont(io.BytesIO(bytes(data)), lazy=True)
    offset = parsed.reader.tables["glyf"].offset + parsed["loca"][glyph]
    data[offset : offset + 14] = b"\xff\xff" + bytes(8) + b"\x00\x00\xff\xf0"  # composite -> 65520
    (folder / "bad.ttf").write_bytes(bytes(data))
    write(folder / "brand.yaml", "name: Clinic\nfont: {regular: bad.ttf, bold: good-bold.ttf}\n")
    result = build("glute-bridge", "--brand", "brand.yaml", "-o", "out.pdf")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "Error: brand.yaml:2: font.regular 'bad.ttf' cannot be embedded: the font file is damaged ("
    )
    assert leftovers(folder) == []


def test_a_good_clinic_font_still_prints(folder: Path) -> None:
    good_fonts(folder)
    write(folder / "brand.yaml", "name: Clinic\nfont: {regular: good.ttf, bold: good-bold.ttf}\n")
    result = build("glute-bridge", "--brand", "brand.yaml", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    qpdf_ok(folder / "out.pdf")


# -- SVG logos ---------------------------------------------------------------------------------
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
RECT = '<rect width="10" height="10"/>'


def png_data() -> str:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + ']><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>&i;</text></svg>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>&x;</text></svg>'
)
LOGO = "the logo in brand.yaml"
NOT_FINITE = f"logo.svg: {LOGO}: its size is not a finite number"
SVG_CASES = {
    "raster-data-uri": (
        f'{SVG}width="90" height="40"><image width="20" height="10" '
        f'xlink:href="data:image/png;base64,{png_data()}"/></svg>',
        f"logo.svg:1: {LOGO} holds a raster image (<image>), which a logo cannot print; use a "
        "PNG or JPEG logo, or an SVG of shapes and text",
    ),
    "raster-file": (
        f'{SVG}width="90" height="40">\n<image width="20" height="10" href="/etc/x.png"/></svg>',
        f"logo.svg:2: {LOGO} holds a raster image (<image>), which a logo cannot print; use a "
        "PNG or JPEG logo, or an SVG of shapes and text",
    ),
    "use-another-file": (
        f'{SVG}width="90" height="40"><use xlink:href="../other.svg#a"/></svg>',
        f"logo.svg:1: {LOGO} refers to another file or address ('../other.svg#a'); a logo must "
        "be one self-contained file",
    ),
    "css-import": (
        f'{SVG}width="90" height="40"><style>@import url(/etc/passwd);</style>{RECT}</svg>',
        f"logo.svg:1: {LOGO} has a style that refers to another file or address (url(...) or "
        "@import); a logo must be one self-contained file",
    ),
    "width-nan": (f'{SVG}width="nan" height="40">{RECT}</svg>',
                  f'{NOT_FINITE} (width="nan", height="40")'),
    "width-inf": (f'{SVG}width="inf" height="40">{RECT}</svg>',
                  f'{NOT_FINITE} (width="inf", height="40")'),
    "height-infinity": (f'{SVG}width="90" height="-Infinity">{RECT}</svg>',
                        f'{NOT_FINITE} (width="90", height="-Infinity")'),
    "viewbox-nan": (f'{SVG}viewBox="0 0 nan 40">{RECT}</svg>',
                    f'{NOT_FINITE} (viewBox="0 0 nan 40")'),
    "width-1e308": (f'{SVG}width="1e308" height="40">{RECT}</svg>',
                    f'logo.svg: {LOGO}: its size must be between 0.01 and 1,000,000 '
                    '(width="1e308", height="40")'),
    "width-negative": (f'{SVG}width="-90" height="40">{RECT}</svg>',
                       f'logo.svg: {LOGO}: its size must be between 0.01 and 1,000,000 '
                       '(width="-90", height="40")'),
    "width-zero": (f'{SVG}width="0" height="40">{RECT}</svg>',
                   f"logo.svg: {LOGO} is not a readable SVG image (no size or no content)"),
    "shape-nan": (f'{SVG}width="90" height="40"><rect width="nan" height="10"/></svg>',
                  f"logo.svg: {LOGO} has a rect whose width is nan: every size and position "
                  "must be a finite number within ±10,000,000"),
    "transform-inf": (f'{SVG}width="90" height="40"><g transform="scale(inf)">{RECT}</g></svg>',
                      f"logo.svg: {LOGO} has a group whose transform is inf: every size and "
                      "position must be a finite number within ±10,000,000"),
    "billion-laughs": (LAUGHS, f"logo.svg:1: {LOGO} uses XML entities (<!ENTITY>), which a logo "
                               "may not use; save it again as plain SVG"),
    "external-entity": (XXE, f"logo.svg:1: {LOGO} declares XML entities (<!ENTITY>), which a "
                             "logo may not use; save it again as plain SVG"),
    "deep-nesting": (f'{SVG}width="90" height="40">' + "<g>" * 300 + RECT + "</g>" * 300
                     + "</svg>", f"logo.svg:1: {LOGO} is nested too deeply (more than 256 "
                                 "levels); simplify it"),
    "many-elements": (f'{SVG}width="90" height="40">' + RECT * 20_001 + "</svg>",
                      f"logo.svg: {LOGO} has more than 20,000 elements; simplify it"),
    "truncated": (f'{SVG}width="90" height="40"><rect width="10" hei',
                  f"logo.svg: {LOGO} is not a readable SVG image (line 1: Specification "
                  "mandates value for attribute hei)"),
    "not-svg": ('<html xmlns="http://www.w3.org/1999/xhtml"/>',
                f"logo.svg: {LOGO} is not an SVG image (it does not start with <svg>)"),
    "text-the-font-lacks": (
        f'{SVG}width="90" height="40"><text x="5" y="20">Clinic \u2713</text></svg>',
        "the font Atkinson Hyperlegible cannot print 1 character; change the text or choose "
        "another font:\n  '\u2713' (U+2713) in the logo logo.svg",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SVG_CASES))
def test_a_bad_svg_logo_is_refused_by_build_and_check(folder: Path, case: str) -> None:
    svg, message = SVG_CASES[case]
    (folder / "logo.svg").write_text(svg, encoding="utf-8")
    write(folder / "brand.yaml", "name: Riverside\nlogo: logo.svg\n")
    refused(build("glute-bridge", "--brand", "brand.yaml"), message)
    assert leftovers(folder) == []
    checked = run("check", "--brand", "brand.yaml")
    assert checked.exit_code == 1
    if case == "text-the-font-lacks":  # check lists each character on a line of its own
        message = (
            "the font Atkinson Hyperlegible cannot print '\u2713' (U+2713), used in the logo "
            "logo.svg"
        )
    assert f"  {message}\n" in checked.stdout


def test_an_svg_logo_with_text_prints_it_in_the_embedded_font(folder: Path) -> None:
    (folder / "logo.svg").write_text(
        f'{SVG}width="120" height="40"><text x="5" y="20" font-family="Times" '
        'font-weight="bold">Riverside</text></svg>',
        encoding="utf-8",
    )
    write(folder / "brand.yaml", "name: Riverside PT\nlogo: logo.svg\n")
    assert build("glute-bridge", "--brand", "brand.yaml", "-o", "out.pdf").exit_code == 0
    qpdf_ok(folder / "out.pdf")
    fonts = subprocess.run(["pdffonts", "out.pdf"], capture_output=True, text=True).stdout
    assert "Helvetica" not in fonts and "Times" not in fonts
    import pypdf

    assert "Riverside" in pypdf.PdfReader("out.pdf").pages[0].extract_text()


# -- raster pictures: logos and exercise photos ------------------------------------------------
def mpo(path: Path) -> None:
    first, second = Image.new("RGB", (64, 48), (200, 30, 30)), Image.new("RGB", (64, 48), "blue")
    first.save(path, format="MPO", save_all=True, append_images=[second])
    assert Image.open(path).format == "MPO"


def cmyk(path: Path) -> None:
    Image.new("CMYK", (64, 48), (0, 200, 200, 0)).save(path, format="JPEG")


def gray16(path: Path) -> None:
    image = Image.new("I;16", (64, 48))
    image.paste(32896, (0, 0, 64, 48))  # mid grey (128 in 8 bits): not clipped to white
    image.save(path, format="PNG")


def palette_transparent(path: Path) -> None:
    image = Image.new("P", (64, 48), 1)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    image.paste(0, (0, 0, 32, 48))
    image.save(path, format="PNG", transparency=0)


def rotated_jpeg(path: Path) -> None:
    image = Image.new("RGB", (64, 32), "green")
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: show it rotated 90 degrees clockwise
    image.save(path, format="JPEG", exif=exif)


GOOD_PICTURES = {"mpo": mpo, "cmyk": cmyk, "gray16": gray16,
                 "palette-transparency": palette_transparent, "exif-rotated": rotated_jpeg}  # fmt: skip


def photo_library(folder: Path, name: str) -> Path:
    return write(
        folder / "lib.yaml",
        f"""\
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength in your thighs.
            steps: [Stand with your back against a wall., Slide down a little.]
            images: {{start: {name}, end: {name}}}
        """,
    )


@pytest.mark.parametrize("case", sorted(GOOD_PICTURES))
def test_an_unusual_but_valid_picture_prints(folder: Path, case: str) -> None:
    suffix = ".png" if case in ("gray16", "palette-transparency") else ".jpg"
    GOOD_PICTURES[case](folder / f"pic{suffix}")
    write(folder / "brand.yaml", f"name: Riverside\nlogo: pic{suffix}\n")
    photo_library(folder, f"pic{suffix}")
    result = build("wall-sit", "--library", "lib.yaml", "--brand", "brand.yaml", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    qpdf_ok(folder / "out.pdf")
    checked = run("check", "--library", "lib.yaml", "--brand", "brand.yaml", "--lang", "en")
    assert checked.exit_code == 0, checked.output


def test_unusual_pictures_decode_to_the_right_pixels(folder: Path) -> None:
    from handouts.render.images import print_ready_png

    def decoded(make, name: str) -> Image.Image:
        make(folder / name)
        png, _, _ = print_ready_png(folder / name, "a picture", 72, 72)
        return Image.open(io.BytesIO(png))

    assert decoded(gray16, "g.png").getpixel((5, 5))[:3] == (128, 128, 128)
    palette = decoded(palette_transparent, "p.png")
    assert palette.mode == "RGBA"
    assert palette.getpixel((5, 5))[3] == 0 and palette.getpixel((60, 5)) == (200, 30, 30, 255)
    assert decoded(rotated_jpeg, "r.jpg").size == (32, 64)  # upright, as the camera meant
    red, green, blue = decoded(cmyk, "c.jpg").getpixel((5, 5))
    assert red > 200 and green < 100 and blue < 100, (red, green, blue)
    assert decoded(mpo, "m.jpg").getpixel((5, 5)) == pytest.approx((200, 30, 30), abs=8)


def bomb(path: Path) -> None:
    Image.new("1", (12000, 12000)).save(path, format="PNG")


def truncated(path: Path) -> None:
    Image.effect_noise((200, 100), 50).convert("RGB").save(path, format="PNG")
    path.write_bytes(path.read_bytes()[:600])


def gif(path: Path) -> None:
    Image.new("RGB", (20, 20)).save(path, format="GIF")


BAD_PICTURES = {
    "decompression-bomb": (bomb, "is too large (over 40,000,000 pixels)"),
    "truncated-png": (truncated, "cannot be read, the file seems damaged ("),
    "gif": (gif, "must be a PNG or JPEG image, got GIF"),
    "text": (lambda p: p.write_text("hello"), "is not a PNG or JPEG image (or the file is damaged)"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_PICTURES))
@pytest.mark.parametrize("where", ["logo", "photo"])
def test_a_bad_picture_is_one_message_naming_it(folder: Path, case: str, where: str) -> None:
    make, reason = BAD_PICTURES[case]
    make(folder / "pic.png")
    if where == "logo":
        write(folder / "brand.yaml", "name: Riverside\nlogo: pic.png\n")
        args, what = ["glute-bridge", "--brand", "brand.yaml"], LOGO
    else:
        photo_library(folder, "pic.png")
        args = ["wall-sit", "--library", "lib.yaml"]
        what = "the picture for exercise 'wall-sit' (lib.yaml:2)"
    result = build(*args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.startswith(
        f"Error: {folder / 'pic.png' if where == 'photo' else 'pic.png'}: {what} {reason}"
    )
    assert len(result.stderr.splitlines()) == 1
    assert leftovers(folder) == []


# -- many versions of one exercise ---------------------------------------------------------------
def many_versions(folder: Path, count: int) -> Path:
    pose = ("{torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], "
            "near_leg: [-90, -90, 0], far_leg: [-90, -90, 0]}")  # fmt: skip
    exercises = "".join(
        f"  - id: move-{i}\n    title: Move {i}\n    purpose: Builds strength.\n"
        f"    steps: [Stand up., Sit down.]\n    figure: {{start: {pose}, end: {pose}}}\n"
        for i in range(count + 1)
    )
    entries = "".join(f"      - {{id: move-{i}, variant_of: move-0}}\n" for i in range(1, count))
    entries += f"      - {{id: move-{count}, variant_of: move-{count - 1}}}\n"  # of a version
    return write(
        folder / "many.yaml",
        "exercises:\n" + exercises + "programs:\n  - id: many\n    title: Many versions\n"
        "    exercises:\n      - move-0\n" + entries,
    )


def test_any_number_of_versions_of_one_exercise_is_numbered(folder: Path) -> None:
    import re

    import pypdf

    many_versions(folder, 30)
    result = build("--program", "many", "--library", "many.yaml", "-o", "out.pdf", "--weeks", "1")
    assert result.exit_code == 0, result.output
    qpdf_ok(folder / "out.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader("out.pdf").pages)
    numbers = re.findall(r"(\d+[a-z]*)\. Move (\d+)\n", text)
    cards = dict((int(move), number) for number, move in numbers)
    assert cards[0] == "1" and cards[1] == "1b" and cards[9] == "1j" and cards[10] == "1k"
    assert cards[25] == "1z" and cards[26] == "1aa" and cards[29] == "1ad"
    assert cards[30] == "1ae"  # a version of version 1ad counts under exercise 1
    assert len(set(cards.values())) == 31


def test_version_letters() -> None:
    from handouts.compose import version_letters

    assert [version_letters(n) for n in (1, 2, 25, 26, 27, 51, 52)] == [
        "b", "c", "z", "aa", "ab", "az", "ba"]  # fmt: skip


# -- layouts that cannot be laid out -----------------------------------------------------------
CRAMPED = """\
    margins: {top: 2in, bottom: 2in, left: 2in, right: 2in}
    sizes: {body: 24, heading: 36, title: 48, small: 24}
    leading: 2.5
    exercises: {columns: 2}
    """
TOO_SHORT = (
    "cramped.yaml: on letter paper, margins top 2in and bottom 2in leave 351 pt for text under "
    "the header and above the footer (small size 24 pt); sizes.body 24 pt at leading 2.5 needs "
    "600 pt for 10 lines: make the margins, the sizes or the leading smaller"
)
TOO_NARROW = (
    "cramped.yaml: on letter paper, margins left 2in and right 2in leave 324 pt across, 144 pt a "
    "column in 2 columns; sizes.body 24 pt needs 288 pt for 12 letters a line: make the margins, "
    "the body size or the columns smaller"
)


def test_a_layout_that_cannot_hold_its_text_names_the_settings(folder: Path) -> None:
    write(folder / "cramped.yaml", CRAMPED)
    result = build("--program", "sciatica", "--layout", "cramped.yaml")
    refused(result, f"2 problems found:\n  {TOO_SHORT}\n  {TOO_NARROW}")
    assert leftovers(folder) == []
    checked = run("check", "--layout", "cramped.yaml", "--lang", "en")
    assert checked.exit_code == 1
    assert f"  {TOO_SHORT}\n  {TOO_NARROW}\n" in checked.stdout
    on_a4 = TOO_NARROW.replace("on letter", "on a4").replace("324 pt", "307 pt")
    assert f"  {on_a4.replace('144 pt', '136 pt')}\n" in checked.stdout


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ("1", "tall.yaml: exercises.figures 1 pt leaves no room for a picture under its caption "
              "(at least 49 pt with body size 13; or 0 for no pictures)"),
        ("5in", "tall.yaml: on letter paper, exercises.figures 5in is taller than the 340 pt that "
                "margins top 2in and bottom 2in leave for it: make the figures or the margins "
                "smaller"),
    ],
)  # fmt: skip
def test_figures_that_cannot_fit_name_the_setting(folder: Path, figures: str, message: str):
    top = "{top: 2in, bottom: 2in}" if figures == "5in" else "{top: 0.6in, bottom: 0.6in}"
    write(
        folder / "tall.yaml",
        f"margins: {top}\nsizes: {{small: 24}}\nexercises: {{figures: {figures}}}\n",
    )
    refused(build("glute-bridge", "--layout", "tall.yaml"), message)
    checked = run("check", "--layout", "tall.yaml", "--lang", "en")
    assert checked.exit_code == 1 and f"  {message}\n" in checked.stdout


def test_what_still_cannot_be_laid_out_names_the_layout_not_reportlab(folder: Path) -> None:
    """A layout within every limit whose text still cannot be placed (a long Spanish card at
    24 pt, leading 2.5): the message names the layout file and the part, never a flowable."""
    write(folder / "big.yaml", "sizes: {body: 24, heading: 36, title: 48}\nleading: 2.5\n")
    result = build("--program", "sciatica", "--lang", "es", "--layout", "big.yaml")
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    message = result.stderr
    assert message.startswith(
        "Error: big.yaml: the handout cannot be laid out with this layout on letter paper: the "
        "part that starts '"
    )
    assert message.endswith(
        "(margins top 43.2 pt, bottom 43.2 pt; sizes body 24, heading 36, title 48, small 12; "
        "leading 2.5; figures 136.8 pt); make the sizes, the leading, the figures or the margins "
        "smaller\n"
    )
    assert "0x" not in message and "Flowable" not in message and "Table" not in message
    assert leftovers(folder) == []
