"""The front desk's pages, rendered on the server (Jinja): make a handout, the day's batch, the
library and the check report, and the access code. They show what the API answers; the page's
script (static/app.js) sends the form to the API and shows its answers."""

from __future__ import annotations

import hmac
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
)

from handouts.web.security import csrf_token, wrong_code

blueprint = Blueprint("pages", __name__)

# What the page can get out of a handout: (the API's path, the button's words, how: "download"
# a file, "open" it in a new tab, "send" it and show the answer). A new kind of copy (the
# accessible HTML handout of issue #17) is one more line here and one route in api.py.
ACTIONS = (
    ("/api/handouts", "Download PDF", "download"),
    ("/api/handouts?view=1", "Open PDF to print", "open"),
    ("/api/html", "Download accessible copy (HTML)", "download"),
    ("/api/rx", "Download prescription (rx)", "download"),
)


def _library():
    from handouts.load import load_library  # (kept in memory while its files are unchanged)

    return load_library(current_app.config["HANDOUTS_SETTINGS"].library)


@blueprint.get("/")
def front_desk():
    from handouts.dose import DOSE_FIELDS
    from handouts.resources import is_layout_file, layout_names

    library = _library()
    s = current_app.config["HANDOUTS_SETTINGS"]
    exercises = list(library.exercises.values())
    return render_template(
        "front_desk.html",
        library=library,
        exercises=exercises,
        programs=list(library.programs.values()),
        conditions=sorted({c for e in exercises for c in e.conditions}),
        regions=sorted({r for e in exercises for r in e.regions}),
        kinds=sorted({e.kind for e in exercises if e.kind}),
        layouts=layout_names(),
        layout=s.layout or "standard",
        own_layout=Path(s.layout).name if is_layout_file(s.layout) else "",
        paper=s.paper or "",
        lang=s.lang or "en",
        therapist=s.therapist or "",
        today=current_app.config["HANDOUTS_TODAY"]().isoformat(),
        dose_fields=[k for k in DOSE_FIELDS],
        actions=ACTIONS,
        printer=s.printer,
    )


@blueprint.get("/batch")
def batch():
    from handouts.batch import COLUMNS

    return render_template("batch.html", columns=COLUMNS,
                           today=current_app.config["HANDOUTS_TODAY"]().isoformat(),
                           printer=current_app.config["HANDOUTS_SETTINGS"].printer)  # fmt: skip


@blueprint.get("/library")
def library():
    return render_template("library.html", exercises=list(_library().exercises.values()))


@blueprint.get("/check")
def check():
    from handouts.check import GRADE_LIMIT
    from handouts.check import check as check_files

    s = current_app.config["HANDOUTS_SETTINGS"]
    report = check_files(s.library, s.brand, s.layout or "standard")
    return render_template("check.html", report=report, limit=GRADE_LIMIT)


@blueprint.get("/pictures/<exercise_id>.png")
def picture(exercise_id: str):
    if exercise_id not in _library().exercises:
        abort(404)
    s = current_app.config["HANDOUTS_SETTINGS"]
    png = current_app.extensions["handouts.renderer"].picture(s.library, exercise_id)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png")


@blueprint.route("/access", methods=["GET", "POST"])
def access():
    code = current_app.config["HANDOUTS_ACCESS_CODE"]
    if not code:
        return redirect("/")
    wrong = False
    if request.method == "POST":
        typed = request.form.get("code", "")
        if hmac.compare_digest(typed.encode(), code.encode()):
            session["access"] = True  # (a session cookie: gone when the browser closes)
            session["csrf"] = csrf_token()
            return redirect("/")
        wrong = True
        wrong_code()
    return render_template("access.html", wrong=wrong), 401 if wrong else 200
