"""Printing through a real CUPS: --print on build and batch, `handouts printers` and `print`.

The tests print to a virtual printer, HandoutPDF (cups-pdf), which writes each job as a PDF in
cups-pdf's `Out` folder (/etc/cups/cups-pdf.conf), and read that PDF back: the patient's name is
in the pages, never in the job's title, its document name or the file name. `.ci/run` sets CUPS
up with `.ci/cups-setup`; to run these tests on your machine, run `sudo .ci/cups-setup` once.
Without it, the tests that need CUPS fail (they never skip).
"""

from __future__ import annotations

import getpass
import io
import os
import pwd
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import DATE

from handouts.build import BuildRequest, make_handout
from handouts.cli import cli
from handouts.errors import InputError
from handouts.merge import write_merged
from handouts.printing import (
    NO_CUPS,
    NOT_RUNNING,
    Printer,
    PrintError,
    PrintOptions,
    check_printer,
    print_hint,
    print_pdf,
)

PRINTER = "HandoutPDF"
SETUP = "CUPS is not set up for the printing tests: run `sudo .ci/cups-setup` (see its header)"
PATIENT = "Zed Quixote"  # a name found nowhere else, to look for
SLUGS = ("zed", "quixote")
TITLE = re.compile(r"handout-[0-9a-f]{6}")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
TWO_PAGES = ("glute-bridge",)  # a handout of an even number of pages (2)
# Handouts that may have an odd number of pages (for duplex padding), in the order tried: how many
# pages a handout has follows the content and the layout, so the `odd` fixture builds them and
# takes the first that is odd on letter and on A4.
ODD_CANDIDATES = (
    ("glute-bridge", "pelvic-tilt"),
    ("glute-bridge", "pelvic-tilt", "cobra-pose"),
    ("glute-bridge", "pelvic-tilt", "child-pose"),
    ("pelvic-tilt", "cobra-pose", "child-pose"),
    ("glute-bridge", "pelvic-tilt", "cobra-pose", "child-pose", "hip-hinge"),
)
WAIT = 60.0  # seconds a job may take to come out of the virtual printer


# -- CUPS --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def cups() -> Path:
    """cups-pdf's output folder, once CUPS is checked to be set up; fails (no skip) if not."""
    missing = [tool for tool in ("lp", "lpstat", "ipptool") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found. {SETUP}")
    state = _cups_command("lpstat", "-r").stdout
    if "scheduler is running" not in state:
        pytest.fail(f"the CUPS scheduler is not running ({state.strip()}). {SETUP}")
    known = _cups_command("lpstat", "-p", "-d").stdout
    if f"printer {PRINTER} " not in known or f"destination: {PRINTER}" not in known:
        pytest.fail(f"the printer {PRINTER} is missing or not the default. {SETUP}")
    return _output_folder()


def _cups_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C"}
    env.pop("CUPS_SERVER", None)
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)


def _output_folder() -> Path:
    """Where cups-pdf writes this user's jobs: the last `Out` line of its configuration."""
    lines = [line.split(None, 1)[1].strip() for line in CUPS_PDF_CONF.read_text().splitlines()
             if line.startswith("Out ")]  # fmt: skip
    out = lines[-1] if lines else "${HOME}/PDF"
    user = getpass.getuser()
    return Path(out.replace("${HOME}", pwd.getpwnam(user).pw_dir).replace("${USER}", user))


def printed(folder: Path, job_id: str) -> Path:
    """The PDF the virtual printer made of job `job_id` ('HandoutPDF-12'), once it is done."""
    number = job_id.rsplit("-", 1)[1]
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        attributes = job_attributes(job_id)
        if attributes.get("job-state") in ("completed", "aborted", "canceled"):
            break
        time.sleep(0.2)
    assert attributes.get("job-state") == "completed", attributes
    found = list(folder.glob(f"*-job_{number}.pdf"))
    assert len(found) == 1, (folder, number, sorted(os.listdir(folder)))
    return found[0]


