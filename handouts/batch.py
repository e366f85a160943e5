"""Batches: one handout per row of a CSV file, for the front desk's stack of the day.

A bad row is reported with its line number and does not stop the others. Files are written
atomically and named from the row, so re-running a batch is safe.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import itertools
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from handouts.build import BuildRequest, build, library_of, named_files
from handouts.deliver import check_target, check_writable, slug, write_atomic
from handouts.errors import DeliveryError, HandoutsError, InputError
from handouts.language import language_of
from handouts.load.fields import closest
from handouts.text import is_digits

COLUMNS = ("patient", "program", "exercises", "therapist", "date", "layout", "paper", "lang",
           "notes", "email", "log_weeks")  # fmt: skip
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
    pdf: bytes = b""
    sent_to: str = ""
    eml: Path | None = None
    fallbacks: tuple[str, ...] = ()  # text printed in English for want of a translation


@dataclass(frozen=True)
class BatchResult:
    source: Path
    outcomes: tuple[Outcome, ...]
    merged: Path | None = None

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

    A missing file, a missing or unknown header is an InputError (nothing is built).
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")  # a BOM from a spreadsheet is fine
    except FileNotFoundError:
        raise InputError(f"{path}: batch file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the batch file: {exc.strerror}") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            _check_header(path, header)
            reader.fieldnames = header
            rows = [
                _row(path, reader.line_num, record, base, out_dir) for record in _records(reader)
            ]
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: the batch file is not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}: not a readable CSV file ({exc})") from None
    return rows


def _records(reader: csv.DictReader) -> Iterator[dict[str, str]]:
    for record in reader:
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:
            values["__extra__"] = "yes"
        if any(values.values()):
            yield values


def _check_header(path: Path, header: list[str]) -> None:
    expected = ", ".join(COLUMNS)
    if not header or not any(header):
        raise InputError(f"{path}:1: the first row must name the columns: {expected}")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        hints = "; ".join(f"'{name}'{closest(name, COLUMNS)}" for name in unknown)
        raise InputError(f"{path}:1: unknown column {hints}; the columns are: {expected}")
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
    lang = values.get("lang", "") or base.lang
    languages = library_of(base).languages
    if lang not in languages:
        have = ", ".join(languages)
        return bad(f"lang must be a language the library has ({have}), got '{lang}'")
    weeks = values.get("log_weeks", "")
    if weeks and not (is_digits(weeks) and int(weeks) <= 12):
        return bad(f"log_weeks must be a whole number from 0 to 12, got '{weeks}'")
    layout = values.get("layout") or base.layout
    if layout.endswith((".yaml", ".yml")) or "/" in layout:
        layout = str(path.parent / layout)  # a layout file next to the batch file
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
        patient=patient,
        therapist=values.get("therapist") or base.therapist,
        notes=values.get("notes", "").replace("\\n", "\n"),
        date=date,
        paper=paper,
        layout=layout,
        log_weeks=int(weeks) if weeks else base.log_weeks,
        lang=lang,
        email=values.get("email") or None,
        output=out_dir / name,
    )
    return Row(line, request, where=f"{path}:{line}")


def _make(row: Row, keep_pdf: bool = False) -> Outcome:
    """Build one row's handout and write it (runs in a worker process); the PDF's bytes come back
    only when they are to be merged."""
    assert row.request is not None and row.request.output is not None
    if next(_made) % COLLECT_EVERY == 0:
        gc.collect()
    try:
        built = build(row.request)
    except (HandoutsError, DeliveryError) as exc:
        problem = f"{row.where}: {exc.format_message()}"
        written = row.request.output if row.request.output.exists() else None
        if written is None or not isinstance(exc, DeliveryError):
            return Outcome(row.line, problem=problem)
        return Outcome(row.line, written, problem, written.read_bytes() if keep_pdf else b"")
    pdf = built.path.read_bytes() if keep_pdf else b""
    return Outcome(row.line, built.path, pdf=pdf, sent_to=built.sent_to or "", eml=built.eml,
                   fallbacks=tuple(str(m) for m in built.fallbacks))  # fmt: skip


def run_batch(
    path: Path,
    out_dir: Path,
    base: BuildRequest,
    *,
    jobs: int | None = None,
    merge: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> BatchResult:
    """Build every row of `path` into `out_dir` with `jobs` processes; `merge` also writes one PDF
    of all the handouts in row order. `progress(done, total)` is called as rows finish."""
    if not out_dir.is_dir():
        raise InputError(f"{out_dir}: the output folder does not exist")
    check_writable(out_dir / "handout.pdf")
    if merge is not None:  # never over the CSV, library, brand or layout it reads
        check_target(merge, [path, *named_files(base)], hint="--merge")
    language_of(library_of(base), base.lang)  # a wrong --lang fails once, not on every row
    rows = read_rows(path, base, out_dir)
    if not base.dry_run and any(r.request and r.request.email for r in rows):
        from handouts.mail import SmtpSettings

        SmtpSettings.from_env()  # a batch that emails needs the mail server before it starts
    outcomes: dict[int, Outcome] = {}

    def done(outcome: Outcome) -> None:
        outcomes[outcome.line] = outcome
        progress(len(outcomes), len(rows))

    for row in rows:
        if row.request is None:
            done(Outcome(row.line, problem=row.problem))
    todo = [row for row in rows if row.request is not None]
    make = partial(_make, keep_pdf=merge is not None)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if jobs == 1:
        for row in todo:
            done(make(row))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(make, todo, chunksize=CHUNK):
                done(outcome)
    ordered = tuple(outcomes[line] for line in sorted(outcomes))
    merged = None
    if merge is not None and any(o.path for o in ordered):
        write_atomic(merge, merge_pdfs([o.pdf for o in ordered if o.path is not None]))
        merged = merge
    return BatchResult(path, tuple(replace(o, pdf=b"") for o in ordered), merged)


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF of all these, in order, for one print job."""
    import io

    import pikepdf

    merged = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in pdfs]  # open until the merge is saved
    try:
        for source in sources:
            merged.pages.extend(source.pages)
        out = io.BytesIO()
        merged.save(out, deterministic_id=True)
    finally:
        for source in sources:
            source.close()
    return out.getvalue()
