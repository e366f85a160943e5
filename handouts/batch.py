"""Batches: one handout per row of a CSV file, for the front desk's stack of the day.

A bad row is reported with its line number and does not stop the others; so is a row whose
build failed unexpectedly, even one that killed its worker process. An option that is wrong for
every row (a layout, a language, a brand) stops the batch before any row is built. Files are
written atomically and named from the row, so re-running a batch is safe, and a batch told to
stop (SIGTERM, SIGINT) leaves no worker process and no temporary file behind.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import multiprocessing
import os
import re
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from handouts import deliver
from handouts.build import BuildRequest, build, html_with_password, library_of, named_files
from handouts.deliver import check_target, check_writable, slug
from handouts.errors import DeliveryError, HandoutsError, InputError
from handouts.language import draft_warning, language_of
from handouts.load.brand import load_brand
from handouts.load.csvtable import check_columns, read_table
from handouts.load.layout import load_layout
from handouts.load.source import is_file
from handouts.names import left_out_warning
from handouts.text import is_digits

COLUMNS = ("patient", "program", "exercises", "choose", "therapist", "date", "layout", "paper",
           "lang", "notes", "email", "log_weeks", "html")  # fmt: skip
YES, NO = ("yes", "y", "true", "1", "x"), ("no", "n", "false", "0")  # the html column's words
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SEPARATORS = re.compile(r"[\s,;]+")
# A handout leaves cyclic garbage (reportlab's document, canvas and pages) that Python's own
# collector frees only on its rare full passes, so a batch process's memory climbed ~3 MiB before
# the first one. A full collection every so many handouts (~25 ms: about 1 ms a handout) keeps
# it flat from the start.
COLLECT_EVERY = 25
_made = itertools.count(1)  # handouts made in this process
# rows handed to a worker at a time: small, so that the workers finish together (a worker left
# with a long last chunk while the other idles was ~5-10% of a batch's time with two workers)
CHUNK = 2
STOP_WAIT = 5.0  # seconds a stopped worker has to remove its temporary file before it is killed


@dataclass(frozen=True)
class Row:
    line: int  # the line of the CSV file the row starts on
    request: BuildRequest | None  # None when the row itself is wrong
    problem: str = ""
    where: str = ""  # "patients.csv:4", to begin a message with


@dataclass(frozen=True)
class Outcome:
    line: int
    path: Path | None = None  # the handout written
    problem: str = ""  # why there is none, or why it could not be emailed
    sent_to: str = ""
    eml: Path | None = None
    fallbacks: tuple[str, ...] = ()  # text printed in English for want of a translation
    html: Path | None = None  # its accessible HTML copy, written beside it (the html column)


@dataclass(frozen=True)
class BatchResult:
    source: Path
    outcomes: tuple[Outcome, ...]
    merged: Path | None = None
    merge_problem: str = ""  # why the merged PDF was not written
    printed: tuple = ()  # the print jobs sent (printing.Job), in row order
    print_problem: str = ""  # why the handouts (the rest of them) were not printed
    drafts: tuple[str, ...] = ()  # a warning for each draft language the rows print in (once)
    left_out: str = ""  # the warning naming the library's exercises left out for their problems

    @property
    def written(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.path is not None]

    @property
    def sent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.sent_to]

    @property
    def failed(self) -> list[Outcome]:
        """Rows with a problem: no handout, or a handout that could not be emailed."""
        return [o for o in self.outcomes if o.problem]


def read_rows(path: Path, base: BuildRequest, out_dir: Path) -> list[Row]:
    """The rows of a batch file as build requests for `out_dir`; `base` gives the shared options.

    A missing file, a missing, unknown or repeated column is an InputError (nothing is built).
    """
    found = read_table(path, "batch file", _check_header)
    rows = [_row(path, line, values, base, out_dir) for line, values in found]
    return rows


def _check_header(path: Path, header: list[str]) -> None:
    check_columns(path, header, COLUMNS, "; case and spaces do not count")
    if "program" not in header and "exercises" not in header:
        raise InputError(f"{path}:1: a batch needs a 'program' or an 'exercises' column (or both)")


def _row(path: Path, line: int, values: dict[str, str], base: BuildRequest, out_dir: Path) -> Row:
    def bad(problem: str) -> Row:
        return Row(line, None, f"{path}:{line}: {problem}")

    if values.get("__extra__"):
        return bad("this row has more values than the header has columns")
    date = base.date
    if values.get("date"):
        if not DATE.fullmatch(values["date"]):
            return bad(f"date must be like 2026-11-29, got '{values['date']}'")
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            return bad(f"date must be a real date like 2026-11-29, got '{values['date']}'")
    paper = values.get("paper", "").lower() or base.paper
    if paper not in (None, "letter", "a4"):
        return bad(f"paper must be letter or a4, got '{values['paper']}'")
    languages = library_of(base).languages
    lang = _language(values.get("lang", ""), languages) if values.get("lang") else base.lang
    if lang is None:
        have = ", ".join(languages)
        return bad(f"lang must be a language the library has ({have}), got '{values['lang']}'")
    weeks = values.get("log_weeks", "")
    if weeks and not (is_digits(weeks) and int(weeks) <= 12):
        return bad(f"log_weeks must be a whole number from 0 to 12, got '{weeks}'")
    html = values.get("html", "").lower()
    if html and html not in YES + NO:
        return bad(f"html must be yes or no (or empty: no), got '{values['html']}'")
    html = html in YES or base.html
    if html and base.password is not None:
        return bad(html_with_password(asked="--html" if base.html else "the html column"))
    layout = values.get("layout") or base.layout
    if values.get("layout") and (layout.endswith((".yaml", ".yml")) or "/" in layout):
        layout = str(path.parent / layout)  # a layout file named in the CSV: next to it
    ids = tuple(i for i in SEPARATORS.split(values.get("exercises", "")) if i)
    program = values.get("program") or None
    if not ids and not program:
        return bad("give a program or exercises for this row")
    patient = values.get("patient", "")
    name = f"{line:04d}-{slug(patient) or 'patient'}-{slug(program or 'handout')}-{date}.pdf"
    request = replace(
        base,
        ids=ids,
        program=program,
        choose=tuple(i for i in SEPARATORS.split(values.get("choose", "")) if i),
        patient=patient,
        therapist=values.get("therapist") or base.therapist,
        notes=values.get("notes", "").replace("\\n", "\n"),
        date=date,
        paper=paper,
        layout=layout,
        log_weeks=int(weeks) if weeks else base.log_weeks,
        lang=lang,
        email=values.get("email") or None,
        html=html,
        output=out_dir / name,
    )
    return Row(line, request, where=f"{path}:{line}")


def _language(code: str, languages) -> str | None:
    """The library's code for the language `code` (any case, as build takes it), or None."""
    return next((known for known in languages if known.lower() == code.strip().lower()), None)


