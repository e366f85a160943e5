"""Bad input on the command line: exit status 2, one clear message, no traceback, no file written.

Each case runs `handouts build` in an empty folder holding only the files it needs (copied from
tests/fixtures or made here), so messages name files as the user typed them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    BRAND_FIXTURES,
    DATE_ARG,
    LIBRARY_FIXTURES,
    leftovers,
    make_png,
    run_python,
)
from PIL import Image

from handouts.cli import cli

FONT_ERROR = (
    "the font Atkinson Hyperlegible cannot print 1 character; change the text or choose another "
    "font:\n"
)


def copy(*paths: Path) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for path in paths:
            shutil.copy(path, folder / path.name)

    return setup


def truncated_png(folder: Path) -> None:
    data = make_png(folder / "full.png", (200, 80)).read_bytes()
    (folder / "logo.png").write_bytes(data[: len(data) // 2])
    (folder / "full.png").unlink()
    (folder / "brand.yaml").write_text("name: Riverside\nlogo: logo.png\n", encoding="utf-8")


def bomb_png(folder: Path) -> None:
    # 144 million pixels, a few kilobytes on disk: must be refused before it is decoded
    Image.new("1", (12000, 12000)).save(folder / "logo.png", format="PNG")
    (folder / "brand.yaml").write_text("name: Riverside\nlogo: logo.png\n", encoding="utf-8")


def a_folder(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir()


def nothing(folder: Path) -> None:
    return None


MANY_PROBLEMS = """\
9 problems found:
  many-problems.yaml:8: exercises[0] 'wall-sit': dose.reps must be a whole number, got 'ten'
  many-problems.yaml:9: exercises[0] 'wall-sit': dose.hold must be a whole number, got 20.5
  many-problems.yaml:10: exercises[0] 'wall-sit': dose.side must be one of each, both, left, right, got 'eech' (did you mean 'each'?)
  many-problems.yaml:12: exercises[0] 'wall-sit': tags.kind must be one of stretch, strengthen, balance, mobility, cardio, plyometrics, got 'strech' (did you mean 'stretch'?)
  many-problems.yaml:13: exercises[0] 'wall-sit': harder[0] names an unknown exercise 'wall-sitt' (did you mean 'wall-sit'?)
  many-problems.yaml:14: exercises[1] 'Bad_Id': id must be lowercase letters, digits and hyphens, like 'glute-bridge', got 'Bad_Id'
  many-problems.yaml:17: exercises[1] 'Bad_Id': steps must list at least one item
  many-problems.yaml:19: programs[0] 'knees': title is required (text)
  many-problems.yaml:20: programs[0] 'knees': exercises[1] names an unknown exercise 'glute-brdge' (did you mean 'glute-bridge'?)"""

# id: (setup, arguments after 'build', the exact message after "Error: ")
CASES: dict[str, tuple[Callable[[Path], None], list[str], str]] = {
    "unknown-exercise": (
        nothing,
        ["glute-brdge"],
        "unknown exercise 'glute-brdge'. Did you mean 'glute-bridge'? "
        "Run 'handouts list' to see them all.",
    ),
    "unknown-program": (
        nothing,
        ["--program", "sciatic"],
        "unknown program 'sciatic'. Did you mean 'sciatica', 'sciatica-gentle' or "
        "'sciatica-strength'? The programs are: sciatica, sciatica-gentle, sciatica-strength.",
    ),
    "nothing-chosen": (
        nothing,
        ["--patient", "Jane Doe"],
        "choose what to print: give exercise ids (handouts build glute-bridge hip-hinge) or a "
        "program (handouts build --program sciatica). 'handouts list' and 'handouts programs' "
        "show the choices.",
    ),
    "yaml-syntax-error": (
        copy(LIBRARY_FIXTURES / "syntax-error.yaml"),
        ["glute-bridge", "--library", "syntax-error.yaml"],
        "syntax-error.yaml:3: YAML syntax error: mapping values are not allowed in this context",
    ),
    "wrong-type": (
        copy(LIBRARY_FIXTURES / "wrong-type.yaml"),
        ["wall-sit", "--library", "wrong-type.yaml"],
        "wrong-type.yaml:8: exercises[0] 'wall-sit': dose.reps must be a whole number, got 'ten'",
    ),
    "missing-field": (
        copy(LIBRARY_FIXTURES / "missing-field.yaml"),
        ["wall-sit", "--library", "missing-field.yaml"],
        "missing-field.yaml:2: exercises[0] 'wall-sit': title is required (text)",
    ),
    "duplicate-id": (
        copy(LIBRARY_FIXTURES / "duplicate-id.yaml"),
        ["wall-sit", "--library", "duplicate-id.yaml"],
        "duplicate-id.yaml:6: exercises[1] 'wall-sit': id 'wall-sit' is used twice "
        "(first at duplicate-id.yaml:2)",
    ),
    "unknown-link": (
        copy(LIBRARY_FIXTURES / "unknown-link.yaml"),
        ["wall-sit", "--library", "unknown-link.yaml"],
        "unknown-link.yaml:7: exercises[0] 'wall-sit': harder[0] names an unknown exercise "
        "'wall-sitt' (did you mean 'wall-sit'?)",
    ),
    "program-names-unknown-exercise": (
        copy(LIBRARY_FIXTURES / "program-unknown-exercise.yaml"),
        ["--program", "knees", "--library", "program-unknown-exercise.yaml"],
        "program-unknown-exercise.yaml:6: programs[0] 'knees': exercises[1] names an unknown "
        "exercise 'glute-brdge' (did you mean 'glute-bridge'?)",
    ),
    "python-tag": (
        copy(LIBRARY_FIXTURES / "python-tag.yaml"),
        ["wall-sit", "--library", "python-tag.yaml"],
        "python-tag.yaml:3: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed (only plain YAML values are read)",
    ),
    "all-problems-together": (
        copy(LIBRARY_FIXTURES / "many-problems.yaml"),
        ["wall-sit", "--library", "many-problems.yaml"],
        MANY_PROBLEMS,
    ),
    "missing-library": (
        nothing,
        ["glute-bridge", "--library", "clinic.yaml"],
        "clinic.yaml: library file not found",
    ),
    "missing-brand": (
        nothing,
        ["glute-bridge", "--brand", "brand.yaml"],
        "brand.yaml: brand file not found",
    ),
    "brand-without-name": (
        copy(BRAND_FIXTURES / "missing-name.yaml"),
        ["glute-bridge", "--brand", "missing-name.yaml"],
        "missing-name.yaml:1: name is required (text)",
    ),
    "missing-logo": (
        copy(BRAND_FIXTURES / "missing-logo.yaml"),
        ["glute-bridge", "--brand", "missing-logo.yaml"],
        "missing-logo.yaml:2: logo 'images/no-such-logo.png' was not found "
        "(looked for images/no-such-logo.png)",
    ),
    "text-file-as-logo": (
        copy(BRAND_FIXTURES / "text-logo.yaml", BRAND_FIXTURES / "not-an-image.png"),
        ["glute-bridge", "--brand", "text-logo.yaml"],
        "not-an-image.png: the logo in text-logo.yaml is not a PNG or JPEG image "
        "(or the file is damaged)",
    ),
    "decompression-bomb-logo": (
        bomb_png,
        ["glute-bridge", "--brand", "brand.yaml"],
        "logo.png: the logo in brand.yaml is too large (over 40,000,000 pixels)",
    ),
    "character-the-font-lacks": (
        nothing,
        ["glute-bridge", "--patient", "Jane \u2713"],
        FONT_ERROR + "  '\u2713' (U+2713) in --patient",
    ),
    "output-folder-missing": (
        nothing,
        ["glute-bridge", "-o", "missing/jane.pdf"],
        "missing/jane.pdf: cannot write the PDF, the folder missing does not exist",
    ),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def build(*args: str):
    result = CliRunner().invoke(cli, ["build", *args], prog_name="handouts")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(case: str, folder: Path) -> None:
    setup, args, message = CASES[case]
    setup(folder)
    before = sorted(p.name for p in folder.iterdir())
    result = build(*args, "--date", DATE_ARG)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written at all


def test_truncated_logo(folder: Path) -> None:
    truncated_png(folder)
    result = build("glute-bridge", "--brand", "brand.yaml", "--date", DATE_ARG)
    assert result.exit_code == 2
    # Pillow's own words end the message: "(image file is truncated ...)"
    assert result.stderr.startswith(
        "Error: logo.png: the logo in brand.yaml cannot be read, the file seems damaged ("
    )
    assert "truncated" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert leftovers(folder) == []


USAGE_CASES = {
    "month-13": (["--date", "2026-13-01"], nothing,
                 "Invalid value for '--date': expected a date like 2026-11-29 (YYYY-MM-DD), "
                 "got '2026-13-01'"),
    "february-30": (["--date", "2026-02-30"], nothing,
                    "Invalid value for '--date': expected a date like 2026-11-29 (YYYY-MM-DD), "
                    "got '2026-02-30'"),
    "iso-week": (["--date", "2026-W48-7"], nothing,
                 "Invalid value for '--date': expected a date like 2026-11-29 (YYYY-MM-DD), "
                 "got '2026-W48-7'"),
    "word": (["--date", "tomorrow"], nothing,
             "Invalid value for '--date': expected a date like 2026-11-29 (YYYY-MM-DD), "
             "got 'tomorrow'"),
    "paper": (["--paper", "b5", "--date", DATE_ARG], nothing,
              "Invalid value for '--paper': 'b5' is not one of 'letter', 'a4'."),
    "output-is-a-folder": (["-o", "jane", "--date", DATE_ARG], a_folder("jane"),
                           "Invalid value for '-o' / '--output': File 'jane' is a directory."),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(USAGE_CASES))
def test_bad_option(case: str, folder: Path) -> None:
    args, setup, message = USAGE_CASES[case]
    setup(folder)
    result = build("glute-bridge", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: handouts build [OPTIONS] [IDS]...\n")
    assert result.stderr.endswith(f"\nError: {message}\n")
    assert result.stdout == ""
    assert leftovers(folder) == []
    for sub in folder.iterdir():
        assert sub.is_dir() and not any(sub.iterdir())


def test_a_failed_build_keeps_the_old_output_file(folder: Path) -> None:
    (folder / "jane.pdf").write_bytes(b"%PDF-old")
    result = build("glute-bridge", "--patient", "\u2713", "-o", "jane.pdf", "--date", DATE_ARG)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {FONT_ERROR}  '\u2713' (U+2713) in --patient\n"
    assert (folder / "jane.pdf").read_bytes() == b"%PDF-old"
    assert leftovers(folder) == ["jane.pdf"]


def test_other_commands_report_bad_input_the_same_way(folder: Path) -> None:
    shutil.copy(LIBRARY_FIXTURES / "wrong-type.yaml", folder)
    expected = (
        "Error: wrong-type.yaml:8: exercises[0] 'wall-sit': dose.reps must be a whole number, "
        "got 'ten'\n"
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["show", "wall-sit", "--library", "wrong-type.yaml"])
    assert (result.exit_code, result.stderr, result.stdout) == (2, expected, "")
    left_out = (  # the exercise with a problem is left out: the others still show
        "Warning: 1 exercise of the library has problems and was left out: wall-sit; "
        "'handouts check --library wrong-type.yaml' lists the problems\n"
    )
    for args in (["list"], ["programs"], ["show", "glute-bridge"]):
        result = runner.invoke(cli, [*args, "--library", "wrong-type.yaml"], prog_name="handouts")
        assert (result.exit_code, result.stderr) == (0, left_out), args
    result = runner.invoke(cli, ["show", "glute-brdge"], prog_name="handouts")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unknown exercise 'glute-brdge'. Did you mean 'glute-bridge'? "
        "Run 'handouts list' to see them all.\n"
    )


# -- the same through a real process: no traceback reaches the user -----------------------------
@pytest.mark.parametrize(
    "case", ["unknown-exercise", "decompression-bomb-logo", "yaml-syntax-error", "nothing-chosen"]
)
def test_no_traceback_from_a_real_process(case: str, tmp_path: Path) -> None:
    setup, args, message = CASES[case]
    setup(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_python("-m", "handouts", "build", *args, "--date", DATE_ARG, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_date_from_a_real_process(tmp_path: Path) -> None:
    result = run_python(
        "-m", "handouts", "build", "--program", "sciatica", "--date", "2026-13-01", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith(
        "Error: Invalid value for '--date': expected a date like 2026-11-29 (YYYY-MM-DD), "
        "got '2026-13-01'\n"
    )
    assert leftovers(tmp_path) == []


def test_an_empty_svg_logo_is_one_message(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text("", encoding="utf-8")
    (tmp_path / "brand.yaml").write_text("name: Riverside\nlogo: logo.svg\n", encoding="utf-8")
    result = run_python(
        "-m", "handouts", "build", "glute-bridge", "--brand", "brand.yaml", "--date", DATE_ARG,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert leftovers(tmp_path) == []
    assert result.stderr == (
        "Error: logo.svg: the logo in brand.yaml is not a readable SVG image "
        "(no size or no content)\n"
    )
