"""The HTTP API the page uses, and an intranet or an EHR can call: the same fields, checks
and messages as `handouts build` (see fields.py), the same calls (build, batch, catalog, check).

Bad input answers 400 {"error": ..., "problems": [...]}; see security.py for the rest.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import click
from flask import Blueprint, Response, current_app, request, stream_with_context
from werkzeug.utils import secure_filename

from handouts.errors import HandoutsError
from handouts.web.fields import Problems, TooLarge, normalized, request_from, without_delivery
from handouts.web.renders import Refused
from handouts.web.security import error_answer

blueprint = Blueprint("api", __name__, url_prefix="/api")


class Bad(Exception):
    """An answer other than the one asked for: (status, message, problems)."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or [message]


@blueprint.errorhandler(Bad)
def _bad(exc: Bad):
    response = error_answer(exc.status, exc.message)
    if exc.status == 400:
        response.set_data(json.dumps({"error": exc.message, "problems": exc.problems},
                                     ensure_ascii=False))  # fmt: skip
    return response


NO_PRINTER = ("no printer is set: name one as printer: in the settings file ('handouts printers' "
              "lists them), or open the PDF and print it")  # fmt: skip


def settings():
    return current_app.config["HANDOUTS_SETTINGS"]


def renderer():
    return current_app.extensions["handouts.renderer"]


def fields() -> dict[str, list[str]]:
    """The request's fields: JSON (an object) or a form."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise Bad(400, 'expected a JSON object of fields, like {"program": "sciatica"}')
        try:
            return normalized(data)
        except Problems as exc:
            raise Bad(400, exc.format_message(), exc.problems) from None
    return {key: request.form.getlist(key) for key in request.form}


def asked(data: dict[str, list[str]] | None = None):
    """The BuildRequest the fields ask for (Bad when they are wrong or too long)."""
    today = current_app.config["HANDOUTS_TODAY"]()
    try:
        return request_from(fields() if data is None else data, settings(), today).request
    except TooLarge as exc:
        raise Bad(413, exc.format_message()) from None
    except Problems as exc:
        raise Bad(400, exc.format_message(), exc.problems) from None
    except HandoutsError as exc:
        raise Bad(400, exc.format_message(), getattr(exc, "problems", None)) from None


def made(build_request, page: int | None = None):
    result = renderer().make(without_delivery(build_request), page)
    if isinstance(result, Refused):
        raise Bad(400, result.error, result.problems)
    return result


def pdf_answer(data: bytes, name: str, inline: bool = False) -> Response:
    response = Response(data, mimetype="application/pdf")
    how = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{how}; filename="{secure_filename(name)}"'
    return response


@blueprint.post("/handouts")
def handouts():
    """The PDF, as `handouts build` makes it (encrypted when a password is given)."""
    wanted = asked()
    result = made(wanted)
    pdf = result.pdf
    if wanted.password is not None:
        from handouts.protect import encrypt_pdf

        pdf = encrypt_pdf(pdf, wanted.password)
    return pdf_answer(pdf, result.name, inline=request.args.get("view") == "1")


@blueprint.post("/html")
def html_copy():
    """The accessible HTML copy of the same handout (build.make_copies: `handouts build --html`),
    as a download; refused with a password, as --html is (it cannot be encrypted)."""
    from handouts.build import html_with_password, make_copies
    from handouts.deliver import first_name

    wanted = asked()
    if wanted.password is not None:
        raise Bad(400, html_with_password(asked="the accessible copy"))
    try:
        copies = make_copies(without_delivery(wanted))
    except HandoutsError as exc:
        raise Bad(400, exc.format_message(), getattr(exc, "problems", None)) from None
    h = copies.handout
    name = first_name(Path("."), h.program_id or "handout", h.patient, h.date, ".html").name
    response = Response(copies.html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{secure_filename(name)}"'
    return response


@blueprint.post("/preview")
def preview():
    """One page's image (PNG, base64; the field `page`, from 1: page 1 without it), how many
    pages, the handout's title and warnings. The page asks for page 1, then the others."""
    data = fields()
    page_text = "".join(data.get("page", [])).strip() or "1"
    result = made(asked(data), int(page_text) if page_text.isdigit() else None)
    if not page_text.isdigit() or not 1 <= int(page_text) <= result.pages:
        raise Bad(400, f"page: expected a page from 1 to {result.pages}, got '{page_text}'")
    png = renderer().page(result, int(page_text))
    return {
        "title": result.title,
        "pages": result.pages,
        "page": int(page_text),
        "warnings": result.warnings,
        "image": base64.b64encode(png).decode("ascii"),
    }


