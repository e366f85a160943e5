"""Handouts made in worker processes, as batch does (reportlab holds the GIL: two staff who
preview at once do not wait for each other), and kept a little while in memory.

The pool starts on the first render (or when `warm` is called once the server listens), so the
server answers at once. A made handout (its PDF and, once asked for, each page's image) is kept in
a small LRU keyed by a digest of what was asked for (with the stamps of the clinic's files),
so a preview, then its download, draws each page once; two requests for the same handout at the
same moment share one render. Nothing of it is written to disk.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the server imports these on its first render, not at start-up)
    from concurrent.futures import ProcessPoolExecutor

    from handouts.build import BuildRequest

# how worker processes start: never a fork of the server, which has threads (waitress's)
START_METHOD = "forkserver" if sys.platform == "linux" else "spawn"
# what the forkserver imports once, so that each worker it forks has it (a batch's, a render's)
PRELOAD = ["handouts.render", "handouts.batch", "pypdfium2"]
SCALE = 1.4  # page images at 1.4 px a point: a letter page is 857 px wide
KEPT = 24  # handouts kept in memory


@dataclass
class Made:
    """One handout made: its PDF, what it is called, its warnings, and its page images."""

    pdf: bytes
    title: str
    program: str
    pages: int
    warnings: list[str]
    name: str = "handout.pdf"  # the file name the CLI would give it
    images: dict[int, bytes] = field(default_factory=dict)  # page number (from 1) -> PNG


@dataclass(frozen=True)
class Refused:
    """Bad input found while making it: the message and every problem (as the CLI says them)."""

    error: str
    problems: list[str] = field(default_factory=list)


class WorkerDied(RuntimeError):
    """The process making a handout stopped (crashed, killed): nothing was made."""


# -- in the worker process ------------------------------------------------------------------
def _worker_start() -> None:
    """Import the renderer once per worker, before its first handout."""
    if sys.platform == "linux":
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG: end with the server
    import pypdfium2  # noqa: F401

    import handouts.render  # noqa: F401


def _make(request: BuildRequest, page: int | None = None) -> Made | Refused:
    """The handout, and with `page` that page's image too (a preview: one trip to a worker)."""
    from handouts.build import make_handout
    from handouts.deliver import first_name
    from handouts.errors import HandoutsError
    from handouts.language import draft_warning

    try:
        handout, pdf = make_handout(request)
    except HandoutsError as exc:  # (its own type may not cross processes: a plain value does)
        return Refused(exc.format_message(), list(getattr(exc, "problems", None) or
                                                  [exc.format_message()]))  # fmt: skip
    warnings = [f"printed in English (no translation): {m}" for m in handout.fallbacks]
    draft = draft_warning(handout.labels.language)
    warnings += [draft] if draft else []
    name = first_name(Path("."), handout.program_id or "handout", handout.patient, handout.date)
    made = Made(pdf, handout.title, handout.program_id, 0, warnings, name=name.name)
    made.pages = _page_count(pdf)
    if page is not None and 1 <= page <= made.pages:
        made.images[page] = page_image(pdf, page)
    return made


def page_image(pdf: bytes, number: int, scale: float = SCALE) -> bytes:
    """Page `number` (from 1) of `pdf` as a PNG (pypdfium2), in memory."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[number - 1]
        image = page.render(scale=scale).to_pil()
        page.close()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=3)
        return buffer.getvalue()
    finally:
        document.close()


def _page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _deliver(request: BuildRequest):
    """Build, write into the request's (temporary) folder, print and email, as build does."""
    from handouts.build import build
    from handouts.errors import DeliveryError, HandoutsError

    try:
        built = build(request)
    except (HandoutsError, DeliveryError) as exc:
        return Refused(exc.format_message(), list(getattr(exc, "problems", None) or
                                                  [exc.format_message()]))  # fmt: skip
    printed = f"{built.printed.printer} (job {built.printed.id})" if built.printed else ""
    return {"sent_to": built.sent_to or "", "printed": printed}


