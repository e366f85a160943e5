"""The names staff type for an exercise, and the exercises left out for their problems.

A name is an exercise's id, title, aliases or translated titles, compared by `key` (any case,
spaces, hyphens or underscores). An id typed exactly always finds its own exercise. Every other
name finds one exercise: a clinic's exercise whose name is also a built-in exercise's wins that
name (the built-in one is still found by its id), and `handouts check` says so at the clinic's
line; two of the clinic's own exercises with one name is an error at the second (see
load/names.py, which makes `Library.names`).

An exercise with problems is left out of `Library.exercises` and kept in `Library.broken` with
them: a handout that names it (to print it, or in a link line) fails with its problems; any
other handout prints, with one warning naming it (`left_out_warning`).
"""

from __future__ import annotations

import re

from handouts.errors import ValidationError
from handouts.model import Exercise, Library

_SEPARATORS = re.compile(r"[\s_-]+")


def key(name: str) -> str:
    """How a name compares: 'Child's Pose', "child's  pose" and "child's-pose" are one."""
    return _SEPARATORS.sub(" ", name.strip().lower()).strip()


def names_of(exercise: Exercise) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Each name of `exercise` but its id: (its key path in the exercise, how a message names
    that path, the name)."""
    found: list[tuple[tuple[str | int, ...], str, str]] = [(("title",), "title", exercise.title)]
    found += [(("aliases", i), f"aliases[{i}]", a) for i, a in enumerate(exercise.aliases)]
    for code, fields in exercise.translations.texts.items():
        title = fields.get("title")
        if isinstance(title, str):
            found.append((("translations", code, "title"), f"translations.{code}.title", title))
    return found


def lookup(library: Library, name: str) -> str | None:
    """The id of the exercise (loaded or broken) that `name` names, or None."""
    if name in library.exercises or name in library.broken:
        return name
    found = library.names.get(key(name))
    if found is not None:
        return found
    if library.names:  # (a library made in code, not read from a file, has no name index)
        return None
    wanted = key(name)
    for e in library.exercises.values():
        if wanted == key(e.id) or any(wanted == key(text) for _, _, text in names_of(e)):
            return e.id
    return None


def broken_error(library: Library, exercise_id: str) -> ValidationError:
    """The error of a handout that needs `exercise_id`, an exercise with problems: its problems,
    as a library with them was reported before it could be left out."""
    return ValidationError(list(library.broken[exercise_id]))


def left_out_warning(library: Library) -> str:
    """One line naming the exercises left out for their problems ('' when none)."""
    if not library.broken:
        return ""
    names = list(library.broken)
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    count = f"{len(names)} exercise{'s' if len(names) != 1 else ''}"
    clinic = f" --library {library.files[-1]}" if len(library.files) > 1 else ""
    return (
        f"{count} of the library {'have' if len(names) != 1 else 'has'} problems and "
        f"{'were' if len(names) != 1 else 'was'} left out: {shown}; "
        f"'handouts check{clinic}' lists the problems"
    )
