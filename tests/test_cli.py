"""Command line: each command in an isolated folder, its output, files and exit status.

Bad input for `build` is in test_errors.py.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from conftest import (
    A4,
    DATE_ARG,
    LETTER,
    LIBRARY_FIXTURES,
    SCIATICA_IDS,
    Pdf,
    build_pdf,
    leftovers,
    run_python,
    write_full_brand,
)

import handouts
from handouts.cli import cli, run
from handouts.load.library import load_library

CLINIC = LIBRARY_FIXTURES / "clinic.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder for the command."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def invoke(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args), prog_name="handouts")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(runner: CliRunner, *args: str) -> Result:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


# -- build ---------------------------------------------------------------------------------------
def test_build_writes_the_default_name_in_the_current_folder(runner: CliRunner, here: Path) -> None:
    result = ok(
        runner, "build", "--program", "sciatica", "--patient", "Jane Doe", "--date", DATE_ARG
    )
    assert result.stdout == "Wrote sciatica-jane-doe-2026-11-29.pdf\n"
    assert leftovers(here) == ["sciatica-jane-doe-2026-11-29.pdf"]
    written = (here / "sciatica-jane-doe-2026-11-29.pdf").read_bytes()
    # the command line and the Python API make the same bytes
    _, pdf = build_pdf(program="sciatica", patient="Jane Doe")
    assert written == pdf.data


def test_a_second_build_never_overwrites(runner: CliRunner, here: Path) -> None:
    args = ("build", "--program", "sciatica-gentle", "--patient", "Jane Doe", "--date", DATE_ARG)
    ok(runner, *args)
    first = (here / "sciatica-gentle-jane-doe-2026-11-29.pdf").read_bytes()
    assert ok(runner, *args).stdout == "Wrote sciatica-gentle-jane-doe-2026-11-29-2.pdf\n"
    assert ok(runner, *args).stdout == "Wrote sciatica-gentle-jane-doe-2026-11-29-3.pdf\n"
    assert (here / "sciatica-gentle-jane-doe-2026-11-29.pdf").read_bytes() == first
    assert (here / "sciatica-gentle-jane-doe-2026-11-29-2.pdf").read_bytes() == first
    assert len(leftovers(here)) == 3


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("glute-bridge", "hip-hinge", "--patient", "Jane Doe"), "handout-jane-doe-2026-11-29.pdf"),
        (("glute-bridge",), "handout-2026-11-29.pdf"),
        (("glute-bridge", "--patient", "José Núñez"), "handout-jose-nunez-2026-11-29.pdf"),
        (("--program", "sciatica-strength", "pelvic-tilt"), "sciatica-strength-2026-11-29.pdf"),
    ],
)
def test_default_names(runner: CliRunner, here: Path, args: tuple[str, ...], name: str) -> None:
    assert ok(runner, "build", *args, "--date", DATE_ARG).stdout == f"Wrote {name}\n"
    assert leftovers(here) == [name]


def test_output_option_replaces_the_file(runner: CliRunner, here: Path) -> None:
    (here / "out").mkdir()
    target = here / "out" / "jane.pdf"
    target.write_bytes(b"old")
    result = ok(runner, "build", "glute-bridge", "-o", "out/jane.pdf", "--date", DATE_ARG)
    assert result.stdout == "Wrote out/jane.pdf\n"
    assert target.read_bytes().startswith(b"%PDF-")
    assert leftovers(here / "out") == ["jane.pdf"]
    assert leftovers(here) == []


def page_size(path: Path) -> tuple[float, float]:
    box = pypdf.PdfReader(path).pages[0].mediabox
    return float(box.width), float(box.height)


def test_paper_option(runner: CliRunner, here: Path) -> None:
    ok(runner, "build", "glute-bridge", "--paper", "A4", "-o", "a4.pdf", "--date", DATE_ARG)
    ok(runner, "build", "glute-bridge", "-o", "letter.pdf", "--date", DATE_ARG)
    assert page_size(here / "a4.pdf") == pytest.approx(A4, abs=0.01)
    assert page_size(here / "letter.pdf") == pytest.approx(LETTER)


def test_build_by_alias_with_names_and_notes(runner: CliRunner, here: Path) -> None:
    ok(
        runner,
        "build",
        "anterior pelvic tilt",
        "--patient",
        "Jane Doe",
        "--therapist",
        "Sam Lee, PT",
        "--notes",
        "Start slowly.",
        "-o",
        "h.pdf",
        "--date",
        DATE_ARG,
    )
    pdf = Pdf((here / "h.pdf").read_bytes())
    assert "For: Jane Doe Therapist: Sam Lee, PT Date: November 29, 2026" in pdf.texts[0]
    assert "1. Pelvic tilt" in pdf.text
    assert "Notes from your therapist Start slowly." in pdf.text


def test_clinic_library_exercise_and_program(runner: CliRunner, here: Path) -> None:
    ok(runner, "build", "--program", "knees", "--library", str(CLINIC), "-o", "k.pdf",
       "--date", DATE_ARG)  # fmt: skip
    pdf = Pdf((here / "k.pdf").read_bytes())
    assert pdf.reader.metadata.title == "Exercises for your knees"
    text = pdf.text
    positions = [text.index(t) for t in ("1. Wall sit", "2. Squat with a band", "2b. Split squat")]
    assert positions == sorted(positions)
    assert "Stand with your back against a wall." in text


def test_clinic_library_replaces_a_builtin_exercise(runner: CliRunner, here: Path) -> None:
    ok(runner, "build", "glute-bridge", "--library", str(CLINIC), "-o", "b.pdf", "--date", DATE_ARG)
    text = Pdf((here / "b.pdf").read_bytes()).text
    assert "1. Clinic bridge" in text
    assert "Our own version of the bridge." in text
    assert "1. Bridge" not in text


def test_brand_option(runner: CliRunner, here: Path) -> None:
    brand = write_full_brand(here)
    ok(runner, "build", "glute-bridge", "--brand", str(brand), "-o", "b.pdf", "--date", DATE_ARG)
    pdf = Pdf((here / "b.pdf").read_bytes())
    assert pdf.texts[0].startswith("Riverside Physical Therapy Moving you forward")
    assert pdf.reader.metadata.author == "Riverside Physical Therapy"


def test_python_dash_m_builds(tmp_path: Path) -> None:
    result = run_python(
        "-m", "handouts", "build", "glute-bridge", "--patient", "Jane Doe", "--date", DATE_ARG,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote handout-jane-doe-2026-11-29.pdf\n"
    assert result.stderr == ""
    assert leftovers(tmp_path) == ["handout-jane-doe-2026-11-29.pdf"]
    # another process, the same bytes
    _, pdf = build_pdf(ids=("glute-bridge",), patient="Jane Doe")
    assert (tmp_path / "handout-jane-doe-2026-11-29.pdf").read_bytes() == pdf.data


# -- list, show, programs, version ---------------------------------------------------------------
def listed_ids(output: str) -> list[str]:
    """The ids of `handouts list`: the table ends at a blank line, before the languages."""
    table = output.split("\n\n")[0] if output.strip() != "No exercises match." else ""
    return [line.split()[0] for line in table.splitlines()]


def test_list(runner: CliRunner, here: Path) -> None:
    result = ok(runner, "list")
    assert listed_ids(result.stdout) == list(SCIATICA_IDS)
    table, languages = result.stdout.split("\n\n")
    lines = table.splitlines()
    assert lines[0].split() == ["knee-to-opposite-shoulder", "stretch", "Knee", "to", "opposite",
                                "shoulder"]  # fmt: skip
    assert lines[5].split() == ["glute-bridge", "strengthen", "Bridge"]
    # the columns line up
    assert len({line.index(line.split()[1]) for line in lines}) == 1
    # then each language with its review status: the built-in Spanish is not reviewed yet
    assert languages.splitlines()[0] == "Languages:"
    assert "  en     English: original, the language the library is written in" in languages
    assert (
        "  es     Español: draft, not yet reviewed by a qualified medical translator." in languages
    )
    assert leftovers(here) == []


@pytest.mark.parametrize(
    ("options", "ids"),
    [
        (("--condition", "sciatica"), list(SCIATICA_IDS)),
        (("--condition", "piriformis syndrome"), ["knee-to-opposite-shoulder", "pigeon-pose"]),
        (("--region", "thigh"), ["banded-squat", "split-squat", "hip-hinge"]),
        (("--region", "LOWER BACK", "--condition", "low back pain"),
         ["child-pose", "cobra-pose", "pelvic-tilt", "glute-bridge", "hip-hinge"]),
    ],
)  # fmt: skip
def test_list_filters(runner: CliRunner, options: tuple[str, ...], ids: list[str]) -> None:
    assert listed_ids(ok(runner, "list", *options).stdout) == ids


def test_list_with_no_match(runner: CliRunner) -> None:
    assert ok(runner, "list", "--region", "elbow").stdout == (
        "No exercises match.\n"
        "Conditions: low back pain, piriformis syndrome, sciatica\n"
        "Regions: buttock, hip, lower back, thigh\n"
    )


def test_list_json(runner: CliRunner) -> None:
    rows = json.loads(ok(runner, "list", "--json", "--region", "thigh").stdout)
    assert [row["id"] for row in rows] == ["banded-squat", "split-squat", "hip-hinge"]
    squat = rows[0]
    assert squat["title"] == "Squat with a band"
    assert squat["kind"] == "strengthen"
    assert "thigh" in squat["regions"]
    assert squat["dose"] == {
        "reps": 10,
        "sets": 2,
        "rest": 60,
        "times_per_day": 1,
        "days_per_week": 3,
        "side": "both",
        "load": "light resistance band",
    }
    assert set(squat) >= {"id", "title", "purpose", "kind", "regions", "conditions", "aliases"}


def test_list_with_a_clinic_library(runner: CliRunner) -> None:
    result = ok(runner, "list", "--library", str(CLINIC))
    assert listed_ids(result.stdout) == [*SCIATICA_IDS, "wall-sit"]
    assert "Clinic bridge" in result.stdout


def test_show_by_id_and_by_alias(runner: CliRunner) -> None:
    by_id = ok(runner, "show", "pelvic-tilt").stdout
    assert ok(runner, "show", "anterior pelvic tilt").stdout == by_id
    lines = by_id.splitlines()
    assert lines[0] == "Pelvic tilt  (pelvic-tilt)"
    assert lines[1] == f"Why: {load_library().exercises['pelvic-tilt'].purpose}"
    assert "Steps:" in lines
    assert "  1. Lie on your back on the mat." in lines
    assert (
        "How much: Hold for 5 seconds. Do this 10 times. Do this 2 times a day, every day." in lines
    )
    assert "kind: stretch" in lines
    assert any(
        line.startswith("also called: ") and "anterior pelvic tilt" in line for line in lines
    )
    assert lines[-2].startswith("Defined at: ") and "exercises.yaml:" in lines[-2]
    assert lines[-1] == "Translated into: es"


def test_show_links(runner: CliRunner) -> None:
    lines = ok(runner, "show", "knee-to-opposite-shoulder").stdout.splitlines()
    assert "harder: pigeon-pose" in lines


def test_show_from_a_clinic_library(runner: CliRunner) -> None:
    out = ok(runner, "show", "wall squat", "--library", str(CLINIC)).stdout
    assert out.splitlines()[0] == "Wall sit  (wall-sit)"
    assert f"Defined at: {CLINIC}:4" in out


def test_programs(runner: CliRunner) -> None:
    lines = ok(runner, "programs").stdout.splitlines()
    assert lines[0].split(None, 1) == [
        "sciatica",
        "Stretches and exercises for sciatica (9 exercises)",
    ]
    assert lines[1].strip() == ", ".join(SCIATICA_IDS)
    assert lines[2].split(None, 1) == [
        "sciatica-gentle",
        "Gentle stretches for sciatica (5 exercises)",
    ]
    assert lines[4].split(None, 1) == [
        "sciatica-strength",
        "Strength exercises for sciatica (4 exercises)",
    ]
    assert lines[5].strip() == "glute-bridge, banded-squat, split-squat, hip-hinge"


def test_programs_with_a_clinic_library(runner: CliRunner) -> None:
    out = ok(runner, "programs", "--library", str(CLINIC)).stdout
    assert "knees" in out.split()
    assert "Exercises for your knees (3 exercises)" in out


def test_version(runner: CliRunner) -> None:
    assert ok(runner, "--version").stdout == f"handouts, version {handouts.__version__}\n"


def test_help_names_the_commands(runner: CliRunner) -> None:
    out = ok(runner, "--help").stdout
    for command in ("build", "list", "show", "programs"):
        assert f"  {command} " in out
    assert "handouts build --program sciatica" in out


# -- no reportlab for the quick commands ---------------------------------------------------------
CHECK_IMPORTS = textwrap.dedent(
    """
    import sys
    from handouts.cli import cli
    try:
        cli.main(sys.argv[1:], prog_name="handouts", standalone_mode=False)
    except SystemExit:
        pass
    loaded = sorted(m for m in sys.modules if m.split(".")[0] == "reportlab")
    print("reportlab loaded" if loaded else "reportlab not loaded")
    """
)


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["list"], ["list", "--json"]])
def test_quick_commands_do_not_import_reportlab(tmp_path: Path, args: list[str]) -> None:
    result = run_python("-c", CHECK_IMPORTS, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "reportlab not loaded"


def test_the_import_check_sees_reportlab_when_a_pdf_is_made(tmp_path: Path) -> None:
    args = ["build", "glute-bridge", "--date", DATE_ARG, "-o", "x.pdf"]
    result = run_python("-c", CHECK_IMPORTS, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "reportlab loaded"
    assert leftovers(tmp_path) == ["x.pdf"]


# -- an unexpected failure -----------------------------------------------------------------------
def test_internal_error_exits_1_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANDOUTS_DEBUG", raising=False)
    monkeypatch.setattr("handouts.build.make_handout", broken)
    monkeypatch.setattr(sys, "argv", ["handouts", "build", "--program", "sciatica",
                                      "--date", DATE_ARG])  # fmt: skip
    assert run() == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "Error: internal error (RuntimeError: boom).\n"
        "Nothing was written. Run again with HANDOUTS_DEBUG=1 to see the details.\n"
    )
    assert leftovers(tmp_path) == []


def test_internal_error_shows_the_traceback_when_debugging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOUTS_DEBUG", "1")
    monkeypatch.setattr("handouts.build.make_handout", broken)
    monkeypatch.setattr(sys, "argv", ["handouts", "build", "glute-bridge", "--date", DATE_ARG])
    with pytest.raises(RuntimeError, match="^boom$"):
        run()
