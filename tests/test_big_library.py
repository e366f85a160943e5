"""Big photo libraries: a cache hit checks every photo with one listing of its folder, and a
handout's PDF and photos are held once in memory, with the same bytes as before."""

from __future__ import annotations

import gc
import importlib.util
import io
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from handouts.errors import InputError, ValidationError
from handouts.load import cache, load_library

COUNT = 70  # photos in one folder: more than cache.LISTED, so the folder is listed


def photo_library(folder: Path, count: int = COUNT) -> Path:
    from conftest import make_png

    (folder / "photos").mkdir(parents=True)
    lines = ["version: 1", "exercises:"]
    for n in range(count):
        make_png(folder / "photos" / f"p{n}.png", (12, 8), (n, 90, 120))
        lines += [f"  - id: move-{n}", f"    title: Move {n}", "    purpose: Helps.",
                  "    steps: [Move.]", f"    images: {{start: photos/p{n}.png}}"]  # fmt: skip
    (folder / "lib.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "lib.yaml"


def outside(photo: Path) -> None:
    elsewhere = photo.parent.parent.parent / "elsewhere.png"
    photo.rename(elsewhere)
    photo.symlink_to(elsewhere)


def folder_instead(photo: Path) -> None:
    photo.unlink()
    photo.mkdir()


def linked_inside(photo: Path) -> None:
    """Still a picture inside the folder, through a link: it loads, resolved to the other."""
    photo.unlink()
    photo.symlink_to(photo.parent / "p1.png")


CHANGES = {"deleted": Path.unlink, "outside": outside, "a folder": folder_instead}


def message(lib: Path) -> str:
    """What loading `lib` reports: the error that stops it, or the problems of the exercises left
    out for them (a handout that uses one fails with them)."""
    try:
        library = load_library(lib)
    except (InputError, ValidationError) as exc:
        return str(exc)
    return "\n".join(p for problems in library.broken.values() for p in problems)


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "one-by-one"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_warm_cache_refuses_a_changed_photo_as_a_cold_load_does(
    change: str, listed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "LISTED", 1 if listed else 10**9)
    lib = photo_library(tmp_path / "clinic")
    load_library(lib)
    assert load_library(lib).exercises["move-7"].images == ((lib.parent / "photos/p7.png"),)
    CHANGES[change](lib.parent / "photos" / "p7.png")
    warm = message(lib)
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    cold = message(lib)
    assert warm == cold
    assert cold.startswith(f"{lib}:") and "exercises[7] 'move-7': images.start" in cold


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "one-by-one"])
def test_a_photo_linked_to_another_inside_the_folder_is_read_again(
    listed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "LISTED", 1 if listed else 10**9)
    lib = photo_library(tmp_path / "clinic")
    load_library(lib)
    linked_inside(lib.parent / "photos" / "p7.png")
    found = load_library(lib).exercises["move-7"].images
    assert found == ((lib.parent / "photos" / "p1.png").resolve(),)


def test_the_listing_of_a_folder_is_used_for_many_photos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many photos in one folder: one listing, no lstat per photo; a few: one lstat each."""
    lstats: list[str] = []
    real = os.lstat

    def counted(path, *args, **kwargs):
        lstats.append(str(path))
        return real(path, *args, **kwargs)

    photos = tmp_path / "photos"
    photos.mkdir()
    checks = []
    for n in range(cache.LISTED):
        (photos / f"{n}.jpg").write_bytes(b"x")
        checks.append((str(photos / f"{n}.jpg"), str((photos / f"{n}.jpg").resolve())))
    monkeypatch.setattr(cache.os, "lstat", counted)
    assert cache.still_hold(checks)
    assert not [p for p in lstats if p.endswith(".jpg")]
    assert cache.still_hold(checks[:3]) and len([p for p in lstats if p.endswith(".jpg")]) == 3
    (photos / "5.jpg").unlink()
    assert not cache.still_hold(checks)


def test_a_warm_build_refuses_a_photo_swapped_for_a_link_out_of_the_folder(
    tmp_path: Path,
) -> None:
    lib = photo_library(tmp_path / "clinic")
    env = {**os.environ, "HANDOUTS_CACHE": str(tmp_path / "cache")}
    env.pop("HANDOUTS_DEBUG", None)
    args = [sys.executable, "-m", "handouts", "build", "move-7", "--library", str(lib),
            "--date", "2026-11-29", "-o", "out.pdf"]  # fmt: skip
    for _ in range(2):  # the second is a cache hit
        assert subprocess.run(args, cwd=tmp_path, env=env, capture_output=True).returncode == 0
    (tmp_path / "out.pdf").unlink()
    outside(lib.parent / "photos" / "p7.png")
    warm = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    cold = subprocess.run(args, cwd=tmp_path, env={**env, "HANDOUTS_CACHE": "off"},
                          capture_output=True, text=True)  # fmt: skip
    assert (warm.returncode, warm.stderr) == (cold.returncode, cold.stderr) == (2, cold.stderr)
    assert "must be a picture inside the library's folder" in cold.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_the_pdf_is_the_same_bytes_as_through_bytesio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PdfSink and the releasing canvas change no byte of a photo handout."""
    from conftest import make_png

    from handouts.build import BuildRequest, make_handout
    from handouts.render import pdf

    lib = photo_library(tmp_path / "clinic", count=3)
    make_png(lib.parent / "photos" / "p1.png", (400, 300), (200, 30, 30))
    request = BuildRequest(ids=("move-0", "move-1", "move-2"), library=lib,
                           date=__import__("datetime").date(2026, 11, 29))  # fmt: skip
    _, ours = make_handout(request)
    monkeypatch.setattr(pdf, "PdfSink", io.BytesIO)
    monkeypatch.setattr(pdf, "releasing", lambda canvas_class: canvas_class)
    _, plain = make_handout(request)
    assert ours == plain and ours.count(b"/Subtype /Image") == 3


