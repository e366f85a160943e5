"""Batches that finish: options wrong for every row refused up front, a row that fails
unexpectedly fails alone, a merge that streams, an output folder made when missing, no orphan
process or temporary file after a signal, and time linear in the length of any text."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import DATE, DATE_ARG, Pdf, flat

from handouts import batch
from handouts.batch import read_rows, run_batch
from handouts.build import BuildRequest, make_handout
from handouts.cli import cli
from handouts.merge import merge_into, merge_pdfs, write_merged

OUT_NAME = "0002-jane-doe-sciatica-gentle-2026-11-29.pdf"


def invoke(*args: str):
    return CliRunner().invoke(cli, ["batch", *args])


def csv_file(folder: Path, text: str, name: str = "p.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- refused up front --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "first", "second", "name"),
    [
        ("patient,program,patient", 1, 3, "patient"),
        ("patient,program, Patient ", 1, 3, "patient"),
        ("Program,exercises,PROGRAM,notes", 1, 3, "program"),
    ],
)
def test_a_column_named_twice_stops_the_batch(tmp_path, header, first, second, name):
    csv = csv_file(tmp_path, f"{header}\nJane,sciatica,Bob\n")
    result = invoke(str(csv), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {csv}:1: the column '{name}' is named twice (columns {first} and {second}; "
        "case and spaces do not count): name each column once\n"
    )
    assert not (tmp_path / "out").exists()  # not even the folder


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            ["--layout", "nope"],
            "--layout: unknown layout 'nope'; choose one of: compact, large-print, "
            "standard (or give a layout file's path)",
        ),  # fmt: skip
        (["--brand", "nope.yaml"], "nope.yaml: brand file not found"),
        (["--library", "nope.yaml"], "nope.yaml: library file not found"),
        (
            ["--lang", "fr"],
            "--lang: the library has no language 'fr'; it has: en (English), es (Español). "
            "A clinic adds one with a 'languages:' entry and 'translations:' in its library file "
            "(see the README).",
        ),  # fmt: skip
        (["--date", "2026-13-01"], None),
    ],
)
def test_an_option_bad_for_every_row_stops_the_batch(tmp_path, monkeypatch, option, message):
    monkeypatch.chdir(tmp_path)
    csv_file(tmp_path, "patient,program\nJane,sciatica\nBob,sciatica\n")
    result = invoke("p.csv", "--out-dir", "out", *option)
    assert result.exit_code == 2, result.output
    if message is not None:
        assert result.stderr == f"Error: {message}\n"
    else:
        assert "expected a date like 2026-11-29 (YYYY-MM-DD), got '2026-13-01'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_layout_file_stops_the_batch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    csv_file(tmp_path, "patient,program\nJane,sciatica\n")
    result = invoke("p.csv", "--out-dir", "out", "--layout", "mine.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --layout: mine.yaml: ") and result.stderr[-1] == "\n"
    assert result.stderr.count("\n") == 1 and "row" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_layout_file_option_is_found_from_here_not_from_the_csv(tmp_path, monkeypatch):
    """`--layout layouts/mine.yaml` is a path from the current folder, as in build; only a
    layout named in the CSV's column is looked for next to the CSV."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "mine.yaml").write_text("extends: compact\n", encoding="utf-8")
    (tmp_path / "rows").mkdir()
    csv_file(tmp_path / "rows", "patient,program\nJane Doe,sciatica-gentle\n")
    result = invoke("rows/p.csv", "--out-dir", "out", "--layout", "layouts/mine.yaml",
                    "--date", DATE_ARG)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / OUT_NAME).is_file()


def test_a_column_value_bad_for_one_row_stays_that_rows_problem(tmp_path):
    csv = csv_file(tmp_path, "patient,program,layout,lang\nJane Doe,sciatica-gentle,,\n"
                             "Bob,sciatica,nope,\nAl,sciatica,,fr\n")  # fmt: skip
    result = invoke(str(csv), "--out-dir", str(tmp_path / "out"), "--date", DATE_ARG)
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [OUT_NAME]
    assert result.stderr == (
        "2 rows failed:\n"
        f"  {csv}:3: unknown layout 'nope'; choose one of: compact, large-print, standard (or "
        "give a layout file's path)\n"
        f"  {csv}:4: lang must be a language the library has (en, es), got 'fr'\n"
    )


