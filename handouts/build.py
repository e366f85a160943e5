"""The whole pipeline for one handout: load -> compose -> render -> deliver."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.compose import Handout, compose
from handouts.deliver import (
    check_folder,
    check_target,
    check_writable,
    first_name,
    write_atomic,
    write_new,
)
from handouts.errors import DeliveryError, InputError
from handouts.language import Missing, draft_warning
from handouts.load import load_library
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.model import Choice, Dose, Library
from handouts.names import left_out_warning
from handouts.resources import is_layout_file

if TYPE_CHECKING:
    from handouts.mail import SmtpSettings
    from handouts.printing import Job, PrintOptions


@dataclass(frozen=True)
class BuildRequest:
    """Everything `handouts build` can be asked for; usable from Python without click."""

    ids: tuple[str, ...] = ()
    program: str | None = None
    choices: tuple[Choice, ...] = ()  # from a prescription: exercises with their doses and notes
    choose: tuple[str, ...] = ()  # of each group of versions (2 or 2b), the one the patient does
    choose_at: str = ""  # 'jane.yaml:7' when `choose` came from a prescription (for its messages)
    doses: tuple[tuple[str, Dose], ...] = ()  # (exercise, dose fields to change): --dose
    exercise_notes: tuple[tuple[str, str], ...] = ()  # (exercise, its note): --note
    patient: str = ""
    therapist: str = ""
    notes: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    paper: str | None = None  # None: the layout's paper
    brand: Path | None = None
    library: Path | None = None
    layout: str = "standard"  # a built-in layout's name, or a layout file's path
    log_weeks: int = 0  # pages of the weekly log (0: none)
    lang: str = "en"  # a language of the library ('es'): every printed word is in it
    allow_fallback: bool = False  # print English where a translation is missing (Handout.fallbacks)
    email: str | None = None  # send the handout to this address
    password: str | None = None  # encrypt the PDF (AES-256) with this password
    dry_run: bool = False  # write the email as a .eml file beside the PDF instead of sending it
    output: Path | None = None  # None: a new file in `folder`
    folder: Path = Path(".")
    rx: Path | None = None  # the prescription file it was filled in from (never written over)
    # the mail server's HANDOUTS_SMTP_* values (None: the environment's; see settings.smtp_environ)
    smtp: Mapping[str, str] | None = field(default=None, repr=False, hash=False)
    printing: PrintOptions | None = None  # print it (once written) with these options
    html: bool = False  # also write the accessible HTML copy beside the PDF (same stem, .html)
    html_at: str = ""  # 'jane.yaml:9' when `html` came from a prescription (for its messages)


def make_handout(request: BuildRequest) -> tuple[Handout, bytes]:
    """Load, compose and render; nothing is written."""
    handout, layout = _composed(request)
    from handouts.render import render  # reportlab is imported only when a PDF is made

    return handout, render(handout, layout)


@dataclass(frozen=True)
class Copies:
    """A handout made both ways from one composed Handout: the PDF, and the accessible HTML
    copy (render/html) when asked."""

    handout: Handout
    pdf: bytes
    html: bytes | None = None


def make_copies(request: BuildRequest, html: bool = True) -> Copies:
    """make_handout, and the handout's accessible HTML copy from the same Handout (unless not
    `html`); nothing is written. The web app's download calls this."""
    handout, pdf = make_handout(request)
    if not html:
        return Copies(handout, pdf)
    from handouts.render.html import html_bytes

    layout = _loaded(load_layout, request.layout)  # (read once: make_handout's)
    return Copies(handout, pdf, html_bytes(handout, layout))


def _composed(request: BuildRequest):
    """The Handout `request` asks for, and the layout it is laid out with."""
    library = _library(request.library)
    brand = _loaded(load_brand, request.brand)
    layout = _loaded(load_layout, request.layout)
    try:
        handout = _compose(request, library, brand, layout)
    except InputError as exc:
        if request.choose_at and exc.message.startswith("cannot choose"):  # the file's choose:
            raise InputError(f"{request.choose_at}: {exc.message}") from None
        raise
    return handout, layout


