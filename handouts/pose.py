"""Line-art people posed from data: a side-view body whose segments are given as angles.

Angles are in degrees, measured counter-clockwise from "pointing right" (0 = right, 90 = up,
-90 = down), for a person who faces right when standing. Each segment's angle is absolute (its
direction on the page), which is easy to write down from a photo; joint ranges are checked on the
angles between segments, which is what a body can or cannot do.

No reportlab here: this module only computes points and finds problems.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Segment lengths, in figure units (a standing person is about 100 units tall).
TORSO, NECK, HEAD_RADIUS = 30.0, 7.0, 7.0
UPPER_ARM, FOREARM = 16.0, 14.0
THIGH, SHIN, FOOT = 24.0, 23.0, 8.0
# How thick each part is drawn (a body drawn along its centre lines rests half a width above
# the floor): limbs with some body, thicker at the thigh than at the forearm.
WIDTHS = {"upper_arm": 5.0, "forearm": 4.4, "thigh": 7.4, "shin": 5.8, "foot": 3.6,
          "torso": 12.0}  # fmt: skip
LIMB_WIDTH = WIDTHS["thigh"]  # the widest limb
TORSO_WIDTH = WIDTHS["torso"]
HAND_RADIUS = 3.0
SHOULDER_HALF, HIP_HALF = 7.5, 5.0  # a view from above or the front: half the body's width
MIN_ARROW = 4.0  # a point must move at least this far for its motion arrow to be drawn
MAX_NUMBER = 1000.0  # no angle or position is larger: the drawing's arithmetic stays sound
TOLERANCE = 1.5  # how far a drawn body may dip into the floor or a prop before it is an error

SOLID_PROPS = ("bench", "chair", "step")
PROP_KINDS = (*SOLID_PROPS, "mat", "wall", "rail", "band", "dumbbells")
VIEW_SIDES = ("above", "front")  # a second view: seen from above, or from the front
CLOSE_UPS = ("lower_back",)  # a close-up: the lower back and pelvis (a pelvic tilt)
LIMBS = (("near_arm", 2), ("far_arm", 2), ("near_leg", 3), ("far_leg", 3))
MAX_ARCH = 8.0  # how far the middle of the back may bow (figure units)
MAX_GAP = 12.0  # a close-up's gap under the lower back (close-up units: the back is 100 long)

# Plausible ranges of the angle at each joint (degrees), as explained in joint_angles().
# The torso is one straight segment, so "hip" includes the bending of the lower back (child's pose).
JOINT_RANGES: dict[str, tuple[float, float]] = {
    "neck": (-70, 70),
    "shoulder": (-70, 190),
    "elbow": (-10, 160),
    "hip": (-40, 175),
    "knee": (-10, 165),
    "ankle": (10, 130),
}


@dataclass(frozen=True)
class Pose:
    torso: float  # pelvis -> shoulders
    head: float  # shoulders -> centre of the head
    near_arm: tuple[float, float]  # upper arm, forearm
    far_arm: tuple[float, float]
    near_leg: tuple[float, float, float]  # thigh, shin, foot (ankle -> toes)
    far_leg: tuple[float, float, float]
    at: tuple[float, float | None] = (0.0, None)  # pelvis x, y (None: rest on the floor or a prop)
    arch: float = 0.0  # the back bowed: + arches it (belly forward), - rounds it
    lengths: tuple[float, ...] = ()  # each limb segment's drawn share of its length (LIMBS order;
    # empty: all 1), for a limb seen end on in a view from above or the front


@dataclass(frozen=True)
class View:
    """A second picture of the same movement, from `side` (above or front), beside the first."""

    side: str
    start: Pose
    end: Pose
    arrow: str | None = None
    mirror: bool = False  # the near limbs on the left of the line from pelvis to head


@dataclass(frozen=True)
class CloseUp:
    """A close-up of a body part; `lower_back`: the gap under the lower back (close-up units, the
    back 100 long) and the pelvis's tilt (degrees, + rolls the top of the pelvis toward the head)."""

    part: str
    start_gap: float
    end_gap: float
    start_tilt: float = 0.0
    end_tilt: float = 0.0


@dataclass(frozen=True)
class Prop:
    kind: str  # one of PROP_KINDS
    x: float = 0.0  # left edge (bench, chair, step, mat) or position (wall)
    width: float = 0.0
    height: float = 0.0  # top of a bench, chair or step


