"""Prescriptions: `handouts rx new` writes a starting file; `handouts build --rx` reads it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import Pdf, flat, leftovers, new_folder

from handouts.cli import cli
from handouts.errors import ValidationError
from handouts.load.library import load_library
from handouts.load.rx import load_prescription
from handouts.model import Dose


def invoke(args: list[str], folder: Path):
    with new_folder(folder) as here:
        result = CliRunner().invoke(cli, args)
        return result, here


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


RX = """\
    patient: Jane Doe
    therapist: Sam Lee, PT
    date: 2026-11-29
    layout: compact
    paper: a4
    program: sciatica-strength
    exercises:
      - glute-bridge
      - id: hip-hinge
        dose: {reps: 8, sets: 3}
        notes: Keep the weight light.
    notes: |
      Walk 10 minutes a day.
    log_weeks: 2
    email: jane@example.org
    """


def test_a_prescription_loads_with_doses_and_notes(tmp_path):
    rx = load_prescription(write(tmp_path, "rx.yaml", RX), load_library())
    assert (rx.patient, rx.therapist, rx.date.isoformat()) == (
        "Jane Doe",
        "Sam Lee, PT",
        "2026-11-29",
    )
    assert (rx.layout, rx.paper, rx.program, rx.log_weeks) == (
        "compact",
        "a4",
        "sciatica-strength",
        2,
    )
    assert [c.id for c in rx.choices] == ["glute-bridge", "hip-hinge"]
    assert rx.choices[1].dose == Dose(reps=8, sets=3)
    assert rx.choices[1].notes == "Keep the weight light."
    assert rx.notes == "Walk 10 minutes a day."
    assert rx.email == "jane@example.org"


def test_build_from_a_prescription_prints_it(tmp_path):
    rx = write(tmp_path, "rx.yaml", RX)
    brand = write(tmp_path, "brand.yaml", "name: Riverside PT\nemail: desk@example.org\n")
    args = ["build", "--rx", str(rx), "-o", "jane.pdf", "--dry-run", "--brand", str(brand)]
    result, here = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output == "Wrote jane.pdf\nWrote jane.eml (the email, not sent)\n"
    assert "To: jane@example.org" in (here / "jane.eml").read_text()
    pdf = Pdf((here / "jane.pdf").read_bytes())
    text = flat(pdf.text)
    assert pdf.page_count >= 2 and pdf.pages[0].width == pytest.approx(595.28, abs=0.1)  # a4
    assert "Strength exercises for sciatica" in text  # the program's title
    assert "For: Jane Doe" in text and "Sam Lee, PT" in text and "November 29, 2026" in text
    # only the prescribed exercises, in the prescribed order
    assert text.index("1. Bridge") < text.index("2. Hip hinge")
    assert "Squat with a band" not in text.split("My exercise log")[0]
    assert "Do this 8 times in a row. That is 1 set. Do 3 sets" in text
    assert "Your therapist says: Keep the weight light." in text
    assert "Walk 10 minutes a day." in text
    assert text.count("My exercise log: week") == 2


def test_command_line_options_win_over_the_prescription(tmp_path):
    rx = write(tmp_path, "rx.yaml", RX.replace("    email: jane@example.org\n", ""))
    args = ["build", "--rx", str(rx), "--patient", "John Roe", "--paper", "letter",
            "--layout", "standard", "--date", "2026-12-01", "-o", "john.pdf"]  # fmt: skip
    result, here = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    pdf = Pdf((here / "john.pdf").read_bytes())
    text = flat(pdf.text)
    assert "For: John Roe" in text and "Jane Doe" not in text
    assert "December 1, 2026" in text
    assert pdf.pages[0].width == pytest.approx(612)
    assert "Keep the weight light." in text  # the rest still comes from the file


def test_a_bad_prescription_reports_every_problem(tmp_path):
    rx = write(
        tmp_path,
        "rx.yaml",
        """\
        patient: Jane
        date: 2026-13-01
        lang: fr
        layout: compakt
        program: sciatika
        exercises:
          - glute-brige
          - {id: hip-hinge, dose: {reps: ten}, colour: red}
          - {id: pigeon-pose, variant_of: knee-to-opposite-shoulder}
        email: not-an-address
        log_weeks: 20
        """,
    )
    with pytest.raises(ValidationError) as caught:
        load_prescription(rx, load_library())
    assert caught.value.problems == [
        f"{rx}:2: date must be a date like 2026-11-29, got '2026-13-01'",
        f"{rx}:3: lang must be one of en, es, got 'fr'",
        f"{rx}:4: layout must be one of compact, large-print, standard or a layout file, got 'compakt' (did you mean 'compact'?)",
        f"{rx}:5: program names an unknown program 'sciatika' (did you mean 'sciatica'?); the programs are: sciatica, sciatica-gentle, sciatica-strength",
        f"{rx}:7: exercises[0].id names an unknown exercise 'glute-brige' (did you mean 'glute-bridge'?)",
        f"{rx}:8: exercises[1].colour is not a known key; expected one of: id, variant_of, dose, notes",
        f"{rx}:8: exercises[1].dose.reps must be a whole number, got 'ten'",
        f"{rx}:9: exercises[2] variant_of must name an exercise listed before it, got 'knee-to-opposite-shoulder'",
        f"{rx}:10: email must be one email address like jane@example.org, got 'not-an-address'",
        f"{rx}:11: log_weeks must be from 0 to 12, got 20",
    ]
    result, here = invoke(["build", "--rx", str(rx)], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 10 problems found:")
    assert leftovers(here) == []


def test_a_missing_prescription_is_one_message(tmp_path):
    result, here = invoke(["build", "--rx", "nope.yaml"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "Error: nope.yaml: prescription not found\n"
    assert leftovers(here) == []


def test_rx_new_writes_a_commented_file_that_builds(tmp_path):
    result, here = invoke(
        ["rx", "new", "--program", "sciatica", "--patient", 'Ann "A" Lee'], tmp_path
    )
    assert result.exit_code == 0, result.output
    path = here / "rx-sciatica-ann-a-lee.yaml"
    assert result.output == f"Wrote {path.name}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A prescription for handouts.")
    assert '# dose: {hold: 30, reps: 3, times_per_day: 2, days_per_week: 7, side: "each"}' in text
    assert "# lang: en                 # the language to print in: en, es" in text.splitlines()
    # uncommented, the line prints the handout in Spanish
    spanish = path.with_name("es.yaml")
    spanish.write_text(text.replace("# lang: en", "lang: es"), encoding="utf-8")
    assert load_prescription(spanish, load_library()).lang == "es"
    data = yaml.safe_load(text)
    assert data["patient"] == 'Ann "A" Lee'
    assert [e["id"] for e in data["exercises"]][:2] == ["knee-to-opposite-shoulder", "pigeon-pose"]
    rx = load_prescription(path, load_library())
    assert len(rx.choices) == 9 and rx.choices[1].variant_of == "knee-to-opposite-shoulder"
    again, _ = invoke(["rx", "new", "-o", str(path)], tmp_path)
    assert again.exit_code == 2
    assert again.stderr == f"Error: {path}: already exists; give another name with -o\n"
