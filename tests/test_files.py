"""No file lost: every file the program writes (the handout from build and -o, default names, the
figures sheet, `rx new`'s YAML, the dry run's .eml) is a regular file or a new one, never a file
the command reads, claimed atomically when the name is chosen, private, and no signal leaves a
temporary file behind."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATE, DATE_ARG, LIBRARY_FIXTURES, leftovers, write_full_brand

from handouts import deliver
from handouts.build import BuildRequest, build
from handouts.cli import cli, run
from handouts.deliver import check_target, write_atomic, write_new
from handouts.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CLINIC = LIBRARY_FIXTURES / "clinic.yaml"
BUILD = ("build", "glute-bridge", "--date", DATE_ARG)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="handouts")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def refused(*args: str) -> str:
    """The one error message of a command that must exit 2 and write nothing."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr


def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any rendering from here on fails the test: refusals come before any work."""

    def fail(*args, **kwargs):
        raise AssertionError("the handout was made although its target was refused")

    monkeypatch.setattr("handouts.build.make_handout", fail)
    monkeypatch.setattr("handouts.render.sheet.render_sheet", fail)
    monkeypatch.setattr("handouts.catalog.starter_prescription", fail)


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def handouts_process(*args: str, cwd: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "handouts", *args], cwd=cwd, env=environment(), **popen
    )


def is_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def qpdf_accepts(path: Path) -> bool:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


# -- 1. only a regular file or a new one ---------------------------------------------------------
def special_targets(folder: Path) -> dict[str, tuple[Path, str]]:
    """Targets that are not regular files, with how the message names them."""
    (folder / "real.pdf").write_bytes(b"%PDF-keep")
    fifo = folder / "pipe.pdf"
    os.mkfifo(fifo)
    sock = folder / "sock.pdf"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    server.close()
    links = {
        "link-to-file.pdf": folder / "real.pdf",
        "link-to-nothing.pdf": folder / "gone.pdf",
        "link-to-null.pdf": Path("/dev/null"),
    }
    for name, to in links.items():
        (folder / name).symlink_to(to)
    link = "a symbolic link; the {what} is written only to a regular file or a new one, never "
    link += "through a link: give the file's own path"
    other = "{kind}, not a regular file; the {what} is written only to a regular file or a new one"
    return {
        "fifo": (fifo, other.replace("{kind}", "a pipe (FIFO)")),
        "socket": (sock, other.replace("{kind}", "a socket")),
        **{name: (folder / name, link) for name in links},
    }


def snapshot(path: Path) -> tuple:
    found = os.lstat(path)
    target = os.readlink(path) if stat.S_ISLNK(found.st_mode) else ""
    return stat.S_IFMT(found.st_mode), found.st_ino, found.st_mtime_ns, target


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (BUILD, "PDF"),
        (("figures",), "PDF"),
        (("rx", "new", "--program", "sciatica"), "prescription"),
    ],
)
def test_a_target_that_is_not_a_regular_file_is_refused_before_any_work(
    here: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], what: str
) -> None:
    no_work(monkeypatch)
    targets = special_targets(here)
    before = {name: snapshot(path) for name, (path, _) in targets.items()}
    for name, (path, reason) in targets.items():
        message = refused(*command, "-o", str(path))
        assert message == f"Error: {path}: is {reason.format(what=what)}\n", name
    assert {name: snapshot(path) for name, (path, _) in targets.items()} == before
    assert (here / "real.pdf").read_bytes() == b"%PDF-keep"
    assert not (here / "gone.pdf").exists()  # a dangling link is not followed either
    assert not [n for n in os.listdir(here) if n.endswith(".part")]


def test_dev_null_stays_a_device(here: Path) -> None:
    null = Path("/dev/null")
    before = os.lstat(null)
    assert stat.S_ISCHR(before.st_mode)
    message = refused(*BUILD, "-o", "/dev/null")
    assert message == (
        "Error: /dev/null: is a device, not a regular file; the PDF is written only to a regular"
        " file or a new one\n"
    )
    after = os.lstat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert after.st_rdev == before.st_rdev


def test_write_atomic_refuses_a_target_that_became_special(tmp_path: Path) -> None:
    """The kind is checked again just before the rename, not only at the start."""
    fifo = tmp_path / "later.pdf"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        write_atomic(fifo, b"%PDF-new")
    assert "is a pipe (FIFO), not a regular file" in caught.value.format_message()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["later.pdf"]


def test_a_default_name_taken_by_a_link_is_skipped_not_followed(here: Path) -> None:
    victim = here / "victim.txt"
    victim.write_text("keep")
    (here / "handout-2026-11-29.pdf").symlink_to(victim)
    result = invoke(*BUILD)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Wrote handout-2026-11-29-2.pdf\n"
    assert victim.read_text() == "keep"
    assert (here / "handout-2026-11-29.pdf").is_symlink()


# -- 2. never over a file the command reads --------------------------------------------------------
def font_files(folder: Path) -> tuple[Path, Path]:
    fonts = importlib.resources.files("fontpkg_atkinson_hyperlegible") / "files"
    regular, bold = folder / "ours.ttf", folder / "ours-bold.ttf"
    shutil.copyfile(str(fonts / "AtkinsonHyperlegible-Regular.ttf"), regular)
    shutil.copyfile(str(fonts / "AtkinsonHyperlegible-Bold.ttf"), bold)
    return regular, bold


def inputs(folder: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Each file a build reads, with the options that make it read it."""
    library = folder / "ours.yaml"
    shutil.copyfile(CLINIC, library)
    brand = write_full_brand(folder)
    font_files(folder)
    fonted = folder / "fonted.yaml"
    fonted.write_text(
        brand.read_text() + "font: {regular: ours.ttf, bold: ours-bold.ttf}\n", encoding="utf-8"
    )
    layout = folder / "mine.yaml"
    layout.write_text("extends: compact\nname: mine\ndescription: Mine.\n", encoding="utf-8")
    rx = folder / "jane.yaml"
    rx.write_text("patient: Jane Doe\nprogram: sciatica\n", encoding="utf-8")
    return {
        "rx": (rx, ("--rx", str(rx))),
        "library": (library, ("--library", str(library))),
        "brand": (brand, ("--brand", str(brand))),
        "layout": (layout, ("--layout", str(layout))),
        "logo": (folder / "logo.png", ("--brand", str(brand))),
        "font": (folder / "ours-bold.ttf", ("--brand", str(fonted))),
    }