def test_a_language_code_in_any_case_works_as_in_build(tmp_path, monkeypatch):
    """build takes --lang ES (language_of: any case); a batch does too, in the option and in
    the column, and prints the same handout as with 'es'."""
    monkeypatch.chdir(tmp_path)
    built = CliRunner().invoke(cli, ["build", "--program", "sciatica-gentle", "--patient",
                                     "Jane Doe", "--lang", "ES", "--date", DATE_ARG, "-o", "b.pdf"])  # fmt: skip
    assert built.exit_code == 0, built.output
    csv_file(
        tmp_path, "patient,program,lang\nJane Doe,sciatica-gentle,\nJane Doe,sciatica-gentle,Es\n"
    )
    result = invoke("p.csv", "--out-dir", "out", "--lang", "ES", "--date", DATE_ARG)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    first, second = sorted(out.iterdir())
    reference = (tmp_path / "b.pdf").read_bytes()
    assert first.read_bytes() == reference and second.read_bytes() == reference
    assert "Para: Jane Doe" in flat(Pdf(reference).text)  # in Spanish


def test_the_merged_pdf_never_replaces_a_file_the_batch_reads_or_writes(tmp_path):
    text = "patient,program\nJane Doe,sciatica-gentle\n"
    csv = csv_file(tmp_path, text)
    out = tmp_path / "out"
    result = invoke(str(csv), "--out-dir", str(out), "--merge", str(csv))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {csv}: is the batch file this batch reads; give another name for the merged PDF\n"
    )
    assert csv.read_text(encoding="utf-8") == text and not out.exists()
    target = out / OUT_NAME
    result = invoke(str(csv), "--out-dir", str(out), "--merge", str(target), "--date", DATE_ARG)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {target}: is the handout of line 2 of this batch; give another name for the "
        "merged PDF\n"
    )


# -- a row that fails unexpectedly fails alone ------------------------------------------------
ROWS = (
    "patient,program,notes\n"
    "Ann Alpha,sciatica-gentle,\n"
    'Zed Secret,sciatica-gentle,"two\nlines"\n'
    "Cy Gamma,sciatica-gentle,\n"
)


def failing_build(how):
    real = batch.build

    def fake(request):
        if request.patient == "Zed Secret":
            how()
        return real(request)

    return fake


def crash():
    raise KeyError("Zed Secret")  # an exception whose text holds the name


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_error_fails_its_row_only(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(batch, "build", failing_build(crash))  # (workers fork: they see it)
    monkeypatch.delenv("HANDOUTS_DEBUG", raising=False)
    csv = csv_file(tmp_path, ROWS + "Dee Delta,sciatica-gentle,\n")
    out, merged = tmp_path / "out", tmp_path / "print.pdf"
    result = invoke(str(csv), "--out-dir", str(out), "--jobs", jobs, "--merge", str(merged),
                    "--date", DATE_ARG)  # fmt: skip
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "0002-ann-alpha-sciatica-gentle-2026-11-29.pdf",
        "0005-cy-gamma-sciatica-gentle-2026-11-29.pdf",
        "0006-dee-delta-sciatica-gentle-2026-11-29.pdf",
    ]
    assert result.stdout == (
        f"Wrote 3 handouts in {out}.\nWrote {merged} with all of them, for printing.\n"
    )
    assert result.stderr == (
        "1 row failed:\n"
        f"  {csv}:3: internal error (KeyError); no handout was written. Run again with "
        "HANDOUTS_DEBUG=1 to see the details.\n"
    )
    assert "Secret" not in result.output and "Nothing was written" not in result.output
    assert (
        Pdf(merged.read_bytes()).page_count
        == 3 * Pdf((out / os.listdir(out)[0]).read_bytes()).page_count
    )


def test_a_worker_that_dies_fails_its_row_only(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "build", failing_build(lambda: os._exit(3)))
    csv = csv_file(tmp_path, ROWS + "".join(f"P{n},sciatica-gentle,\n" for n in range(6)))
    out, merged = tmp_path / "out", tmp_path / "print.pdf"
    result = run_batch(csv, out, BuildRequest(date=DATE), jobs=2, merge=merged)
    assert [o.line for o in result.written] == [2, 5, 6, 7, 8, 9, 10, 11]
    assert [o.problem for o in result.failed] == [
        f"{csv}:3: internal error: the process building this row stopped (it crashed or was "
        "killed); no handout was written."
    ]
    assert len(list(out.iterdir())) == 8 and result.merged == merged
    parts = [Pdf(o.path.read_bytes()) for o in result.written]
    assert Pdf(merged.read_bytes()).texts == [t for p in parts for t in p.texts]


