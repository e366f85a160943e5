"""Pictures: line-art poses (checked, drawn), clinic photos, QR codes, SVG logos, the contact sheet."""

from __future__ import annotations

import io
import subprocess
import textwrap
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import (
    DATE_ARG,
    SCIATICA_IDS,
    Pdf,
    build_pdf,
    leftovers,
    make_png,
    need_tool,
    new_folder,
)
from PIL import Image

from handouts.cli import cli
from handouts.errors import InputError, ValidationError
from handouts.load.library import load_library
from handouts.pose import JOINT_RANGES, Figure, Pose, Prop, joint_angles, problems, solve
from handouts.render import qr

STANDING = Pose(torso=90, head=90, near_arm=(-90, -90), far_arm=(-90, -90),
                near_leg=(-90, -90, 0), far_leg=(-90, -90, 0))  # fmt: skip
LYING = Pose(torso=180, head=180, near_arm=(-3, 0), far_arm=(-3, 0),
             near_leg=(0, 0, 90), far_leg=(0, 0, 90))  # fmt: skip


def run(args: list[str], cwd: Path):
    with new_folder(cwd) as here:
        result = CliRunner().invoke(cli, args)
        return result, leftovers(here)


# -- poses ---------------------------------------------------------------------------------------
def test_standing_pose_is_upright_and_rests_on_the_floor():
    body = solve(STANDING)
    head_x, head_y = body.points["head"]
    assert head_x == pytest.approx(0)
    assert head_y > body.points["pelvis"][1] > body.points["near_knee"][1] > 0
    assert body.points["near_toe"][0] > body.points["near_ankle"][0]  # faces right
    assert all(angle == pytest.approx(0) for name, angle in joint_angles(STANDING).items()
               if "ankle" not in name)  # fmt: skip
    assert problems(Figure(STANDING, STANDING)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"near_leg": (-90, -40, 0)}, "start: the near knee is at -50 degrees, outside -10 to 165"),
        ({"far_arm": (-90, -150)}, "start: the far elbow is at -60 degrees, outside -10 to 160"),
        ({"head": 180}, "start: the neck is at 90 degrees, outside -70 to 70"),
        ({"near_leg": (-90, -90, -90)}, "start: the near ankle is at 0 degrees, outside 10 to 130"),
        ({"near_leg": (90, 90, 180)}, "start: the near hip is at 180 degrees"),
    ],
)
def test_a_joint_past_its_range_is_rejected(change, expected):
    pose = replace(STANDING, **change)
    found = problems(Figure(pose, STANDING))
    assert found and found[0].startswith(expected), found


def test_every_joint_range_is_checked():
    assert set(JOINT_RANGES) == {"neck", "shoulder", "elbow", "hip", "knee", "ankle"}
    names = {name.split()[-1] for name in joint_angles(STANDING)}
    assert names == set(JOINT_RANGES)


def test_a_body_placed_below_the_floor_is_rejected():
    sunk = replace(LYING, at=(0, -4))
    assert problems(Figure(LYING, sunk)) == ["end: the body goes through the floor"]


def test_a_body_through_a_bench_or_a_wall_is_rejected():
    bench = Prop("bench", x=-10, width=20, height=30)  # under a standing person's hips
    assert "start: the body goes through the bench" in problems(
        Figure(STANDING, STANDING, (bench,))
    )
    wall = Prop("wall", x=12)  # clear of the feet; the arms reach forward through it
    reaching = replace(STANDING, near_arm=(0, 0))
    assert problems(Figure(STANDING, reaching, (wall,))) == ["end: the body goes through the wall"]
    clear = Prop("bench", x=-60, width=20, height=30)
    assert problems(Figure(STANDING, STANDING, (clear,))) == []


def test_an_arrow_must_name_a_point():
    found = problems(Figure(STANDING, STANDING, arrow="elbow"))
    assert len(found) == 1 and found[0].startswith("arrow: unknown point 'elbow'")