def _compose(request: BuildRequest, library: Library, brand, layout) -> Handout:
    return compose(
        library,
        brand,
        ids=request.ids,
        program=request.program,
        choices=request.choices,
        choose=request.choose,
        doses=request.doses,
        exercise_notes=request.exercise_notes,
        patient=request.patient,
        therapist=request.therapist,
        notes=request.notes,
        date=request.date,
        paper=request.paper or layout.paper,
        log_weeks=request.log_weeks,
        versions=layout.versions,
        lang=request.lang,
        allow_fallback=request.allow_fallback,
    )


def with_prescription(
    request: BuildRequest, rx: Path, given: Collection[str], *, own_files: bool = True
) -> BuildRequest:
    """`request` filled in from a prescription file; the fields named in `given` (options typed on
    the command line) keep their values, and the file's fill the others:

    - its brand, library and layout (relative to it) replace the request's, so the same file
      rebuilds the same handout anywhere; the library a typed --library replaces is not read;
    - a patient must come from one or the other (an empty `patient:` wants --patient);
    - ids typed are added after the file's exercises; a typed program replaces the file's
      program and its list of exercises (their doses and notes too);
    - `log_weeks` and `email` typed (--weeks 0, --no-log, --no-email) replace the file's.
    Without `own_files` (an upload: see load_prescription) the files it names are not read."""

    def library_for(named: Path | None) -> Library:
        return _library(request.library if named is None or "library" in given else named)

    from handouts.load.rx import load_prescription  # only with --rx: off the build's cold path

    found = load_prescription(rx, library_for, patient_required="patient" not in given,
                              own_files=own_files)  # fmt: skip
    values = {
        "brand": found.brand,
        "library": found.library,
        "patient": found.patient or None,
        "therapist": found.therapist or None,
        "date": found.date,
        "layout": found.layout,
        "paper": found.paper,
        "program": found.program,
        "choices": found.choices,
        "choose": found.choose,
        "notes": found.notes or None,
        "log_weeks": found.log_weeks,
        "email": found.email,
        "lang": found.lang,
        "html": found.html or None,
    }
    if "program" in given:  # a typed program replaces the file's, exercises and all
        given = {*given, "choices"}
    changes = {k: v for k, v in values.items() if v is not None and v != () and k not in given}
    if "choose" in changes:
        changes["choose_at"] = found.choose_at
    if "html" in changes and not request.html:
        changes["html_at"] = found.html_at
    return replace(request, rx=rx, **changes)


def library_of(request: BuildRequest) -> Library:
    """The library `request` builds from (read once per process while its file is unchanged)."""
    return _library(request.library)


def _library(path: Path | None) -> Library:
    return _loaded(load_library, path)


def _loaded(load, name: Path | str | None):
    """What `load` makes of a file, read once per process while the file's content is unchanged
    and every file the value names (a logo, a font, a photo) is still where it was: a batch
    builds many handouts from the same library, brand and layout. A missing file is read again
    (and reported) every time. Inside one `build` it is checked once (see _checked_once)."""
    from handouts.load.cache import file_digest, still_hold

    this_build = _this_build.get()
    if this_build is not None and (load, name) in this_build:
        return this_build[(load, name)]
    digest = file_digest(Path(name)) if name is not None else None
    value, checks = _cached(load, name, digest)
    if not still_hold(checks):
        _cached.cache_clear()
        value, checks = _cached(load, name, digest)
    if this_build is not None:
        this_build[(load, name)] = value
    return value


# what `_loaded` found in the build running (library, brand, layout: each looked up 2-3 times)
_this_build: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "handouts_this_build", default=None
)


def _checked_once(function: Callable[[BuildRequest], Built]) -> Callable[[BuildRequest], Built]:
    """`function` with each file it loads hashed and its photos checked once, not each time
    it is looked up again in the same build (a 900-exercise library's 1,800 photos: ~2.5 ms a
    look-up); the next build (a batch's next row) checks them again."""

    @functools.wraps(function)
    def once(request: BuildRequest) -> Built:
        token = _this_build.set({})
        try:
            return function(request)
        finally:
            _this_build.reset(token)

    return once


@lru_cache(maxsize=16)
def _cached(load, name: Path | str | None, digest: bytes | None):
    from handouts.load.cache import named_files, recording

    value, checks = recording(lambda: load(name))
    return value, checks + named_files(value)