def test_a_merge_that_fails_is_reported_with_the_handouts_written(tmp_path, monkeypatch):
    import handouts.merge

    def broken(paths, target, **options):
        raise RuntimeError("Ann Alpha")

    monkeypatch.setattr(handouts.merge, "write_merged", broken)
    csv = csv_file(tmp_path, "patient,program\nAnn Alpha,sciatica-gentle\n")
    merged = tmp_path / "print.pdf"
    result = invoke(str(csv), "--out-dir", str(tmp_path / "out"), "--merge", str(merged))
    assert result.exit_code == 1
    assert result.stdout == f"Wrote 1 handout in {tmp_path / 'out'}.\n"
    assert result.stderr == (
        f"Error: {merged}: the merged PDF could not be written: internal error (RuntimeError)\n"
    )
    assert not merged.exists()


def test_a_row_is_named_by_the_line_it_starts_on(tmp_path):
    csv = csv_file(tmp_path, 'patient,program,notes\nAnn,sciatica,"one\n\ntwo\nthree"\n\n'
                             "Bob,nope-program,\nCy,sciatica,x\n")  # fmt: skip
    rows = read_rows(csv, BuildRequest(date=DATE), tmp_path)
    assert [r.line for r in rows] == [2, 7, 8]  # (csv's line_num: 5, 7, 8)
    assert rows[0].request.notes == "one\n\ntwo\nthree"
    assert rows[0].request.output.name == "0002-ann-sciatica-2026-11-29.pdf"


def test_a_400_kb_note_is_read(tmp_path):
    note = "Walk every day. " * 25_000
    csv = csv_file(tmp_path, f'patient,program,notes\nAnn,sciatica,"{note}"\n')
    (row,) = read_rows(csv, BuildRequest(date=DATE), tmp_path)
    assert row.request.notes == note.strip()


# -- the output folder -------------------------------------------------------------------------
def test_a_missing_output_folder_is_made_private(tmp_path):
    csv = csv_file(tmp_path, "patient,program\nJane Doe,sciatica-gentle\n")
    out = tmp_path / "new" / "today"
    result = run_batch(csv, out, BuildRequest(date=DATE), jobs=1)
    assert [o.path for o in result.written] == [out / OUT_NAME]
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    assert out.stat().st_mode & 0o777 == 0o700


# -- the merge ---------------------------------------------------------------------------------
def test_the_merged_pdf_is_sound_ordered_and_keeps_every_font(tmp_path):
    requests = [dict(program="sciatica-gentle", patient="Ann"), dict(program="sciatica", lang="es"),
                dict(ids=("glute-bridge",), patient="Cy", layout="large-print")]  # fmt: skip
    paths = []
    for n, request in enumerate(requests):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(make_handout(BuildRequest(date=DATE, **request))[1])
        paths.append(path)
    target = tmp_path / "merged.pdf"
    pages = write_merged(paths, target)
    parts = [Pdf(p.read_bytes()) for p in paths]
    merged = Pdf(target.read_bytes())
    assert pages == merged.page_count == sum(p.page_count for p in parts)
    assert merged.texts == [t for p in parts for t in p.texts]
    check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(target), str(tmp_path / "page")],
                   check=True, capture_output=True)  # fmt: skip
    assert len(list(tmp_path.glob("page-*.png"))) == pages

    def fonts(path: Path) -> list[str]:
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]  # fmt: skip
        assert all(line.split()[-5] == "yes" for line in lines)  # embedded
        return sorted(line.split()[0] for line in lines)

    assert fonts(target) == sorted(f for p in paths for f in fonts(p))
    assert target.stat().st_mode & 0o777 == 0o600  # a file of health information
    assert write_merged(paths, tmp_path / "again.pdf") == pages
    assert (tmp_path / "again.pdf").read_bytes() == target.read_bytes()  # deterministic
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_merge_pdfs_of_bytes_is_the_same_writer(sciatica, unnamed):
    data = merge_pdfs([unnamed[1].data, sciatica[1].data])
    assert Pdf(data).texts == unnamed[1].texts + sciatica[1].texts
    assert data == merge_pdfs([unnamed[1].data, sciatica[1].data])


def small_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))  # fmt: skip
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