def job_attributes(job_id: str) -> dict[str, str]:
    """The job's attributes as CUPS keeps them (its owner sees the private ones: the title)."""
    number = job_id.rsplit("-", 1)[1]
    test = Path(__file__).parent / "fixtures" / "print" / "job-attributes.test"
    done = _cups_command("ipptool", "-tv", "-d", f"job={number}", "-d",
                         f"user={getpass.getuser()}", f"ipp://localhost/printers/{PRINTER}",
                         str(test))  # fmt: skip
    response = done.stdout.partition("RECEIVED")[2]  # (after the request's own attributes)
    found = re.findall(r"^\s+([a-z-]+) \([^)]*\) = (.*)$", response, re.M)
    return dict(found)


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def run_cli(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, args, env=env or {})


def no_patient_in(text: str) -> bool:
    return not any(slug in text.lower() for slug in SLUGS)


def build_args(out: Path | None, *more: str, ids=TWO_PAGES) -> list[str]:
    output = ["-o", str(out)] if out is not None else []
    return ["build", *ids, "--patient", PATIENT, "--date", "2026-11-29", *output, *more]


# -- handouts of an odd and an even number of pages ----------------------------------------------
@dataclass(frozen=True)
class Sized:
    ids: tuple[str, ...]
    pages: int  # on letter, the default paper
    letter: bytes  # the handout for PATIENT on the fixed date, on letter and on A4
    a4: bytes


def _sized(ids: tuple[str, ...]) -> tuple[Sized, dict[str, int]]:
    """The handout of `ids` (as build_args builds it), and its number of pages on each paper."""
    made = {
        paper: make_handout(BuildRequest(ids=ids, patient=PATIENT, date=DATE, paper=paper))[1]
        for paper in ("letter", "a4")
    }
    counts = {paper: len(pypdf.PdfReader(io.BytesIO(data)).pages) for paper, data in made.items()}
    return Sized(ids, counts["letter"], made["letter"], made["a4"]), counts


@pytest.fixture(scope="module")
def odd() -> Sized:
    """The first of ODD_CANDIDATES with an odd number of pages on letter and on A4."""
    tried = []
    for ids in ODD_CANDIDATES:
        sized, counts = _sized(ids)
        if all(n % 2 for n in counts.values()):
            return sized
        tried.append(f"{' '.join(ids)}: {counts}")
    pytest.fail("no handout of an odd number of pages to test duplex padding with; add one to "
                "ODD_CANDIDATES (tried: " + "; ".join(tried) + ")")  # fmt: skip


@pytest.fixture(scope="module")
def even() -> Sized:
    """TWO_PAGES, checked to have an even number of pages (no blank page is added to it)."""
    sized, counts = _sized(TWO_PAGES)
    assert all(n % 2 == 0 for n in counts.values()), (TWO_PAGES, counts)
    return sized


