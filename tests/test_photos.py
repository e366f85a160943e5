"""A clinic's photos as cameras and phones make them: a JPEG prints as its own bytes when it needs
nothing done, else it is made again (upright, reduced, as JPEG); frames follow the photo's shape;
`check` opens photos without decoding or re-encoding them; what was made is kept in the cache.

Every photo is made here with Pillow; the PDF is read back with pikepdf (image streams, their
filters and bytes), pdfplumber (where each image is placed) and pdftoppm (what prints).
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import textwrap
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import DATE, build_pdf
from PIL import Image, ImageFile, JpegImagePlugin

from handouts.errors import InputError
from handouts.render import images
from handouts.render.photos import PAD, PORTRAIT_GAIN, PhotoPair

RED, BLUE, GREEN = (220, 30, 30), (30, 30, 220), (30, 170, 60)


@pytest.fixture(autouse=True)
def fresh_process_memory():
    """Each test starts as a new process would: no picture kept from another test."""
    images._FACTS.clear()
    images._MADE.clear()
    images._kept[0] = 0
    yield
    images._FACTS.clear()
    images._MADE.clear()
    images._kept[0] = 0


# -- photos ----------------------------------------------------------------------------------------
def two_tone(size: tuple[int, int], top=RED, bottom=BLUE) -> Image.Image:
    """Upper half `top`, lower half `bottom`: which way is up can be seen once printed."""
    image = Image.new("RGB", size, bottom)
    image.paste(top, (0, 0, size[0], size[1] // 2))
    return image


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **{"format": "JPEG", "quality": 90, **options})
    return path


def rotated(path: Path) -> Path:
    """A phone photo held upright: the sensor stored it lying on its side (the top of the scene
    on the left), and EXIF orientation 6 says to turn it a quarter clockwise to show it."""
    upright = two_tone((400, 600))
    exif = Image.Exif()
    exif[0x0112] = 6
    return save(upright.transpose(Image.Transpose.ROTATE_90), path, exif=exif)


def mpo(path: Path) -> Path:
    first, preview = two_tone((600, 400)), Image.new("RGB", (600, 400), GREEN)
    path.parent.mkdir(parents=True, exist_ok=True)
    first.save(path, format="MPO", save_all=True, append_images=[preview], quality=90)
    assert Image.open(path).format == "MPO"
    return path


def cmyk(path: Path) -> Path:
    image = Image.new("CMYK", (600, 400), (0, 200, 200, 0))  # red in inks
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="JPEG", quality=90)
    assert Image.open(path).info.get("adobe")  # Pillow writes Adobe (inverted) CMYK
    return path


def colour_noise(size: tuple[int, int]) -> Image.Image:
    """A photo that compresses badly, in colour (more than 256 colours)."""
    return Image.merge("RGB", [Image.effect_noise(size, 50 + 10 * i) for i in range(3)])


def noise_photo(path: Path, size: tuple[int, int], **options) -> Path:
    return save(colour_noise(size), path, **options)


def library(folder: Path, *pairs: tuple[str, str]) -> Path:
    """A library with an exercise per pair of photo names: photo-1, photo-2, ..."""
    text = "exercises:\n"
    for n, (start, end) in enumerate(pairs, 1):
        text += textwrap.indent(
            textwrap.dedent(f"""\
            - id: photo-{n}
              title: Photo {n}
              purpose: Builds strength in your thighs.
              steps: [Stand with your back against a wall., Slide down a little.]
              images: {{start: {start}, end: {end}}}
            """),
            "  ",
        )
    path = folder / "lib.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def built(folder: Path, *pairs: tuple[str, str], layout: str = "standard") -> bytes:
    ids = tuple(f"photo-{n}" for n in range(1, len(pairs) + 1))
    _, pdf = build_pdf(ids=ids, library=library(folder, *pairs), layout=layout, date=DATE)
    return pdf.data


def streams(pdf: bytes) -> list[pikepdf.Stream]:
    """The PDF's image XObjects, in the order of their objects."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        found = []
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                found.append(
                    {
                        "filter": [str(f) for f in pikepdf.Array(obj.get("/Filter", []))],
                        "colorspace": str(obj.get("/ColorSpace")),
                        "decode": [float(v) for v in obj.get("/Decode", [])],
                        "size": (int(obj.Width), int(obj.Height)),
                        "raw": obj.read_raw_bytes(),
                        "smask": "/SMask" in obj,
                    }
                )
        return found