# -- building ---------------------------------------------------------------------------------
def _make(row: Row) -> Outcome:
    """Build one row's handout and write it (in a worker process, or in this one). Whatever
    goes wrong fails this row only."""
    assert row.request is not None and row.request.output is not None
    if next(_made) % COLLECT_EVERY == 0:
        gc.collect()
    output = row.request.output
    before = _stamp(output)  # a re-run replaces the files of the last one
    try:
        built = build(row.request)
    except (HandoutsError, DeliveryError) as exc:
        problem = f"{row.where}: {exc.format_message()}"
        if not isinstance(exc, DeliveryError) or _stamp(output) in (None, before):
            return Outcome(row.line, problem=problem)
        return Outcome(row.line, output, problem)
    except Exception as exc:  # noqa: BLE001 - a bug fails its row, not the batch
        if os.environ.get("HANDOUTS_DEBUG"):
            traceback.print_exc()
        written = _stamp(output) not in (None, before)
        return Outcome(row.line, output if written else None, _internal(row, exc, written))
    return Outcome(row.line, built.path, sent_to=built.sent_to or "", eml=built.eml,
                   fallbacks=tuple(str(m) for m in built.fallbacks), html=built.html)  # fmt: skip


def _internal(row: Row, exc: BaseException, written: bool = False) -> str:
    """A row's unexpected failure, without its text (the exception's could hold the name)."""
    what = "its handout was written, then it failed" if written else "no handout was written"
    return (f"{row.where}: internal error ({type(exc).__name__}); {what}. Run again with "
            "HANDOUTS_DEBUG=1 to see the details.")  # fmt: skip


