"""Printing through CUPS's `lp` and `lpstat` commands (Linux and macOS have them): no library.

Nothing about the patient reaches the printing system but the pages themselves:
- a job's title is "handout-" and a random id ("handout-3f9a2c"): printer queues, CUPS's web page
  and virtual printers show the title to others, and cups-pdf names its files after it (lp's
  default title would be the file's name, which holds the patient's name);
- the PDF goes to lp on its standard input, so the job has no document name either (lp records a
  file's name as the job's document name);
- nothing is logged.

A printing problem is a PrintError (exit status 2): no CUPS, no scheduler, no such printer, no
default printer, a PDF the printer cannot open (encrypted). When it comes after the PDF was
written, the caller adds where the PDF is and how to print it again (`handouts print`).
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from handouts.errors import InputError

TIMEOUT = 60  # seconds lp or lpstat may take before the printing system is said not to answer
MAX_COPIES = 99
HINT_FILES = 10  # files named in the command a message gives to print them again
DUPLEX = "two-sided-long-edge"
REQUEST = re.compile(r"request id is (\S+)-(\d+)")
PRINTER_LINE = re.compile(r"^printer (\S+) (?:is (idle)|now (printing)|(disabled))")
DEFAULT_LINE = re.compile(r"^system default destination: (\S+)")
NO_CUPS = (
    "cannot print: CUPS's 'lp' command was not found on this computer (on Debian or Ubuntu: "
    "apt-get install cups; macOS has it)"
)
NOT_RUNNING = (
    "cannot print: the printing system (the CUPS scheduler, cupsd) is not running; start it "
    "(sudo systemctl start cups, or sudo cupsd)"
)


class PrintError(InputError):
    """The handout could not be printed (exit status 2); a PDF written before stays on disk.
    `no_printer`: the printer named does not exist, or none is named and there is no default."""

    def __init__(self, message: str, *, no_printer: bool = False) -> None:
        super().__init__(message)
        self.no_printer = no_printer


@dataclass(frozen=True)
class Printer:
    name: str
    default: bool  # the printer used when none is named
    state: str  # "idle", "printing" or "disabled"


@dataclass(frozen=True)
class PrintOptions:
    """What `--print` asks for: the printer (None: the default one), copies, both sides."""

    printer: str | None = None
    copies: int = 1
    duplex: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.copies <= MAX_COPIES:
            raise InputError(f"--copies: expected 1 to {MAX_COPIES} copies, got {self.copies}")
        if self.printer is not None and not re.fullmatch(r"[^\s/#\\]+", self.printer):
            raise InputError(
                "--printer: a printer's name has no spaces, '/', '#' or '\\' "
                f"(see 'handouts printers'), got '{self.printer}'"
            )

    def command_options(self, printer: str | None = None) -> str:
        """These options as typed on the command line (for a message that says how to print),
        with `printer` for the printer's name when given."""
        words = ["--printer", self.printer] if self.printer else []
        words = ["--printer", printer] if printer else words
        words += ["--copies", str(self.copies)] if self.copies != 1 else []
        words += ["--duplex"] if self.duplex else []
        return shlex.join(words)


@dataclass(frozen=True)
class Job:
    """A print job sent: its id in CUPS ("HandoutPDF-12"), the printer and the job's title."""

    id: str
    printer: str
    title: str
    pages: int  # pages of one copy sent, a blank one included


def new_title(suffix: str = "") -> str:
    """A job title that says nothing about the patient: 'handout-3f9a2c' (plus `suffix`)."""
    return f"handout-{secrets.token_hex(3)}{suffix}"


def printers() -> list[Printer]:
    """The printers CUPS knows, the default one marked. PrintError without CUPS or scheduler."""
    _check_scheduler()
    out = _run(["lpstat", "-p", "-d"]).stdout
    default = next((m[1] for m in map(DEFAULT_LINE.match, out.splitlines()) if m), None)
    found = []
    for line in out.splitlines():
        match = PRINTER_LINE.match(line)
        if match:
            name = match[1]
            state = match[2] or match[3] or match[4]
            found.append(Printer(name, name == default, state))
    return found


def check_printer(printer: str | None) -> str:
    """The name of the printer a job for `printer` (None: the default one) goes to; PrintError
    when it cannot be printed to (no CUPS, no scheduler, no such printer, no default)."""
    known = printers()
    if printer is None:
        default = next((p.name for p in known if p.default), None)
        if default is None:
            raise PrintError(
                f"cannot print: no default printer is set; {_choose(known)}", no_printer=True
            )
        return default
    if not any(p.name == printer for p in known):
        same = [p.name for p in known if p.name.lower() == printer.lower()]
        hint = f" (did you mean '{same[0]}'?)" if same else ""
        raise PrintError(
            f"cannot print: there is no printer '{printer}'{hint}; {_choose(known)}",
            no_printer=True,
        )
    return printer


