"""Prescriptions that rebuild themselves: an rx file names its brand, library and layout
(relative to itself); `rx new` writes the ones it was given and a file that builds once a patient
is typed; --weeks 0, --no-log, --no-email, ids and --program combine with the file as the README
says."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DATE_ARG, Pdf, flat, leftovers, new_folder

from handouts.cli import cli


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def invoke(args: list[str], folder: Path):
    with new_folder(folder) as here:
        return CliRunner().invoke(cli, args), here


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A clinic folder with its brand, its library and its own layout."""
    folder = tmp_path / "clinic"
    write(folder / "brand.yaml", "name: Riverside Physical Therapy\nemail: desk@example.org\n")
    write(
        folder / "ours.yaml",
        """\
        version: 1
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength in your thighs.
            steps: [Stand with your back against a wall., Slide down a little.]
        programs:
          - id: knees
            title: Exercises for your knees
            intro: Do these slowly.
            exercises: [wall-sit, glute-bridge]
        """,
    )
    write(folder / "layouts" / "big.yaml", "extends: compact\nname: big\nsizes: {body: 14}\n")
    return folder


def test_a_prescription_naming_its_files_rebuilds_from_anywhere(files: Path, tmp_path) -> None:
    rx = write(
        files / "patients" / "jane.yaml",
        """\
        patient: Jane Doe
        brand: ../brand.yaml
        library: ../ours.yaml
        layout: ../layouts/big.yaml
        program: knees
        date: 2026-11-29
        """,
    )
    result, here = invoke(["build", "--rx", str(rx), "-o", "jane.pdf"], tmp_path)
    assert result.exit_code == 0, result.output
    text = flat(Pdf((here / "jane.pdf").read_bytes()).text)
    assert "Riverside Physical Therapy" in text and "Exercises for your knees" in text
    assert "1. Wall sit" in text and "2. Bridge" in text
    # the layout file: compact cards at 14 pt, as the file says
    words = Pdf((here / "jane.pdf").read_bytes()).pages[0].words
    assert any(round(w["size"]) == 14 for w in words)


def test_options_typed_win_over_the_files_a_prescription_names(files: Path, tmp_path) -> None:
    other = write(files / "other.yaml", "name: Hillside Clinic\n")
    rx = write(files / "jane.yaml", "patient: Jane\nbrand: brand.yaml\nlibrary: ours.yaml\n"
               "program: knees\n")  # fmt: skip
    result, here = invoke(
        ["build", "--rx", str(rx), "--brand", str(other), "-o", "j.pdf"], tmp_path
    )
    assert result.exit_code == 0, result.output
    text = Pdf((here / "j.pdf").read_bytes()).text
    assert "Hillside Clinic" in text and "Riverside" not in text
    # a library typed replaces the file's: its exercises are checked against that one
    plain = write(files / "plain.yaml", "version: 1\n")
    result, _ = invoke(["build", "--rx", str(rx), "--library", str(plain)], tmp_path)
    assert result.exit_code == 2
    assert "program names an unknown program 'knees'" in result.stderr


def test_a_prescription_naming_a_missing_file(files: Path, tmp_path: Path) -> None:
    rx = write(files / "jane.yaml", "patient: Jane\nlibrary: gone.yaml\nbrand: nope.yaml\n"
               "program: knees\nexercises: [wall-sit]\n")  # fmt: skip
    result, here = invoke(["build", "--rx", str(rx)], tmp_path)
    assert result.exit_code == 2
    # only the files: the exercises cannot be checked without the library it names
    assert result.stderr == (
        "Error: 2 problems found:\n"
        f"  {rx}:2: library 'gone.yaml' was not found (looked for {files / 'gone.yaml'})\n"
        f"  {rx}:3: brand 'nope.yaml' was not found (looked for {files / 'nope.yaml'})\n"
    )
    assert leftovers(here) == []


def test_rx_new_writes_the_files_it_was_given_relative_to_itself(files, tmp_path) -> None:
    args = ["rx", "new", "--program", "knees", "--patient", "Jane Doe",
            "--library", str(files / "ours.yaml"), "--brand", str(files / "brand.yaml"),
            "--layout", str(files / "layouts" / "big.yaml"), "-o", "patients/jane.yaml"]  # fmt: skip
    with new_folder(tmp_path) as here:
        (here / "patients").mkdir()
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        data = yaml.safe_load((here / "patients" / "jane.yaml").read_text(encoding="utf-8"))
    relative = Path("..") / ".." / "clinic"
    assert data["library"] == (relative / "ours.yaml").as_posix()
    assert data["brand"] == (relative / "brand.yaml").as_posix()
    assert data["layout"] == (relative / "layouts" / "big.yaml").as_posix()
    moved = here / "patients" / "jane.yaml"
    result, there = invoke(["build", "--rx", str(moved), "-o", "jane.pdf"], tmp_path)
    assert result.exit_code == 0, result.output
    text = Pdf((there / "jane.pdf").read_bytes()).text
    assert "Riverside Physical Therapy" in text and "Wall sit" in text