def _died(row: Row) -> Outcome:
    return Outcome(row.line, problem=f"{row.where}: internal error: the process building this row "
                   "stopped (it crashed or was killed); no handout was written.")  # fmt: skip


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def run_batch(
    path: Path,
    out_dir: Path,
    base: BuildRequest,
    *,
    jobs: int | None = None,
    merge: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    start_method: str | None = None,
) -> BatchResult:
    """Build every row of `path` into `out_dir` (made when missing) with `jobs` processes;
    `merge` also writes one PDF of all the handouts in row order. `progress(done, total)` is
    called once the batch is checked (0 done) and as rows finish. With `base.printing`, the handouts are printed once all are built:
    the merged PDF as one job, else each handout as a job of its own, in row order; with duplex,
    a blank page follows each handout with an odd number of pages (in the merged PDF too).
    `start_method` ("forkserver", "spawn") is how the worker processes start when the caller has
    threads (a web server: a fork there can copy a lock held by another thread and hang); with
    it, every row is built in a worker, none in the caller. Without it they are forked (Linux).

    Bad options and a bad header raise InputError before anything is built or written; a bad
    row, or a row that fails unexpectedly, is an Outcome with its problem."""
    _check_out_dir(out_dir)
    printing, base = base.printing, replace(base, printing=None)  # printed here, in row order
    library = library_of(base)
    base = replace(base, lang=language_of(library, base.lang).code)  # --lang ES: as build
    load_layout(base.layout)  # a wrong --layout, --brand fails once, not on every row
    brand = load_brand(base.brand)
    rows = read_rows(path, base, out_dir)
    if merge is not None:
        _check_merge_target(merge, _reads(path, base, rows), rows)
        if not _same_file(merge.parent, out_dir):  # (one in the folder to make: once it is)
            check_writable(merge)
    if any(r.request and r.request.email for r in rows):
        from handouts.mail import SmtpSettings, sender_address

        sender_address(brand)  # the clinic's address, which every email is sent from
        if not base.dry_run:
            # a batch that emails needs the mail server before it starts
            SmtpSettings.from_env(base.smtp if base.smtp is not None else os.environ)
    if printing is not None:  # no CUPS, no scheduler, no such printer: found before any row
        from handouts.printing import check_printer

        printing = replace(printing, printer=check_printer(printing.printer))
    _make_out_dir(out_dir)
    check_writable(out_dir / "handout.pdf")
    if merge is not None:  # a device, pipe or link; an input under another name or a hard link
        check_target(merge, [path, *named_files(base)], hint="--merge")
    outcomes: dict[int, Outcome] = {}
    progress(0, len(rows))  # (checked: nothing is refused up front from here on)

    def done(outcome: Outcome) -> None:
        outcomes[outcome.line] = outcome
        # what a worker wrote, in this process's list too: an error after it never says
        # "Nothing was written"
        deliver.written.extend(p for p in (outcome.path, outcome.eml) if p is not None)
        progress(len(outcomes), len(rows))

    with _stopped_by_signals():
        for row in rows:
            if row.request is None:
                done(Outcome(row.line, problem=row.problem))
        todo = [row for row in rows if row.request is not None]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        if jobs == 1 and start_method is None:
            for row in todo:
                done(_make(row))
                _stop_if_told()
        elif todo:
            _in_workers(todo, jobs, done, start_method)
        ordered = tuple(outcomes[line] for line in sorted(outcomes))
        merged, problem = None, ""
        pad = printing is not None and printing.duplex
        if merge is not None and any(o.path for o in ordered):
            problem = _merge(merge, [o.path for o in ordered if o.path is not None], pad)
            merged = None if problem else merge
        printed, print_problem = (), ""
        if printing is not None and not problem:
            printed, print_problem = _print(printing, ordered, merged)
    languages = dict.fromkeys(r.request.lang for r in rows if r.request is not None)
    drafts = (draft_warning(language_of(library, code)) for code in languages)
    return BatchResult(path, ordered, merged, problem, printed, print_problem,
                       tuple(d for d in drafts if d), left_out_warning(library))  # fmt: skip


def _print(printing, outcomes: tuple[Outcome, ...], merged: Path | None) -> tuple[tuple, str]:
    """Print the merged PDF, else each handout written, in row order; stop at the first job
    that cannot be sent (the printer is gone), saying how to print the rest."""
    from handouts.printing import PrintError, new_title, print_hint, print_pdf

    batch = new_title()  # one id for the batch's jobs: handout-3f9a2c-0004, ...-merged
    todo = [(merged, f"{batch}-merged")] if merged is not None else [
        (o.path, f"{batch}-{o.line:04d}") for o in outcomes if o.path is not None]  # fmt: skip
    jobs = []
    for path, title in todo:
        try:
            jobs.append(print_pdf(path, printing.printer, printing.copies, printing.duplex,
                                  title=title))  # fmt: skip
        except PrintError as exc:
            rest = [p for p, _ in todo[len(jobs) :]]
            count = f"Printed {len(jobs)} of {len(todo)}. " if len(todo) > 1 else ""
            return tuple(jobs), f"{exc.message}\n{count}{print_hint(rest, printing, exc)}"
    return tuple(jobs), ""