def _picture(library: Path | None, exercise_id: str) -> bytes | None:
    from handouts.build import BuildRequest, library_of
    from handouts.load.layout import load_layout
    from handouts.render.picture import picture_pdf

    pdf = picture_pdf(library_of(BuildRequest(library=library)), exercise_id, load_layout())
    return page_image(pdf, 1, 1.5) if pdf is not None else None


def worker_context():
    """The multiprocessing context the server's workers start by (renders' and batches')."""
    import multiprocessing

    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(PRELOAD)  # (once it runs, the forkserver keeps its own)
    return context


# -- in the server --------------------------------------------------------------------------
class Renderer:
    """The worker pool and the kept handouts of one server."""

    def __init__(self, workers: int | None = None, kept: int = KEPT) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.kept = kept
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._made: OrderedDict[str, Made] = OrderedDict()
        self._running: dict[str, Future] = {}
        self._pictures: dict[tuple, bytes | None] = {}

    def warm(self) -> None:
        """Start the workers now (the server is listening): the first preview does not wait."""
        pool = self._get_pool()
        try:
            for _ in range(self.workers):
                pool.submit(int)
        except RuntimeError:  # (closed meanwhile: the server is stopping)
            pass

    def _get_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ProcessPoolExecutor

                context = worker_context()
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                                 initializer=_worker_start)  # fmt: skip
            return self._pool

    def _run(self, function, *args):
        from concurrent.futures.process import BrokenProcessPool

        pool = self._get_pool()
        try:
            return pool.submit(function, *args).result()
        except BrokenProcessPool:
            with self._lock:  # a new pool for the next request
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise WorkerDied("the process making the handout stopped; nothing was made") from None

    def make(self, request: BuildRequest, page: int | None = None) -> Made | Refused:
        """The handout `request` asks for (no email, no password: see fields.without_delivery),
        from memory when it was made already; two threads asking at once share one render.
        With `page` (a preview), the worker that makes it draws that page too."""
        key = digest(request)
        with self._lock:
            made = self._made.get(key)
            if made is not None:
                self._made.move_to_end(key)
                return made
            running = self._running.get(key)
            mine = running is None
            if mine:
                running = self._running[key] = Future()
        if not mine:
            return running.result()  # (raises what the render raised)
        try:
            result = self._run(_make, request, page)
        except BaseException as exc:
            with self._lock:
                del self._running[key]
            running.set_exception(exc)
            raise
        with self._lock:
            if isinstance(result, Made):
                self._made[key] = result
                while len(self._made) > self.kept:
                    self._made.popitem(last=False)
            del self._running[key]
        running.set_result(result)
        return result

    def page(self, made: Made, number: int) -> bytes:
        """Page `number` of a made handout as a PNG, drawn once (in a worker: PDFium is not
        thread-safe, and two staff's pages are drawn at once there)."""
        with self._lock:
            png = made.images.get(number)
        if png is None:
            png = self._run(page_image, made.pdf, number)
            with self._lock:
                made.images[number] = png
        return png

    def deliver(self, request: BuildRequest):
        """build(request) in a worker: written into request.folder, printed and emailed."""
        return self._run(_deliver, request)

    def picture(self, library: Path | None, exercise_id: str) -> bytes | None:
        """An exercise's pictures as a PNG (None: it has none), made once per library state."""
        key = (library, _stamp(library), exercise_id)
        if key not in self._pictures:
            self._pictures[key] = self._run(_picture, library, exercise_id)
        return self._pictures[key]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def digest(request: BuildRequest) -> str:
    """What makes a handout what it is, hashed: the request (without its delivery) and the
    stamps of the clinic's files it reads (an edited library makes a new handout)."""
    request = replace(request, email=None, password=None, smtp=None, printing=None,
                      folder=Path("."), output=None)  # fmt: skip
    files = [request.library, request.brand, request.rx]
    text = repr((request, [(str(p), _stamp(p)) for p in files if p is not None]))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stamp(path: Path | None):
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
