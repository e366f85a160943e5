"""Batches: one handout per CSV row, bad rows reported without stopping the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import DATE_ARG, Pdf, flat, run_python

from handouts.batch import run_batch
from handouts.build import BuildRequest
from handouts.cli import cli
from handouts.errors import InputError
from handouts.merge import merge_pdfs

CSV = (
    "patient,program,exercises,date,layout,paper,notes\n"
    "Jane Doe,sciatica-gentle,,2026-11-29,,,Walk daily.\n"
    "Jane Doe,sciatica-strength,,2026-11-29,compact,a4,\n"
    "Bob Smith,,glute-bridge hip-hinge,,,,\n"
    "Bad Row,,glute-brdge,,,,\n"
    "Bad Date,sciatica,,2026-13-01,,,\n"
    "../../etc/passwd,,pelvic-tilt,,,,\n"
)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    (folder / "patients.csv").write_text(CSV, encoding="utf-8")
    (folder / "out").mkdir()
    runner = CliRunner()
    args = ["batch", str(folder / "patients.csv"), "--out-dir", str(folder / "out"),
            "--jobs", "2", "--merge", str(folder / "print.pdf"), "--date", DATE_ARG]  # fmt: skip
    return folder, runner.invoke(cli, args)


def test_good_rows_are_written_and_bad_rows_reported(batch_run):
    folder, result = batch_run
    assert result.exit_code == 1
    assert sorted(p.name for p in (folder / "out").iterdir()) == [
        "0002-jane-doe-sciatica-gentle-2026-11-29.pdf",
        "0003-jane-doe-sciatica-strength-2026-11-29.pdf",
        "0004-bob-smith-handout-2026-11-29.pdf",
        "0007-etc-passwd-handout-2026-11-29.pdf",  # no path separators, no '..'
    ]
    assert (
        result.stdout
        == f"Wrote 4 handouts in {folder / 'out'}.\nWrote {folder / 'print.pdf'} with all of them, for printing.\n"
    )
    csv = folder / "patients.csv"
    assert result.stderr == (
        "2 rows failed:\n"
        f"  {csv}:5: unknown exercise 'glute-brdge'. Did you mean 'glute-bridge'? Run 'handouts list' to see them all.\n"
        f"  {csv}:6: date must be a real date like 2026-11-29, got '2026-13-01'\n"
    )


def test_each_row_gets_its_own_patient_program_layout_and_paper(batch_run):
    folder, _ = batch_run
    out = folder / "out"
    gentle = Pdf((out / "0002-jane-doe-sciatica-gentle-2026-11-29.pdf").read_bytes())
    assert "Gentle stretches for sciatica" in gentle.text and "Walk daily." in gentle.text
    compact = Pdf((out / "0003-jane-doe-sciatica-strength-2026-11-29.pdf").read_bytes())
    assert compact.pages[0].width == pytest.approx(595.28, abs=0.1)
    assert min(c["size"] for p in compact.pages for c in p.chars) == pytest.approx(12, abs=0.01)
    bob = Pdf((out / "0004-bob-smith-handout-2026-11-29.pdf").read_bytes())
    assert "For: Bob Smith" in flat(bob.text) and "1. Bridge" in flat(bob.text)


def test_merged_pdf_holds_every_handout_in_row_order(batch_run):
    folder, _ = batch_run
    merged = Pdf((folder / "print.pdf").read_bytes())
    parts = [Pdf(p.read_bytes()) for p in sorted((folder / "out").iterdir())]
    assert merged.page_count == sum(p.page_count for p in parts)
    assert merged.texts == [t for p in parts for t in p.texts]


def test_rerunning_gives_the_same_files(batch_run, tmp_path):
    folder, _ = batch_run
    before = {p.name: p.read_bytes() for p in (folder / "out").iterdir()}
    result = run_batch(
        folder / "patients.csv", folder / "out", BuildRequest(date=dt.date(2026, 11, 29)), jobs=1
    )
    assert len(result.written) == 4 and len(result.failed) == 2
    after = {p.name: p.read_bytes() for p in (folder / "out").iterdir()}
    assert after == before
    assert not [p for p in (folder / "out").iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "{csv}:1: the first row must name the columns: patient, program, exercises, choose, therapist, date, layout, paper, lang, notes, email, log_weeks, html",
        ),
        (
            "patient,progrm\nJane,sciatica\n",
            "{csv}:1: unknown column 'progrm' (did you mean 'program'?); the columns are: patient, program, exercises, choose, therapist, date, layout, paper, lang, notes, email, log_weeks, html",
        ),
        (
            "patient,notes\nJane,hello\n",
            "{csv}:1: a batch needs a 'program' or an 'exercises' column (or both)",
        ),
    ],
)
def test_a_bad_header_stops_the_batch_before_anything_is_built(tmp_path, text, message):
    csv = tmp_path / "patients.csv"
    csv.write_text(text, encoding="utf-8")
    (tmp_path / "out").mkdir()
    with pytest.raises(InputError) as caught:
        run_batch(csv, tmp_path / "out", BuildRequest())
    assert caught.value.format_message() == message.format(csv=csv)
    assert list((tmp_path / "out").iterdir()) == []


def test_row_problems_are_named_by_line(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text(
        "patient,program,paper,lang,log_weeks\n"
        "A,sciatica,b5,,\nB,sciatica,,fr,\nC,sciatica,,,99\nD,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "out").mkdir()
    result = run_batch(csv, tmp_path / "out", BuildRequest(), jobs=1)
    assert [o.problem for o in result.failed] == [
        f"{csv}:2: paper must be letter or a4, got 'b5'",
        f"{csv}:3: lang must be a language the library has (en, es), got 'fr'",
        f"{csv}:4: log_weeks must be a whole number from 0 to 12, got '99'",
        f"{csv}:5: give a program or exercises for this row",
    ]


def test_a_batch_collects_its_garbage_every_so_many_handouts(tmp_path, monkeypatch):
    """reportlab's documents are cyclic garbage that Python frees only on a full collection; a
    batch process runs one every COLLECT_EVERY handouts so that its memory stays flat."""
    import itertools

    from handouts import batch

    collected = []
    monkeypatch.setattr(batch.gc, "collect", lambda: collected.append(1))
    monkeypatch.setattr(batch, "COLLECT_EVERY", 2)
    monkeypatch.setattr(batch, "_made", itertools.count(1))
    csv = tmp_path / "p.csv"
    csv.write_text("patient,exercises\n" + "P,pelvic-tilt\n" * 5, encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = run_batch(csv, tmp_path / "out", BuildRequest(), jobs=1)
    assert len(result.written) == 5 and not result.failed
    assert len(collected) == 2  # as the 2nd and the 4th began


def test_an_output_folder_that_cannot_be_made_is_an_error(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("patient,program\nA,sciatica\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_batch(csv, tmp_path / "p.csv" / "out", BuildRequest())
    assert caught.value.format_message() == (
        f"{tmp_path / 'p.csv' / 'out'}: cannot make the folder: {csv} is not a folder"
    )
    with pytest.raises(InputError) as caught:
        run_batch(csv, csv, BuildRequest())
    assert (
        caught.value.format_message() == f"{csv}: is not a folder; give a folder for the handouts"
    )


def test_merge_keeps_order_of_the_given_pdfs(sciatica, unnamed):
    merged = Pdf(merge_pdfs([unnamed[1].data, sciatica[1].data]))
    assert merged.texts == unnamed[1].texts + sciatica[1].texts


def test_batch_is_quiet_when_not_on_a_terminal(tmp_path):
    (tmp_path / "p.csv").write_text("patient,program\nA,sciatica-gentle\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    done = run_python("-m", "handouts", "batch", "p.csv", "--out-dir", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar in a pipe
    assert done.stdout == "Wrote 1 handout in out.\n"