@dataclass(frozen=True)
class Figure:
    start: Pose
    end: Pose
    props: tuple[Prop, ...] = ()
    arrow: str | None = None  # a point name from Body.points: drawn from its start to its end place
    turn: str | None = None  # a point to draw a turning arrow around (a tilt that barely moves)
    clockwise: bool = False
    views: tuple[View, ...] = ()
    close_up: CloseUp | None = None


@dataclass
class Body:
    """A pose solved into points (figure units, floor at y = 0) and the parts drawn between them."""

    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    view: str = "side"  # or one of VIEW_SIDES
    parts: list[tuple[str, str, str, float]] = field(default_factory=list)
    # (side, from, to, width): far limbs first, the torso, then the near limbs

    def segments(self) -> list[tuple[str, str, str]]:
        """(side, from, to) for every limb segment and the torso, far side first."""
        return [(side, a, b) for side, a, b, _ in self.parts]

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points.values()]
        ys = [p[1] for p in self.points.values()]
        pad = HEAD_RADIUS
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def _parts(view: str) -> list[tuple[str, str, str, float]]:
    parts = []
    for side in ("far", "near"):
        hip = "pelvis" if view == "side" else f"{side}_hip"
        shoulder = "shoulder" if view == "side" else f"{side}_shoulder"
        parts.append([
            (side, hip, f"{side}_knee", WIDTHS["thigh"]),
            (side, f"{side}_knee", f"{side}_ankle", WIDTHS["shin"]),
            (side, f"{side}_ankle", f"{side}_toe", WIDTHS["foot"]),
            (side, shoulder, f"{side}_elbow", WIDTHS["upper_arm"]),
            (side, f"{side}_elbow", f"{side}_wrist", WIDTHS["forearm"]),
        ])  # fmt: skip
    torso = [("torso", "pelvis", "waist", TORSO_WIDTH), ("torso", "waist", "shoulder", TORSO_WIDTH),
             ("torso", "shoulder", "head", WIDTHS["upper_arm"])]  # fmt: skip
    return parts[0] + torso + parts[1]


def _step(origin: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad)


def _relative(a: float, b: float) -> float:
    """b - a, folded into (-180, 180]."""
    d = (b - a) % 360.0
    return d - 360.0 if d > 180.0 else d


def joint_angles(pose: Pose) -> dict[str, float]:
    """The angle at each joint; 0 is the joint straight as when standing, arms at the sides.

    neck: head tipped forward (+) or back (-); shoulder: arm raised forward (+) or back (-);
    elbow and knee: bent (+); hip: thigh raised forward (+) or back (-); ankle: 90 is a flat foot
    under a standing shin, less points the toes, more pulls them up.
    """
    down = pose.torso - 180.0  # straight down along the body
    angles = {"neck": _relative(pose.torso, pose.head)}
    for side, (upper, fore) in (("near", pose.near_arm), ("far", pose.far_arm)):
        angles[f"{side} shoulder"] = _relative(down, upper)
        angles[f"{side} elbow"] = _relative(upper, fore)
    for side, (thigh, shin, foot) in (("near", pose.near_leg), ("far", pose.far_leg)):
        angles[f"{side} hip"] = _relative(down, thigh)
        angles[f"{side} knee"] = _relative(shin, thigh)
        angles[f"{side} ankle"] = _relative(shin, foot)
    # the shoulder range runs past 180 (arms overhead): read a raised arm as positive
    for side in ("near", "far"):
        if angles[f"{side} shoulder"] < -90:
            angles[f"{side} shoulder"] += 360
    return angles


def _lengths(pose: Pose) -> dict[str, tuple[float, ...]]:
    shares = pose.lengths or (1.0,) * 10
    out, i = {}, 0
    for name, count in LIMBS:
        out[name] = shares[i : i + count]
        i += count
    return out