@dataclass(frozen=True)
class Built:
    """What `build` did: the PDF written and, when asked, the email sent or written as .eml."""

    path: Path
    html: Path | None = None  # the accessible HTML copy written beside it (--html)
    sent_to: str | None = None
    eml: Path | None = None
    fallbacks: tuple[Missing, ...] = ()  # printed in English: no translation (--allow-fallback)
    printed: Job | None = None  # the print job sent (--print)
    drafts: tuple[str, ...] = ()  # the warning for a language whose translation is a draft
    left_out: str = ""  # the warning naming the library's exercises left out for their problems


@_checked_once
def build(request: BuildRequest) -> Built:
    """Make the handout, encrypt it when asked, write it, then print it and email it when asked.

    Bad input is found before anything is written; a delivery problem (DeliveryError, exit 1)
    comes after the PDF is safely on disk, and so does a printing problem (PrintError, exit 2:
    no CUPS, no scheduler, no such printer), which says where the PDF is and how to print it.
    The PDF never replaces a file the build reads, nor anything but a regular file; without
    `output`, a new name is claimed in `folder`.
    """
    if request.html and request.password is not None:
        raise InputError(html_with_password(request.html_at))
    if request.output is not None:
        check_target(request.output, named_files(request))
        if request.html:
            check_target(_html_path(request.output), named_files(request), "HTML copy",
                         writes=[request.output])  # fmt: skip
    else:
        check_folder(request.folder)
    settings = None
    if request.email:  # everything the email needs is checked before anything is written
        from handouts.mail import SmtpSettings, check_address, sender_address

        check_address(request.email)
        sender_address(_loaded(load_brand, request.brand))
        smtp = request.smtp if request.smtp is not None else os.environ
        settings = None if request.dry_run else SmtpSettings.from_env(smtp)
    made = make_copies(request, html=request.html)
    handout, pdf = made.handout, made.pdf
    if request.email:  # a placeholder the message cannot fill is found before the PDF is written
        from handouts.mail import message_text

        message_text(handout.brand, handout.lang, patient=handout.patient, title=handout.title,
                     date=handout.date, labels=handout.labels)  # fmt: skip
    plain = pdf  # what a printer is sent: it cannot open an encrypted PDF
    if request.password is not None:
        from handouts.protect import encrypt_pdf

        pdf = encrypt_pdf(pdf, request.password)
    if request.output is not None:
        # a logo, font or photo too, now that they are known (looked at only if the file exists)
        check_target(request.output, _files_read(request, handout))
        if made.html is not None:
            check_target(_html_path(request.output), _files_read(request, handout), "HTML copy")
        path = write_atomic(request.output, pdf)
    else:
        name = first_name(request.folder, handout.program_id or "handout", handout.patient,
                          handout.date)  # fmt: skip
        path = write_new(name, pdf)
    html = _write_html(path, made.html, request.output is not None)
    draft = draft_warning(handout.labels.language)
    built = _print_and_send(request, handout, path, pdf, plain, settings, made.html)
    left_out = left_out_warning(library_of(request))
    return replace(built, html=html, drafts=(draft,) if draft else (), left_out=left_out)


def html_with_password(html_at: str = "", asked: str = "") -> str:
    """Why the HTML copy and a password cannot go together: `html_at` is where a file asked for
    the copy ('jane.yaml:9'), `asked` what asked for it ('the html column')."""
    why = ("the HTML copy cannot be encrypted like the PDF, and written beside it (or sent with "
           "it) would give away what the password protects")  # fmt: skip
    if html_at:
        return (
            f"{html_at}: html: true and a password: {why}; build it without the password "
            "for a patient who asks for the accessible copy, or take html: out of the file"
        )
    if asked:
        return f"{asked} and a password: {why}; make this row without the password"
    return (
        f"--html and --password: {why}; build it without --password for a patient who asks for it"
    )


def _html_path(pdf: Path) -> Path:
    """Where the HTML copy of the PDF at `pdf` goes: beside it, the same stem, '.html'."""
    return pdf.with_suffix(".html") if pdf.suffix.lower() != ".html" else pdf.with_name(
        pdf.name + ".html")  # fmt: skip


def _write_html(pdf: Path, html: bytes | None, replace_it: bool) -> Path | None:
    """Write the HTML copy beside the PDF just written at `pdf`: replacing a file there with -o
    (checked like the PDF before anything was made), else only a new name: when that is taken,
    the PDF just written is removed again (nothing is left half done) and the error says so."""
    if html is None:
        return None
    target = _html_path(pdf)
    if replace_it:
        return write_atomic(target, html, "HTML copy")
    try:
        return write_new(target, html, "HTML copy", number=False)
    except InputError:
        with contextlib.suppress(OSError):
            os.unlink(pdf)
        raise InputError(
            f"{target}: already exists, so the HTML copy of {pdf.name} cannot be written beside "
            "it (nothing was written); move it away or give a name with -o"
        ) from None