def _merge(merge: Path, paths: list[Path], pad_odd: bool = False) -> str:
    """Write the merged PDF; what went wrong, if anything (the handouts are written: a problem
    here is reported with them, never as if nothing had been written)."""
    from handouts.merge import write_merged

    try:
        write_merged(paths, merge, pad_odd=pad_odd)
    except HandoutsError as exc:
        return exc.format_message()
    except OSError as exc:
        return f"{merge}: cannot write the merged PDF: {exc.strerror or exc}"
    except Exception as exc:  # noqa: BLE001 - (a handout that cannot be read back, say)
        if os.environ.get("HANDOUTS_DEBUG"):
            traceback.print_exc()
        return (
            f"{merge}: the merged PDF could not be written: internal error ({type(exc).__name__})"
        )
    return ""


def _check_out_dir(out_dir: Path) -> None:
    """The folder for the handouts is one, or can be made (before anything is read)."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise InputError(f"{out_dir}: is not a folder; give a folder for the handouts")
    if any(len(os.fsencode(part)) > 255 for part in out_dir.parts):
        raise InputError(f"{out_dir}: cannot make the folder: a name in it is over 255 bytes")
    ancestor = out_dir
    while not os.path.exists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not os.path.isdir(ancestor):
        raise InputError(f"{out_dir}: cannot make the folder: {ancestor} is not a folder")
    if ancestor != out_dir and not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(f"{out_dir}: cannot make the folder: {ancestor} is not writable")


def _make_out_dir(out_dir: Path) -> None:
    """Make the folder and any missing parents, private to the user (handouts are health
    information)."""
    missing = []
    folder = out_dir
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile
        except OSError as exc:
            raise InputError(f"{out_dir}: cannot make the folder: {exc.strerror}") from None


def _reads(path: Path, base: BuildRequest, rows: list[Row]) -> list[tuple[Path, str]]:
    """The files this batch reads, with what each is."""
    found = [(path, "the batch file")]
    found += [(base.library, "the library")] if base.library else []
    found += [(base.brand, "the brand file")] if base.brand else []
    layouts = {base.layout} | {r.request.layout for r in rows if r.request}
    found += [(Path(name), "a layout file") for name in sorted(layouts) if is_file(name)]
    return found


def _check_merge_target(merge: Path, reads: list[tuple[Path, str]], rows: list[Row]) -> None:
    """The merged PDF would not replace a file the batch reads or one of its handouts."""
    for other, what in reads:
        if _same_file(merge, other):
            raise InputError(
                f"{merge}: is {what} this batch reads; give another name for the merged PDF"
            )
    for row in rows:
        if row.request and row.request.output and _same_file(merge, row.request.output):
            raise InputError(f"{merge}: is the handout of line {row.line} of this batch; give "
                             "another name for the merged PDF")  # fmt: skip


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist (yet)
        return os.path.abspath(one) == os.path.abspath(other)


# -- worker processes -------------------------------------------------------------------------
def _in_workers(
    todo: list[Row], jobs: int, done: Callable[[Outcome], None], start_method: str | None = None
) -> None:
    """Build `todo` in `jobs` worker processes. When a worker dies (a crash, the system out of
    memory), the rows it may have been building are built again one at a time, each alone in a
    worker, so that only the row that kills its worker fails."""
    pending = deque(todo)
    while pending:
        suspects = deque(_pool_pass(pending, jobs, CHUNK, 2 * jobs, done, start_method))
        while suspects:
            for row in _pool_pass(suspects, 1, 1, 1, done, start_method):
                done(_died(row))


def _pool_pass(
    queue: deque[Row],
    jobs: int,
    chunk: int,
    window: int,
    done: Callable[[Outcome], None],
    start_method: str | None = None,
) -> list[Row]:
    """Build the rows of `queue` (taking them off it) in a pool of `jobs` processes, `chunk`
    rows a task and at most `window` tasks given out at once. Returns [] when all are done, or,
    when a worker died, the rows of the tasks given out (the rest stay on `queue`)."""
    with _pool(jobs, start_method) as pool:
        running: dict = {}
        while queue or running:
            while queue and len(running) < window:
                rows = [queue.popleft() for _ in range(min(chunk, len(queue)))]
                running[pool.submit(_make_chunk, rows)] = rows
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                rows = running.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    return rows + [row for rows in running.values() for row in rows]
                except Exception as exc:  # noqa: BLE001 - (an outcome that could not be sent)
                    outcomes = [Outcome(row.line, problem=_internal(row, exc)) for row in rows]
                for outcome in outcomes:
                    done(outcome)
    return []


@contextmanager
def _pool(jobs: int, start_method: str | None = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of worker processes that are gone when this ends, however it ends: when it is
    interrupted (an exception, SIGINT, SIGTERM: see _stopped_by_signals), the workers are told
    to stop, and given STOP_WAIT seconds to finish writing a file before they are killed.
    Forked from this process (Linux), or started by `start_method` (see run_batch)."""
    global _workers
    if start_method is not None:
        context = multiprocessing.get_context(start_method)
        parent = None  # (a forkserver's workers are its children, not this process's)
    else:
        context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
        parent = os.getpid()
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start,
                               initargs=(parent,))  # fmt: skip
    _workers = True
    try:
        yield pool
        pool.shutdown(wait=True)
    except BaseException:
        _stop(pool)
        raise
    finally:
        _workers = False


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: the worker ends (once a file it writes is written)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(STOP_WAIT)
        if process.is_alive():
            process.kill()
            process.join()


