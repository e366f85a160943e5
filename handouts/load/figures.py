"""Read an exercise's pictures: `figure:` (line-art poses, checked for plausibility) or `images:`
(the clinic's own photos, which must sit inside the library file's folder)."""

from __future__ import annotations

from pathlib import Path

from handouts.load.cache import depends_on
from handouts.load.fields import Fields, describe
from handouts.load.source import is_file
from handouts.pose import PROP_KINDS, Figure, Pose, Prop, problems

FIGURE_KEYS = ("start", "end", "props", "arrow", "turn", "clockwise")
POSE_KEYS = ("torso", "head", "near_arm", "far_arm", "near_leg", "far_leg", "at")
PROP_KEYS = ("kind", "x", "width", "height")
ANGLE = 360.0  # a direction in degrees: -360 to 360 says every one, in more than one way
PLACE = 500.0  # how far (figure units; a person is about 100 tall) a pose or prop may be placed


def read_figure(exercise: Fields) -> Figure | None:
    """The exercise's figure, or None; every problem is recorded against the exercise."""
    f = exercise.mapping("figure")
    if not f.data:
        return None
    f.check_keys(FIGURE_KEYS)
    start, end = (_read_pose(f.mapping(key, required=True)) for key in ("start", "end"))
    props = tuple(p for p in (_read_prop(f, i, raw) for i, raw in f.items("props")) if p)
    arrow, turn = f.text("arrow") or None, f.text("turn") or None
    clockwise = f.flag("clockwise")
    if start is None or end is None or clockwise is None:
        return None
    figure = Figure(start, end, props, arrow, turn, clockwise is True)
    for problem in problems(figure):
        part, _, what = problem.partition(": ")
        f.problem(part, f"is not plausible: {what}")
    return figure


def _read_pose(f: Fields) -> Pose | None:
    if not f.data:
        return None
    f.check_keys(POSE_KEYS)
    torso, head = _angle(f, "torso"), _angle(f, "head")
    arms = [f.numbers(key, 2, True, -ANGLE, ANGLE) for key in ("near_arm", "far_arm")]
    legs = [f.numbers(key, 3, True, -ANGLE, ANGLE) for key in ("near_leg", "far_leg")]
    at = _read_at(f)
    if torso is None or head is None or None in arms or None in legs or at is False:
        return None
    return Pose(torso, head, arms[0], arms[1], legs[0], legs[1], at)  # type: ignore[arg-type]


def _angle(f: Fields, key: str) -> float | None:
    value = f.data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        f.problem(key, f"must be an angle in degrees, got {f.shown(value, key)}")
        return None
    if not -ANGLE <= value <= ANGLE:  # (NaN is never in range)
        f.problem(
            key, f"must be an angle from {-ANGLE:g} to {ANGLE:g} degrees, got {f.shown(value, key)}"
        )
        return None
    return float(value)


def _read_at(f: Fields) -> tuple[float, float | None] | bool:
    value = f.data.get("at")
    if value is None:
        return (0.0, None)
    numbers = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:1])
        and (
            value[1] is None
            or (
                isinstance(value[1], (int, float))
                and value[1] is not True
                and value[1] is not False
            )
        )
    )
    if not numbers:
        f.problem("at", f"must be [x, y] (y may be null: rest on the floor), got {describe(value)}")
        return False
    for i, v in enumerate(value):
        if v is not None and not -PLACE <= v <= PLACE:  # (NaN is never in range)
            f.problem("at", f"must be from {-PLACE:g} to {PLACE:g}, got {f.shown(v, 'at', i)}", i)
            return False
    return (float(value[0]), None if value[1] is None else float(value[1]))


def _read_prop(f: Fields, index: int, raw: object) -> Prop | None:
    if isinstance(raw, str):
        raw = {"kind": raw}
    if not isinstance(raw, dict):
        f.problem(
            "props", f"must be a prop name or {{kind: ..., x: ...}}, got {describe(raw)}", index
        )
        return None
    prop = f.entry("props", index)
    prop.data = raw
    prop.check_keys(PROP_KEYS)
    kind = prop.choice("kind", PROP_KINDS)
    if kind is None:
        if "kind" not in raw:
            prop.problem("kind", "is required")
        return None
    return Prop(
        kind=kind,
        x=prop.number("x", -PLACE, PLACE, 0.0),
        width=prop.number("width", 0, PLACE, 0.0),
        height=prop.number("height", 0, 200, 0.0),
    )


def read_images(exercise: Fields) -> tuple[Path, ...]:
    """`images: {start: a.jpg, end: b.jpg}` (end optional), relative to the library file."""
    f = exercise.mapping("images")
    if not f.data:
        return ()
    f.check_keys(("start", "end"))
    folder = exercise.source.path.resolve().parent
    paths: list[Path] = []
    for key in ("start", "end"):
        name = f.text(key, required=key == "start")
        if not name:
            continue
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):
            f.problem(
                key, f"must be a picture inside the library's folder ({folder}), got '{name}'"
            )
        elif not is_file(path):
            f.problem(key, f"'{name}' was not found (looked for {path})")
        else:
            paths.append(path)
            depends_on(folder / name, path)  # checked again when the library is from the cache
    return tuple(paths)