def _print_and_send(request: BuildRequest, handout: Handout, path: Path, pdf: bytes, plain: bytes,
                    settings: SmtpSettings | None, html: bytes | None = None) -> Built:  # fmt: skip
    """Print the handout written at `path` (its `plain` bytes: a printer cannot open an
    encrypted PDF), then email it (with its `html` copy when made), as asked. A printing problem does not stop the email; it is
    raised after it (PrintError, exit 2), saying what the email did."""
    printed, problem = None, None
    if request.printing is not None:
        from handouts.printing import PrintError, print_hint, print_pdf

        options = request.printing
        try:
            printed = print_pdf(path, options.printer, options.copies, options.duplex, data=plain)
        except PrintError as exc:
            problem = PrintError(f"{exc.message}\n{print_hint(path, options, exc)}")
    built = Built(path, fallbacks=handout.fallbacks, printed=printed)
    if request.email:
        try:
            built = deliver_by_email(handout, pdf, path, request.email, settings,
                                     encrypted=request.password is not None,
                                     library=request.library, html=html)  # fmt: skip
        except DeliveryError as exc:
            if problem is not None:  # both: the printing problem (exit 2) says both
                raise PrintError(f"{problem.message}\n{exc.message}") from exc
            if printed is not None:
                where = f"on {printed.printer} (job {printed.id})"
                raise DeliveryError(f"{exc.message}\nIt was printed {where}.") from exc
            raise
        built = replace(built, fallbacks=handout.fallbacks, printed=printed)
    if problem is not None:
        sent = f"\nIt was sent to {built.sent_to}." if built.sent_to else ""
        eml = f"\nWrote {built.eml} (the email, not sent)." if built.eml else ""
        raise PrintError(f"{problem.message}{sent}{eml}")
    return built


def named_files(request: BuildRequest) -> list[Path]:
    """The files named in `request` that a build reads: prescription, library, brand, layout."""
    layout = Path(request.layout) if is_layout_file(request.layout) else None
    return [p for p in (request.rx, request.library, request.brand, layout) if p is not None]


def _files_read(request: BuildRequest, handout: Handout) -> Iterator[Path]:
    yield from named_files(request)
    library = library_of(request)
    yield from library.files
    yield from (p for item in handout.items for p in item.exercise.images)  # the photos read
    yield from _photos_it_could_be(library, request.output)
    yield from (handout.brand.logo, *_font_files(handout.brand.font))
    yield from _font_files(_loaded(load_layout, request.layout).font)


def _photos_it_could_be(library: Library, output: Path | None) -> list[Path]:
    """The library's photos (those that do not print too: -o never replaces one) that `output`
    could be, for check_target (which compares them by inode), without a stat of each (1,800
    photos: ~6 ms a build): those in the folder `output` is in, the folder known by its device and
    inode (so a bind mount or another spelling of it is the same folder: one stat per folder), or
    every one when `output` has other hard links."""
    if output is None:
        return []
    try:
        links = os.stat(output).st_nlink
        folder = os.stat(os.path.dirname(os.path.abspath(output)))
    except (OSError, ValueError):
        return []  # a new file (or one check_target refuses for itself)
    others = [p for e in library.exercises.values() for p in e.images]
    if links > 1:
        return others
    same: dict[str, bool] = {}
    found = []
    for photo in others:
        parent = os.path.dirname(photo)
        if parent not in same:
            try:
                st = os.stat(parent)
                same[parent] = (st.st_dev, st.st_ino) == (folder.st_dev, folder.st_ino)
            except (OSError, ValueError):
                same[parent] = False
        if same[parent]:
            found.append(photo)
    return found


def _files_of(library: Library, brand=None) -> list[Path]:
    """The files behind a loaded library and brand: YAML files, photos, the logo, fonts."""
    files = [*library.files, *(p for e in library.exercises.values() for p in e.images)]
    if brand is not None:
        files += [brand.logo, *(_font_files(brand.font))]
    return [p for p in files if p is not None]


