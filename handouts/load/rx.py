"""Load a prescription: one patient's exercises, doses and notes, written by their therapist."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import InputError
from handouts.load.fields import Fields, Problems, closest, describe
from handouts.load.layout import PAPERS, layout_names
from handouts.load.library import ID, read_dose
from handouts.load.source import expand_user, is_dir, is_file, read_yaml
from handouts.model import Choice, Library
from handouts.resources import is_layout_file

RX_KEYS = ("patient", "therapist", "date", "lang", "brand", "library", "layout", "paper",
           "program", "exercises", "choose", "notes", "log_weeks", "email", "html")  # fmt: skip
ENTRY_KEYS = ("id", "variant_of", "dose", "notes")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class Prescription:
    """What a prescription file says; None means 'not given' (the command line or a default)."""

    patient: str = ""
    therapist: str = ""
    date: dt.date | None = None
    lang: str | None = None
    brand: Path | None = None  # files named by the prescription, relative to its folder
    library: Path | None = None
    layout: str | None = None  # a built-in layout's name, or a file path (from its folder)
    paper: str | None = None
    program: str | None = None
    choices: tuple[Choice, ...] = ()
    choose: tuple[str, ...] = ()  # of each group of versions, the one the patient does
    choose_at: str = ""  # where `choose:` is ('jane.yaml:7'), for a refusal of the choice
    notes: str = ""
    log_weeks: int | None = None
    email: str | None = None
    html: bool = False  # also the accessible HTML copy (written beside the PDF, and emailed)
    html_at: str = ""  # where `html:` is ('jane.yaml:9'), for the refusal of a password
    origin: str = ""


def load_prescription(
    path: Path,
    library: Library | Callable[[Path | None], Library],
    *,
    patient_required: bool = True,
    own_files: bool = True,
) -> Prescription:
    """Read and check a prescription against the library; every problem is reported at once.

    `library` is the library to check it against, or a function that returns it given the
    library file the prescription names (None when it names none). Without `patient_required`
    (a patient typed on the command line) an empty or missing `patient:` is no problem.
    Without `own_files` (an upload to the web page: it has no folder, and the server's library,
    brand and layout are used), the files it names are not looked up (see not_used)."""
    source = read_yaml(path, "prescription")
    problems = Problems()
    if not isinstance(source.data, dict):
        problems.add(
            source,
            (),
            f"expected a mapping with patient:, exercises:, ..., got {describe(source.data)}",
        )
        problems.raise_if_any()
    f = Fields(source, (), "", problems, source.data)
    f.check_keys(RX_KEYS)
    brand, named = None, None
    if own_files:
        brand, named = _file(f, "brand", path), _file(f, "library", path)
    if callable(library):
        if named is None and "library" in f.data:  # its exercises cannot be checked without it
            problems.raise_if_any()
        library = library(named)
    program = _program(f, library)
    indexed = [(i, _choice(f, i, raw, library)) for i, raw in f.items("exercises")]
    _check_versions(f, [(i, c) for i, c in indexed if c is not None])
    choices = tuple(c for _, c in indexed if c is not None)
    if program is None and not choices and "exercises" not in f.data:
        f.problem("exercises", "is required when no program: is given (a list of exercise ids)")
    prescription = Prescription(
        patient=_patient(f, patient_required),
        therapist=f.text("therapist"),
        date=f.date("date"),
        lang=f.choice("lang", library.languages),
        brand=brand,
        library=named,
        layout=_layout(f, path) if own_files or not is_layout_file(f.text("layout")) else None,
        paper=f.choice("paper", PAPERS),
        program=program,
        choices=choices,
        choose=_choose(f, library),
        choose_at=f"{source.name}:{source.line(('choose',))}" if "choose" in f.data else "",
        notes=f.text("notes", lines=True),
        log_weeks=f.whole("log_weeks", 0, 12),
        email=_email(f),
        html=bool(f.flag("html")),
        html_at=f"{source.name}:{source.line(('html',))}" if "html" in f.data else "",
        origin=str(path),
    )
    problems.raise_if_any()
    return prescription


def _patient(f: Fields, required: bool) -> str:
    raw, value = f.data.get("patient"), f.text("patient")
    if required and not value and (raw is None or isinstance(raw, str)):  # (else: told already)
        what = "is required" if raw is None else "is empty"
        f.problem("patient", f"{what}: write the patient's name here, or give --patient NAME")
    return value


def _file(f: Fields, key: str, rx_path: Path) -> Path | None:
    """A brand or library file the prescription names, relative to the prescription."""
    name = f.text(key) or None
    if name is None:
        return None
    path = rx_path.parent / expand_user(name)
    if not is_file(path):
        seen = "is a folder, expected a YAML file" if is_dir(path) else "was not found"
        f.problem(key, f"'{name}' {seen} (looked for {path})")
        return None
    return path


def _program(f: Fields, library: Library) -> str | None:
    name = f.text("program") or None
    if name is not None and name not in library.programs:
        f.problem("program", f"names an unknown program '{name}'{closest(name, library.programs)}; "
                  f"the programs are: {', '.join(library.programs)}")  # fmt: skip
        return None
    return name


def _choice(f: Fields, index: int, raw: object, library: Library) -> Choice | None:
    """An entry of `exercises:`: an id, or {id:, variant_of:, dose:, notes:}."""
    raw = f.source.text((*f.path, "exercises", index), raw)
    if isinstance(raw, str):
        raw = {"id": raw}
    if not isinstance(raw, dict):
        f.problem(
            "exercises",
            f"must be an exercise id or {{id: ..., dose: ...}}, got {describe(raw)}",
            index,
        )
        return None
    entry = f.entry("exercises", index)
    entry.data = raw
    entry.check_keys(ENTRY_KEYS)
    exercise_id = entry.source.text((*entry.path, "id"), raw.get("id"))
    if not isinstance(exercise_id, str) or not ID.fullmatch(exercise_id):
        entry.problem(
            "id", f"must be an exercise id like 'glute-bridge', got {describe(exercise_id)}"
        )
        return None
    if exercise_id not in library.exercises:
        known = library.exercises
        entry.problem(
            "id", f"names an unknown exercise '{exercise_id}'{closest(exercise_id, known)}"
        )
        return None
    return Choice(
        id=exercise_id,
        variant_of=entry.text("variant_of") or None,
        dose=read_dose(entry.mapping("dose")),
        notes=entry.text("notes", lines=True),
    )


def _choose(f: Fields, library: Library) -> tuple[str, ...]:
    """`choose:`: exercise ids (one, or a list), each the version chosen of its group."""
    listed = isinstance(f.data.get("choose"), list)
    found = []
    for i, item in f.items("choose", single_ok=True):
        at = (i,) if listed else ()
        item = f.source.text((*f.path, "choose", i) if listed else (*f.path, "choose"), item)
        if not isinstance(item, str) or not ID.fullmatch(item):
            f.problem("choose", f"must be an exercise id like 'cobra-pose', got {describe(item)}",
                      *at)  # fmt: skip
        elif item not in library.exercises:
            f.problem("choose", f"names an unknown exercise '{item}'"
                      f"{closest(item, library.exercises)}", *at)  # fmt: skip
        else:
            found.append(item)
    return tuple(found)


def _check_versions(f: Fields, choices: list[tuple[int, Choice]]) -> None:
    seen: list[str] = []
    for index, choice in choices:
        if choice.id in seen:
            f.problem("exercises", f"lists '{choice.id}' twice", index)
        elif choice.variant_of is not None and choice.variant_of not in seen:
            message = (
                f"variant_of must name an exercise listed before it, got '{choice.variant_of}'"
            )
            f.problem("exercises", message, index)
        seen.append(choice.id)


def not_used(path: Path, same: Mapping[str, str] | None = None) -> list[str]:
    """What of the prescription `path` load_prescription(..., own_files=False) leaves out, a
    message each: the brand and library files it names, and a layout file (not a built-in's
    name), except a key whose text is `same`'s (the file the server uses anyway). A file that
    cannot be read has none (load_prescription says what is wrong)."""
    same = same or {}
    try:
        source = read_yaml(path, "prescription")
    except InputError:
        return []
    if not isinstance(source.data, dict):
        return []
    named = [k for k in ("library", "brand") if source.data.get(k) not in (None, "")]
    layout = source.data.get("layout")
    if isinstance(layout, str) and is_layout_file(layout):
        named.append("layout")
    named = [k for k in named if source.data.get(k) != same.get(k)]
    return [f"{source.name}:{source.line((key,))}: {key}: not used: the page makes handouts with "
            "this server's library, brand and layout (its settings file)" for key in named]  # fmt: skip


def _layout(f: Fields, rx_path: Path) -> str | None:
    """A built-in layout's name, or a layout file's path (relative to the prescription)."""
    name = f.text("layout") or None
    if name is None:
        return None
    if is_layout_file(name):
        path = rx_path.parent / name
        if not is_file(path):
            f.problem("layout", f"'{name}' was not found (looked for {path})")
            return None
        return str(path)
    names = layout_names()
    if name not in names:
        f.problem(
            "layout",
            f"must be one of {', '.join(names)} or a layout file, got '{name}'{closest(name, names)}",
        )
        return None
    return name


def _email(f: Fields) -> str | None:
    value = f.text("email") or None
    if value is not None and not EMAIL.fullmatch(value):
        f.problem(
            "email", f"must be one email address like jane@example.org, got {describe(value)}"
        )
        return None
    return value
