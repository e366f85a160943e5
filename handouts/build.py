"""The whole pipeline for one handout: load -> compose -> render -> deliver."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from handouts.compose import Handout, compose
from handouts.deliver import check_writable, default_name, write_atomic
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library


@dataclass(frozen=True)
class BuildRequest:
    """Everything `handouts build` can be asked for; usable from Python without click."""

    ids: tuple[str, ...] = ()
    program: str | None = None
    patient: str = ""
    therapist: str = ""
    notes: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    paper: str | None = None  # None: the layout's paper
    brand: Path | None = None
    library: Path | None = None
    layout: str = "standard"  # a built-in layout's name, or a layout file's path
    log_weeks: int = 0  # pages of the weekly log (0: none)
    output: Path | None = None  # None: a new file in `folder`
    folder: Path = Path(".")


def make_handout(request: BuildRequest) -> tuple[Handout, bytes]:
    """Load, compose and render; nothing is written."""
    library = load_library(request.library)
    brand = load_brand(request.brand)
    layout = load_layout(request.layout)
    handout = compose(
        library,
        brand,
        ids=request.ids,
        program=request.program,
        patient=request.patient,
        therapist=request.therapist,
        notes=request.notes,
        date=request.date,
        paper=request.paper or layout.paper,
        log_weeks=request.log_weeks,
        versions=layout.versions,
    )
    from handouts.render import render  # reportlab is imported only when a PDF is made

    return handout, render(handout, layout)


def build(request: BuildRequest) -> Path:
    """Make the handout and write it; returns the path written."""
    if request.output is not None:
        check_writable(request.output)
    handout, pdf = make_handout(request)
    path = request.output or default_name(
        request.folder, handout.program_id or "handout", handout.patient, handout.date
    )
    write_atomic(path, pdf)
    return path


def build_figure_sheet(library: Path | None, output: Path | None, paper: str = "letter") -> Path:
    """Write the contact sheet of every exercise's pictures; returns the path written."""
    if output is not None:
        check_writable(output)
    from handouts.render.sheet import render_sheet

    today = dt.date.today()
    pdf = render_sheet(load_library(library), load_layout(), paper, today)
    path = output or default_name(Path("."), "figures", "", today)
    write_atomic(path, pdf)
    return path