def test_every_builtin_exercise_has_a_plausible_figure():
    library = load_library()
    assert set(library.exercises) == set(SCIATICA_IDS)
    for exercise in library.exercises.values():
        assert exercise.figure is not None, exercise.id
        assert problems(exercise.figure) == [], exercise.id
        start, end = (
            solve(p, exercise.figure.props) for p in (exercise.figure.start, exercise.figure.end)
        )
        # a tilt barely moves the body: its turning arrow shows the movement instead
        moved = start.points != end.points or exercise.figure.turn is not None
        assert moved, f"{exercise.id}: start and end are the same picture"


def test_an_implausible_figure_in_a_library_names_file_line_and_joint(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(
        textwrap.dedent("""\
        exercises:
          - id: odd-knee
            title: Odd knee
            purpose: Shows a bad pose.
            steps: [Stand.]
            figure:
              start: {torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], near_leg: [-90, -40, 0], far_leg: [-90, -90, 0]}
              end: {torso: 90, head: 90, near_arm: [-90], far_arm: [-90, -90], near_leg: [-90, -90, 0], far_leg: [-90, -90, 0]}
              props: [trampoline]
        """)
    )
    with pytest.raises(ValidationError) as caught:
        load_library(path)
    assert caught.value.problems == [
        f"{path}:8: exercises[0] 'odd-knee': figure.end.near_arm must be a list of 2 numbers, got a list",
        f"{path}:9: exercises[0] 'odd-knee': figure.props[0].kind must be one of bench, chair, step, mat, wall, band, dumbbells, got 'trampoline'",
    ]


def test_a_bent_back_knee_in_a_library_is_reported(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(
        textwrap.dedent("""\
        exercises:
          - id: odd-knee
            title: Odd knee
            purpose: Shows a bad pose.
            steps: [Stand.]
            figure:
              start: {torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], near_leg: [-90, -40, 0], far_leg: [-90, -90, 0]}
              end: {torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], near_leg: [-90, -90, 0], far_leg: [-90, -90, 0]}
        """)
    )
    with pytest.raises(ValidationError) as caught:
        load_library(path)
    assert caught.value.problems == [
        f"{path}:7: exercises[0] 'odd-knee': figure.start is not plausible: "
        "the near knee is at -50 degrees, outside -10 to 165"
    ]


# -- the handout and the contact sheet -------------------------------------------------------------
def caption_pairs(page) -> int:
    """How many 'Start' ... 'End' caption pairs stand side by side on one line of the page."""
    starts = [w for w in page.words if w["text"] == "Start"]
    ends = [w for w in page.words if w["text"] == "End"]
    return sum(
        1 for s in starts if any(abs(e["top"] - s["top"]) < 1 and e["x0"] > s["x1"] for e in ends)
    )


def test_the_sciatica_handout_captions_a_start_and_end_for_every_exercise(sciatica):
    _, pdf = sciatica
    assert sum(caption_pairs(page) for page in pdf.pages) == len(SCIATICA_IDS)
    # each exercise's pictures sit on the page of its steps
    for page in pdf.pages:
        steps = sum(1 for w in page.words if w["text"] == "Steps")
        assert caption_pairs(page) == steps


def test_figures_command_prints_every_exercise(tmp_path):
    result, files = run(["figures", "-o", "sheet.pdf"], tmp_path)
    assert result.exit_code == 0, result.output
    assert files == ["sheet.pdf"]
    sheet = Pdf(
        (tmp_path / next(p for p in tmp_path.iterdir() if p.is_dir()) / "sheet.pdf").read_bytes()
    )
    text = sheet.text
    for exercise_id in SCIATICA_IDS:
        assert f"({exercise_id})" in text
    words = [w["text"] for page in sheet.pages for w in page.words]
    assert words.count("Start") == len(SCIATICA_IDS)
    assert not any("Helvetica" in name for name in sheet.font_names())


# -- the clinic's own pictures ----------------------------------------------------------------------
def photo_library(folder: Path, start: str = "pics/start.jpg", end: str = "pics/end.jpg") -> Path:
    path = folder / "lib.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength in your thighs.
            steps: [Stand with your back against a wall., Slide down a little.]
            images: {{start: {start}, end: {end}}}
        """)
    )
    return path


def big_photo(path: Path, size=(4000, 3000)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.effect_noise(size, 60).convert("RGB")  # noise: a photo that compresses badly
    image.save(path, quality=92)
    return path


def test_large_photos_are_downsampled_and_fit_their_frames(tmp_path):
    big_photo(tmp_path / "pics" / "start.jpg")
    big_photo(tmp_path / "pics" / "end.jpg", (900, 4000))  # tall: must not overflow its frame
    photo_bytes = sum(p.stat().st_size for p in (tmp_path / "pics").iterdir())
    assert photo_bytes > 3_000_000
    _, pdf = build_pdf(ids=("wall-sit",), library=photo_library(tmp_path))
    assert len(pdf.data) < 600_000, len(pdf.data)  # not megabytes
    assert len(pdf.image_xobjects()) == 2
    with pdfplumber.open(io.BytesIO(pdf.data)) as plumber:
        placed = [image for page in plumber.pages for image in page.images]
        width, height = plumber.pages[0].width, plumber.pages[0].height
    assert len(placed) == 2
    for image in placed:
        assert image["x0"] >= 0 and image["x1"] <= width
        assert image["top"] >= 0 and image["bottom"] <= height
        # inside the figure band (a portrait photo's is up to 1.5 times taller: render/photos.py)
        assert image["bottom"] - image["top"] <= 1.9 * 72 * 1.5
        # about 300 dpi as printed (reduced in steps of 2 ** (1/8): at most 9% under)
        dpi = image["srcsize"][0] / ((image["x1"] - image["x0"]) / 72)
        assert 300 / 2 ** (1 / 8) - 2 < dpi < 300 + 2, dpi


@pytest.mark.parametrize(
    "case", ["missing", "corrupt", "not-an-image", "bomb", "outside", "absolute"]
)
def test_a_bad_photo_is_one_clear_error_and_no_file(tmp_path, case):
    (tmp_path / "pics").mkdir()
    make_png(tmp_path / "pics" / "end.jpg")
    start = "pics/start.jpg"
    if case == "corrupt":
        big_photo(tmp_path / "pics" / "start.jpg", (400, 300))
        data = (tmp_path / "pics" / "start.jpg").read_bytes()
        (tmp_path / "pics" / "start.jpg").write_bytes(data[: len(data) // 3])
    elif case == "not-an-image":
        (tmp_path / "pics" / "start.jpg").write_text("just text")
    elif case == "bomb":
        Image.new("1", (12000, 12000)).save(tmp_path / "pics" / "start.png")
        start = "pics/start.png"
    elif case == "outside":
        make_png(tmp_path / "secret.png")
        (tmp_path / "clinic").mkdir()
        (tmp_path / "clinic" / "pics").mkdir()
        make_png(tmp_path / "clinic" / "pics" / "end.jpg")
        start = "../secret.png"
    elif case == "absolute":
        (tmp_path / "clinic" / "pics").mkdir(parents=True)
        make_png(tmp_path / "clinic" / "pics" / "end.jpg")
        start = str(make_png(tmp_path / "elsewhere.png"))
    folder = tmp_path / "clinic" if case in ("outside", "absolute") else tmp_path
    library = photo_library(folder, start=start)
    result, files = run(
        ["build", "wall-sit", "--library", str(library), "--date", DATE_ARG], tmp_path
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert files == []
    message = result.stderr
    if case == "missing":
        assert (
            f"{library}:6: exercises[0] 'wall-sit': images.start 'pics/start.jpg' was not found"
            in message
        )
    elif case in ("outside", "absolute"):
        assert (
            f"{library}:6: exercises[0] 'wall-sit': images.start must be a picture inside the library's folder"
            in message
        )
    else:
        assert "the picture for exercise 'wall-sit'" in message
        assert "start." in message
        expected = {"corrupt": "damaged", "not-an-image": "not a PNG or JPEG", "bomb": "too large"}[
            case
        ]
        assert expected in message


# -- QR codes ----------------------------------------------------------------------------------------
def qr_library(folder: Path, link: str) -> Path:
    path = folder / "lib.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength in your thighs.
            steps: [Stand with your back against a wall.]
            video: {link}
          - id: step-up
            title: Step up
            purpose: Builds strength in your legs.
            steps: [Step up onto a low step.]
            video: {link}
        """)
    )
    return path


