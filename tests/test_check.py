"""`handouts check`: every problem in a clinic's files at once, and the reading level."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.check import GRADE_LIMIT, check, reading_grade
from handouts.cli import cli

BROKEN_SCHEMA = """\
    exercises:
      - id: step-up
        title: Step up
        purpose: Builds strength.
        steps: [Step up.]
        harder: [wall-sitt]
      - id: bad-dose
        title: Bad
        purpose: x
        steps: [y]
        dose: {reps: ten}
    programs:
      - id: mine
        title: Mine
        exercises: [step-up, nope]
    """

BROKEN_CONTENT = """\
    exercises:
      - id: wall-sit
        title: Wall sit \u2713
        purpose: Builds strength in your thighs.
        steps: [Stand against a wall.]
      - id: step-up
        title: Step up
        purpose: >-
          Notwithstanding considerable musculoskeletal deconditioning, progressive neuromuscular
          reeducation facilitates functional improvement throughout rehabilitation.
        steps: [Step up.]
        images: {start: bad.jpg}
    """


def library(folder: Path, text: str) -> Path:
    path = folder / "lib.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def test_the_builtin_library_passes_and_reads_at_grade_8_or_lower():
    report = check()
    assert report.problems == [] and report.warnings == []
    assert len(report.grades) == 9 + 3 + 2  # exercises, program intros, the two disclaimer lists
    assert all(grade <= GRADE_LIMIT for _, grade in report.grades), report.grades
    result = run("--strict")
    assert result.exit_code == 0
    assert result.stdout == (
        "No problems found. Checked exercises.yaml, standard.yaml; "
        "translations checked: es (draft).\n"
    )
    assert "exercise 'pelvic-tilt'" in run("--grades").stdout


def test_schema_problems_are_all_reported(tmp_path):
    path = library(tmp_path, BROKEN_SCHEMA)
    report = check(library=path, languages=["en"])
    assert report.problems == [
        f"{path}:6: exercises[0] 'step-up': harder[0] names an unknown exercise 'wall-sitt'",
        f"{path}:11: exercises[1] 'bad-dose': dose.reps must be a whole number, got 'ten'",
        f"{path}:15: programs[0] 'mine': exercises[1] names an unknown exercise 'nope'",
    ]
    result = run("--library", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert "Problems (3):" in result.stdout


def test_content_problems_and_warnings_are_all_reported(tmp_path):
    (tmp_path / "bad.jpg").write_text("not an image")
    path = library(tmp_path, BROKEN_CONTENT)
    report = check(library=path, languages=["en"])
    assert report.problems == [
        f"{path}:2: exercise 'wall-sit' has no pictures: give it a figure: or images:",
        f"{tmp_path / 'bad.jpg'}: the picture for exercise 'step-up' ({path}:6) is not a PNG or "
        "JPEG image (or the file is damaged)",
        f"the font Atkinson Hyperlegible cannot print '\u2713' (U+2713), used in {path}:2: "
        "exercise 'wall-sit' title",
    ]
    (warning,) = report.warnings
    assert warning.startswith(f"exercise 'step-up' ({path}:6): reads at grade ")
    assert warning.endswith(", above 8 (aim for 6: shorter sentences, shorter words)")


def test_warnings_fail_only_with_strict(tmp_path):
    path = library(
        tmp_path,
        """\
        exercises:
          - id: knee-to-opposite-shoulder
            title: Knee to opposite shoulder
            purpose: >-
              Notwithstanding considerable musculoskeletal deconditioning, progressive
              neuromuscular reeducation facilitates functional improvement.
            steps: [Lie down.]
            figure:
              start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 90], far_leg: [0, 0, 90]}
              end: {torso: 180, head: 180, near_arm: [30, 75], far_arm: [35, 80], near_leg: [120, 10, 100], far_leg: [0, 0, 90]}
        """,
    )
    assert run("--library", str(path), "--lang", "en").exit_code == 0
    strict = run("--library", str(path), "--strict", "--lang", "en")
    assert strict.exit_code == 1
    assert "Warnings (1):" in strict.stdout


def test_json_report(tmp_path):
    path = library(tmp_path, BROKEN_SCHEMA)
    result = run("--library", str(path), "--json", "--lang", "en")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert len(data["problems"]) == 3
    assert set(data) == {"files", "languages", "problems", "warnings", "readability", "left_out"}
    assert data["languages"] == []  # a library that does not load is not checked further
    builtin = json.loads(run("--json").stdout)["languages"]
    assert [(lang["code"], lang["status"], lang["missing"]) for lang in builtin] == [
        ("en", "original", 0),
        ("es", "draft", 0),
    ]


def test_bad_usage_exits_2():
    assert run("--nope").exit_code == 2


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Lie on your back. Bend one knee.", -3.0, 2.0),
        ("Notwithstanding considerable musculoskeletal deconditioning, progressive neuromuscular "
         "reeducation facilitates functional improvement.", 15.0, 40.0),
    ],
)  # fmt: skip
def test_reading_grade_tells_plain_from_dense_text(text, low, high):
    assert low <= reading_grade(text) <= high
    assert reading_grade("") == 0.0