@blueprint.post("/versions")
def versions():
    """The groups of versions the handout for these fields holds (compose decides them), each
    one to choose in with `choose`: {"groups": [{"ids": [...], "titles": [...]}]}. Only the
    selection's fields (program, ids, exercises) are read."""
    from handouts.build import library_of
    from handouts.compose import version_groups

    data = fields()
    wanted = asked({k: data[k] for k in ("program", "ids", "exercises") if k in data})
    library = library_of(wanted)
    try:
        groups = version_groups(library, ids=wanted.ids, program=wanted.program,
                                choices=wanted.choices)  # fmt: skip
    except HandoutsError as exc:
        raise Bad(400, exc.format_message(), getattr(exc, "problems", None)) from None
    return {"groups": [{"ids": g, "titles": [library.exercises[i].title for i in g]}
                       for g in groups]}  # fmt: skip


def _delivered(extra: dict):
    """build(...) with `extra` (email, printing), written in a temporary folder removed at once."""
    wanted = asked()
    folder = Path(tempfile.mkdtemp(prefix="handouts-web-"))
    try:
        result = renderer().deliver(replace(wanted, folder=folder, output=None, **extra))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if isinstance(result, Refused):
        raise Bad(400, result.error, result.problems)
    return result


@blueprint.post("/email")
def email():
    """Email the handout to `email` (with `password`, encrypted), exactly as build --email."""
    from handouts.settings import smtp_environ

    data = fields()
    if not "".join(data.get("email", [])).strip():
        raise Bad(400, "--email: give the address to send the handout to")
    asked(data)  # (checked before anything is made)
    result = _delivered({"smtp": smtp_environ(settings())})
    return {"sent_to": result["sent_to"]}


@blueprint.post("/print")
def print_():
    """Send the handout to the clinic's printer (the settings' printer:), as build --print."""
    from handouts.printing import PrintOptions

    printer = settings().printer
    if not printer:
        raise Bad(400, NO_PRINTER)
    result = _delivered({"printing": PrintOptions(printer), "email": None})
    return {"printed": result["printed"]}


@blueprint.get("/exercises")
def exercises():
    """What `handouts list --json` prints (condition, region and lang as its options)."""
    from handouts import catalog
    from handouts.build import BuildRequest, library_of

    library = library_of(BuildRequest(library=settings().library))
    args = request.args
    try:
        chosen = catalog.select(library, args.get("condition"), args.get("region"))
        text = catalog.list_json(chosen, library, args.get("lang"))
    except HandoutsError as exc:
        raise Bad(400, f"--lang: {exc.format_message()}") from None
    return Response(text, mimetype="application/json")


@blueprint.get("/programs")
def programs():
    """What `handouts programs --json` prints."""
    from handouts import catalog
    from handouts.build import BuildRequest, library_of

    library = library_of(BuildRequest(library=settings().library))
    return Response(catalog.programs_json(library), mimetype="application/json")


@blueprint.get("/check")
def check():
    """What `handouts check --json` prints, for the clinic's library, brand and layout."""
    from handouts.check import check as check_files

    s = settings()
    report = check_files(s.library, s.brand, s.layout or "standard")
    return report.as_dict()