@pytest.mark.parametrize("which", ["rx", "library", "brand", "layout", "logo", "font"])
def test_build_never_writes_over_a_file_it_reads(here: Path, which: str) -> None:
    path, options = inputs(here)[which]
    before = path.read_bytes()
    for target in (str(path), os.path.relpath(path)):
        message = refused("build", "glute-bridge", *options, "-o", target)
        shown = "" if target == str(path) else f" ({path})"  # through another name
        assert message == (
            f"Error: {target}: is a file this command reads{shown}; writing the PDF there would"
            " destroy it: give another name with -o\n"
        )
    assert path.read_bytes() == before
    assert not [n for n in os.listdir(here) if n.endswith((".part", ".pdf"))]


def test_a_hard_link_of_an_input_is_the_same_file(here: Path) -> None:
    library = here / "ours.yaml"
    shutil.copyfile(CLINIC, library)
    os.link(library, here / "copy.pdf")
    message = refused(*BUILD, "--library", "ours.yaml", "-o", "copy.pdf")
    assert message == (
        "Error: copy.pdf: is a file this command reads (ours.yaml); writing the PDF there would"
        " destroy it: give another name with -o\n"
    )
    assert library.read_bytes() == CLINIC.read_bytes()


def test_figures_never_writes_over_the_library(here: Path) -> None:
    library = here / "ours.yaml"
    shutil.copyfile(CLINIC, library)
    message = refused("figures", "--library", "ours.yaml", "-o", "ours.yaml")
    assert message == (
        "Error: ours.yaml: is a file this command reads; writing the PDF there would destroy it:"
        " give another name with -o\n"
    )
    assert library.read_bytes() == CLINIC.read_bytes()


