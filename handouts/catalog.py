"""What `handouts list`, `show` and `programs` print: the library as text or JSON (no reportlab)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING

from handouts.language import language_of, localize, missing_in, status_line
from handouts.model import Exercise, Library

if TYPE_CHECKING:
    from handouts.load.listing import Listed, Listing


def _matches(values: tuple[str, ...], wanted: str | None) -> bool:
    return wanted is None or wanted.strip().lower() in (v.lower() for v in values)


def select(
    library: Library | Listing, condition: str | None, region: str | None
) -> list[Exercise | Listed]:
    """The exercises for `condition` and `region` (either None: any), of a Library or of the
    Listing `handouts list` loads (load/listing.py: the same fields by the same names)."""
    return [
        e
        for e in library.exercises.values()
        if _matches(e.conditions, condition) and _matches(e.regions, region)
    ]


def _titles(exercises: list, library: Library | Listing, lang: str | None) -> dict[str, str]:
    """Each exercise's title in `lang` ('(no es translation)' after the English one when it has
    none); English when `lang` is None."""
    if lang is None:
        return {e.id: e.title for e in exercises}
    code = language_of(library, lang).code
    titles = {}
    for e in exercises:
        text = e.title if code == "en" else e.translations.texts.get(code, {}).get("title")
        titles[e.id] = text if isinstance(text, str) else f"{e.title} (no {code} translation)"
    return titles


def list_text(exercises: list, library: Library | Listing, lang: str | None = None) -> str:
    languages = "Languages:\n" + "\n".join(
        f"  {status_line(language)}" for language in library.languages.values()
    )
    if not exercises:
        tags = library.exercises.values()
        conditions = sorted({c for e in tags for c in e.conditions})
        regions = sorted({r for e in tags for r in e.regions})
        return (
            "No exercises match.\n"
            f"Conditions: {', '.join(conditions)}\nRegions: {', '.join(regions)}"
        )
    titles = _titles(exercises, library, lang)
    width = max(len(e.id) for e in exercises)
    lines = [f"{e.id:<{width}}  {e.kind or '-':<10}  {titles[e.id]}" for e in exercises]
    return "\n".join([*lines, "", languages])


def list_json(exercises: list, library: Library | Listing, lang: str | None = None) -> str:
    titles = _titles(exercises, library, lang)
    rows = [
        {
            "id": e.id,
            "title": titles[e.id],
            "purpose": e.purpose,
            "kind": e.kind,
            "regions": list(e.regions),
            "conditions": list(e.conditions),
            "aliases": list(e.aliases),
            "dose": {k: v for k, v in asdict(e.dose).items() if v is not None},
            "translations": sorted(e.translations.texts),
        }
        for e in exercises
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def show_text(library: Library, name: str, lang: str = "en") -> str:
    """An exercise in full, its words and labels in `lang` (English where it has no translation,
    listed at the end)."""
    from handouts.compose import find_exercise
    from handouts.dose import dose_sentences
    from handouts.load.brand import DEFAULT_BRAND

    english = find_exercise(library, name)
    local = localize(library, DEFAULT_BRAND, lang, exercises=(english.id,), allow_fallback=True)
    e, labels = local.library.exercises[english.id], local.labels
    out = [f"{e.title}  ({e.id})", f"{labels.label('why')} {e.purpose}"]
    if e.position:
        out.append(f"{labels.label('position')} {e.position}")
    if e.equipment:
        out.append(f"{labels.label('equipment')} {', '.join(e.equipment)}")
    out.append(labels.label("steps"))
    out += [f"  {i}. {step}" for i, step in enumerate(e.steps, 1)]
    dose = dose_sentences(e.dose, labels)
    if dose:
        out.append(f"{labels.label('how_much')} " + " ".join(dose))
    whens = e.tips_when or ("",) * len(e.tips)  # a tip only while nobody chose: marked
    tips = tuple(f"{text}  (when: {when})" if when else text
                 for text, when in zip(e.tips, whens, strict=True))  # fmt: skip
    for label, items in (("tips", tips), ("cautions", e.cautions)):
        if items:
            out.append(labels.label(label))
            out += [f"  - {text}" for text in items]
    tags = [
        ("kind", (e.kind,) if e.kind else ()),
        ("region", e.regions),
        ("condition", e.conditions),
        ("also called", e.aliases),
    ]
    for relation in ("easier", "harder", "alternatives"):
        tags.append((relation, getattr(e, relation)))
    out += [f"{label}: {', '.join(values)}" for label, values in tags if values]
    out.append(f"Defined at: {e.origin}")
    others = [code for code in library.languages if code != "en"]
    have = [c for c in others if not missing_in(english, c)]
    out.append(f"Translated into: {', '.join(have) or 'none'}")
    if labels.code != "en":
        untranslated = [m.what.rsplit(": ", 1)[-1] for m in missing_in(english, labels.code)]
        if untranslated:
            out.append(f"In English here (no {labels.code} translation): {', '.join(untranslated)}")
    return "\n".join(out)


def programs_text(library: Library) -> str:
    width = max(len(p) for p in library.programs) if library.programs else 0
    lines = []
    for program in library.programs.values():
        ids = [e.id for e in program.entries]
        lines.append(f"{program.id:<{width}}  {program.title} ({len(ids)} exercises)")
        lines.append(f"{'':<{width}}  {', '.join(ids)}")
    return "\n".join(lines) if lines else "No programs."


def starter_prescription(
    library: Library, program_id: str, patient: str = "", files: Mapping[str, str] | None = None
) -> str:
    """A commented prescription file listing a program's exercises with their default doses.
    `files` holds the `library`, `brand` and `layout` to name in it, as written (relative to it)."""
    from handouts.compose import find_program

    program = find_program(library, program_id)
    files = files or {}
    patient_line = (
        f"patient: {_yaml_text(patient)}"
        if patient
        else 'patient: ""                # the patient\'s name; or give --patient "NAME" to build'
    )
    lines = [
        "# A prescription for handouts. Edit it, then print or send the handout with:",
        "#   handouts build --rx THIS-FILE.yaml",
        "# Lines that start with # are comments. Delete an exercise's lines to leave it out;",
        "# add one with '- id: ...' ('handouts list' shows them). Options given on the command",
        "# line win over this file; file names in it are relative to it.",
        patient_line,
        'therapist: ""',
        "# date: 2026-11-29         # the date printed on the handout; today when left out",
        *_named_files(files),
        "# paper: letter            # letter or a4",
        f"# lang: en                 # the language to print in: {', '.join(library.languages)}",
        "# log_weeks: 1             # pages of the weekly log to tick (0 for none)",
        "# email: jane@example.org  # send the handout to this address",
        f"program: {program.id}         # the title and introduction come from this program",
        "exercises:",
    ]
    from handouts.compose import find_exercise

    for entry in program.entries:
        exercise = find_exercise(library, entry.id)  # one with problems: an error listing them
        lines.append(f"  - id: {exercise.id}   # {exercise.title}")
        if entry.variant_of:
            lines.append(f"    variant_of: {entry.variant_of}")
        dose = {k: v for k, v in asdict(exercise.dose).items() if v is not None}
        if dose:
            flow = ", ".join(
                f"{k}: {_yaml_text(str(v)) if isinstance(v, str) else v}" for k, v in dose.items()
            )
            lines.append(f"    # dose: {{{flow}}}   # the default; set only what differs")
        lines.append('    # notes: ""              # a note on this exercise')
    lines += ["notes: |", "  ", ""]
    return "\n".join(lines)


def _named_files(files: Mapping[str, str]) -> list[str]:
    """The library, brand and layout lines: set when given, else a comment saying what they do."""
    comments = {
        "library": "# library: ours.yaml       # the clinic's exercises and programs it was written from",
        "brand": "# brand: clinic.yaml        # the clinic's brand file",
        "layout": "# layout: standard         # standard, compact, large-print, or a layout file",
    }
    return [f"{key}: {_yaml_text(files[key])}" if key in files else comment
            for key, comment in comments.items()]  # fmt: skip


def _yaml_text(text: str) -> str:
    """Text as a YAML string that reads back exactly."""
    return json.dumps(text, ensure_ascii=False)


def programs_json(library: Library) -> str:
    """The programs as JSON (`handouts programs --json`, GET /api/programs): id, title, intro,
    and each exercise (with the one it is a version of)."""
    rows = [
        {
            "id": program.id,
            "title": program.title,
            "intro": program.intro,
            "exercises": [e.id for e in program.entries],
            "versions": {e.id: e.variant_of for e in program.entries if e.variant_of},
            "translations": sorted(program.translations.texts),
        }
        for program in library.programs.values()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def prescription_text(library: Library, request) -> str:
    """The prescription file that rebuilds the handout `request` (a build.BuildRequest) asks
    for with `handouts build --rx FILE`: its exercises in order (a program's, then the ids
    added), each with the dose fields changed and its note, the choices, the patient's details
    and the options. Every value is written so that it reads back exactly."""
    from handouts.compose import find_exercise, find_program

    program = find_program(library, request.program) if request.program else None
    doses: dict[str, dict] = {}
    notes: dict[str, str] = {}
    if request.choices:  # (a prescription's list, in place of the program's, as compose reads it)
        entries = []
        for choice in request.choices:
            exercise_id = find_exercise(library, choice.id).id
            entries.append((exercise_id, choice.variant_of))
            changed = {k: v for k, v in asdict(choice.dose).items() if v is not None}
            if changed:
                doses.setdefault(exercise_id, {}).update(changed)
            if choice.notes:
                notes[exercise_id] = choice.notes
    else:
        entries = [(e.id, e.variant_of) for e in program.entries] if program else []
    entries += [(find_exercise(library, name).id, None) for name in request.ids]
    for name, dose in request.doses:
        changed = {k: v for k, v in asdict(dose).items() if v is not None}
        doses.setdefault(find_exercise(library, name).id, {}).update(changed)
    notes.update({find_exercise(library, name).id: text for name, text in request.exercise_notes})
    lines = ["# A prescription for handouts: 'handouts build --rx THIS-FILE.yaml' rebuilds it.",
             f"patient: {_yaml_text(request.patient)}",
             f"therapist: {_yaml_text(request.therapist)}",
             f"date: {request.date.isoformat()}",
             f"lang: {_yaml_text(request.lang)}",
             f"layout: {_yaml_text(str(request.layout))}",
             f"log_weeks: {request.log_weeks}"]  # fmt: skip
    for key in ("library", "brand"):
        path = getattr(request, key)
        if path is not None:
            lines.append(f"{key}: {_yaml_text(str(path.absolute()))}")
    if request.paper:
        lines.append(f"paper: {request.paper}")
    if program is not None:
        lines.append(f"program: {program.id}")
    if entries:
        lines.append("exercises:")
    seen = set()
    for exercise_id, variant_of in entries:
        if exercise_id in seen:
            continue
        seen.add(exercise_id)
        lines.append(f"  - id: {exercise_id}")
        if variant_of:
            lines.append(f"    variant_of: {variant_of}")
        if exercise_id in doses:
            flow = ", ".join(f"{k}: {_yaml_text(v) if isinstance(v, str) else v}"
                             for k, v in doses[exercise_id].items())  # fmt: skip
            lines.append(f"    dose: {{{flow}}}")
        if exercise_id in notes:
            lines.append(f"    notes: {_yaml_text(notes[exercise_id])}")
    if request.choose:
        lines.append(f"choose: [{', '.join(_yaml_text(c) for c in request.choose)}]")
    lines.append(f"notes: {_yaml_text(request.notes)}")
    return "\n".join(lines) + "\n"