# Where this process may hold a temporary file: a signal there waits for the file's end.
WRITERS = frozenset({"handouts.deliver", "handouts.load.cache", "tempfile"})
STOPS = (signal.SIGTERM, signal.SIGINT)
_pending: list[int] = []  # a signal that came while a file was being written
_workers = False  # this process has worker processes to stop (see _pool)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGINT stop a batch without leaving a temporary file or a worker process
    (exit status 128 + the signal's number). Only the main thread can be told (a batch run
    from another thread is left as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pending.clear()
    previous = [signal.signal(number, _parent_stop) for number in STOPS]
    try:
        yield
    finally:
        for number, handler in zip(STOPS, previous, strict=True):
            signal.signal(number, handler)


def _parent_stop(signum: int, frame) -> None:
    """A signal stops a batch by an exception in this module's code and merge.py's (their
    `finally` remove temporary files and stop the workers), but not inside a library, which
    could swallow it (reportlab has bare `except:`s): a build in this process ends at once
    (it holds no temporary file), and the writing of a file ends first."""
    merging = _inside(frame, {"handouts.merge"})  # (its temporary file goes in its `except`)
    if _inside(frame, WRITERS) and not merging:
        _pending.append(signum)
        return
    if _workers or merging:
        for number in STOPS:
            signal.signal(number, signal.SIG_IGN)  # one is enough: the cleanup runs unbroken
        raise SystemExit(128 + signum)
    os._exit(128 + signum)


def _stop_if_told() -> None:
    """Between two rows: stop if a signal came while a file was being written."""
    if _pending:
        for number in STOPS:
            signal.signal(number, signal.SIG_IGN)
        raise SystemExit(128 + _pending[0])


def _inside(frame, modules) -> bool:
    while frame is not None:
        if frame.f_globals.get("__name__") in modules:
            return True
        frame = frame.f_back
    return False


def _worker_start(parent: int | None) -> None:
    """Each worker ends when its parent does (even killed), and on SIGTERM or SIGINT, which
    end it at once unless it is writing a file: then once the file is written. (`parent`: the
    process that forked it, when it was forked, to find whether that died before this ran.)"""
    if sys.platform == "linux":
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG: SIGTERM when the parent dies
    if parent is not None and os.getppid() != parent:  # it died before that
        os._exit(1)
    _pending.clear()
    for number in STOPS:
        signal.signal(number, _worker_stop)


def _worker_stop(signum: int, frame) -> None:
    if _inside(frame, WRITERS):
        _pending.append(signum)
    else:
        os._exit(128 + signum)


def _make_chunk(rows: list[Row]) -> list[Outcome]:
    """Build `rows` in a worker process (see _worker_start)."""
    outcomes = []
    for row in rows:
        outcomes.append(_make(row))
        if _pending:
            os._exit(128 + _pending[0])
    return outcomes