@blueprint.post("/rx")
def rx():
    """The prescription file that rebuilds this handout (handouts build --rx FILE)."""
    from handouts.build import library_of
    from handouts.catalog import prescription_text

    wanted = asked()
    made(wanted)  # (a handout that cannot be made gets no prescription)
    text = prescription_text(library_of(wanted), wanted)
    name = f"rx-{wanted.program or 'handout'}-{wanted.date.isoformat()}.yaml"
    response = Response(text.encode("utf-8"), mimetype="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.post("/rx/load")
def rx_load():
    """The fields a prescription file (uploaded as `rx`) fills in, as the page's form takes them,
    and `warnings`: the upload has no folder, so the brand, library and layout files it names
    are not looked up (the server's are used), each said with its line."""
    from handouts.build import BuildRequest, with_prescription
    from handouts.load.rx import not_used

    upload = request.files.get("rx")
    if upload is None or not upload.filename:
        raise Bad(400, "--rx: choose a prescription file to load")
    s = settings()
    name = secure_filename(upload.filename) or "prescription.yaml"
    folder = tempfile.mkdtemp(prefix="handouts-web-")
    path = Path(folder) / name
    try:
        upload.save(path)
        base = BuildRequest(library=s.library, brand=s.brand, layout=s.layout or "standard")
        try:
            found = with_prescription(base, path, {"library", "brand"}, own_files=False)
            same = {k: str(getattr(base, k).absolute()) for k in ("library", "brand")
                    if getattr(base, k) is not None}  # (as /api/rx writes them)  # fmt: skip
            same["layout"] = str(base.layout)
            warnings = [w.replace(f"{folder}{os.sep}", "") for w in not_used(path, same)]
        except HandoutsError as exc:
            message = exc.format_message().replace(f"{folder}{os.sep}", "")
            problems = [p.replace(f"{folder}{os.sep}", "")
                        for p in getattr(exc, "problems", None) or [message]]  # fmt: skip
            raise Bad(400, message, problems) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {**_as_fields(found), "warnings": warnings}


def _as_fields(found) -> dict:
    """A build request as the page's fields."""
    from handouts.dose import DOSE_FIELDS
    from handouts.resources import is_layout_file

    doses, notes = [], []
    for choice in found.choices:
        set_fields = [f"{k}={getattr(choice.dose, k)}" for k in DOSE_FIELDS
                      if getattr(choice.dose, k) is not None]  # fmt: skip
        if set_fields:
            doses.append(f"{choice.id}:{','.join(set_fields)}")
        if choice.notes:
            notes.append(f"{choice.id}:{choice.notes}")
    listed = [c.id + (f":{c.variant_of}" if c.variant_of else "") for c in found.choices]
    return {"program": found.program or "", "ids": list(found.ids), "exercises": listed,
            "choose": list(found.choose), "dose": doses, "note": notes,
            "patient": found.patient, "therapist": found.therapist, "notes": found.notes,
            "date": found.date.isoformat(),
            "layout": "" if is_layout_file(found.layout) else str(found.layout),  # (the server's)
            "paper": found.paper or "", "lang": found.lang,
            "weeks": str(found.log_weeks), "email": found.email or ""}  # fmt: skip


@blueprint.post("/batches")
def batches():
    """Build a batch CSV (uploaded as `csv`), as `handouts batch --merge` does: rows with an
    `email` are emailed with the clinic's mail settings, and with `print` (the page's tick box)
    the merged PDF is printed on the settings' printer once all are built. Answers lines of JSON
    as rows finish ({"done": N, "total": M}), then the result: the merged PDF and a zip of the
    PDFs (base64), how many were emailed, the print jobs, and each failed row with its reason.
    Everything is built in a temporary folder, removed before the last line is sent; the rows
    are built in the render workers' kind of process (never forked from this threaded one)."""
    from handouts.build import BuildRequest
    from handouts.printing import PrintOptions
    from handouts.settings import smtp_environ
    from handouts.web.fields import TRUE
    from handouts.web.renders import START_METHOD, worker_context

    upload = request.files.get("csv")
    if upload is None or not upload.filename:
        raise Bad(400, "choose a batch CSV file to upload")
    worker_context()  # (the forkserver, with what a worker needs imported once)
    data = {k: request.form.getlist(k) for k in request.form if k in ("date", "layout", "lang")}
    base = asked({**data, "program": ["-"]})  # the shared options, checked as build's
    s = settings()
    printing = None
    if request.form.get("print", "").strip().lower() in TRUE:
        if not s.printer:
            raise Bad(400, NO_PRINTER)
        printing = PrintOptions(s.printer)
    base = BuildRequest(date=base.date, brand=base.brand, library=base.library,
                        layout=base.layout, lang=base.lang, therapist=s.therapist or "",
                        smtp=smtp_environ(s), printing=printing)  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="handouts-web-"))
    name = secure_filename(upload.filename) or "batch.csv"
    csv_path = folder / name
    upload.save(csv_path)

    import queue
    import threading

    from handouts.batch import run_batch

    events: queue.Queue = queue.Queue()

    def work():
        try:
            result = run_batch(csv_path, folder / "handouts", base, merge=folder / "all.pdf",
                               progress=lambda done, total: events.put(("progress", done, total)),
                               start_method=START_METHOD)  # fmt: skip
            events.put(("result", result))
        except click.ClickException as exc:  # bad input, or no printer or mail server: told
            events.put(("error", exc))
        except Exception as exc:  # noqa: BLE001 - reported as the app's own 500
            events.put(("internal", exc))

    def shown(exc: click.ClickException) -> str:
        return exc.format_message().replace(f"{folder}{os.sep}", "")

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    first = events.get()  # the batch checked ("0 done"), or refused up front: a 400 as build's
    if first[0] != "progress":
        thread.join()
        shutil.rmtree(folder, ignore_errors=True)
        if first[0] == "error":
            problems = [p.replace(f"{folder}{os.sep}", "")
                        for p in getattr(first[1], "problems", None) or [shown(first[1])]]  # fmt: skip
            raise Bad(400, shown(first[1]), problems)
        raise first[1]  # (the app's own 500 page)

    def lines():
        event = first
        try:
            while True:
                if event[0] == "progress":
                    yield json.dumps({"done": event[1], "total": event[2]}) + "\n"
                    event = events.get()
                    continue
                if event[0] == "error":
                    message = shown(event[1])
                    yield json.dumps({"error": message, "problems": [message]}) + "\n"
                elif event[0] == "internal":
                    yield json.dumps({"error": "internal error: the batch stopped"}) + "\n"
                else:
                    yield json.dumps(_batch_result(event[1], folder), ensure_ascii=False) + "\n"
                break
        finally:
            thread.join()
            shutil.rmtree(folder, ignore_errors=True)

    def cleaned() -> None:  # (when the answer is closed, even one never sent: a client gone)
        thread.join()
        shutil.rmtree(folder, ignore_errors=True)

    response = Response(stream_with_context(lines()), mimetype="application/x-ndjson")
    response.call_on_close(cleaned)
    return response


def _batch_result(result, folder: Path) -> dict:
    def shown(text: str) -> str:
        return text.replace(f"{folder}{os.sep}", "")

    written = [o.path for o in result.written]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in written:
            z.writestr(path.name, path.read_bytes())
    merged = result.merged.read_bytes() if result.merged else b""
    jobs = result.printed
    printed = ""
    if jobs:
        ids = jobs[0].id + (f" to {jobs[-1].id}" if len(jobs) > 1 else "")
        printed = f"{jobs[0].printer} (job{'s' if len(jobs) > 1 else ''} {ids})"
    return {
        "written": len(written),
        "sent": len(result.sent),
        "printed": printed,
        "print_problem": shown(result.print_problem),
        "failed": [{"line": o.line, "problem": shown(o.problem)} for o in result.failed],
        "merge_problem": shown(result.merge_problem),
        "merged": base64.b64encode(merged).decode("ascii") if merged else "",
        "zip": base64.b64encode(archive.getvalue()).decode("ascii") if written else "",
    }