class Sink:
    """An output that keeps nothing (the merged PDF's bytes are not the merge's memory)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)


def merge_peak(data: bytes, count: int) -> tuple[int, int]:
    sink = Sink()
    tracemalloc.start()
    try:
        merge_into((io.BytesIO(data) for _ in range(count)), sink)
        return tracemalloc.get_traced_memory()[1], sink.size
    finally:
        tracemalloc.stop()


def test_the_merge_memory_does_not_grow_with_the_sources():
    """10x the sources, the same peak: only one source is held at a time, and what the end of
    the file needs (the offsets, the pages) goes to temporary files. Keeping even 8 bytes an
    object in memory would add ~100 KB here."""
    data = small_pdf()
    merge_peak(data, 300)  # caches warm
    few, few_size = merge_peak(data, 300)
    many, many_size = merge_peak(data, 3000)
    assert many_size > 9 * few_size
    assert many < few + 8_000, (few, many)


# -- signals -----------------------------------------------------------------------------------
def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize(
    ("stop", "jobs"),
    [(signal.SIGTERM, 2), (signal.SIGINT, 2), (signal.SIGKILL, 2), (signal.SIGTERM, 1)],
)
def test_a_stopped_batch_leaves_no_process_and_no_temporary_file(tmp_path, stop, jobs):
    marker = f"out-{uuid.uuid4().hex}"
    rows = "".join(f"Patient {n},sciatica\n" for n in range(40))
    csv_file(tmp_path, "patient,program\n" + rows)
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_DEBUG"}
    proc = subprocess.Popen([sys.executable, "-m", "handouts", "batch", "p.csv", "--out-dir",
                             marker, "--jobs", str(jobs), "--merge", f"{marker}.pdf"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    out = tmp_path / marker
    deadline = time.monotonic() + 60
    while not (out.is_dir() and len(list(out.glob("*.pdf"))) >= 2):
        assert proc.poll() is None and time.monotonic() < deadline, "the batch did not start"
        time.sleep(0.01)
    assert len(processes_with(marker)) == 1 + (jobs if jobs > 1 else 0)  # the batch, its workers
    proc.send_signal(stop)
    _, stderr = proc.communicate(timeout=10)  # no worker holds the pipes
    deadline = time.monotonic() + 5
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker) == []
    assert sorted(p.name for p in tmp_path.rglob("*") if p.name.startswith(".")) == []
    assert not (tmp_path / f"{marker}.pdf").exists()
    assert proc.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -9}[stop]
    assert b"Traceback" not in stderr and b"internal error" not in stderr


# -- time linear in the length of any text -----------------------------------------------------
def test_a_long_name_is_shortened_in_a_few_measures(monkeypatch):
    from handouts.render import chrome

    calls = []
    real = chrome.stringWidth

    def counting(text, font, size):
        calls.append(len(text))
        return real(text, font, size)

    monkeypatch.setattr(chrome, "stringWidth", counting)
    assert chrome._fit("Jane Doe " * 2_000, "Helvetica", 9, 200).endswith("…")
    assert len(calls) < 20  # 18,000 characters: ~15 halvings, not one measure a character
    calls.clear()
    lines = chrome.wrap("x" * 20_000, "Helvetica", 9, 200)
    assert "".join(lines) == "x" * 20_000 and len(lines) > 100
    assert len(calls) < 20 * len(lines)


def wrapped_characters(monkeypatch, **request) -> int:
    """How many characters reportlab's line breaking went through to build this handout."""
    from reportlab.platypus.paragraph import Paragraph

    total = [0]
    real = Paragraph.breakLines

    def counting(self, width):
        total[0] += sum(len(getattr(f, "text", "")) for f in self.frags)
        return real(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    make_handout(BuildRequest(program="sciatica-gentle", date=DATE, **request))
    monkeypatch.setattr(Paragraph, "breakLines", real)
    return total[0]


@pytest.mark.parametrize(
    "note",
    [
        lambda size: "Walk every day, slowly. " * (size // 24),  # one long paragraph
        lambda size: "x" * size,  # one long word
        lambda size: "Walk every day.\n\n" * (size // 17),  # many paragraphs
    ],
)
def test_the_work_on_a_note_is_linear_in_its_length(monkeypatch, note):
    base = wrapped_characters(monkeypatch, notes="Walk.")
    small = wrapped_characters(monkeypatch, notes=note(50_000)) - base
    large = wrapped_characters(monkeypatch, notes=note(200_000)) - base
    assert large < 4.5 * small, (small, large)  # quadratic: 16 times


def test_a_long_name_and_note_build_in_about_the_time_of_a_short_one():
    """The one timing here, against the same run's short build with a generous factor."""

    def seconds(**request) -> float:
        start = time.perf_counter()
        make_handout(BuildRequest(program="sciatica-gentle", date=DATE, **request))
        return time.perf_counter() - start

    seconds()
    short = min(seconds(patient="Jane Doe", notes="Walk.") for _ in range(3))
    long_name = seconds(patient="J" * 20_000)
    long_note = seconds(notes="Walk every day, slowly. " * 17_000)  # 400 KB, one paragraph
    assert long_name < 40 * short + 1.0, (short, long_name)  # was 80 s
    assert long_note < 60 * short + 2.0, (short, long_note)  # was 54 s