def test_rx_new_names_a_built_in_layout_and_only_what_was_typed(files, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "HANDOUTS_CONFIG", str(write(files / "settings.yaml", "library: ours.yaml\n"))
    )
    result, here = invoke(["rx", "new", "--program", "knees", "--layout", "compact"], tmp_path)
    assert result.exit_code == 0, result.output
    text = (here / "rx-knees.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["layout"] == "compact" and data["program"] == "knees"
    assert "library" not in data and "brand" not in data  # the settings' library is not written
    assert "# library: ours.yaml" in text and "# brand: clinic.yaml" in text


def test_rx_new_refuses_a_missing_or_unknown_file_before_writing(files, tmp_path) -> None:
    result, here = invoke(["rx", "new", "--brand", "nope.yaml"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "Error: nope.yaml: brand file not found\n"
    result, here = invoke(["rx", "new", "--layout", "compakt"], tmp_path)
    assert result.exit_code == 2 and "compakt" in result.stderr
    assert list(here.iterdir()) == []


def test_rx_new_without_a_patient_builds_once_one_is_typed(tmp_path: Path) -> None:
    result, here = invoke(["rx", "new", "--program", "sciatica-gentle"], tmp_path)
    assert result.exit_code == 0, result.output
    rx = here / "rx-sciatica-gentle.yaml"
    assert 'patient: ""' in rx.read_text(encoding="utf-8")
    result, there = invoke(["build", "--rx", str(rx)], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {rx}:6: patient is empty: write the patient's name here, or give --patient NAME\n"
    )
    assert leftovers(there) == []
    result, there = invoke(["build", "--rx", str(rx), "--patient", "Jane Doe", "-o", "j.pdf"],
                           tmp_path)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "For: Jane Doe" in flat(Pdf((there / "j.pdf").read_bytes()).text)
    # typed empty, on purpose: a line to write the name on, as without --rx
    result, there = invoke(["build", "--rx", str(rx), "--patient", "", "-o", "k.pdf"], tmp_path)
    assert result.exit_code == 0, result.output


def test_a_prescription_without_a_patient_line(tmp_path: Path) -> None:
    rx = write(tmp_path / "rx.yaml", "program: sciatica\n")
    result, _ = invoke(["build", "--rx", str(rx)], tmp_path)
    assert result.stderr == (
        f"Error: {rx}:1: patient is required: write the patient's name here, or give --patient "
        "NAME\n"
    )


RX = """\
    patient: Jane Doe
    date: 2026-11-29
    program: sciatica-strength
    exercises:
      - glute-bridge
      - id: hip-hinge
        dose: {reps: 8}
    log_weeks: 2
    email: jane@example.org
    """


def build(tmp_path: Path, *extra: str) -> tuple[object, Path]:
    brand = write(tmp_path / "brand.yaml", "name: Riverside\nemail: desk@example.org\n")
    rx = write(tmp_path / "rx.yaml", RX)
    args = ["build", "--rx", str(rx), "--brand", str(brand), "--dry-run", "-o", "j.pdf", *extra]
    return invoke(args, tmp_path)


@pytest.mark.parametrize("option", [["--weeks", "0"], ["--no-log"]])
def test_weeks_0_or_no_log_removes_the_files_log(tmp_path: Path, option: list[str]) -> None:
    result, here = build(tmp_path, "--no-email", *option)
    assert result.exit_code == 0, result.output
    assert "My exercise log" not in Pdf((here / "j.pdf").read_bytes()).text
    result, here = build(tmp_path, "--no-email")
    assert flat(Pdf((here / "j.pdf").read_bytes()).text).count("My exercise log: week") == 2
    result, here = build(tmp_path, "--no-email", "--weeks", "3")
    assert flat(Pdf((here / "j.pdf").read_bytes()).text).count("My exercise log: week") == 3


def test_weeks_0_without_a_prescription_is_no_log(tmp_path: Path) -> None:
    result, here = invoke(["build", "glute-bridge", "--weeks", "0", "-o", "a.pdf"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "My exercise log" not in Pdf((here / "a.pdf").read_bytes()).text


def test_log_and_weeks_that_disagree(tmp_path: Path) -> None:
    for options, shown in ((["--log", "--weeks", "0"], "--log and --weeks 0"),
                           (["--no-log", "--weeks", "2"], "--no-log and --weeks 2")):  # fmt: skip
        result, here = build(tmp_path, *options)
        assert result.exit_code == 2
        assert f"Error: {shown} disagree: give one of them" in result.stderr
        assert leftovers(here) == []


def test_no_email_skips_the_files_email(tmp_path: Path) -> None:
    result, here = build(tmp_path)
    assert result.stdout == "Wrote j.pdf\nWrote j.eml (the email, not sent)\n"
    result, here = build(tmp_path, "--no-email")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Wrote j.pdf\n"
    assert sorted(p.name for p in here.iterdir()) == ["j.pdf"]
    result, here = build(tmp_path, "--no-email", "--email", "ann@example.org")
    assert result.exit_code == 2 and "--email and --no-email: give one of them" in result.stderr


def test_ids_typed_are_added_after_the_files_exercises(tmp_path: Path) -> None:
    result, here = build(tmp_path, "--no-email", "pelvic-tilt")
    assert result.exit_code == 0, result.output
    text = flat(Pdf((here / "j.pdf").read_bytes()).text).split("My exercise log")[0]
    assert "Strength exercises for sciatica" in text  # the file's program still titles it
    assert text.index("1. Bridge") < text.index("2. Hip hinge") < text.index("3. Pelvic tilt")
    assert "Do this 8 times in a row" in text  # the file's dose stays


def test_a_program_typed_replaces_the_files_program_and_exercises(tmp_path: Path) -> None:
    result, here = build(tmp_path, "--no-email", "--program", "sciatica-gentle", "glute-bridge")
    assert result.exit_code == 0, result.output
    text = flat(Pdf((here / "j.pdf").read_bytes()).text).split("My exercise log")[0]
    assert "Gentle stretches for sciatica" in text and "For: Jane Doe" in text
    assert "Hip hinge" not in text  # the file's list is gone with its program
    assert text.index("Pelvic tilt") < text.index("Bridge")  # the typed ids after the program
    assert DATE_ARG and "November 29, 2026" in text  # the rest still comes from the file