def _choose(known: Sequence[Printer]) -> str:
    if not known:
        return (
            "no printer is set up in CUPS (add one at http://localhost:631 or with lpadmin), "
            "then name it with --printer NAME"
        )
    names = ", ".join(f"{p.name}{' (default)' if p.default else ''}" for p in known)
    return f"name one with --printer NAME; the printers: {names}"


def print_pdf(
    path: Path,
    printer: str | None = None,
    copies: int = 1,
    duplex: bool = False,
    *,
    data: bytes | None = None,
    title: str | None = None,
) -> Job:
    """Print the PDF at `path` (or `data`, its unencrypted bytes when the file is encrypted) on
    `printer` (None: the default printer), `copies` times (collated: whole handouts), on both
    sides when `duplex` (a blank page is then added after an odd last page, so that each copy
    starts on a new sheet), else on one side whatever the printer's default. The job's title is
    `title` or a neutral new_title()."""
    options = PrintOptions(printer, copies, duplex)
    title = title or new_title()
    pages, padded = _document(path, data, duplex)
    args = ["lp", "-t", title, "-n", str(copies)]
    args += ["-d", printer] if printer else []
    args += ["-o", f"sides={DUPLEX if options.duplex else 'one-sided'}"]
    args += ["-o", "collate=true"] if copies > 1 else []
    if padded is not None or data is not None:
        result = _run(args, input=padded if padded is not None else data)
    else:
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise PrintError(f"{path}: cannot read the PDF: {exc.strerror}") from None
        with handle:
            result = _run(args, stdin=handle)
    match = REQUEST.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise _failure(printer, result)
    return Job(f"{match[1]}-{match[2]}", match[1], title, pages)


def _document(path: Path, data: bytes | None, duplex: bool) -> tuple[int, bytes | None]:
    """(the pages of one copy, the bytes to send when a blank page had to be added, else None).
    A PDF that is encrypted or not a PDF is refused: the printer could not open it."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data) if data is not None else path)
    except pikepdf.PasswordError:
        raise PrintError(
            f"{path}: the PDF is encrypted with a password, which a printer cannot open; open it "
            "in a PDF viewer and print it from there"
        ) from None
    except FileNotFoundError:
        raise PrintError(f"{path}: file not found") from None
    except OSError as exc:
        raise PrintError(f"{path}: cannot read the PDF: {exc.strerror or exc}") from None
    except pikepdf.PdfError:
        raise PrintError(f"{path}: is not a PDF file that can be printed") from None
    with pdf:
        pages = len(pdf.pages)
        if not (duplex and pages % 2):
            return pages, None
        box = pdf.pages[-1].mediabox
        pdf.add_blank_page(page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1])))
        out = io.BytesIO()
        pdf.save(out)
        return pages + 1, out.getvalue()


def _failure(printer: str | None, result: subprocess.CompletedProcess) -> PrintError:
    """Why lp failed, in words: lp says "the printer does not exist" when the scheduler is down."""
    check_printer(printer)  # raises for no scheduler, no such printer, no default
    said = result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}"
    return PrintError(f"cannot print: lp failed: {said.splitlines()[0]}")


def _check_scheduler() -> None:
    out = _run(["lpstat", "-r"]).stdout
    if "not running" in out or "is running" not in out:
        raise PrintError(NOT_RUNNING)


def _run(
    args: list[str], *, input: bytes | None = None, stdin: BinaryIO | None = None
) -> subprocess.CompletedProcess:
    """Run a CUPS command (its messages in English, to be read); PrintError when it is missing
    or does not answer."""
    program = shutil.which(args[0])
    if program is None:
        raise PrintError(NO_CUPS)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        done = subprocess.run([program, *args[1:]], input=input, stdin=stdin,
                              capture_output=True, timeout=TIMEOUT, env=env)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise PrintError(
            f"cannot print: the printing system did not answer in {TIMEOUT} seconds"
        ) from None
    except OSError as exc:
        raise PrintError(f"cannot print: cannot run {args[0]}: {exc.strerror or exc}") from None
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def print_hint(paths: Path | Sequence[Path], options: PrintOptions, problem: PrintError) -> str:
    """How to print written handouts again, after `problem`."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    extra = options.command_options("NAME" if problem.no_printer else None)
    shown = [str(p) for p in paths[:HINT_FILES]]
    command = shlex.join(["handouts", "print", *shown]) + (f" {extra}" if extra else "")
    if len(paths) > HINT_FILES:
        return (f"{len(paths)} PDFs were not printed, from {paths[0]} to {paths[-1]}; print them "
                f"again with: handouts print FILE.pdf ...{f' {extra}' if extra else ''}")  # fmt: skip
    where = f"The PDF is at {paths[0]}" if len(paths) == 1 else "The PDFs are written"
    them = "it" if len(paths) == 1 else "them"
    return f"{where}; print {them} again with: {command} (or from a PDF viewer)"