def test_check_target_compares_with_the_files_still_to_be_written(tmp_path: Path) -> None:
    merge = tmp_path / "out" / ".." / "all.pdf"
    (tmp_path / "out").mkdir()
    with pytest.raises(InputError) as caught:
        check_target(merge, writes=[tmp_path / "all.pdf"], hint="--merge")
    assert caught.value.format_message() == (
        f"{merge}: the command also writes {tmp_path / 'all.pdf'} there; give another name with"
        " --merge"
    )
    check_target(tmp_path / "other.pdf", reads=[tmp_path / "missing.csv"], writes=[merge])


# -- 3. default names are claimed atomically -------------------------------------------------------
def test_eight_builds_at_once_write_eight_files(here: Path) -> None:
    args = ("build", "--program", "sciatica-gentle", "--patient", "Jane Doe", "--date", DATE_ARG)
    processes = [
        handouts_process(*args, cwd=here, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    names = sorted(out.decode().removeprefix("Wrote ").strip() for out, _ in outputs)
    base = "sciatica-gentle-jane-doe-2026-11-29"
    expected = sorted([f"{base}.pdf", *(f"{base}-{n}.pdf" for n in range(2, 9))])
    assert names == expected
    assert leftovers(here) == expected
    assert all(qpdf_accepts(here / name) for name in names)
    assert len({(here / name).read_bytes() for name in names}) == 1  # the same handout, 8 times


def test_write_new_takes_the_next_number_when_a_name_is_taken(tmp_path: Path) -> None:
    first = tmp_path / "x.pdf"
    first.write_bytes(b"mine")
    (tmp_path / "x-2.pdf").mkdir()
    assert write_new(first, b"%PDF-new") == tmp_path / "x-3.pdf"
    assert first.read_bytes() == b"mine"
    assert (tmp_path / "x-3.pdf").read_bytes() == b"%PDF-new"
    with pytest.raises(InputError) as caught:
        write_new(first, b"%PDF-new", number=False)
    assert caught.value.format_message() == f"{first}: already exists; give another name with -o"
    assert sorted(os.listdir(tmp_path)) == ["x-2.pdf", "x-3.pdf", "x.pdf"]


def test_without_hard_links_a_name_is_claimed_with_an_exclusive_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(deliver.os, "link", no_links)
    (tmp_path / "x.pdf").write_bytes(b"mine")
    assert write_new(tmp_path / "x.pdf", b"%PDF-new") == tmp_path / "x-2.pdf"
    assert (tmp_path / "x.pdf").read_bytes() == b"mine"
    assert (tmp_path / "x-2.pdf").read_bytes() == b"%PDF-new"
    assert sorted(os.listdir(tmp_path)) == ["x-2.pdf", "x.pdf"]


def test_a_prescription_name_given_with_o_is_never_replaced(here: Path) -> None:
    (here / "jane.yaml").write_text("mine", encoding="utf-8")
    (here / "link.yaml").symlink_to(here / "nowhere.yaml")
    for name in ("jane.yaml", "link.yaml"):
        message = refused("rx", "new", "-o", name)
        if name == "jane.yaml":
            assert message == f"Error: {name}: already exists; give another name with -o\n"
    assert (here / "jane.yaml").read_text() == "mine"
    assert not (here / "nowhere.yaml").exists()


# -- the dry run's .eml -----------------------------------------------------------------------------
def dry_run(here: Path, *extra: str) -> Result:
    brand = write_full_brand(here)
    email = ("--email", "jane@example.org", "--dry-run", "--brand", str(brand))
    return invoke(*BUILD, *email, *extra)


def test_the_eml_never_replaces_the_pdf_it_goes_with(here: Path) -> None:
    result = dry_run(here, "-o", "jane.eml")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Wrote jane.eml\nWrote jane-2.eml (the email, not sent)\n"
    assert is_pdf(here / "jane.eml")
    message = (here / "jane-2.eml").read_bytes()
    assert b"\r\nSubject: " in message and b"\r\nTo: jane@example.org\r\n" in message


def test_the_eml_never_replaces_an_existing_file(here: Path) -> None:
    (here / "jane.eml").write_text("an older message", encoding="utf-8")
    (here / "jane-2.eml").symlink_to(here / "target.txt")
    result = dry_run(here, "-o", "jane.pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Wrote jane.pdf\nWrote jane-3.eml (the email, not sent)\n"
    assert (here / "jane.eml").read_text() == "an older message"
    assert not (here / "target.txt").exists()
    assert b"jane@example.org" in (here / "jane-3.eml").read_bytes()


def test_the_eml_of_a_default_name_is_new_too(here: Path) -> None:
    (here / "handout-2026-11-29.eml").write_text("older", encoding="utf-8")
    result = dry_run(here)
    assert result.stdout == (
        "Wrote handout-2026-11-29.pdf\nWrote handout-2026-11-29-2.eml (the email, not sent)\n"
    )
    assert (here / "handout-2026-11-29.eml").read_text() == "older"


# -- 4. modes --------------------------------------------------------------------------------------
@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_files_are_private(here: Path, umask_022: None) -> None:
    result = dry_run(here, "-o", "jane.pdf")
    assert result.exit_code == 0, result.output
    assert invoke(*BUILD).exit_code == 0
    assert invoke("rx", "new").exit_code == 0
    assert invoke("figures").exit_code == 0
    written = sorted(n for n in os.listdir(here) if n.endswith((".pdf", ".eml", ".yaml")))
    figures = f"figures-{dt.date.today().isoformat()}.pdf"
    assert written == sorted([
        "clinic.yaml", figures, "handout-2026-11-29.pdf", "jane.eml", "jane.pdf", "rx-sciatica.yaml"
    ])  # fmt: skip
    assert {name: mode(here / name) for name in written if name != "clinic.yaml"} == {
        name: 0o600 for name in written if name != "clinic.yaml"
    }


@pytest.mark.parametrize("old_mode", [0o600, 0o640, 0o400, 0o644])
def test_a_replaced_file_keeps_its_mode(here: Path, umask_022: None, old_mode: int) -> None:
    target = here / "jane.pdf"
    target.write_bytes(b"old")
    target.chmod(old_mode)
    result = invoke(*BUILD, "-o", "jane.pdf")
    assert result.exit_code == 0, result.output
    assert is_pdf(target)
    assert mode(target) == old_mode


# -- 5. long names ---------------------------------------------------------------------------------
def test_a_255_byte_output_name_works(here: Path) -> None:
    for name in ("x" * 246 + ".pdf", "é" * 125 + "x.pdf"):  # 250 and 256-6 bytes
        assert len(name.encode()) <= 255
        result = invoke(*BUILD, "-o", name)
        assert result.exit_code == 0, result.output
        assert is_pdf(here / name)
        result = invoke(*BUILD, "-o", name)  # replacing it too
        assert result.exit_code == 0, result.output
    longest = "y" * 251 + ".pdf"
    result = dry_run(here, "-o", longest)  # and the .eml beside it, numbered within 255 bytes
    assert result.exit_code == 0, result.output
    assert (here / ("y" * 251 + ".eml")).is_file()
    result = dry_run(here, "-o", longest)
    assert result.exit_code == 0, result.output
    assert (here / ("y" * 249 + "-2.eml")).is_file()
    assert not [n for n in os.listdir(here) if n.endswith(".part")]


def test_a_name_longer_than_255_bytes_is_refused_clearly(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_work(monkeypatch)
    name = "x" * 252 + ".pdf"
    assert refused(*BUILD, "-o", name) == (
        f"Error: {name}: cannot write the PDF, the file name is 256 bytes long (at most 255)\n"
    )
    assert os.listdir(here) == []


def test_a_long_patient_name_makes_a_short_default_name(here: Path) -> None:
    result = invoke(*BUILD, "--patient", "Jane " * 100)
    assert result.exit_code == 0, result.output
    (name,) = os.listdir(here)
    assert len(name.encode()) < 100 and is_pdf(here / name)


# -- 6. signals ------------------------------------------------------------------------------------
def test_a_signal_during_the_write_waits_until_the_file_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    sent = []

    def write_and_interrupt(handle, data):
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)  # held: delivered when the file is in place
            time.sleep(0.05)
        return real_write(handle, data[:1000])  # a slow, piecewise write

    monkeypatch.setattr(deliver.os, "write", write_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_new(tmp_path / "x.pdf", b"%PDF-" + b"0" * 10_000 + b"%%EOF")
    assert sent
    assert sorted(os.listdir(tmp_path)) == ["x.pdf"]
    assert is_pdf(tmp_path / "x.pdf")


KILL_LOOP = """
import signal, sys
from pathlib import Path
from handouts.deliver import write_atomic, write_new
signal.signal(signal.SIGTERM, signal.SIG_DFL)  # killed outright, as a worker process would be
data = b"%PDF-" + b"0" * 4_000_000 + b"%%EOF"
print("ready", flush=True)
while True:
    write_atomic(Path("same.pdf"), data)
    write_new(Path("new.pdf"), data)
"""


def test_a_kill_at_any_moment_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM with its default action ends the process wherever it is: while a temporary file
    exists, the signal waits."""
    rng = random.Random(12)
    for _ in range(6):
        folder = tmp_path / f"run{_}"
        folder.mkdir()
        process = subprocess.Popen([sys.executable, "-c", KILL_LOOP], cwd=folder,
                                   env=environment(), stdout=subprocess.PIPE)  # fmt: skip
        assert process.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.05, 0.3))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == -signal.SIGTERM
        process.stdout.close()
        names = os.listdir(folder)
        assert not [n for n in names if n.endswith(".part")], names
        assert "same.pdf" in names and len(names) >= 2
        assert all(is_pdf(folder / n) for n in names)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_a_build_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    """Builds signalled at random moments, from start-up to the end (as long as a whole build
    takes here): each ends (killed before the handler is installed, "Aborted!" after, or done)
    and leaves no temporary file, and a PDF only when it is whole."""
    rng = random.Random(signum)
    args = ("build", "--program", "sciatica", "--patient", "Jane Doe", "--date", DATE_ARG)
    started = time.monotonic()
    whole = handouts_process(*args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert whole.wait(timeout=120) == 0
    takes = time.monotonic() - started
    ends = []
    for number in range(8):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        out = ("-o", "jane.pdf") if number % 2 else ()
        process = handouts_process(*args, *out, cwd=folder, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(rng.uniform(0.0, takes))
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=120)
        ends.append(process.returncode)
        assert process.returncode in (0, 1, -signum), stderr
        if process.returncode == 1 and not stderr.endswith(b"Aborted!\n"):
            # SIGINT while Python itself starts, before handouts runs: nothing can be written
            assert stderr.rstrip().endswith(b"KeyboardInterrupt"), stderr
        names = os.listdir(folder)
        assert not [n for n in names if n.endswith(".part")], names
        assert all(is_pdf(folder / n) for n in names)
        assert len(names) == (1 if process.returncode == 0 else len(names))
    assert any(end != 0 for end in ends), ends  # some were cut short


def test_sigterm_during_a_build_is_handled_like_ctrl_c(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def terminated(request):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        raise AssertionError("SIGTERM did not interrupt the build")

    monkeypatch.setattr("handouts.build.make_handout", terminated)
    monkeypatch.setattr(sys, "argv", ["handouts", *BUILD])
    before = signal.getsignal(signal.SIGTERM)
    assert run() == 1
    assert capsys.readouterr().err.endswith("Aborted!\n")
    assert signal.getsignal(signal.SIGTERM) == before  # restored
    assert os.listdir(here) == []


# -- "Nothing was written" is the truth ------------------------------------------------------------
def test_an_internal_error_before_writing_says_nothing_was_written(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def broken(request):
        raise RuntimeError("broken")

    monkeypatch.delenv("HANDOUTS_DEBUG", raising=False)
    monkeypatch.setattr("handouts.build.make_handout", broken)
    monkeypatch.setattr(sys, "argv", ["handouts", *BUILD])
    assert run() == 1
    assert capsys.readouterr().err == (
        "Error: internal error (RuntimeError: broken).\n"
        "Nothing was written. Run again with HANDOUTS_DEBUG=1 to see the details.\n"
    )
    assert os.listdir(here) == []


def test_an_internal_error_after_writing_says_what_was_written(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    brand = write_full_brand(here)
    monkeypatch.delenv("HANDOUTS_DEBUG", raising=False)
    monkeypatch.setattr("handouts.mail.make_message", broken)
    args = [*BUILD, "--brand", str(brand), "--email", "jane@example.org", "--dry-run"]
    for _ in range(2):  # each run says what it wrote, not what an earlier one did
        monkeypatch.setattr(sys, "argv", ["handouts", *args, "-o", f"jane{_}.pdf"])
        assert run() == 1
        assert capsys.readouterr().err == (
            "Error: internal error (RuntimeError: broken).\n"
            f"Written before the error: jane{_}.pdf. Run again with HANDOUTS_DEBUG=1 to see the"
            " details.\n"
        )
    assert is_pdf(here / "jane0.pdf") and is_pdf(here / "jane1.pdf")


def test_the_python_api_records_what_it_wrote(tmp_path: Path) -> None:
    deliver.written.clear()
    built = build(BuildRequest(ids=("glute-bridge",), date=DATE, folder=tmp_path))
    assert deliver.written == [built.path]


# -- a batch's merge file --------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["csv", "library", "fifo"])
def test_the_merge_file_is_never_an_input_nor_special(
    here: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    no_work(monkeypatch)
    monkeypatch.setattr("handouts.batch.build", lambda request: pytest.fail("a row was built"))
    csv = here / "patients.csv"
    csv.write_text("patient,program\nJane Doe,sciatica\n", encoding="utf-8")
    library = here / "ours.yaml"
    shutil.copyfile(CLINIC, library)
    os.mkfifo(here / "pipe.pdf")
    (here / "out").mkdir()
    merge = {"csv": "patients.csv", "library": "ours.yaml", "fifo": "pipe.pdf"}[which]
    message = refused("batch", "patients.csv", "--out-dir", "out", "--library", "ours.yaml",
                      "--merge", merge)  # fmt: skip
    if which == "fifo":
        assert message == (
            "Error: pipe.pdf: is a pipe (FIFO), not a regular file; the PDF is written only to a"
            " regular file or a new one\n"
        )
    else:
        what = {"csv": "the batch file", "library": "the library"}[which]
        assert message == (
            f"Error: {merge}: is {what} this batch reads; give another name for the merged PDF\n"
        )
    assert csv.read_text() == "patient,program\nJane Doe,sciatica\n"
    assert library.read_bytes() == CLINIC.read_bytes()
    assert os.listdir(here / "out") == []


def test_an_interrupt_a_library_turned_into_another_error_is_still_an_interruption(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """reportlab catches exceptions with a bare `except:`: a Ctrl-C in the middle of laying out
    can come out as a KeyError. The command then says "Aborted!", never "internal error"."""
    from handouts import interrupt

    def swallowed(request):
        os.kill(os.getpid(), signal.SIGINT)  # our handler notes it and raises KeyboardInterrupt
        raise AssertionError("SIGINT did not interrupt")

    def laid_out(request):
        try:
            swallowed(request)
        except BaseException:  # noqa: BLE001 - as reportlab does
            raise KeyError("forward reference to 'R23' not resolved") from None

    monkeypatch.setattr("handouts.build.make_handout", laid_out)
    monkeypatch.setattr(sys, "argv", ["handouts", "build", "glute-bridge", "-o", "x.pdf"])
    assert run() == 1
    assert capsys.readouterr().err == "Aborted!\n"
    assert interrupt.received == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    assert not list(here.iterdir())