# -- printing a handout ------------------------------------------------------------------------
def test_build_prints_the_pages_and_nothing_names_the_patient(
    cups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default name holds the patient's name
    result = run_cli(build_args(None, "--print"))
    assert result.exit_code == 0, result.output
    out = Path("handout-zed-quixote-2026-11-29.pdf")
    match = re.fullmatch(rf"Wrote {out}\nPrinted it on {PRINTER} \(job ({PRINTER}-\d+)\)\n",
                         result.stdout)  # fmt: skip
    assert match, result.stdout
    paper = printed(cups, match[1])
    attributes = job_attributes(match[1])
    assert TITLE.fullmatch(attributes["job-name"]), attributes  # not the file's name
    assert "document-name-supplied" not in attributes  # (lp gives a file's name as one)
    assert all(no_patient_in(value) for value in attributes.values()), attributes
    assert paper.name.startswith(attributes["job-name"]) and no_patient_in(paper.name)
    text = pages_text(paper)
    assert len(text) == len(pypdf.PdfReader(out).pages) == 2
    assert PATIENT in text[0]
    for log in Path("/var/log/cups").glob("*"):  # readable here when the tests run as root
        if os.access(log, os.R_OK):
            assert no_patient_in(log.read_text(errors="replace")), log


def test_duplex_pads_each_copy_to_a_new_sheet(cups: Path, tmp_path: Path, odd: Sized) -> None:
    out, n = tmp_path / "odd.pdf", odd.pages
    assert run_cli(build_args(out, ids=odd.ids)).exit_code == 0
    assert len(pypdf.PdfReader(out).pages) == n  # as the fixture built it: odd
    both = print_pdf(out, copies=2, duplex=True)
    one_side = print_pdf(out, PRINTER, copies=2)
    assert (both.printer, both.pages, one_side.pages) == (PRINTER, n + 1, n)
    assert TITLE.fullmatch(both.title) and TITLE.fullmatch(one_side.title)
    padded = pages_text(printed(cups, both.id))
    assert len(padded) == 2 * (n + 1)  # collated: the pages and a blank one, twice
    assert [bool(t.strip()) for t in padded] == ([True] * n + [False]) * 2
    assert PATIENT in padded[0] and PATIENT in padded[n + 1]
    plain = pages_text(printed(cups, one_side.id))
    assert len(plain) == 2 * n and all(t.strip() for t in plain)
    # whole copies, in order
    assert f"Page {n} of {n}" in plain[n - 1] and f"Page 1 of {n}" in plain[n]
    assert len(pypdf.PdfReader(out).pages) == n  # the handout itself stays as it is


def test_print_command_prints_written_files(
    cups: Path, tmp_path: Path, odd: Sized, even: Sized
) -> None:
    three, two = tmp_path / "zed-quixote.pdf", tmp_path / "zed-quixote-2.pdf"
    assert run_cli(build_args(three, ids=odd.ids)).exit_code == 0
    assert run_cli(build_args(two)).exit_code == 0
    assert [len(pypdf.PdfReader(p).pages) for p in (three, two)] == [odd.pages, even.pages]
    result = run_cli(["print", str(three), str(two), "--printer", PRINTER, "--duplex"])
    assert result.exit_code == 0, result.output
    jobs = re.findall(rf"^Printed (\S+) on {PRINTER} \(job ({PRINTER}-\d+)\)$", result.stdout,
                      re.M)  # fmt: skip
    assert [path for path, _ in jobs] == [str(three), str(two)]
    assert [len(pages_text(printed(cups, job))) for _, job in jobs] == [odd.pages + 1, even.pages]
    for _, job in jobs:  # (the even one goes as it is, the odd one with a blank page)
        attributes = job_attributes(job)
        assert TITLE.fullmatch(attributes["job-name"]), attributes
        assert "document-name-supplied" not in attributes
        assert all(no_patient_in(value) for value in attributes.values()), attributes


def test_an_encrypted_handout_is_printed_from_its_plain_pages(cups: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked.pdf"
    result = run_cli(build_args(out, "--password", "s3cret-word", "--print"))
    assert result.exit_code == 0, result.output
    job = re.search(rf"\(job ({PRINTER}-\d+)\)", result.stdout)[1]
    assert PATIENT in pages_text(printed(cups, job))[0]
    assert pypdf.PdfReader(out).is_encrypted  # the file on disk stays encrypted
    again = run_cli(["print", str(out)])
    assert again.exit_code == 2
    assert again.stderr == (f"Error: {out}: the PDF is encrypted with a password, which a printer "
                            "cannot open; open it in a PDF viewer and print it from there\n")  # fmt: skip


# -- batches -----------------------------------------------------------------------------------
def write_csv(folder: Path, first: tuple[str, ...]) -> Path:
    """Two rows: PATIENT with the exercises `first`, then Ann Lee with TWO_PAGES."""
    csv = folder / "today.csv"
    csv.write_text(f"patient,exercises\n{PATIENT},{' '.join(first)}\n"
                   f"Ann Lee,{' '.join(TWO_PAGES)}\n", encoding="utf-8")  # fmt: skip
    return csv


def test_batch_merge_duplex_starts_each_handout_on_a_new_sheet(
    cups: Path, tmp_path: Path, odd: Sized, even: Sized
) -> None:
    out, merged = tmp_path / "out", tmp_path / "all.pdf"
    result = run_cli(["batch", str(write_csv(tmp_path, odd.ids)), "--out-dir", str(out), "--jobs", "1",
                      "--merge", str(merged), "--print", "--duplex", "--date", "2026-11-29"])  # fmt: skip
    assert result.exit_code == 0, result.output
    match = re.fullmatch(rf"Wrote 2 handouts in {out}.\nWrote {merged} with all of them, for "
                         rf"printing.\nPrinted the merged PDF on {PRINTER} \(job ({PRINTER}-\d+)\).\n",
                         result.stdout)  # fmt: skip
    assert match, result.stdout
    job = match[1]
    handouts = sorted(out.glob("*.pdf"))  # (named by the row's line: 0002-zed-..., 0003-ann-...)
    assert [len(pypdf.PdfReader(p).pages) for p in handouts] == [odd.pages, even.pages]  # as made
    text = pages_text(merged)
    sheets = [True] * odd.pages + [False] + [True] * even.pages  # a blank after the odd one only
    assert [bool(t.strip()) for t in text] == sheets
    assert PATIENT in text[0] and "Ann Lee" in text[odd.pages + 1]
    assert job_attributes(job)["job-name"].endswith("-merged")
    assert [bool(t.strip()) for t in pages_text(printed(cups, job))] == sheets


def test_batch_prints_each_handout_in_row_order(
    cups: Path, tmp_path: Path, odd: Sized, even: Sized
) -> None:
    out = tmp_path / "out"
    result = run_cli(["batch", str(write_csv(tmp_path, odd.ids)), "--out-dir", str(out), "--jobs", "1",
                      "--printer", PRINTER, "--duplex", "--copies", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    match = re.search(rf"\nPrinted 2 handouts on {PRINTER} \(jobs {PRINTER}-(\d+) to "
                      rf"{PRINTER}-(\d+), 2 copies of each\).\n$", result.stdout)  # fmt: skip
    assert match and int(match[2]) == int(match[1]) + 1, result.stdout
    jobs = [f"{PRINTER}-{match[1]}", f"{PRINTER}-{match[2]}"]
    names = [job_attributes(job)["job-name"] for job in jobs]
    assert [name[-5:] for name in names] == ["-0002", "-0003"]  # the rows' lines, in order
    assert TITLE.fullmatch(names[0][:-5]) and names[0][:-5] == names[1][:-5]
    # 2 copies of each, the odd one with a blank page after each copy
    assert [len(pages_text(printed(cups, job))) for job in jobs] == [
        2 * (odd.pages + 1),
        2 * even.pages,
    ]


def test_merge_pads_odd_handouts_only_when_asked(tmp_path: Path, odd: Sized, even: Sized) -> None:
    three, a4, two = tmp_path / "odd.pdf", tmp_path / "a4.pdf", tmp_path / "even.pdf"
    three.write_bytes(odd.letter)
    a4.write_bytes(odd.a4)
    two.write_bytes(even.letter)
    n, m = (len(pypdf.PdfReader(p).pages) for p in (three, a4))
    assert n % 2 and m % 2 and n == odd.pages  # (the fixture chose them odd)
    assert write_merged([three, a4], tmp_path / "plain.pdf") == n + m
    sources = [three, a4, two, three]
    total = (n + 1) + (m + 1) + even.pages + (n + 1)
    assert write_merged(sources, tmp_path / "padded.pdf", pad_odd=True) == total
    reader = pypdf.PdfReader(tmp_path / "padded.pdf")
    assert len(reader.pages) == total
    blanks = [i for i, page in enumerate(reader.pages) if not (page.extract_text() or "").strip()]
    first, second = n, n + 1 + m  # (0-based) after each odd source; none after the even one
    assert blanks == [first, second, total - 1]
    sizes = [tuple(round(float(v)) for v in page.mediabox[2:]) for page in reader.pages]
    assert (sizes[first], sizes[second]) == ((612, 792), (595, 842))  # the size of the page before
    check = subprocess.run(["qpdf", "--check", str(tmp_path / "padded.pdf")], capture_output=True)
    assert check.returncode == 0, check.stdout
    write_merged(sources, tmp_path / "again.pdf", pad_odd=True)
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "padded.pdf").read_bytes()


# -- what goes wrong ---------------------------------------------------------------------------
def test_a_printer_that_does_not_exist_keeps_the_pdf(cups: Path, tmp_path: Path) -> None:
    out = tmp_path / "zed.pdf"
    result = run_cli(build_args(out, "--printer", "NoSuchPrinter", "--copies", "2"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: cannot print: there is no printer 'NoSuchPrinter'; name one with --printer NAME; "
        f"the printers: {PRINTER} (default)\n"
        f"The PDF is at {out}; print it again with: handouts print {out} --printer NAME "
        "--copies 2 (or from a PDF viewer)\n"
    )
    assert len(pypdf.PdfReader(out).pages) == 2


def test_a_printer_named_in_the_wrong_case_is_suggested(cups: Path, tmp_path: Path) -> None:
    result = run_cli(["print", str(tmp_path / "any.pdf"), "--printer", PRINTER.lower()])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot print: there is no printer '{PRINTER.lower()}' (did you mean "
        f"'{PRINTER}'?); name one with --printer NAME; the printers: {PRINTER} (default)\n"
    )


def test_no_cups_on_this_machine_keeps_the_pdf(cups: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "zed.pdf"
    result = run_cli(build_args(out, "--print"), {"PATH": str(empty)})
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {NO_CUPS}\nThe PDF is at {out}; print it again with: handouts print {out} "
        "(or from a PDF viewer)\n"
    )
    assert len(pypdf.PdfReader(out).pages) == 2
    listed = run_cli(["printers"], {"PATH": str(empty)})
    assert (listed.exit_code, listed.stderr) == (2, f"Error: {NO_CUPS}\n")


def test_a_scheduler_that_is_not_running_keeps_the_pdf(cups: Path, tmp_path: Path) -> None:
    out = tmp_path / "zed.pdf"
    closed = {"CUPS_SERVER": "127.0.0.1:1"}  # nothing listens there: as if cupsd were stopped
    result = run_cli(build_args(out, "--printer", PRINTER, "--duplex"), closed)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {NOT_RUNNING}\nThe PDF is at {out}; print it again with: handouts print {out} "
        f"--printer {PRINTER} --duplex (or from a PDF viewer)\n"
    )
    assert len(pypdf.PdfReader(out).pages) == 2
    listed = run_cli(["printers"], closed)
    assert (listed.exit_code, listed.stderr) == (2, f"Error: {NOT_RUNNING}\n")


def test_a_batch_checks_the_printer_before_building(cups: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(["batch", str(write_csv(tmp_path, TWO_PAGES)), "--out-dir", str(out), "--printer",
                      "NoSuchPrinter"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: cannot print: there is no printer 'NoSuchPrinter'; name one with --printer NAME; "
        f"the printers: {PRINTER} (default)\n"
    )
    assert not out.exists()


def test_a_printing_problem_does_not_stop_the_email(cups: Path, tmp_path: Path) -> None:
    from conftest import write_full_brand

    out = tmp_path / "zed.pdf"
    args = build_args(out, "--printer", "NoSuchPrinter", "--brand", str(write_full_brand(tmp_path)),
                      "--email", "zed@example.org", "--dry-run")  # fmt: skip
    result = run_cli(args, {"HANDOUTS_SMTP_HOST": ""})
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"(or from a PDF viewer)\nWrote {tmp_path / 'zed.eml'} (the email, not sent).\n"
    )
    assert (tmp_path / "zed.eml").is_file() and out.is_file()


def test_printers_lists_name_state_and_default(cups: Path) -> None:
    result = run_cli(["printers"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^{PRINTER}  (idle    |printing)  default$", result.stdout, re.M)


def test_copies_and_duplex_go_with_print(tmp_path: Path) -> None:
    for extra, option in ((["--copies", "2"], "--copies"), (["--duplex"], "--duplex")):
        result = run_cli(build_args(tmp_path / "x.pdf", *extra))
        assert result.exit_code == 2
        assert result.stderr.endswith(f"Error: {option} goes with --print (or --printer NAME)\n")
        assert not (tmp_path / "x.pdf").exists()
    result = run_cli(build_args(tmp_path / "x.pdf", "--print", "--copies", "100"))
    assert result.exit_code == 2 and "100 is not in the range 1<=x<=99" in result.stderr


def test_print_options_are_checked() -> None:
    with pytest.raises(InputError) as bad:
        PrintOptions("Front Desk")
    assert bad.value.message == ("--printer: a printer's name has no spaces, '/', '#' or '\\' "
                                 "(see 'handouts printers'), got 'Front Desk'")  # fmt: skip
    with pytest.raises(InputError) as bad:
        PrintOptions(copies=0)
    assert bad.value.message == "--copies: expected 1 to 99 copies, got 0"


def test_no_default_printer_lists_the_printers(monkeypatch: pytest.MonkeyPatch) -> None:
    from handouts import printing

    monkeypatch.setattr(printing, "printers", lambda: [Printer("Front", False, "idle")])
    with pytest.raises(PrintError) as raised:
        check_printer(None)
    assert raised.value.message == ("cannot print: no default printer is set; name one with "
                                    "--printer NAME; the printers: Front")  # fmt: skip
    assert raised.value.no_printer
    monkeypatch.setattr(printing, "printers", lambda: [])
    with pytest.raises(PrintError) as raised:
        check_printer("Front")
    assert raised.value.message == (
        "cannot print: there is no printer 'Front'; no printer is set up in CUPS (add one at "
        "http://localhost:631 or with lpadmin), then name it with --printer NAME"
    )


def test_the_hint_for_many_files_is_short(tmp_path: Path) -> None:
    paths = [tmp_path / f"{n:04d}.pdf" for n in range(2, 14)]
    problem = PrintError("cannot print: lp failed")
    assert print_hint(paths, PrintOptions(copies=3), problem) == (
        f"12 PDFs were not printed, from {paths[0]} to {paths[-1]}; print them again with: "
        "handouts print FILE.pdf ... --copies 3"
    )
    assert print_hint(paths[:2], PrintOptions(), problem) == (
        f"The PDFs are written; print them again with: handouts print {paths[0]} {paths[1]} "
        "(or from a PDF viewer)"
    )


def test_an_email_that_fails_after_printing_says_it_was_printed(cups: Path, tmp_path: Path) -> None:
    from conftest import write_full_brand

    out = tmp_path / "zed.pdf"
    args = build_args(out, "--print", "--brand", str(write_full_brand(tmp_path)), "--email",
                      "zed@example.org")  # fmt: skip
    unreachable = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": "1",
                   "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
    result = run_cli(args, unreachable)
    assert result.exit_code == 1, result.output
    match = re.search(rf"\nIt was printed on {PRINTER} \(job ({PRINTER}-\d+)\).\n$", result.stderr)
    assert match, result.stderr
    assert PATIENT in pages_text(printed(cups, match[1]))[0]