@pytest.mark.parametrize(
    "link",
    ["http://example.org/v", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi",
     "https://", "https://exa mple.org/v", "not a link"],
)  # fmt: skip
def test_a_video_link_must_be_https_with_a_host(tmp_path, link):
    library = qr_library(tmp_path, f'"{link}"')
    result, files = run(["build", "wall-sit", "--library", str(library)], tmp_path)
    assert result.exit_code == 2
    assert files == []
    assert f"{library}:6: exercises[0] 'wall-sit': video must be" in result.stderr
    assert "https://" in result.stderr


def test_each_link_is_encoded_once_per_build(tmp_path):
    qr.qr_runs.cache_clear()
    qr._qr_operators.cache_clear()
    link = "https://example.org/videos/legs"
    build_pdf(ids=("wall-sit", "step-up"), library=qr_library(tmp_path, link))
    assert qr.qr_runs.cache_info().misses == 1
    drawn = qr._qr_operators.cache_info()  # drawn twice, its operators made once
    assert drawn.misses == 1 and drawn.hits >= 1


def test_qr_codes_decode_from_a_150_dpi_rendering(tmp_path):
    zbarimg = need_tool("zbarimg")
    pdftoppm = need_tool("pdftoppm")
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        "name: Riverside\nqr_link: https://example.org/book\nqr_caption: Scan to book\n"
    )
    _, pdf = build_pdf(
        ids=("wall-sit",),
        library=qr_library(tmp_path, "https://example.org/videos/wall-sit"),
        brand=brand,
    )
    (tmp_path / "qr.pdf").write_bytes(pdf.data)
    subprocess.run([pdftoppm, "-r", "150", "-png", "qr.pdf", "page"], cwd=tmp_path, check=True)
    found = set()
    for png in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run([zbarimg, "-q", "--raw", str(png)], capture_output=True, text=True)
        found |= {line.strip() for line in out.stdout.splitlines() if line.strip()}
    assert found == {"https://example.org/book", "https://example.org/videos/wall-sit"}
    assert "Scan to book" in pdf.text
    assert "Scan this code with your phone's camera to watch a video of this exercise." in " ".join(
        pdf.text.split()
    )


