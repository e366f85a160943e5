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
from reportlab.lib.colors import Color

from handouts.cli import cli
from handouts.errors import InputError
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
    assert list(load_library(path).broken["odd-knee"]) == [
        f"{path}:8: exercises[0] 'odd-knee': figure.end.near_arm must be a list of 2 numbers, got a list",
        f"{path}:9: exercises[0] 'odd-knee': figure.props[0].kind must be one of bench, chair, step, mat, wall, rail, band, dumbbells, got 'trampoline'",
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
    assert list(load_library(path).broken["odd-knee"]) == [
        f"{path}:7: exercises[0] 'odd-knee': figure.start is not plausible: "
        "the near knee is at -50 degrees, outside -10 to 165"
    ]


# -- the handout and the contact sheet -------------------------------------------------------------
def caption_pairs(page) -> int:
    """How many 'Start' ... 'End' caption pairs stand side by side on one line of the page."""
    starts = [w for w in page.words if w["text"].rstrip(":") == "Start"]
    ends = [w for w in page.words if w["text"].rstrip(":") == "End"]
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
    words = [w["text"].rstrip(":") for page in sheet.pages for w in page.words]
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


# -- pictures that teach the movement (issue 13) ---------------------------------------------------
def drawn(exercise_id: str, index: int, width: float = 500, height: float = 200) -> str:
    """The PDF operators of one built-in exercise's start (0) or end (1) panel."""
    from handouts.render.figure import FigurePair

    e = load_library().exercises[exercise_id]
    pair = FigurePair(e.figure, width, height, "Helvetica", 12, Color(0, 0, 1), ("Start", "End"))
    return pair.operators(index)


def test_every_builtin_start_and_end_are_drawn_differently():
    for exercise_id in SCIATICA_IDS:
        assert drawn(exercise_id, 0) != drawn(exercise_id, 1), exercise_id


def test_the_movements_across_the_body_have_a_view_from_above():
    library = load_library()
    for exercise_id, point in (("knee-to-opposite-shoulder", "near_knee"),
                               ("pigeon-pose", "near_ankle")):  # fmt: skip
        (view,) = library.exercises[exercise_id].figure.views
        assert view.side == "above" and view.arrow == point
        start, end = (solve(p, (), "above") for p in (view.start, view.end))
        # the moving point crosses the line from the pelvis to the head: across the body
        py = start.points["pelvis"][1]
        assert (start.points[point][1] - py) * (end.points[point][1] - py) < 0, exercise_id


def test_the_pelvic_tilt_close_up_shows_a_gap_at_the_start_and_none_at_the_end():
    figure = load_library().exercises["pelvic-tilt"].figure
    close = figure.close_up
    assert close.part == "lower_back"
    assert close.start_gap > 0 and close.end_gap == 0 and close.start_tilt != close.end_tilt
    assert figure.start.arch > 0 and figure.end.arch == 0  # the side view's lower back too


def test_props_are_drawn_where_the_steps_use_them():
    library = load_library()
    kinds = {e.id: {p.kind for p in e.figure.props} for e in library.exercises.values()}
    assert {"bench", "rail"} <= kinds["split-squat"]  # "Hold on to a wall or rail"
    assert {"band", "chair"} <= kinds["banded-squat"]
    # the hand that holds the rail is on it, at the start and the end
    e = library.exercises["split-squat"]
    rail = next(p for p in e.figure.props if p.kind == "rail")
    for pose in (e.figure.start, e.figure.end):
        x, y = solve(pose, e.figure.props).points["near_wrist"]
        assert rail.x < x < rail.x + rail.width and y == pytest.approx(rail.height, abs=1.5)


def test_the_hip_hinge_hands_reach_halfway_down_the_shins():
    e = load_library().exercises["hip-hinge"]
    body = solve(e.figure.end)
    knee, ankle = body.points["near_knee"][1], body.points["near_ankle"][1]
    wrist = body.points["near_wrist"][1]
    assert abs(wrist - (knee + ankle) / 2) < (knee - ankle) * 0.2
    start = solve(e.figure.start)  # hands on the front of the thighs, the fingers below the hips
    wrist_x, wrist_y = start.points["near_wrist"]
    assert wrist_x > start.points["pelvis"][0] + 2
    assert start.points["near_knee"][1] < wrist_y < start.points["pelvis"][1] + 2


def test_the_cobra_starts_with_the_elbows_under_the_shoulders():
    e = load_library().exercises["cobra-pose"]
    assert "forearms" in e.title and "sphinx pose" in e.aliases
    assert any("sphinx" in tip for tip in e.tips)
    for pose in (e.figure.start, e.figure.end):
        body = solve(pose, e.figure.props)
        assert abs(body.points["near_elbow"][0] - body.points["shoulder"][0]) < 2
        assert body.points["near_elbow"][1] < 4  # on the mat


@pytest.mark.parametrize("layout", ["standard", "compact", "large-print"])
def test_figures_fill_their_frames(layout):
    """The frame follows the drawing: the panel is as tall as the drawing needs, so the drawing
    fills at least 70% of its panel's height or width."""
    from handouts.load.layout import load_layout
    from handouts.render.figure import PAD, FigurePair

    lay = load_layout(layout)
    for exercise in load_library().exercises.values():
        pair = FigurePair(exercise.figure, 468, lay.figure_height, "Helvetica", lay.body_size,
                          Color(0, 0, 1), ("Start", "End"))  # fmt: skip
        used_w = pair.content[2] * pair.scale / (pair.panel_w - 2 * PAD)
        used_h = (pair.content[3] * pair.scale + pair.label_room()) / (pair.panel_h - 2 * PAD)
        assert max(used_w, used_h) >= 0.7, (layout, exercise.id, used_w, used_h)
        assert pair.height <= lay.figure_height + 0.01


def test_large_print_draws_figures_larger():
    from handouts.load.layout import load_layout
    from handouts.render.figure import FigurePair

    e = load_library().exercises["hip-hinge"]
    scales = [FigurePair(e.figure, 468, load_layout(name).figure_height, "Helvetica",
                         load_layout(name).body_size, Color(0, 0, 1), ("Start", "End")).scale
              for name in ("standard", "large-print")]  # fmt: skip
    assert scales[1] > scales[0]


@pytest.mark.parametrize(
    ("lang", "start", "end", "key"),
    [("en", "Start: On your back, knees bent, feet flat, arms at your sides",
      "End: Hips lifted, knees, hips and shoulders in a straight line",
      "Arrows show which way to move."),
     ("es", "Inicio: Boca arriba, con las rodillas dobladas, los pies apoyados y los brazos a los lados",
      "Final: La cadera levantada; rodillas, cadera y hombros en línea recta",
      "Las flechas muestran hacia dónde moverse.")],
)  # fmt: skip
def test_captions_print_under_each_picture_and_the_arrow_key_once(lang, start, end, key):
    handout, pdf = build_pdf(ids=("glute-bridge", "pelvic-tilt"), lang=lang)
    item = handout.items[0]
    assert item.captions == (start, end)  # in the Handout: alternative text for any renderer
    assert handout.items[0].arrow_key == key and handout.items[1].arrow_key == ""
    text = " ".join(pdf.text.split())
    for caption in (start, end):
        assert caption in text
    assert text.count(key) == 1
    # under the pictures: the caption's first word sits below the panels (lower on the page
    # than the exercise's position line, above its steps), once on each card (the plan at a
    # glance, on the last page, shows the start pictures without captions)
    cards = pdf.page_of(handout.labels["summary_title"]) - 1
    with pdfplumber.open(io.BytesIO(pdf.data)) as plumber:
        words = [w for page in plumber.pages[:cards] for w in page.extract_words()]
    first = start.split()[0]
    assert sum(1 for w in words if w["text"] == first) == len(handout.items)


def test_every_builtin_exercise_has_captions_in_english_and_spanish():
    library = load_library()
    for e in library.exercises.values():
        assert len(e.captions) == 2 and all(e.captions), e.id
        spanish = e.translations.texts["es"]["captions"]
        assert len(spanish) == 2 and spanish != e.captions, e.id


def test_a_second_view_and_a_close_up_are_validated_at_their_lines(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(
        textwrap.dedent("""\
        exercises:
          - id: odd-view
            title: Odd view
            purpose: Shows bad views.
            steps: [Lie down.]
            figure:
              start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 90], far_leg: [0, 0, 90]}
              end: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 90], far_leg: [0, 0, 90], arch: 20}
              views:
                - from: below
                  start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 0], far_leg: [0, 0, 0]}
                  end: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 0], far_leg: [0, 0, 0], lengths: {near_leg: [1, 3, 1]}}
                - from: above
                  start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 0], far_leg: [0, 0, 0]}
                  end: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 0], far_leg: [0, 0, 0]}
                  arrow: elbow
              close_up: {part: lower_back, start: {gap: 40}, end: {gap: 0}}
            captions: {start: On your back}
        """)
    )
    assert list(load_library(path).broken["odd-view"]) == [
        f"{path}:8: exercises[0] 'odd-view': figure.end.arch must be from -8 to 8, got 20",
        f"{path}:10: exercises[0] 'odd-view': figure.views[0].from must be one of above, front, got 'below'",
        f"{path}:12: exercises[0] 'odd-view': figure.views[0].end.lengths.near_leg[1] must be from 0.1 to 1.5, got 3",
        f"{path}:17: exercises[0] 'odd-view': figure.close_up.start.gap must be from 0 to 12, got 40",
        f"{path}:18: exercises[0] 'odd-view': captions.end is required (text)",
    ]
    # once every value reads, what is not plausible: an unknown point, a view that does not move
    text = path.read_text()
    for old, new in (("from: below", "from: front"), ("lengths: {near_leg: [1, 3, 1]}", "arch: 0"),
                     (", arch: 20", ""), ("gap: 40", "gap: 4"),
                     ("captions: {start: On your back}", "")):  # fmt: skip
        text = text.replace(old, new)
    path.write_text(text)
    assert list(load_library(path).broken["odd-view"]) == [
        f"{path}:12: exercises[0] 'odd-view': figure.views[0].end is not plausible: is the same picture as its start",
        f"{path}:15: exercises[0] 'odd-view': figure.views[1].end is not plausible: is the same picture as its start",
        f"{path}:16: exercises[0] 'odd-view': figure.views[1].arrow is not plausible: unknown point 'elbow'; expected one of pelvis, shoulder, waist, head, near_shoulder, near_hip, far_shoulder, far_hip, near_elbow, near_wrist, far_elbow, far_wrist, near_knee, near_ankle, near_toe, far_knee, far_ankle, far_toe",
    ]


def test_the_figures_sheet_prints_pose_values_and_check_notes(tmp_path):
    result, files = run(["figures", "-o", "sheet.pdf"], tmp_path)
    assert result.exit_code == 0, result.output
    sheet = Pdf(
        (tmp_path / next(p for p in tmp_path.iterdir() if p.is_dir()) / "sheet.pdf").read_bytes()
    )
    text = " ".join(sheet.text.split())
    assert "start: torso: 180, head: 180, near_arm: [-3, 0]" in text
    assert "views[0] from above: start:" in text
    assert "close_up lower_back: start gap 6, tilt 0; end gap 0, tilt 14" in text
    assert text.count("Check: no problems found.") == len(SCIATICA_IDS)
    assert text.count("Arrows show which way to move.") == 1
    assert "Start: On your back, legs straight" in text


def test_the_sheet_names_a_figure_without_captions(tmp_path):
    from handouts.load.figures import figure_warnings

    e = replace(load_library().exercises["glute-bridge"], captions=())
    assert figure_warnings(e) == [
        "has no captions: give it captions: {start: ..., end: ...} to say in words what each "
        "picture shows"
    ]


def test_the_sciatica_handout_stays_small(sciatica):
    _, pdf = sciatica
    assert len(pdf.data) <= 60_000, len(pdf.data)
