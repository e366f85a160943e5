"""Read an exercise's pictures: `figure:` (line-art poses, checked for plausibility) or `images:`
(the clinic's own photos, which must sit inside the library file's folder)."""

from __future__ import annotations

from pathlib import Path

from handouts.load.cache import depends_on
from handouts.load.fields import Fields, describe
from handouts.load.source import is_file
from handouts.pose import (
    CLOSE_UPS,
    LIMBS,
    MAX_ARCH,
    MAX_GAP,
    PROP_KINDS,
    VIEW_SIDES,
    CloseUp,
    Figure,
    Pose,
    Prop,
    View,
    problems,
)

FIGURE_KEYS = ("start", "end", "props", "arrow", "turn", "clockwise", "views", "close_up")
POSE_KEYS = ("torso", "head", "near_arm", "far_arm", "near_leg", "far_leg", "at", "arch",
             "lengths")  # fmt: skip
VIEW_KEYS = ("from", "start", "end", "arrow", "mirror")
CLOSE_UP_KEYS = ("part", "start", "end")
CLOSE_UP_POSE_KEYS = ("gap", "tilt")
SHARE = (0.1, 1.5)  # a limb segment's drawn share of its length, seen end on
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
    views = [_read_view(f, i, raw) for i, raw in f.items("views")]
    close_up = _read_close_up(f.mapping("close_up"))
    if start is None or end is None or clockwise is None or None in views or close_up is False:
        return None
    figure = Figure(start, end, props, arrow, turn, clockwise is True, tuple(views),  # type: ignore[arg-type]
                    close_up or None)  # fmt: skip
    for problem in problems(figure):
        part, _, what = problem.partition(": ")
        keys: list[str | int] = []
        for name in part.split("."):  # "views[0].start" -> views, 0, start
            key, _, index = name.partition("[")
            keys += [key, int(index.rstrip("]"))] if index else [key]
        f.problem(keys[0], f"is not plausible: {what}", *keys[1:])
    return figure


def _read_view(f: Fields, index: int, raw: object) -> View | None:
    """views: [{from: above, start: {...}, end: {...}, arrow: near_knee}]: a second picture of the
    movement from above or the front (the same pose keys; joints are not range-checked, as the
    angles are of the body seen another way)."""
    if not isinstance(raw, dict):
        f.problem("views", f"must be a mapping like {{from: above, start: ..., end: ...}}, "
                  f"got {describe(raw)}", index)  # fmt: skip
        return None
    view = f.entry("views", index)
    view.check_keys(VIEW_KEYS)
    side = view.choice("from", VIEW_SIDES)
    if side is None and "from" not in raw:
        view.problem("from", f"is required: one of {', '.join(VIEW_SIDES)}")
    start, end = (_read_pose(view.mapping(key, required=True)) for key in ("start", "end"))
    arrow, mirror = view.text("arrow") or None, view.flag("mirror")
    if side is None or start is None or end is None or mirror is None:
        return None
    return View(side, start, end, arrow, mirror)


def _read_close_up(f: Fields) -> CloseUp | None | bool:
    """close_up: {part: lower_back, start: {gap: 5, tilt: 0}, end: {gap: 0, tilt: 12}}; None
    when not given, False after a problem."""
    if not f.data:
        return None
    f.check_keys(CLOSE_UP_KEYS)
    part = f.choice("part", CLOSE_UPS)
    if part is None and "part" not in f.data:
        f.problem("part", f"is required: one of {', '.join(CLOSE_UPS)}")
    shapes = []
    for key in ("start", "end"):
        one = f.mapping(key, required=True)
        one.check_keys(CLOSE_UP_POSE_KEYS)
        shapes.append((one.number("gap", 0, MAX_GAP, 0.0), one.number("tilt", -45, 45, 0.0)))
    if part is None or not f.data.get("start") or not f.data.get("end"):
        return False
    return CloseUp(part, shapes[0][0], shapes[1][0], shapes[0][1], shapes[1][1])


def _read_pose(f: Fields) -> Pose | None:
    if not f.data:
        return None
    f.check_keys(POSE_KEYS)
    torso, head = _angle(f, "torso"), _angle(f, "head")
    arms = [f.numbers(key, 2, True, -ANGLE, ANGLE) for key in ("near_arm", "far_arm")]
    legs = [f.numbers(key, 3, True, -ANGLE, ANGLE) for key in ("near_leg", "far_leg")]
    at = _read_at(f)
    arch = f.number("arch", -MAX_ARCH, MAX_ARCH, 0.0)
    lengths = _read_lengths(f.mapping("lengths"))
    if torso is None or head is None or None in arms or None in legs or at is False:
        return None
    if lengths is None:
        return None
    return Pose(torso, head, arms[0], arms[1], legs[0], legs[1], at, arch, lengths)  # type: ignore[arg-type]


def _read_lengths(f: Fields) -> tuple[float, ...] | None:
    """lengths: {near_leg: [1, 0.6, 1]}: how much of each segment shows (a limb seen end on in a
    view from above); the limbs not named show whole. () when not given, None after a problem."""
    if not f.data:
        return ()
    f.check_keys([name for name, _ in LIMBS])
    shares: list[float] = []
    ok = True
    for name, count in LIMBS:
        given = f.numbers(name, count, False, *SHARE) if name in f.data else (1.0,) * count
        ok = ok and given is not None
        shares += given or (1.0,) * count
    return tuple(shares) if ok else None


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
            depends_on(folder / name, path)  # (a link: it holds while it still points there)
        elif not is_file(path):
            f.problem(key, f"'{name}' was not found (looked for {path})")
            depends_on(folder / name, None)  # a cached library holds while it is still missing
        else:
            paths.append(path)
            depends_on(folder / name, path)  # checked again when the library is from the cache
    return tuple(paths)


def figure_warnings(exercise) -> list[str]:
    """What a clinic drawing its own figure should know, short of an error: pictures with no
    captions (they print only "Start" and "End"), a figure whose start and end look alike."""
    found = []
    if (exercise.figure is not None or exercise.images) and not exercise.captions:
        found.append("has no captions: give it captions: {start: ..., end: ...} to say in words "
                     "what each picture shows")  # fmt: skip
    f = exercise.figure
    if (
        f is not None
        and not exercise.images
        and f.start == f.end
        and not f.views
        and not f.close_up
    ):
        found.append("figure: its start and end are the same picture; show what moves")
    return found


def pose_text(pose: Pose) -> str:
    """A pose's values as they are written in the library."""
    parts = [f"torso: {pose.torso:g}", f"head: {pose.head:g}"]
    for name in ("near_arm", "far_arm", "near_leg", "far_leg"):
        parts.append(f"{name}: [{', '.join(f'{v:g}' for v in getattr(pose, name))}]")
    if pose.at != (0.0, None):
        y = "null" if pose.at[1] is None else f"{pose.at[1]:g}"
        parts.append(f"at: [{pose.at[0]:g}, {y}]")
    if pose.arch:
        parts.append(f"arch: {pose.arch:g}")
    if pose.lengths and any(v != 1 for v in pose.lengths):
        parts.append(f"lengths: [{', '.join(f'{v:g}' for v in pose.lengths)}]")
    return ", ".join(parts)
