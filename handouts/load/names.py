"""Make the library's name index (see handouts/names.py for the rules), with a problem or a
warning at the file and line of each name two exercises share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.model import Exercise
from handouts.names import key, names_of


@dataclass(frozen=True)
class _Owner:
    id: str
    builtin: bool
    what: str  # "the id", "a name"


def index_names(parts: Sequence[Any], merged: Mapping[str, Exercise]) -> tuple[dict, list[str]]:
    """{name key: exercise id} for the exercises in `merged` (the library's, broken ones too,
    read from `parts`: the built-in file first), and the warnings for `check`. A problem (a
    clinic's name that is another of its exercises' id or name) is recorded against the
    exercise that has it, through its fields, which makes it a broken exercise."""
    owners: dict[str, _Owner] = {}
    warnings: list[str] = []
    for part in parts:  # the built-in file's ids and names, then the clinic's over them
        mine = [(i, e) for i, e in part.exercises.items() if merged.get(i) is e]  # not replaced
        named = [(i, ("id",), "id", i) for i, _ in mine]
        named += [(i, *name) for i, e in mine for name in names_of(e)]
        for exercise_id, path, shown, text in named:
            fields = part.where[f"Exercise:{exercise_id}"]
            what = "the id" if path == ("id",) else "a name"
            name = key(text)
            owner = owners.get(name)
            if not name or (owner is not None and owner.id == exercise_id):
                continue
            if owner is None:
                owners[name] = _Owner(exercise_id, part.builtin, what)
                continue
            other = merged[owner.id]
            where = f"{owner.id} ({'built-in ' if owner.builtin else ''}{_origin(other, owner)})"
            if owner.builtin and not part.builtin:  # the clinic's wins, and check says so
                owners[name] = _Owner(exercise_id, False, what)
                line = fields.source.line((*fields.path, *path))
                warnings.append(
                    f"{fields.source.name}:{line}: {fields.label}: {shown} '{text}' is also "
                    f"{owner.what} of {where}; it now finds this exercise ('{owner.id}' "
                    "still finds the built-in one)"
                )
                continue
            fields.problem(
                path[0],
                f"'{text}' is already {owner.what} of {where}: give one of them another name",
                *path[1:],
            )
    return {name: owner.id for name, owner in owners.items()}, warnings


def _from_builtin(parts: Sequence[Any], exercise: Exercise) -> bool:
    return any(part.builtin and part.exercises.get(exercise.id) is exercise for part in parts)


def _origin(exercise: Exercise, owner: _Owner) -> str:
    """Where the exercise is defined: the built-in file by its name alone."""
    if not owner.builtin:
        return exercise.origin
    file, _, line = exercise.origin.rpartition(":")
    return f"{Path(file).name}:{line}"