# -- SVG logos -----------------------------------------------------------------------------------------
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80">
  <circle cx="40" cy="40" r="35" fill="#1f4e79"/>
  <text x="90" y="50" font-family="Arial" font-size="20">Riverside</text>
</svg>"""


def test_an_svg_logo_prints_as_vectors_in_the_handout_font(tmp_path):
    (tmp_path / "logo.svg").write_text(SVG)
    brand = tmp_path / "brand.yaml"
    brand.write_text("name: Riverside Physical Therapy\nlogo: logo.svg\n")
    _, pdf = build_pdf(ids=("pelvic-tilt",), brand=brand)
    assert pdf.image_xobjects() == []  # vectors, not a picture
    assert pdf.texts[0].count("Riverside") >= 2  # the logo's own text and the clinic name
    assert not any("Helvetica" in name or "Arial" in name for name in pdf.font_names())


def test_a_broken_svg_logo_is_a_clear_error(tmp_path):
    (tmp_path / "logo.svg").write_text("<svg><circle")
    brand = tmp_path / "brand.yaml"
    brand.write_text("name: Riverside\nlogo: logo.svg\n")
    with pytest.raises(InputError) as caught:
        build_pdf(ids=("pelvic-tilt",), brand=brand)
    assert str(caught.value.message).startswith(
        f"{tmp_path / 'logo.svg'}: the logo in {brand} is not a readable SVG image"
    )