def placed(pdf: bytes) -> list[dict]:
    """Where each image is drawn: x0, top, x1, bottom in points, the page's number."""
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        return [
            dict(image, page=n) for n, page in enumerate(plumber.pages) for image in page.images
        ]


def printed(pdf: bytes, tmp_path: Path, page: int, dpi: int = 72) -> Image.Image:
    """The page as pdftoppm prints it (1 pixel a point at 72 dpi)."""
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page + 1), "-l", str(page + 1),
                    "-singlefile", "-", str(out)], input=pdf, check=True)  # fmt: skip
    return Image.open(f"{out}.png").convert("RGB")


def colour_at(page: Image.Image, image: dict, x: float, y: float) -> tuple[int, int, int]:
    """The printed colour at fraction (x, y) of the placed image, y from its top."""
    return page.getpixel((round(image["x0"] + x * (image["x1"] - image["x0"])),
                          round(image["top"] + y * (image["bottom"] - image["top"]))))  # fmt: skip


def near(colour, expected, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


# -- a JPEG that needs nothing done prints as its own bytes -----------------------------------------
@pytest.mark.parametrize("kind", ["baseline", "progressive", "grey"])
def test_a_jpeg_within_print_resolution_is_embedded_byte_identical(tmp_path, kind) -> None:
    image = two_tone((600, 400))
    options = {"progressive": True} if kind == "progressive" else {}
    save(image.convert("L") if kind == "grey" else image, tmp_path / "a.jpg", **options)
    save(two_tone((600, 400), GREEN, RED), tmp_path / "b.jpg", **options)
    pdf = built(tmp_path, ("a.jpg", "b.jpg"))
    found = streams(pdf)
    assert [s["raw"] for s in found] == [(tmp_path / n).read_bytes() for n in ("a.jpg", "b.jpg")]
    assert all(s["filter"] == ["/DCTDecode"] for s in found)
    assert found[0]["colorspace"] == ("/DeviceGray" if kind == "grey" else "/DeviceRGB")
    page = printed(pdf, tmp_path, placed(pdf)[0]["page"])
    first = placed(pdf)[0]
    top, bottom = colour_at(page, first, 0.5, 0.25), colour_at(page, first, 0.5, 0.75)
    if kind == "grey":
        assert top[0] < bottom[0] + 60 and abs(top[0] - top[2]) < 8  # grey, not coloured
    else:
        assert near(top, RED) and near(bottom, BLUE), (top, bottom)


def test_the_same_photo_twice_is_embedded_once(tmp_path) -> None:
    save(two_tone((600, 400)), tmp_path / "a.jpg")
    pdf = built(tmp_path, ("a.jpg", "a.jpg"), ("a.jpg", "a.jpg"))
    assert len(streams(pdf)) == 1
    # start and end on each card, and each start again in the plan at a glance (the last page)
    pictures = placed(pdf)
    last = max(p["page"] for p in pictures)
    assert len([p for p in pictures if p["page"] < last]) == 4
    assert len([p for p in pictures if p["page"] == last]) == 2


def test_a_jpeg_with_data_after_its_end_prints_without_it(tmp_path) -> None:
    photo = save(two_tone((600, 400)), tmp_path / "a.jpg")
    own = photo.read_bytes()
    photo.write_bytes(own + b"SEFT trailer a phone wrote after the picture" * 50)
    found = streams(built(tmp_path, ("a.jpg", "a.jpg")))
    assert found[0]["raw"] == own and found[0]["filter"] == ["/DCTDecode"]


# -- what must be done is done --------------------------------------------------------------------
def test_a_phone_photo_turned_by_exif_prints_upright(tmp_path) -> None:
    rotated(tmp_path / "r.jpg")
    assert Image.open(tmp_path / "r.jpg").size == (600, 400)  # stored lying on its side
    pdf = built(tmp_path, ("r.jpg", "r.jpg"))
    (stream,) = streams(pdf)
    assert stream["filter"] == ["/DCTDecode"] and stream["size"] == (400, 600)  # made upright
    assert stream["raw"] != (tmp_path / "r.jpg").read_bytes()
    assert "Orientation" not in str(Image.open(io.BytesIO(stream["raw"])).getexif())
    first = placed(pdf)[0]
    assert first["bottom"] - first["top"] > first["x1"] - first["x0"]  # portrait on the page
    page = printed(pdf, tmp_path, first["page"])
    top, bottom = colour_at(page, first, 0.5, 0.2), colour_at(page, first, 0.5, 0.8)
    assert near(top, RED) and near(bottom, BLUE), (top, bottom)


def test_an_mpo_prints_its_first_picture_as_its_bytes(tmp_path) -> None:
    photo = mpo(tmp_path / "m.jpg")
    pdf = built(tmp_path, ("m.jpg", "m.jpg"))
    (stream,) = streams(pdf)
    data = photo.read_bytes()
    first_size = Image.open(photo).mpinfo[0xB002][0]["Size"]
    assert len(data) > first_size and stream["raw"] == data[:first_size]  # no preview embedded
    assert stream["filter"] == ["/DCTDecode"]
    image = placed(pdf)[0]
    page = printed(pdf, tmp_path, image["page"])
    assert near(colour_at(page, image, 0.5, 0.25), RED)  # the photo, not the green preview
    assert near(colour_at(page, image, 0.5, 0.75), BLUE)


def test_an_adobe_cmyk_jpeg_prints_its_colours(tmp_path) -> None:
    photo = cmyk(tmp_path / "c.jpg")
    pdf = built(tmp_path, ("c.jpg", "c.jpg"))
    (stream,) = streams(pdf)
    assert stream["raw"] == photo.read_bytes() and stream["colorspace"] == "/DeviceCMYK"
    assert stream["decode"] == [1, 0] * 4  # Adobe's inverted inks, undone
    image = placed(pdf)[0]
    red, green, blue = colour_at(printed(pdf, tmp_path, image["page"]), image, 0.5, 0.5)
    assert red > 200 and green < 110 and blue < 110, (red, green, blue)


def test_a_cmyk_jpeg_without_adobe_marker_is_made_again_in_rgb(tmp_path) -> None:
    data = cmyk(tmp_path / "c.jpg").read_bytes()
    at = data.index(b"\xff\xee")  # the APP14 "Adobe" segment: cut it out
    length = int.from_bytes(data[at + 2 : at + 4], "big")
    (tmp_path / "c.jpg").write_bytes(data[:at] + data[at + 2 + length :])
    assert not Image.open(tmp_path / "c.jpg").info.get("adobe")
    (stream,) = streams(built(tmp_path, ("c.jpg", "c.jpg")))
    assert stream["filter"] == ["/DCTDecode"] and stream["colorspace"] == "/DeviceRGB"


def test_a_large_photo_is_reduced_with_draft_mode_and_saved_as_jpeg(tmp_path, monkeypatch) -> None:
    big = noise_photo(tmp_path / "big.jpg", (4000, 3000), quality=85)
    drafts = []
    real = JpegImagePlugin.JpegImageFile.draft

    def draft(self, mode, size):
        drafts.append((self.size, size))
        return real(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    pdf = built(tmp_path, ("big.jpg", "big.jpg"))
    (stream,) = streams(pdf)
    assert stream["filter"] == ["/DCTDecode"] and stream["colorspace"] == "/DeviceRGB"
    assert len(stream["raw"]) < big.stat().st_size / 10
    assert Image.open(io.BytesIO(stream["raw"])).format == "JPEG"
    assert drafts and drafts[0][0] == (4000, 3000) and drafts[0][1][0] < 1000  # decoded small
    image = placed(pdf)[0]
    dpi = stream["size"][0] / ((image["x1"] - image["x0"]) / 72)
    assert 300 / 2 ** (1 / 8) - 2 < dpi < 302, dpi  # about 300 dpi as printed, never more
    assert stream["size"][0] / stream["size"][1] == pytest.approx(4 / 3, rel=0.01)


def test_a_jpeg_just_over_the_pass_limit_is_reduced_and_one_under_is_not(tmp_path) -> None:
    # the standard layout prints a 3:2 photo about 2.1 inches wide: 850 px is ~400 dpi (kept),
    # 1200 px ~570 dpi (made again, smaller)
    noise_photo(tmp_path / "a.jpg", (850, 567))
    noise_photo(tmp_path / "b.jpg", (1200, 800))
    pdf = built(tmp_path, ("a.jpg", "b.jpg"))
    kept, made = streams(pdf)
    assert kept["raw"] == (tmp_path / "a.jpg").read_bytes()
    assert made["size"][0] < 1200 and made["raw"] != (tmp_path / "b.jpg").read_bytes()


def test_png_photos_become_jpeg_and_line_art_stays_exact(tmp_path) -> None:
    colour_noise((600, 400)).save(tmp_path / "photo.png")
    art = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    art.paste((30, 30, 30, 255), (100, 100, 500, 300))
    art.save(tmp_path / "art.png")
    pdf = built(tmp_path, ("photo.png", "art.png"))
    pictures = [s for s in streams(pdf) if s["colorspace"] == "/DeviceRGB"]  # (not the mask)
    photo, drawing = sorted(pictures, key=lambda s: s["smask"])
    assert photo["filter"] == ["/DCTDecode"]
    assert drawing["filter"] == ["/FlateDecode"] and drawing["smask"]  # transparency kept


# -- frames follow the photo's shape ----------------------------------------------------------------
def test_a_portrait_photo_gets_a_frame_of_its_shape_and_more_height(tmp_path) -> None:
    save(two_tone((567, 850)), tmp_path / "tall.jpg")
    save(two_tone((850, 567)), tmp_path / "wide.jpg")
    args = ("Helvetica-Bold", 13.0, ("Start", "End"))
    tall = PhotoPair((tmp_path / "tall.jpg",) * 2, "x", 500, 200, *args)
    wide = PhotoPair((tmp_path / "wide.jpg",) * 2, "x", 500, 200, *args)
    for pair, aspect in ((tall, 567 / 850), (wide, 850 / 567)):
        inner = ((pair.panel_w - 2 * PAD), (pair.panel_h - 2 * PAD))
        assert inner[0] / inner[1] == pytest.approx(aspect, rel=0.02)  # the frame hugs the photo
        assert pair.wrap(500, 1000) == (500, pair.height)
    # a portrait pair is given more height by the card (up to PORTRAIT_GAIN), so it prints
    # about as large as a landscape one instead of a sliver
    pdf = built(tmp_path, ("tall.jpg", "tall.jpg"), ("wide.jpg", "wide.jpg"))
    portrait, landscape = placed(pdf)[0], placed(pdf)[2]
    tall_h = portrait["bottom"] - portrait["top"]
    wide_h = landscape["bottom"] - landscape["top"]
    assert tall_h == pytest.approx(wide_h * PORTRAIT_GAIN, rel=0.05)
    area = (portrait["x1"] - portrait["x0"]) * tall_h
    assert area == pytest.approx((landscape["x1"] - landscape["x0"]) * wide_h, rel=0.05)
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:  # the frames drawn around the portraits
        page = plumber.pages[portrait["page"]]
        frames = [c for c in page.curves + page.rects if c["top"] <= portrait["top"] + 1
                  and c["bottom"] >= portrait["bottom"] - 1 and c["x0"] <= portrait["x0"]
                  and c["x1"] >= portrait["x1"]]  # fmt: skip
    assert frames
    frame = min(frames, key=lambda c: c["x1"] - c["x0"])
    assert frame["x1"] - frame["x0"] < (portrait["x1"] - portrait["x0"]) + 3 * PAD


# -- check opens photos, never decodes or re-encodes them -----------------------------------------
def test_check_validates_photos_without_decoding_or_reencoding(tmp_path, monkeypatch) -> None:
    from handouts.check import check

    rotated(tmp_path / "r.jpg")
    mpo(tmp_path / "m.jpg")
    cmyk(tmp_path / "c.jpg")
    noise_photo(tmp_path / "big.jpg", (4000, 3000))
    Image.new("RGBA", (60, 40), (0, 0, 0, 0)).save(tmp_path / "art.png")
    lib = library(tmp_path, ("r.jpg", "m.jpg"), ("c.jpg", "big.jpg"), ("art.png", "r.jpg"))

    def never(*args, **kwargs):
        raise AssertionError("check decoded or encoded a photo")

    monkeypatch.setattr(Image.Image, "save", never)
    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(Image.Image, "load", never)
    report = check(lib, languages=("en",))
    assert report.problems == []


@pytest.mark.parametrize("case", ["cut-jpeg", "cut-png", "bad-crc-png"])
def test_check_finds_a_damaged_photo(tmp_path, case) -> None:
    from handouts.check import check

    if case == "cut-jpeg":
        data = noise_photo(tmp_path / "p.jpg", (300, 200)).read_bytes()
        (tmp_path / "p.jpg").write_bytes(data[: len(data) // 2])
        name, reason = "p.jpg", ("cannot be read, the file seems damaged (truncated: the "
                                 "picture's data stops early)")  # fmt: skip
    elif case == "cut-png":
        colour_noise((300, 200)).save(tmp_path / "p.png")
        data = (tmp_path / "p.png").read_bytes()
        (tmp_path / "p.png").write_bytes(data[: len(data) // 2])
        name, reason = "p.png", ("cannot be read, the file seems damaged (truncated: the "
                                 "picture's data stops early)")  # fmt: skip
    else:
        Image.effect_noise((300, 200), 50).convert("RGB").save(tmp_path / "p.png")
        data = bytearray((tmp_path / "p.png").read_bytes())
        data[len(data) // 2] ^= 0xFF  # a flipped byte inside the image data
        (tmp_path / "p.png").write_bytes(bytes(data))
        name, reason = "p.png", "cannot be read, the file seems damaged (broken PNG file"
    report = check(library(tmp_path, (name, name)), languages=("en",))
    where = f"{tmp_path / name}: the picture for exercise 'photo-1' ({tmp_path / 'lib.yaml'}:2)"
    assert len(report.problems) == 2  # start and end
    assert report.problems[0].startswith(f"{where} {reason}"), report.problems[0]


# -- the cache, and the same bytes every time ------------------------------------------------------
def test_a_made_picture_is_kept_in_the_cache_and_read_back_without_encoding(
    tmp_path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE", str(cache))
    rotated(tmp_path / "r.jpg")
    noise_photo(tmp_path / "big.jpg", (3000, 2000))
    first = built(tmp_path, ("r.jpg", "big.jpg"))
    entries = sorted(cache.glob("picture-*.pickle"))
    assert len(entries) == 2  # made again: turned, reduced; nothing for a JPEG kept as it is
    assert all(os.stat(e).st_mode & 0o777 == 0o600 for e in entries)
    images._FACTS.clear()  # a new process
    images._MADE.clear()

    def never(*args, **kwargs):
        raise AssertionError("encoded again")

    monkeypatch.setattr(Image.Image, "save", never)
    assert built(tmp_path, ("r.jpg", "big.jpg")) == first
    # a changed photo (same name, size and time) is made again: keyed by content
    data = bytearray((tmp_path / "r.jpg").read_bytes())
    stat = (tmp_path / "r.jpg").stat()
    data[-10] ^= 0x01
    (tmp_path / "r.jpg").write_bytes(bytes(data))
    os.utime(tmp_path / "r.jpg", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    images._FACTS.clear()
    images._MADE.clear()
    with pytest.raises(InputError, match="encoded again"):
        built(tmp_path, ("r.jpg", "big.jpg"))


def test_a_batch_process_makes_each_picture_once(tmp_path, monkeypatch) -> None:
    rotated(tmp_path / "r.jpg")
    made = []
    real = images._make
    monkeypatch.setattr(images, "_make", lambda *a: made.append(a[1]) or real(*a))
    first = built(tmp_path, ("r.jpg", "r.jpg"))
    assert built(tmp_path, ("r.jpg", "r.jpg")) == first
    assert len(made) == 1


def test_photo_handouts_are_the_same_bytes_in_a_new_process(tmp_path) -> None:
    rotated(tmp_path / "r.jpg")
    noise_photo(tmp_path / "big.jpg", (3000, 2000))
    save(two_tone((600, 400)), tmp_path / "a.jpg")
    first = built(tmp_path, ("r.jpg", "big.jpg"), ("a.jpg", "a.jpg"))
    images._FACTS.clear()
    images._MADE.clear()
    again = built(tmp_path, ("r.jpg", "big.jpg"), ("a.jpg", "a.jpg"))
    assert hashlib.sha256(first).digest() == hashlib.sha256(again).digest()
