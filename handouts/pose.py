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
TORSO, NECK, HEAD_RADIUS = 30.0, 9.0, 6.5
UPPER_ARM, FOREARM = 16.0, 14.0
THIGH, SHIN, FOOT = 24.0, 23.0, 8.0
LIMB_WIDTH = 4.2  # stroke widths: a body drawn along its centre lines rests half a width above
TORSO_WIDTH = 6.0
MIN_ARROW = 4.0  # a point must move at least this far for its motion arrow to be drawn
MAX_NUMBER = 1000.0  # no angle or position is larger: the drawing's arithmetic stays sound
TOLERANCE = 1.5  # how far a drawn body may dip into the floor or a prop before it is an error

SOLID_PROPS = ("bench", "chair", "step")
PROP_KINDS = (*SOLID_PROPS, "mat", "wall", "band", "dumbbells")

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


@dataclass
class Body:
    """A pose solved into points (figure units, floor at y = 0)."""

    points: dict[str, tuple[float, float]] = field(default_factory=dict)

    def segments(self) -> list[tuple[str, str, str]]:
        """(side, from, to) for every limb segment and the torso, far side first."""
        out = []
        for side in ("far", "near"):
            out += [
                (side, f"{side}_shoulder", f"{side}_elbow"),
                (side, f"{side}_elbow", f"{side}_wrist"),
                (side, "pelvis", f"{side}_knee"),
                (side, f"{side}_knee", f"{side}_ankle"),
                (side, f"{side}_ankle", f"{side}_toe"),
            ]
        out.insert(5, ("torso", "pelvis", "shoulder"))
        out.insert(6, ("torso", "shoulder", "head"))
        return out

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points.values()]
        ys = [p[1] for p in self.points.values()]
        pad = HEAD_RADIUS
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


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


def solve(pose: Pose, props: tuple[Prop, ...] = ()) -> Body:
    """The body's points, resting on the floor (or a prop) unless the pose gives the pelvis height."""
    points: dict[str, tuple[float, float]] = {"pelvis": (0.0, 0.0)}
    shoulder = _step(points["pelvis"], pose.torso, TORSO)
    points["shoulder"] = shoulder
    points["head"] = _step(shoulder, pose.head, NECK + HEAD_RADIUS)
    for side, (upper, fore) in (("near", pose.near_arm), ("far", pose.far_arm)):
        points[f"{side}_shoulder"] = shoulder
        points[f"{side}_elbow"] = _step(shoulder, upper, UPPER_ARM)
        points[f"{side}_wrist"] = _step(points[f"{side}_elbow"], fore, FOREARM)
    for side, (thigh, shin, foot) in (("near", pose.near_leg), ("far", pose.far_leg)):
        points[f"{side}_knee"] = _step(points["pelvis"], thigh, THIGH)
        points[f"{side}_ankle"] = _step(points[f"{side}_knee"], shin, SHIN)
        points[f"{side}_toe"] = _step(points[f"{side}_ankle"], foot, FOOT)
    x, y = pose.at
    if y is None:
        y = _resting_height(points, props)
    return Body({name: (px + x, py + y) for name, (px, py) in points.items()})


def _resting_height(points: dict[str, tuple[float, float]], props: tuple[Prop, ...]) -> float:
    """How far up to move the body so its lowest part rests on the floor.

    A straight segment is lowest at one of its ends, so the joints (with the half-width drawn
    around them) and the head are enough.
    """
    lowest = points["head"][1] - HEAD_RADIUS
    for name, (_, y) in points.items():
        if name != "head":
            lowest = min(
                lowest, y - (TORSO_WIDTH if name in ("pelvis", "shoulder") else LIMB_WIDTH) / 2
            )
    return -lowest


def _sample_with_radius(points: dict[str, tuple[float, float]]) -> list[tuple[float, float, float]]:
    """Points along every segment with the half-width drawn around them, plus the head's edge."""
    body = Body(points)
    samples: list[tuple[float, float, float]] = []
    for side, a, b in body.segments():
        if b == "head":
            hx, hy = points["head"]
            samples.append((hx, hy, HEAD_RADIUS))
            b_point = _step(
                points["shoulder"],
                math.degrees(math.atan2(hy - points["shoulder"][1], hx - points["shoulder"][0])),
                NECK,
            )
        else:
            b_point = points[b]
        width = TORSO_WIDTH if side == "torso" else LIMB_WIDTH
        (ax, ay), (bx, by) = points[a], b_point
        for i in range(13):
            t = i / 12
            samples.append((ax + (bx - ax) * t, ay + (by - ay) * t, width / 2))
    return samples


def problems(figure: Figure) -> list[str]:
    """Everything implausible about a figure, each as 'part: what is wrong' (part is start, end,
    arrow or turn): joints past their range, a body through the floor or a prop. An empty list
    means the figure can be drawn."""
    found: list[str] = []
    for label, pose in (("start", figure.start), ("end", figure.end)):
        numbers = (pose.torso, pose.head, *pose.near_arm, *pose.far_arm, *pose.near_leg,
                   *pose.far_leg, *(v for v in pose.at if v is not None))  # fmt: skip
        if not all(math.isfinite(v) and abs(v) <= MAX_NUMBER for v in numbers):
            return [f"{label}: every angle and position must be a number from "
                    f"{-MAX_NUMBER:g} to {MAX_NUMBER:g}"]  # fmt: skip
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
        samples = _sample_with_radius(body.points)
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
        point = getattr(figure, key)
        if point is not None and point not in start.points:
            found.append(
                f"{key}: unknown point '{point}'; expected one of {', '.join(start.points)}"
            )
        elif key == "arrow" and point is not None:
            moved = math.dist(start.points[point], end.points[point])
            if moved < MIN_ARROW:
                found.append(
                    f"arrow: the {point} moves only {moved:.1f} units, too little to draw an arrow (at least {MIN_ARROW:g}); use turn: or another point"
                )
    return found