def test_a_picture_lets_its_bytes_go_once_formatted(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.pdfbase.pdfdoc import PDFDocument, PDFImageXObject

    from handouts.render.output import _PictureOnce

    source = tmp_path / "photo.jpg"
    Image.new("RGB", (40, 30), (10, 120, 200)).save(source, format="JPEG")
    plain = PDFImageXObject("a", str(source))
    once = PDFImageXObject("a", str(source))
    once.__class__ = _PictureOnce
    assert once.streamContent
    assert once.format(PDFDocument(invariant=1)) == plain.format(PDFDocument(invariant=1))
    assert once.streamContent == b""


def test_a_jpeg_reader_is_freed_without_the_garbage_collector() -> None:
    """No reference cycle: a photo's bytes go when its last user does, not at a collection."""
    from handouts.render.images import _JpegBytes

    collecting = gc.isenabled()
    gc.disable()
    try:
        reader = _JpegBytes(b"\xff\xd8 not decoded \xff\xd9", 8, 6)
        assert reader.jpeg_fh().read() == b"\xff\xd8 not decoded \xff\xd9"
        gone = weakref.ref(reader)
        del reader
        assert gone() is None
    finally:
        if collecting:
            gc.enable()


def test_the_bench_prints_the_times_its_ratio_is_of() -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_library", Path(__file__).parent.parent / "bench" / "library.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    floor, timed, ratio = bench.median_pair([1.0, 2.0, 10.0], [3.0, 2.0, 15.0])
    assert (floor, timed, ratio) == (10.0, 15.0, 1.5)  # ratios 3, 1, 1.5: the median is 1.5


# -- list from a small cached Listing; a build checks what it prints ------------------------------
def listed(lib: Path, *options: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from handouts.cli import cli

    result = CliRunner().invoke(cli, ["list", "--library", str(lib), *options])
    return result.exit_code, result.stdout, result.stderr


LIST_OPTIONS = [(), ("--json",), ("--lang", "es"), ("--json", "--lang", "es"),
                ("--region", "knee"), ("--lang", "xx")]  # fmt: skip


@pytest.mark.parametrize("options", LIST_OPTIONS, ids=" ".join)
def test_list_from_its_listing_prints_what_the_library_does(
    options: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same words, JSON, warning and exit with the cache off, warm, and after a photo goes
    (its exercise then left out, as a cold load leaves it out)."""
    lib = photo_library(tmp_path / "clinic")
    text = lib.read_text("utf-8").replace(
        "title: Move 3\n", "title: Move 3\n    translations: {es: {title: Mover 3}}\n"
    )
    lib.write_text(text.replace("title: Move 5\n", "title: Move 5\n    tags: {region: [knee]}\n"))
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    cold = listed(lib, *options)
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    assert listed(lib, *options) == listed(lib, *options) == cold
    (lib.parent / "photos" / "p5.png").unlink()
    warm = listed(lib, *options)
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    assert warm == listed(lib, *options) != cold
    if options == ():
        assert warm[2] == (f"Warning: 1 exercise of the library has problems and was left out: "
                           f"move-5; 'handouts check --library {lib}' lists the problems\n")  # fmt: skip
        ids = [line.split()[0] for line in warm[1].splitlines() if line.startswith("move-")]
        assert "move-5" not in ids and "move-4" in ids and len(ids) == COUNT - 1


def test_a_listing_hit_reads_no_library_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm `list` unpickles the small listing only, not every exercise in full."""
    from handouts.load import load_listing

    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    lib = photo_library(tmp_path / "clinic")
    first = load_listing(lib)
    read: list[str] = []
    real = cache._read

    def counted(entry: Path, kind: str, *args):
        read.append(kind)
        return real(entry, kind, *args)

    monkeypatch.setattr(cache, "_read", counted)
    again = load_listing(lib)
    assert read == ["listing"] and again == first
    assert {f"move-{n}" for n in range(COUNT)} < set(again.exercises)
    assert again.exercises["move-7"].title == "Move 7"


def shown(lib: Path, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from handouts.cli import cli

    result = CliRunner().invoke(cli, ["show", *args, "--library", str(lib)])
    return result.exit_code, result.stdout, result.stderr


SHOW_ARGS = [("move-3",), ("move-3", "--lang", "es"), ("mover 3", "--lang", "es"), ("move-5",),
             ("nope",), ("move-3", "--lang", "xx")]  # fmt: skip


@pytest.mark.parametrize("args", SHOW_ARGS, ids=" ".join)
def test_show_from_the_cache_prints_what_the_library_does(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same text, warning, error and exit with the cache off and warm, and after a photo
    goes (its exercise then left out, as a cold load leaves it out: `show` of it fails)."""
    lib = photo_library(tmp_path / "clinic")
    text = lib.read_text("utf-8").replace(
        "title: Move 3\n", "title: Move 3\n    translations: {es: {title: Mover 3}}\n"
    )
    lib.write_text(text)
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    cold = shown(lib, *args)
    assert cold[0] in (0, 2) and (cold[0] == 0) == (args[0] != "nope" and "xx" not in args)
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    assert shown(lib, *args) == shown(lib, *args) == cold
    (lib.parent / "photos" / "p5.png").unlink()
    warm = shown(lib, *args)
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    assert warm == shown(lib, *args)
    if cold[0] == 0 and args[0] != "move-5":
        assert warm[0] == 0 and warm[1] == cold[1]
        assert warm[2] == (f"Warning: 1 exercise of the library has problems and was left out: "
                           f"move-5; 'handouts check --library {lib}' lists the problems\n")  # fmt: skip
    if args == ("move-5",):
        assert cold[0] == 0 and warm[0] == 2 and "move-5" in warm[2]


def test_a_show_hit_reads_no_library_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm `show` unpickles its own small entry only, not every exercise in full."""
    from handouts.load import load_shown

    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    lib = photo_library(tmp_path / "clinic")
    first = load_shown(lib, "move-7", "en")
    read: list[str] = []
    real = cache._read

    def counted(entry: Path, kind: str, *args):
        read.append(kind)
        return real(entry, kind, *args)

    monkeypatch.setattr(cache, "_read", counted)
    again = load_shown(lib, "move-7", "en")
    assert read == ["shown"] and again == first and again.text.startswith("Move 7  (move-7)")
    assert load_shown(lib, "move-8", "en").text.startswith("Move 8  (move-8)")


def build_args(lib: Path, output: Path, exercise: str = "move-7") -> list[str]:
    return ["build", exercise, "--library", str(lib), "--date", "2026-11-29", "-o", str(output)]


def test_build_never_writes_over_a_photo_it_does_not_print(tmp_path: Path) -> None:
    """-o naming another exercise's photo, by its name or a hard link, is refused."""
    from click.testing import CliRunner

    from handouts.cli import cli

    lib = photo_library(tmp_path / "clinic")
    photo = lib.parent / "photos" / "p9.png"
    before = photo.read_bytes()
    os.link(photo, tmp_path / "linked.pdf")
    for target, shown in ((photo, ""), (tmp_path / "linked.pdf", f" ({photo})")):
        result = CliRunner().invoke(cli, build_args(lib, target))
        assert result.exit_code == 2
        assert result.stderr == (
            f"Error: {target}: is a file this command reads{shown}; writing the PDF there would"
            " destroy it: give another name with -o\n"
        )
    assert photo.read_bytes() == before


def test_a_build_checks_the_photos_once_and_stats_only_those_it_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rebuilding over its own PDF: the library's photos are checked once (not at each of the
    build's look-ups of the library), and only the printed photos are stat'ed for -o; the next
    build checks them again."""
    from handouts import build

    lib = photo_library(tmp_path / "clinic")
    out = tmp_path / "out.pdf"
    request = build.BuildRequest(ids=("move-7",), library=lib, output=out)
    build.build(request)
    checked: list[int] = []
    real_hold = cache.still_hold
    monkeypatch.setattr(cache, "still_hold", lambda c: checked.append(len(c)) or real_hold(c))
    stats: list[str] = []
    real_stat = os.stat

    def counted(path, *args, **kwargs):
        stats.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counted)  # (build's, deliver's and the cache's os)
    build.build(request)
    assert len([n for n in checked if n >= COUNT]) == 1
    assert [p for p in stats if p.endswith(".png")] == [str(lib.parent / "photos" / "p7.png")]
    (lib.parent / "photos" / "p7.png").unlink()
    with pytest.raises(InputError, match="was not found"):
        build.build(request)
