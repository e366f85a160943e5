"""A broken exercise blocks only the handouts that use it; `check` for a clinic: quiet, the
languages the library file lists, and the plain-language warnings at their lines."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from handouts.check import check
from handouts.cli import cli
from handouts.load import load_library

FIGURE = """\
    figure:
      start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 90], far_leg: [0, 0, 90]}
      end: {torso: 180, head: 180, near_arm: [30, 75], far_arm: [35, 80], near_leg: [120, 10, 100], far_leg: [0, 0, 90]}
    captions: {start: Lying down, end: One knee up}
"""
BROKEN = (
    """\
exercises:
  - id: no-steps
    title: No steps
    purpose: Has none.
  - id: step-up
    title: Step up
    purpose: Builds strength.
    steps: [Step up onto the stair.]
"""
    + FIGURE
)
LEFT_OUT = (
    "Warning: 1 exercise of the library has problems and was left out: no-steps; "
    "'handouts check --library {path}' lists the problems\n"
)


def write(folder: Path, text: str) -> Path:
    path = folder / "ours.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_build_beside_a_broken_exercise_succeeds_with_one_warning(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    out = tmp_path / "out.pdf"
    result = run("build", "step-up", "glute-bridge", "--library", str(path), "-o", str(out),
                 "--date", "2026-11-29")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == LEFT_OUT.format(path=path)
    assert out.read_bytes().startswith(b"%PDF")
    listed = run("list", "--library", str(path))
    assert listed.stderr == LEFT_OUT.format(path=path)
    assert "step-up" in listed.stdout and "no-steps" not in listed.stdout


def test_a_build_that_uses_a_broken_exercise_fails_with_its_problems(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    message = f"Error: {path}:2: exercises[0] 'no-steps': steps is required (a list of text)\n"
    for args in (["no-steps"], ["No Steps"], ["--program", "mine"]):
        program = "programs: [{id: mine, title: Mine, exercises: [step-up, no-steps]}]\n"
        write(tmp_path, BROKEN + program)
        result = run("build", *args, "--library", str(path), "-o", str(tmp_path / "o.pdf"))
        assert (result.exit_code, result.stderr) == (2, message), args
        assert not (tmp_path / "o.pdf").exists()
    linked = BROKEN.replace("steps: [Step up onto the stair.]",
                            "steps: [Step up onto the stair.]\n    easier: [no-steps]")  # fmt: skip
    write(tmp_path, linked)  # its title would print in step-up's "Too hard?" line
    result = run("build", "step-up", "--library", str(path), "-o", str(tmp_path / "o.pdf"))
    assert (result.exit_code, result.stderr) == (2, message)


def test_check_lists_the_broken_exercise_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    result = run("check", "--library", str(path))
    assert result.exit_code == 1
    assert result.stdout == (
        "Problems (1):\n"
        f"  {path}:2: exercises[0] 'no-steps': steps is required (a list of text)\n"
        "1 problem; 1 exercise(s) left out. Checked exercises.yaml, ours.yaml, standard.yaml; "
        "no translations checked (list them in the library file: languages: [es], or give "
        "--lang).\n"
    )
    assert json.loads(run("check", "--library", str(path), "--json").stdout)["left_out"] == [
        "no-steps"
    ]


def test_a_file_broken_as_a_whole_still_stops_everything(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN + "programs: {id: mine}\n")
    result = run("build", "step-up", "--library", str(path), "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: 2 problems found:\n"
        f"  {path}:2: exercises[0] 'no-steps': steps is required (a list of text)\n"
        f"  {path}:13: programs must be a list, got a mapping (key: value pairs)\n"
    )


def test_a_cached_broken_exercise_is_fixed_when_its_photo_appears(
    tmp_path: Path, monkeypatch
) -> None:
    from conftest import make_png

    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    path = write(tmp_path, BROKEN.replace(FIGURE, "    images: {start: start.png}\n"))
    assert list(load_library(path).broken) == ["no-steps", "step-up"]
    assert list(load_library(path).broken) == ["no-steps", "step-up"]  # from the cache
    make_png(tmp_path / "start.png")
    assert list(load_library(path).broken) == ["no-steps"]


STEPS = f"""\
languages: [es]
exercises:
  - id: wall-sit
    title: Wall sit
    purpose: Builds strength in your thighs while supine.
    steps:
      - Stand with your back against a wall and then slide down.
      - Keep your thighs perpendicular to the wall. Hold it there.
      - Keep going down slowly, one small bit at a time, until your knees are bent about as far as a chair would bend them for you today.
{FIGURE}"""


def test_check_warns_of_hard_steps_and_jargon_at_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, STEPS)
    report = check(library=path, languages=["en"])
    where = "exercises[0] 'wall-sit'"
    assert report.problems == []
    assert report.warnings == [
        f"{path}:7: {where}: steps[0] may hold several actions ('and then'): give each action "
        "its own step",
        f"{path}:8: {where}: steps[1] may hold several actions (2 sentences): give each action "
        "its own step",
        f"{path}:9: {where}: steps[2] has 27 words: keep a step to about 25 (split it, or say "
        "it more simply)",
        f"{path}:5: {where}: purpose says 'supine': say 'on your back' (plain language)",
        f"{path}:8: {where}: steps[1] says 'perpendicular': say 'at a right angle' (plain "
        "language)",
    ]
    assert run("check", "--library", str(path), "--lang", "en").exit_code == 0
    strict = run("check", "--library", str(path), "--lang", "en", "--strict")
    assert strict.exit_code == 1 and "Warnings (5):" in strict.stdout
    data = json.loads(run("check", "--library", str(path), "--lang", "en", "--json").stdout)
    assert data["warnings"] == report.warnings


def test_check_warns_of_more_than_12_steps(tmp_path: Path) -> None:
    steps = "".join(f"      - Do part {n}.\n" for n in range(1, 14))
    text = STEPS.split("    steps:\n")[0] + "    steps:\n" + steps + FIGURE
    path = write(tmp_path, text.replace(" while supine", ""))
    assert check(library=path, languages=["en"]).warnings == [
        f"{path}:7: exercises[0] 'wall-sit': steps has 13 steps: more than 12 are hard to "
        "follow; split the exercise in two or leave some out"
    ]


def test_translations_are_problems_only_for_the_languages_the_file_lists(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, STEPS.replace("languages: [es]\n", ""))
    quiet = run("check", "--library", str(path))
    assert "no 'es' translation" not in quiet.stdout and quiet.exit_code == 0
    es = f"{path}:3: exercises[0] 'wall-sit': title has no 'es' translation"
    assert es in run("check", "--library", str(path), "--lang", "es").stdout
    listed = write(tmp_path, STEPS)
    result = run("check", "--library", str(listed))
    assert result.exit_code == 1
    assert f"  {listed}:4: exercises[0] 'wall-sit': title has no 'es' translation\n" in (
        result.stdout
    )
    assert result.stdout.endswith("translations checked: es (draft).\n")
    write(tmp_path, STEPS.replace("[es]", "[fr]"))
    unknown = run("check", "--library", str(listed))
    assert (
        f"  {listed}:1: languages[0] 'fr' is not a language of the library: add a languages: "
        "{fr: ...} entry with its name, status and labels\n"
    ) in unknown.stdout


def test_quiet_when_all_is_well_and_grades_on_request(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN.split("  - id: step-up")[0].replace(
        "  - id: no-steps\n    title: No steps\n    purpose: Has none.\n", "")
        + "  - id: step-up\n    title: Step up\n    purpose: Builds strength.\n"
        "    steps: [Step up onto the stair.]\n" + FIGURE)  # fmt: skip
    result = run("check", "--library", str(path), "--strict")
    assert (result.exit_code, result.stdout) == (0, (
        "No problems found. Checked exercises.yaml, ours.yaml, standard.yaml; no translations "
        "checked (list them in the library file: languages: [es], or give --lang).\n"))  # fmt: skip
    graded = run("check", "--library", str(path), "--grades").stdout
    assert graded.startswith("Reading level (Flesch-Kincaid grade; 8 or lower, aim for 6):\n")
    assert f"exercise 'step-up' ({path}:2)" in graded


def test_the_plain_words_list_is_real_jargon_with_plainer_choices() -> None:
    words = yaml.safe_load(
        (Path(__file__).parent.parent / "handouts" / "plain-words.yaml").read_text()
    )
    assert len(words) >= 30
    assert words["perpendicular"] == "at a right angle" and words["pronated"] == "palms down"
    assert all(isinstance(v, str) and v and v.lower() != k for k, v in words.items())