def solve(pose: Pose, props: tuple[Prop, ...] = (), view: str = "side", mirror: bool = False
          ) -> Body:  # fmt: skip
    """The body's points, resting on the floor (or a prop) unless the pose gives the pelvis height.

    `view` "side" (the usual one), or "above" / "front": the body's width shows, the near limbs
    to the right of the line from pelvis to head (to the left when `mirror`); seen from above,
    the body lies on the page and nothing rests."""
    share = _lengths(pose)
    points: dict[str, tuple[float, float]] = {"pelvis": (0.0, 0.0)}
    shoulder = _step(points["pelvis"], pose.torso, TORSO)
    points["shoulder"] = shoulder
    # the back's middle, bowed `arch` toward the front (the front is 90 degrees clockwise of the
    # line from pelvis to shoulders, for a person facing right)
    middle = _step(points["pelvis"], pose.torso, TORSO / 2)
    points["waist"] = _step(middle, pose.torso - 90, pose.arch) if view == "side" else middle
    points["head"] = _step(shoulder, pose.head, NECK + HEAD_RADIUS)
    across = pose.torso + (90 if mirror else -90)
    for side in ("near", "far"):
        sign = 1 if side == "near" else -1
        if view == "side":
            points[f"{side}_shoulder"], points[f"{side}_hip"] = shoulder, points["pelvis"]
        else:
            points[f"{side}_shoulder"] = _step(shoulder, across, sign * SHOULDER_HALF)
            points[f"{side}_hip"] = _step(points["pelvis"], across, sign * HIP_HALF)
    for side, (upper, fore) in (("near", pose.near_arm), ("far", pose.far_arm)):
        a, b = share[f"{side}_arm"]
        points[f"{side}_elbow"] = _step(points[f"{side}_shoulder"], upper, UPPER_ARM * a)
        points[f"{side}_wrist"] = _step(points[f"{side}_elbow"], fore, FOREARM * b)
    for side, (thigh, shin, foot) in (("near", pose.near_leg), ("far", pose.far_leg)):
        a, b, c = share[f"{side}_leg"]
        points[f"{side}_knee"] = _step(points[f"{side}_hip"], thigh, THIGH * a)
        points[f"{side}_ankle"] = _step(points[f"{side}_knee"], shin, SHIN * b)
        points[f"{side}_toe"] = _step(points[f"{side}_ankle"], foot, FOOT * c)
    if view == "side":
        for side in ("near", "far"):
            del points[f"{side}_shoulder"], points[f"{side}_hip"]
    x, y = pose.at
    parts = _parts(view)
    if y is None:
        y = 0.0 if view == "above" else _resting_height(points, parts)
    return Body({name: (px + x, py + y) for name, (px, py) in points.items()}, view, parts)


def _point(points: dict[str, tuple[float, float]], name: str) -> tuple[float, float]:
    """A part's end point; a side view's limbs start at the pelvis and the shoulders."""
    if name in points:
        return points[name]
    return points["pelvis" if name.endswith("_hip") else "shoulder"]


def _resting_height(
    points: dict[str, tuple[float, float]], parts: list[tuple[str, str, str, float]]
) -> float:
    """How far up to move the body so its lowest part rests on the floor."""
    return -min(y - r for _, y, r in _sample_with_radius(points, parts, samples=3))


def _sample_with_radius(
    points: dict[str, tuple[float, float]],
    parts: list[tuple[str, str, str, float]] | None = None,
    samples: int = 13,
) -> list[tuple[float, float, float]]:
    """Points along every part with the half-width drawn around them, plus the head's edge and
    the hands."""
    parts = parts if parts is not None else _parts("side")
    out: list[tuple[float, float, float]] = []
    for _, a, b, width in parts:
        if b == "head":
            hx, hy = points["head"]
            out.append((hx, hy, HEAD_RADIUS))
            sx, sy = points["shoulder"]
            b_point = _step((sx, sy), math.degrees(math.atan2(hy - sy, hx - sx)), NECK)
        else:
            b_point = _point(points, b)
        (ax, ay), (bx, by) = _point(points, a), b_point
        for i in range(samples):
            t = i / (samples - 1)
            out.append((ax + (bx - ax) * t, ay + (by - ay) * t, width / 2))
    for side in ("near", "far"):
        wx, wy = points[f"{side}_wrist"]
        out.append((wx, wy, HAND_RADIUS))
    return out


def pose_numbers(pose: Pose) -> tuple[float, ...]:
    return (pose.torso, pose.head, *pose.near_arm, *pose.far_arm, *pose.near_leg, *pose.far_leg,
            *(v for v in pose.at if v is not None), pose.arch, *pose.lengths)  # fmt: skip


