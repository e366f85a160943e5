"""Draw a Figure (see handouts/pose.py): start and end side by side, captioned, on the canvas.

Drawn straight on the canvas in a Flowable: a few dozen path operations, well under a millisecond,
and no reportlab.graphics state (which would pull Helvetica into the file).
"""

from __future__ import annotations

import io
import math

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts.pose import (
    HEAD_RADIUS,
    LIMB_WIDTH,
    NECK,
    SOLID_PROPS,
    TORSO_WIDTH,
    Body,
    Figure,
    Prop,
    solve,
)

NEAR = colors.HexColor("#262626")
FAR = colors.HexColor("#7a7a7a")  # still visible on a photocopy
PROP_LINE = colors.HexColor("#6e6e6e")
PROP_FILL = colors.HexColor("#e4e4e4")
PANEL = colors.HexColor("#b5b5b5")
_OPERATORS: dict[tuple, str] = {}  # a panel's drawing operators, by figure, size and colour
PAD = 8.0  # inside a panel, around the picture
STANDING = 110.0  # figure units: a standing person with the floor under them


class StartEndPanels(Flowable):
    """Two framed panels side by side, captioned 'Start' and 'End' (one panel for one picture)."""

    count = 2

    def __init__(self, width: float, height: float, font: str, size: float,
                 captions: tuple[str, str]) -> None:  # fmt: skip
        super().__init__()
        self.width = width
        self.height = height
        self.font = font
        self.size = size
        self.captions = captions
        self.gap = size
        self.caption_h = size * 1.6
        self.panel_w = (width - self.gap) / 2
        self.panel_h = height - self.caption_h

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        for i in range(self.count):
            left = i * (self.panel_w + self.gap)
            canvas.saveState()
            canvas.setStrokeColor(PANEL)
            canvas.setLineWidth(0.75)
            canvas.roundRect(left, self.caption_h, self.panel_w, self.panel_h, 6, stroke=1, fill=0)
            self.draw_panel(i, left, self.caption_h)
            canvas.restoreState()
            if self.count > 1:
                canvas.setFont(self.font, self.size)
                canvas.setFillColor(NEAR)
                canvas.drawCentredString(
                    left + self.panel_w / 2, self.size * 0.35, self.captions[i]
                )

    def draw_panel(self, index: int, left: float, bottom: float) -> None:
        raise NotImplementedError


class FigurePair(StartEndPanels):
    """A line-art figure's start and end, at one scale so the movement reads at a glance."""

    def __init__(self, figure: Figure, width: float, height: float, font: str, size: float,
                 accent: colors.Color, captions: tuple[str, str]) -> None:  # fmt: skip
        super().__init__(width, height, font, size, captions)
        self.figure = figure
        self.accent = accent

    def _solve(self) -> None:
        self.bodies = [solve(p, self.figure.props) for p in (self.figure.start, self.figure.end)]
        self.scene = _scene_bounds(self.bodies, self.figure.props)
        x0, y0, x1, y1 = self.scene
        # one scale for both panels; a lying body is drawn no more than 1.8 times the size of
        # a standing one, so people look alike from exercise to exercise
        room_h = self.panel_h - 2 * PAD
        self.scale = min((self.panel_w - 2 * PAD) / (x1 - x0), room_h / (y1 - y0),
                         1.8 * room_h / STANDING)  # fmt: skip

    def draw_panel(self, index: int, left: float, bottom: float) -> None:
        self.canv.translate(left, bottom)
        self.canv.addLiteral(self.operators(index))

    def operators(self, index: int) -> str:
        """The panel's drawing as PDF operators, made once per figure, size and colour in a
        process (a batch draws the same figures on every handout), then copied."""
        key = (self.figure, self.panel_w, self.panel_h, index, self.accent.hexval())
        found = _OPERATORS.get(key)
        if found is None:
            scratch = Canvas(io.BytesIO())
            scratch.setStrokeColor(PANEL)  # what the panel's frame left set
            scratch.setLineWidth(0.75)
            del scratch._code[:]
            if not hasattr(self, "scale"):
                self._solve()
            self._draw_scene_on(scratch, index)
            found = "\n".join(scratch._code)
            if len(_OPERATORS) >= 512:
                _OPERATORS.clear()
            _OPERATORS[key] = found
        return found

    def _draw_scene_on(self, canvas, index: int) -> None:
        scale, body = self.scale, self.bodies[index]
        x0, y0, x1, _ = self.scene
        # centre the scene in the panel, floor at the panel's bottom padding
        canvas.translate((self.panel_w - (x1 - x0) * scale) / 2 - x0 * scale,
                         PAD - y0 * scale)  # fmt: skip
        canvas.scale(scale, scale)
        _draw_scene(canvas, body, self.figure.props, (x0, x1), self.accent)
        if index == 1 and self.figure.arrow:
            _draw_arrow(canvas, self.bodies[0], body, self.figure.arrow, self.accent)
        if index == 1 and self.figure.turn:
            _draw_turn(canvas, body, self.figure.turn, self.figure.clockwise, self.accent)


