"""Names are unambiguous: a clinic's exercise whose name is a built-in's wins it (and `check`
says so); two of the clinic's own exercises with one name is an error at the second's line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.check import check
from handouts.cli import cli
from handouts.compose import compose, find_exercise
from handouts.errors import ValidationError
from handouts.load import load_library
from handouts.load.brand import DEFAULT_BRAND
from handouts.names import key, names_of

FIGURE = """\
    figure:
      start: {torso: 180, head: 180, near_arm: [-3, 0], far_arm: [-3, 0], near_leg: [0, 0, 90], far_leg: [0, 0, 90]}
      end: {torso: 180, head: 180, near_arm: [30, 75], far_arm: [35, 80], near_leg: [120, 10, 100], far_leg: [0, 0, 90]}
    captions: {start: Lying down, end: One knee up}
"""
IMPORTED = f"""\
exercises:
  - id: childs-pose-imported
    title: Child's Pose
    aliases: [Split Squats]
    purpose: Stretches your back.
    steps: [Kneel on the floor.]
{FIGURE}"""


def write(folder: Path, text: str) -> Path:
    path = folder / "ours.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def builtin_line(exercise_id: str) -> int:
    return int(load_library().exercises[exercise_id].origin.rpartition(":")[2])


def test_a_clinic_name_that_was_a_builtin_name_finds_the_clinic_exercise(tmp_path: Path) -> None:
    path = write(tmp_path, IMPORTED)
    library = load_library(path)
    assert find_exercise(library, "Child's Pose").id == "childs-pose-imported"
    assert find_exercise(library, "child's  pose").id == "childs-pose-imported"
    assert find_exercise(library, "split squats").id == "childs-pose-imported"
    assert find_exercise(library, "child-pose").id == "child-pose"  # an id finds its own
    assert find_exercise(library, "split-squat").id == "split-squat"
    assert find_exercise(library, "bulgarian split squat").id == "split-squat"  # not shared
    child, split = builtin_line("child-pose"), builtin_line("split-squat")
    assert check(library=path).warnings == [
        f"{path}:3: exercises[0] 'childs-pose-imported': title 'Child's Pose' is also a name of "
        f"child-pose (built-in exercises.yaml:{child}); it now finds this exercise "
        "('child-pose' still finds the built-in one)",
        f"{path}:4: exercises[0] 'childs-pose-imported': aliases[0] 'Split Squats' is also a "
        f"name of split-squat (built-in exercises.yaml:{split}); it now finds this exercise "
        "('split-squat' still finds the built-in one)",
    ]
    handout = compose(library, DEFAULT_BRAND, ids=["Split Squats"], date=dt.date(2026, 11, 29))
    assert [item.exercise.title for item in handout.items] == ["Child's Pose"]
    shown = CliRunner().invoke(cli, ["show", "Child's Pose", "--library", str(path)])
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Child's Pose  (childs-pose-imported)\n")
    builtin = CliRunner().invoke(cli, ["show", "child-pose", "--library", str(path)])
    assert builtin.stdout.startswith("Child's pose  (child-pose)\n")


def test_a_clinic_name_that_is_a_builtin_id_spelled_otherwise_wins_too(tmp_path: Path) -> None:
    path = write(tmp_path, IMPORTED.replace("[Split Squats]", "[Hip Hinge]"))
    library = load_library(path)
    assert find_exercise(library, "Hip Hinge").id == "childs-pose-imported"
    assert find_exercise(library, "hip-hinge").id == "hip-hinge"
    assert (
        f"{path}:4: exercises[0] 'childs-pose-imported': aliases[0] 'Hip Hinge' is also the id "
        f"of hip-hinge (built-in exercises.yaml:{builtin_line('hip-hinge')}); it now finds this "
        "exercise ('hip-hinge' still finds the built-in one)"
    ) in check(library=path).warnings


def test_two_clinic_exercises_with_one_name_is_an_error_at_the_second(tmp_path: Path) -> None:
    text = (
        IMPORTED
        + (
            "  - id: kneeling-stretch\n"
            "    title: Kneeling stretch\n"
            "    aliases: [child's pose]\n"
            "    purpose: Stretches your back.\n"
            "    steps: [Kneel on the floor.]\n"
        )
        + FIGURE
    )
    path = write(tmp_path, text)
    library = load_library(path)
    expected = (
        f"{path}:13: exercises[1] 'kneeling-stretch': aliases[0] 'child's pose' is already a "
        f"name of childs-pose-imported ({path}:2): give one of them another name"
    )
    assert library.broken == {"kneeling-stretch": (expected,)}
    with pytest.raises(ValidationError) as caught:
        find_exercise(library, "kneeling stretch")
    assert caught.value.format_message() == expected
    assert find_exercise(library, "Child's Pose").id == "childs-pose-imported"
    assert expected in check(library=path).problems
    result = CliRunner().invoke(cli, ["build", "kneeling-stretch", "--library", str(path),
                                      "-o", str(tmp_path / "out.pdf")])  # fmt: skip
    assert (result.exit_code, result.stderr) == (2, f"Error: {expected}\n")
    assert not (tmp_path / "out.pdf").exists()


def test_a_clinic_title_that_is_another_clinic_id_is_an_error(tmp_path: Path) -> None:
    text = IMPORTED + (
        "  - id: wall-sit\n"
        "    title: Childs Pose Imported\n"
        "    purpose: Strong thighs.\n"
        "    steps: [Sit against a wall.]\n"
    )
    path = write(tmp_path, text)
    assert load_library(path).broken == {
        "wall-sit": (
            f"{path}:12: exercises[1] 'wall-sit': title 'Childs Pose Imported' is already the id "
            f"of childs-pose-imported ({path}:2): give one of them another name",
        )
    }


def test_the_builtin_library_has_one_exercise_for_every_name() -> None:
    library = load_library()
    assert library.broken == {} and library.name_warnings == ()
    for e in library.exercises.values():
        for _, _, name in [((), "id", e.id), *names_of(e)]:
            assert library.names[key(name)] == e.id, name
    assert find_exercise(library, "Postura del niño").id == "child-pose"  # a translated title
    assert find_exercise(library, "Bridge").id == "glute-bridge"  # a title is a name too


def test_a_clinic_copy_of_a_builtin_exercise_keeps_its_names_without_a_warning(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, IMPORTED.replace("childs-pose-imported", "child-pose"))
    library = load_library(path)
    assert not [w for w in library.name_warnings if "of child-pose" in w]  # its own names
    assert find_exercise(library, "split squats").id == "child-pose"
    assert library.exercises["child-pose"].title == "Child's Pose"