def problems(figure: Figure) -> list[str]:
    """Everything implausible about a figure, each as 'part: what is wrong' (part is start, end,
    arrow or turn): joints past their range, a body through the floor or a prop. An empty list
    means the figure can be drawn."""
    found: list[str] = []
    poses = [("start", figure.start), ("end", figure.end)]
    for i, view in enumerate(figure.views):
        poses += [(f"views[{i}].start", view.start), (f"views[{i}].end", view.end)]
    for label, pose in poses:
        if not all(math.isfinite(v) and abs(v) <= MAX_NUMBER for v in pose_numbers(pose)):
            return [f"{label}: every angle and position must be a number from "
                    f"{-MAX_NUMBER:g} to {MAX_NUMBER:g}"]  # fmt: skip
        if pose.lengths and len(pose.lengths) != 10:
            return [f"{label}: lengths must give 10 shares (arms 2 each, legs 3 each)"]
    for prop in figure.props:
        if not all(
            math.isfinite(v) and abs(v) <= MAX_NUMBER for v in (prop.x, prop.width, prop.height)
        ):
            return [f"start: the {prop.kind}'s x, width and height must be numbers from "
                    f"{-MAX_NUMBER:g} to {MAX_NUMBER:g}"]  # fmt: skip
    for label, pose in (("start", figure.start), ("end", figure.end)):
        for joint, angle in joint_angles(pose).items():
            low, high = JOINT_RANGES[joint.split()[-1]]
            if not low <= angle <= high:
                found.append(
                    f"{label}: the {joint} is at {angle:.0f} degrees, outside {low:g} to {high:g}"
                )
        body = solve(pose, figure.props)
        samples = _sample_with_radius(body.points, body.parts)
        if min(y - r for _, y, r in samples) < -TOLERANCE:
            found.append(f"{label}: the body goes through the floor")
        for prop in figure.props:
            if prop.kind in SOLID_PROPS:
                inside = [
                    (x, y)
                    for x, y, r in samples
                    if prop.x + TOLERANCE < x < prop.x + prop.width - TOLERANCE
                    and y - r < prop.height - TOLERANCE
                ]
                if inside:
                    found.append(f"{label}: the body goes through the {prop.kind}")
            elif prop.kind == "wall":
                pelvis_left = body.points["pelvis"][0] < prop.x
                crossing = [
                    x
                    for x, _, r in samples
                    if (x + r > prop.x + TOLERANCE if pelvis_left else x - r < prop.x - TOLERANCE)
                ]
                if crossing:
                    found.append(f"{label}: the body goes through the wall")
    start, end = solve(figure.start, figure.props), solve(figure.end, figure.props)
    for key in ("arrow", "turn"):
        found += _arrow_problems(key, getattr(figure, key), start, end, key == "arrow")
    for i, view in enumerate(figure.views):
        bodies = [solve(p, (), view.side, view.mirror) for p in (view.start, view.end)]
        found += _arrow_problems(f"views[{i}].arrow", view.arrow, *bodies, True)
        if not any(_moved(bodies, name) >= MIN_ARROW for name in bodies[0].points):
            found.append(f"views[{i}].end: is the same picture as its start")
    c = figure.close_up
    if c is not None:
        for label, gap, tilt in (
            ("start", c.start_gap, c.start_tilt),
            ("end", c.end_gap, c.end_tilt),
        ):
            if not (math.isfinite(gap) and 0 <= gap <= MAX_GAP and math.isfinite(tilt)
                    and abs(tilt) <= 45):  # fmt: skip
                found.append(f"close_up.{label}: the gap must be from 0 to {MAX_GAP:g} and the "
                             "tilt from -45 to 45 degrees")  # fmt: skip
        if (c.start_gap, c.start_tilt) == (c.end_gap, c.end_tilt):
            found.append("close_up.end: is the same picture as its start")
    return found


def _moved(bodies: list[Body], point: str) -> float:
    return math.dist(bodies[0].points[point], bodies[1].points[point])


def _arrow_problems(key: str, point: str | None, start: Body, end: Body, moving: bool
                    ) -> list[str]:  # fmt: skip
    if point is None:
        return []
    if point not in start.points:
        return [f"{key}: unknown point '{point}'; expected one of {', '.join(start.points)}"]
    moved = _moved([start, end], point)
    if moving and moved < MIN_ARROW:
        return [f"{key}: the {point} moves only {moved:.1f} units, too little to draw an arrow "
                f"(at least {MIN_ARROW:g}); use turn: or another point"]  # fmt: skip
    return []