def _scene_bounds(bodies: list[Body], props: tuple[Prop, ...]) -> tuple[float, float, float, float]:
    boxes = [body.bounds() for body in bodies]
    x0 = min(b[0] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    for prop in props:
        if prop.kind == "mat" and not prop.width:
            continue  # a mat without a size lies under the whole body
        if prop.kind in SOLID_PROPS or prop.kind == "mat":
            x0, x1 = min(x0, prop.x), max(x1, prop.x + prop.width)
            y1 = max(y1, prop.height + (20 if prop.kind == "chair" else 0))
        elif prop.kind == "wall":
            x0, x1 = min(x0, prop.x - 3), max(x1, prop.x + 3)
    y0 = -4.0  # room for the floor line and a mat
    return x0 - 4, y0, x1 + 4, max(y1, y0 + 40)


def _draw_scene(canvas, body: Body, props: tuple[Prop, ...], span: tuple[float, float],
                accent: colors.Color) -> None:  # fmt: skip
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    for prop in props:
        if prop.kind == "mat" and not prop.width:
            prop = Prop("mat", span[0] + 2, span[1] - span[0] - 4)
        _draw_prop(canvas, prop, body, accent, before=True)
    canvas.setStrokeColor(PROP_LINE)
    canvas.setLineWidth(1.5)
    canvas.line(span[0] - 4, 0, span[1] + 4, 0)  # the floor
    points = body.points
    # one path per stroke style: far limbs, torso, near limbs (few state changes, small output)
    for style in ("far", "torso", "near"):
        canvas.setStrokeColor(FAR if style == "far" else NEAR)
        canvas.setLineWidth(TORSO_WIDTH if style == "torso" else LIMB_WIDTH)
        path = canvas.beginPath()
        for side, a, b in body.segments():
            if side == style and b != "head":
                path.moveTo(*points[a])
                path.lineTo(*points[b])
        canvas.drawPath(path, stroke=1, fill=0)
    # neck and head
    sx, sy = points["shoulder"]
    hx, hy = points["head"]
    angle = math.atan2(hy - sy, hx - sx)
    canvas.setStrokeColor(NEAR)
    canvas.setLineWidth(LIMB_WIDTH)
    canvas.line(sx, sy, sx + NECK * 0.9 * math.cos(angle), sy + NECK * 0.9 * math.sin(angle))
    canvas.setFillColor(NEAR)
    canvas.circle(hx, hy, HEAD_RADIUS, stroke=0, fill=1)
    for prop in props:
        _draw_prop(canvas, prop, body, accent, before=False)


def _draw_prop(canvas, prop: Prop, body: Body, accent: colors.Color, before: bool) -> None:
    canvas.setStrokeColor(PROP_LINE)
    canvas.setFillColor(PROP_FILL)
    canvas.setLineWidth(1.2)
    if before and prop.kind == "mat":
        canvas.roundRect(prop.x, -2.5, prop.width, 2.5, 1, stroke=1, fill=1)
    elif before and prop.kind in ("bench", "step"):
        canvas.rect(prop.x, 0, prop.width, prop.height, stroke=1, fill=1)
    elif before and prop.kind == "chair":
        canvas.rect(prop.x, prop.height - 3, prop.width, 3, stroke=1, fill=1)  # seat
        canvas.setLineWidth(2)
        for x in (prop.x + 1.5, prop.x + prop.width - 1.5):
            canvas.line(x, 0, x, prop.height - 3)  # legs
        person_right = body.points["pelvis"][0] > prop.x + prop.width / 2
        back = prop.x + 1.5 if person_right else prop.x + prop.width - 1.5  # away from the person
        canvas.line(back, prop.height, back, prop.height + 22)  # backrest
    elif before and prop.kind == "wall":
        canvas.setLineWidth(3)
        canvas.line(prop.x, 0, prop.x, 115)
    elif not before and prop.kind == "band":
        _draw_band(canvas, body, accent)
    elif not before and prop.kind == "dumbbells":
        canvas.setFillColor(NEAR)
        for side in ("far", "near"):
            x, y = body.points[f"{side}_wrist"]
            canvas.setFillColor(FAR if side == "far" else NEAR)
            canvas.roundRect(x - 5, y - 2.5, 10, 5, 2, stroke=0, fill=1)


def _draw_band(canvas, body: Body, accent: colors.Color) -> None:
    """A loop of band around both legs, just above the knees."""
    points = body.points
    px, py = points["pelvis"]
    centres = []
    for side in ("near", "far"):
        kx, ky = points[f"{side}_knee"]
        centres.append((kx + (px - kx) * 0.2, ky + (py - ky) * 0.2))
    cx = sum(c[0] for c in centres) / 2
    cy = sum(c[1] for c in centres) / 2
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(2.5)
    canvas.ellipse(cx - 5, cy - 3.2, cx + 5, cy + 3.2, stroke=1, fill=0)


def _draw_arrow(canvas, start: Body, end: Body, point: str, accent: colors.Color) -> None:
    """A curved arrow from where `point` was at the start to where it is at the end."""
    (ax, ay), (bx, by) = start.points[point], end.points[point]
    length = math.hypot(bx - ax, by - ay)
    if length < 4:
        return
    # bow the curve away from the body's centre so it does not run over the figure
    mx, my = (ax + bx) / 2, (ay + by) / 2
    nx, ny = -(by - ay) / length, (bx - ax) / length
    cx, cy = end.points["pelvis"]
    if (mx - cx) * nx + (my - cy) * ny < 0:
        nx, ny = -nx, -ny
    bow = length * 0.35
    ctrl = (mx + nx * bow, my + ny * bow)
    # stand the arrow off the limb at both ends
    canvas.setStrokeColor(accent)
    canvas.setFillColor(accent)
    canvas.setLineWidth(2.2)
    canvas.setDash(4, 3)
    path = canvas.beginPath()
    path.moveTo(ax, ay)
    path.curveTo(ax + (ctrl[0] - ax) * 0.66, ay + (ctrl[1] - ay) * 0.66,
                 bx + (ctrl[0] - bx) * 0.66, by + (ctrl[1] - by) * 0.66, bx, by)  # fmt: skip
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.setDash()
    _arrow_head(canvas, (bx, by), (bx - ctrl[0], by - ctrl[1]))


def _draw_turn(canvas, body: Body, point: str, clockwise: bool, accent: colors.Color) -> None:
    """Three quarters of a circle around `point`, for a tilt: the body barely moves, the arrow shows how."""
    cx, cy = body.points[point]
    radius = 11.0
    cy = max(cy, radius + 4)  # the arc stays above the floor
    start, extent = (165.0, -150.0) if clockwise else (15.0, 150.0)  # over the top
    canvas.setStrokeColor(accent)
    canvas.setFillColor(accent)
    canvas.setLineWidth(2.2)
    canvas.arc(cx - radius, cy - radius, cx + radius, cy + radius, start, extent)
    end = math.radians(start + extent)
    tip = (cx + radius * math.cos(end), cy + radius * math.sin(end))
    sign = -1 if clockwise else 1
    _arrow_head(canvas, tip, (-math.sin(end) * sign, math.cos(end) * sign))


def _arrow_head(canvas, tip: tuple[float, float], direction: tuple[float, float]) -> None:
    """A filled triangle at `tip`, pointing along `direction`."""
    bx, by = tip
    dx, dy = direction
    d = math.hypot(dx, dy) or 1.0
    dx, dy = dx / d, dy / d
    size = 6.0
    head = canvas.beginPath()
    head.moveTo(bx + dx * 2, by + dy * 2)
    head.lineTo(bx - dx * size - dy * size * 0.6, by - dy * size + dx * size * 0.6)
    head.lineTo(bx - dx * size + dy * size * 0.6, by - dy * size - dx * size * 0.6)
    head.close()
    canvas.drawPath(head, stroke=0, fill=1)