def _font_files(font) -> tuple[Path | None, ...]:
    return (font.regular, font.bold) if font is not None else ()


def deliver_by_email(
    handout: Handout,
    pdf: bytes,
    path: Path,
    to: str,
    settings: SmtpSettings | None,
    *,
    encrypted: bool = False,
    library: Path | None = None,
    html: bytes | None = None,
) -> Built:
    """Send the handout written at `path` to `to`, or write the message beside it as a .eml file
    when `settings` is None (a dry run): a new file, never one that exists (the PDF included).
    An `encrypted` handout's email says a password is needed; its accessible `html` copy, when
    given, goes with it. A sending failure (DeliveryError) names the PDF and the `handouts send`
    command that sends it again."""
    from handouts.errors import DeliveryError
    from handouts.mail import email_text, make_message, resend_hint, send, write_eml

    message = make_message(pdf, path.name, to, handout.brand, patient=handout.patient,
                           title=handout.title, date=handout.date, lang=handout.lang,
                           labels=handout.labels, encrypted=encrypted, html=html)  # fmt: skip
    if settings is None:
        return Built(path, eml=write_eml(message, path.with_suffix(".eml")))
    try:
        send(message, settings)
    except DeliveryError as exc:
        text = email_text(handout.brand, handout.lang, labels=handout.labels)  # as resent
        hint = resend_hint(path, to, handout.brand, lang=handout.lang, library=library,
                           text=(text.subject, text.body), date=handout.date,
                           title=handout.title, encrypted=encrypted,
                           html=html is not None)  # fmt: skip
        raise DeliveryError(f"{exc.message}\n{hint}") from exc
    return Built(path, sent_to=to)


def build_figure_sheet(library: Path | None, output: Path | None, paper: str = "letter") -> Path:
    """Write the contact sheet of every exercise's pictures; returns the path written."""
    if output is not None:
        check_target(output, [library] if library is not None else [])
    else:
        check_folder(Path("."))
    from handouts.render.sheet import render_sheet

    today = dt.date.today()
    loaded = load_library(library)
    pdf = render_sheet(loaded, load_layout(), paper, today)
    if output is not None:
        check_target(output, _files_of(loaded))
        return write_atomic(output, pdf)
    return write_new(first_name(Path("."), "figures", "", today), pdf)


def new_prescription(
    program: str,
    patient: str,
    library: Path | None,
    output: Path | None,
    *,
    brand: Path | None = None,
    layout: str | None = None,
    named_library: Path | None = None,
) -> Path:
    """Write a starting prescription file from `program` of `library`; an existing file is
    never replaced. The `brand`, `layout` and `named_library` given are written in the file,
    relative to its folder (each checked first: a missing file is an error here, not later)."""
    from handouts.catalog import starter_prescription

    if output is not None:
        check_writable(output, "prescription")
        if os.path.lexists(output):
            raise InputError(f"{output}: already exists; give another name with -o")
    else:
        check_folder(Path("."), "prescription")
    found = _library(library)
    if brand is not None:  # each is read now: a mistake shows here, not at the first build
        _loaded(load_brand, brand)
    if layout is not None:
        _loaded(load_layout, layout)
    folder = output.parent if output is not None else Path(".")
    names = {
        "library": _relative(named_library, folder),
        "brand": _relative(brand, folder),
        "layout": _relative(Path(layout), folder) if layout and is_layout_file(layout) else layout,
    }
    if names["layout"] and is_layout_file(layout) and not is_layout_file(names["layout"]):
        names["layout"] = f"./{names['layout']}"  # still a file, not a built-in layout's name
    text = starter_prescription(found, program, patient,
                                {k: v for k, v in names.items() if v is not None})  # fmt: skip
    if output is not None:
        return write_new(output, text.encode("utf-8"), "prescription", number=False)
    name = first_name(Path("."), f"rx-{program}", patient, None, suffix=".yaml")
    return write_new(name, text.encode("utf-8"), "prescription")


def _relative(path: Path | None, folder: Path) -> str | None:
    """`path` (from the current folder) as a file in `folder` names it: relative to `folder`."""
    if path is None:
        return None
    try:
        return Path(os.path.relpath(path.absolute(), folder.absolute())).as_posix()
    except ValueError:  # another drive (Windows): only the full path reaches it
        return str(path.absolute())
