"""Property-based layer: generated libraries, layouts, brands, prescriptions, CSV batches and
command lines, valid and broken, each run through the real command line in a new folder.

The contract, on every run:
- exit 0 with a PDF that `qpdf --check` accepts and, for valid input, the patient's text as typed;
- or exit 2 with one message (on stderr) that names the file or the option at fault;
- a batch may also exit 1 when rows failed: each failure names the CSV file and line;
- never a traceback or an internal error (exit 1), never a file left behind (no stray PDF, no
  temporary file), never an input file changed.

The "ci" profile (the default) keeps the layer within a minute; HYPOTHESIS_PROFILE=dev searches
much deeper (see the README, Development).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import strategies as s
from click.testing import CliRunner
from conftest import Pdf, flat
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis.errors import InvalidArgument

from handouts.cli import cli

settings.register_profile(
    "ci",
    max_examples=45,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    print_blob=True,
    # no shrinking in CI (a failure is reported at once, reproducible: derandomized) and no
    # "explain" phase (it writes patch files into the working tree)
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],  # fmt: skip
)
settings.register_profile(
    "dev",
    parent=settings.get_profile("ci"),
    max_examples=600,
    derandomize=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
    database=settings.get_profile("default").database,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

QPDF = shutil.which("qpdf") or "qpdf"
# characters that are never printed: drawn, they are a box or nothing (a blank)
NEVER_DRAWN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def qpdf_problem(path: Path, password: str | None) -> str | None:
    command = [QPDF, "--check"]
    if password is not None:
        command.append(f"--password={password}")
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        return f"qpdf --check {path.name} exited {done.returncode}: {done.stdout[-400:]}{done.stderr[-400:]}"
    return None


def printed_problems(pdf: Pdf) -> list[str]:
    """Characters in the PDF's text that no page should draw (a control character drawn is a box
    or a blank)."""
    raw = "".join(page.extract_text() or "" for page in pdf.reader.pages)
    bad = sorted({c for c in raw if unicodedata.category(c) in NEVER_DRAWN and c != "\n"})
    bad += ["U+FFFD"] if "\ufffd" in raw else []
    return [f"the PDF draws {', '.join(repr(c) for c in bad)}"] if bad else []


def _note(text: str) -> None:
    """A note on the falsifying example (outside a Hypothesis test, nothing)."""
    with contextlib.suppress(InvalidArgument):
        note(text)


# all a successful build may say on stderr: that it printed a draft translation (language.py)
DRAFT_WARNING = re.compile(r"Warning: \S.* \([a-z]{2,3}(?:-[A-Za-z0-9]+)*\) is a draft translation, "
                           r"not yet reviewed by a qualified medical translator: have it reviewed "
                           r"before relying on it")  # fmt: skip
# A library whose broken exercises a handout does not use: it builds, with this one line
LEFT_OUT_WARNING = re.compile(r"Warning: \d+ exercises? of the library (?:has|have) problems and "
                              r"(?:was|were) left out: .+; 'handouts check( --library \S.*)?' "
                              r"lists the problems")  # fmt: skip
NOT_A_NUMBER = re.compile(rb"(?<![^\s\[])-?(?:nan|inf|infinity)(?![^\s\]])", re.IGNORECASE)
PDF_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)


def broken_numbers(path: Path, password: str | None) -> str | None:
    """A drawing operator with a number that is not one (nan, inf): qpdf accepts the file, but
    viewers stop drawing the page there (a logo with width="nan" blanked page 1)."""
    import pikepdf

    with pikepdf.open(path, password=password or "") as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            streams = [page.obj.get("/Contents")]
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            streams += [x for x in xobjects.values() if x.get("/Subtype") == "/Form"]
            for stream in streams:
                items = stream if isinstance(stream, pikepdf.Array) else [stream]
                for item in items:
                    if item is None or not isinstance(item, pikepdf.Stream):
                        continue
                    found = NOT_A_NUMBER.search(PDF_STRING.sub(b" ", item.read_bytes()))
                    if found:
                        return f"{path.name} page {number} draws with the number {found[0]!r}"
    return None


def names_culprit(message: str, culprits: tuple[str, ...]) -> bool:
    return any(c in message for c in culprits)


def run_case(case: s.Case) -> list[str]:
    """Run the case's command line in a new folder; every way it broke the contract."""
    root = Path(tempfile.mkdtemp(prefix="handouts-prop-"))
    try:
        return _run_case(case, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run_case(case: s.Case, root: Path) -> list[str]:
    inputs, out = root / "in", root / "out"
    inputs.mkdir()
    out.mkdir()
    for name, data in case.files.items():
        (inputs / name).write_bytes(data)
    args = [a.replace("{in}", str(inputs)).replace("{out}", str(out)) for a in case.args]
    command = args[0]
    if command == "build":
        args += ["-o", str(out / "handout.pdf")]
    args += ["--date", "2026-11-29"] if "--date" not in args and command == "build" else []
    before = digest(inputs)
    env = {"HANDOUTS_DEBUG": None, "HANDOUTS_SMTP_HOST": None, "HANDOUTS_CACHE": "off"}
    with inside(out):
        result = CliRunner().invoke(cli, args, prog_name="handouts", env=env)
    problems: list[str] = []
    stderr, stdout = result.stderr, result.stdout
    where = f"handouts {' '.join(repr(a) if ' ' in a else a for a in args)}"
    _note(f"{where}\nexit {result.exit_code}\nstdout: {stdout[-2000:]}\nstderr: {stderr[-2000:]}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(*result.exc_info))[-3000:]
        return [f"internal error (an exception escaped): {trace}"]
    if "Traceback" in stdout + stderr:
        problems.append("a traceback was printed")
    if digest(inputs) != before:
        problems.append("an input file was changed, added or removed")
    left = sorted(p.name for p in out.iterdir())
    temporary = [n for n in left if n.endswith(".part") or n.startswith(".")]
    if temporary:
        problems.append(f"temporary files left: {temporary}")
    code = result.exit_code
    if case.refuse and code != 2:
        problems.append(f"expected a refusal (exit 2), got exit {code}: {stderr.strip()[:600]}")
    if code == 2:
        if case.valid:
            problems.append(f"valid input refused: {stderr.strip()[:600]}")
        if not stderr.strip():
            problems.append("exit 2 without a message")
        if stderr.count("Error:") != 1:
            problems.append(f"exit 2 with {stderr.count('Error:')} error messages, not one")
        elif not names_culprit(stderr, case.culprits):
            problems.append(f"the message names none of {case.culprits}: {stderr.strip()[:600]}")
        if left:
            problems.append(f"files left behind after a refusal: {left}")
        return problems
    if code == 1 and command == "batch" and not case.valid:
        problems += _failed_rows(stderr, inputs / "patients.csv")
    elif code == 1 and command == "batch" and case.valid:
        problems.append(f"rows of a valid batch failed: {stderr.strip()[:800]}")
        problems += _failed_rows(stderr, inputs / "patients.csv")
    elif code != 0:
        return [*problems, f"exit {code} (expected 0 or 2): {stderr.strip()[:800]}"]
    if code == 0 and command == "build":
        said = [line for line in stderr.splitlines() if line.strip()]
        drafts = [line for line in said if DRAFT_WARNING.fullmatch(line)]
        # the warning that broken exercises were left out: once, and only for a broken library
        left_out = [line for line in said if LEFT_OUT_WARNING.fullmatch(line)]
        if left_out and case.valid:
            problems.append(f"a valid library had exercises left out: {left_out[0][:300]}")
        if len(drafts) > 1 or len(left_out) > 1 or len(drafts) + len(left_out) < len(said):
            problems.append(f"a successful build wrote to stderr: {stderr.strip()[:300]}")
    password = args[args.index("--password") + 1] if "--password" in args else None
    pdfs = [n for n in left if n.endswith(".pdf")]
    if command == "build":
        expected = {"handout.pdf"} | ({"handout.eml"} if "--dry-run" in args else set())
        if set(left) != expected:
            problems.append(f"the output folder holds {left}, expected {sorted(expected)}")
    else:
        problems += _batch_files(stdout, args, left, out)
    texts = []
    for name in pdfs:
        problem = qpdf_problem(out / name, password) or broken_numbers(out / name, password)
        if problem:
            problems.append(problem)
            continue
        if password is None:
            pdf = Pdf((out / name).read_bytes())
            problems += printed_problems(pdf)
            texts.append(pdf.text)
    if password is None:
        for wanted in case.expect_texts:
            if not any(flat(wanted) in text for text in texts):
                problems.append(f"{flat(wanted)!r} is not printed as typed")
    return problems


def _failed_rows(stderr: str, csv_path: Path) -> list[str]:
    lines = stderr.strip().splitlines()
    head = [i for i, line in enumerate(lines) if re.match(r"^\d+ rows? failed:$", line)]
    if not head:
        return [f"exit 1 without the list of failed rows: {stderr.strip()[:600]}"]
    problems = []
    for line in lines[head[0] + 1 :]:
        if not line.startswith(f"  {csv_path}:"):
            continue  # the rest of a multi-line message
        if "internal error" in line.lower():
            problems.append(f"a row failed with an internal error: {line.strip()[:600]}")
    rows = [line for line in lines[head[0] + 1 :] if line.startswith(f"  {csv_path}:")]
    if not rows:
        problems.append(f"failed rows that do not name {csv_path.name}:LINE: {stderr[:600]}")
    return problems


def _batch_files(stdout: str, args: list[str], left: list[str], out: Path) -> list[str]:
    problems = []
    merged = "print.pdf" if "--merge" in args else None
    handouts = [n for n in left if n.endswith(".pdf") and n != merged]
    others = [n for n in left if not n.endswith(".pdf")]
    if others:
        problems.append(f"unexpected files in the output folder: {others}")
    match = re.search(r"Wrote (\d+) handouts? in", stdout)
    if match is None:
        problems.append(f"no summary line: {stdout[:300]}")
    elif int(match.group(1)) != len(handouts):
        problems.append(f"the summary says {match.group(1)} handouts, the folder has {handouts}")
    if merged and handouts and merged not in left:
        problems.append("--merge: print.pdf was not written")
    if merged and not handouts and merged in left:
        problems.append("--merge: print.pdf written with no handouts")
    return problems


def check(case: s.Case) -> None:
    note(case.note())
    problems = run_case(case)
    assert not problems, "\n".join(problems)


# -- the properties -----------------------------------------------------------------------------
@given(s.library_case())
def test_library_files(case: s.Case) -> None:
    check(case)


@given(s.layout_case())
def test_layout_files(case: s.Case) -> None:
    check(case)


@given(s.brand_case())
def test_brand_files(case: s.Case) -> None:
    check(case)


def _rx(text: str) -> s.Case:
    """A prescription that must be refused, with the prescription named."""
    return s.Case({"jane.yaml": text.encode()}, ["build", "--rx", "{in}/jane.yaml"], valid=False,
                  culprits=("jane.yaml",), mutation="explicit", refuse=True)  # fmt: skip


# files named by a prescription that the system cannot look up, and a choice the handout does not
# have: each was an internal error or a message that named no file
@example(_rx("patient: Jane\nexercises: [glute-bridge]\nbrand: ~no-such-user-x/clinic.yaml\n"))
@example(_rx(f"patient: Jane\nexercises: [glute-bridge]\nlibrary: {'y' * 300}.yaml\n"))
@example(_rx("patient: Jane\nexercises: [glute-bridge]\nchoose: cobra-pose\n"))
@example(_rx("patient: Jane\nprogram: sciatica\nchoose: [cobra-pose, child-pose]\n"))
@given(s.rx_case())
def test_prescription_files(case: s.Case) -> None:
    check(case)


@settings(max_examples=max(10, settings().max_examples * 2 // 3))
@given(s.batch_case())
def test_batch_files(case: s.Case) -> None:
    check(case)


@given(s.options_case())
def test_command_line_options(case: s.Case) -> None:
    check(case)


# -- the contract's own checks fail when they should (a property that cannot fail is no test) --
def test_the_contract_sees_an_escaped_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import handouts.build

    def boom(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(handouts.build, "make_handout", boom)
    problems = run_case(s.Case({}, ["build", "glute-bridge"]))
    assert problems and problems[0].startswith("internal error")


def test_the_contract_needs_the_file_named() -> None:
    # a refusal of a broken file passes only when the message names that file
    case = s.Case({"ours.yaml": b"version: 2\n"}, ["build", "glute-bridge", "--library",
                  "{in}/ours.yaml"], valid=False, culprits=("ours.yaml",))  # fmt: skip
    assert run_case(case) == []
    case.culprits = ("elsewhere.yaml",)
    [problem] = run_case(case)
    assert problem.startswith("the message names none of ('elsewhere.yaml',): Error: ")
    assert "ours.yaml:1: version must be from 1 to 1, got 2" in problem


def test_the_contract_checks_the_text_printed() -> None:
    case = s.Case({}, ["build", "glute-bridge", "--patient", "Jane Doe"],
                  expect_texts=("For: Jane Doe",))  # fmt: skip
    assert run_case(case) == []
    case.expect_texts = ("For: Jane Dough",)
    assert run_case(case) == ["'For: Jane Dough' is not printed as typed"]
