"""Draw a Figure (see handouts/pose.py): start and end side by side, captioned, on the canvas.

Drawn straight on the canvas in a Flowable: a few dozen path operations, well under a millisecond,
and no reportlab.graphics state (which would pull Helvetica into the file).
"""

from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts.pose import (
    HAND_RADIUS,
    HEAD_RADIUS,
    NECK,
    SOLID_PROPS,
    TORSO_WIDTH,
    WIDTHS,
    Body,
    CloseUp,
    Figure,
    Prop,
    solve,
)

NEAR = colors.HexColor("#262626")
FAR = colors.HexColor("#7a7a7a")  # still visible on a photocopy
NEAR_FILL = colors.HexColor("#d4d4d4")
FAR_FILL = colors.HexColor("#efefef")
PROP_LINE = colors.HexColor("#6e6e6e")
PROP_FILL = colors.HexColor("#e4e4e4")
PANEL = colors.HexColor("#b5b5b5")
_OPERATORS: dict[tuple, str] = {}  # a panel's drawing operators (see FigurePair.operators)
_KEPT: list[dict[str, str]] = []  # the same by the key's text, from and for the cache (_kept)
_NEW: list[str] = []  # the panels drawn since the cache was read or written
_SKETCHES: dict[tuple, tuple[float, float, str]] = {}  # Sketch: its size and drawing
_LAID_OUT: dict[tuple, tuple] = {}  # FigurePair: its views' places and scale (_solve)
_BODIES: dict[tuple, Body] = {}  # solved poses, by pose, props, view and mirroring
PAD = 6.0  # inside a panel, around the picture
OUTLINE = 1.1  # figure units: the line around each part of the body
ROW_GAP = 10.0  # figure units between the side view and a second view or close-up
CLOSE_UP = (110.0, 46.0)  # a close-up's own units: its width and height
CLOSE_UP_ROW = 34.0  # figure units: the height of a close-up's row
LEADING = 1.2
UNNAMED_GAIN = 1.3  # the views beside without their names when that draws the body this much larger
# what makes a panel's operators from its key: this module, the poses, reportlab's canvas
_CODE = (Path(__file__), Path(__file__).parent.parent / "pose.py",
         Path(reportlab.__file__).parent / "pdfgen" / "canvas.py")  # fmt: skip
_CACHE_KEY = f"figure panels|reportlab {reportlab.Version}"
_NUMBER = re.compile(r"-?\d*\.\d\d+")


def _tenth(match: re.Match) -> str:
    text = f"{float(match.group()):.1f}"
    return text[:-2] if text.endswith(".0") else text


def wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in lines at most `width` wide (a word longer than that stands on its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def rich_lines(words: list[tuple[str, str]], size: float, width: float
               ) -> list[tuple[float, list[tuple[str, str, float]]]]:  # fmt: skip
    """(font, word) pairs in lines at most `width` wide: each line its width and its words with
    their x offsets."""
    lines: list[tuple[float, list[tuple[str, str, float]]]] = []
    for font, word in words:
        w = stringWidth(word, font, size)
        if lines:
            line_w, tokens = lines[-1]
            space = stringWidth(" ", font, size)
            if line_w + space + w <= width:
                tokens.append((font, word, line_w + space))
                lines[-1] = (line_w + space + w, tokens)
                continue
        lines.append((w, [(font, word, 0.0)]))
    return lines


@lru_cache(maxsize=1024)
def _caption_lines(font: str, name: str, text_font: str, description: str, size: float,
                   width: float) -> list[tuple[float, list[tuple[str, str, float]]]]:  # fmt: skip
    """A panel's caption in lines (rich_lines), once per text, size and width in a process
    (the lines are only read)."""
    return rich_lines([(font, name)] + [(text_font, w) for w in description.split()], size, width)


def _solved(pose, props: tuple[Prop, ...], view: str = "side", mirror: bool = False) -> Body:
    """`solve(...)`, once per pose in a process (every handout draws the same figures; a Body is
    never changed once solved)."""
    key = (pose, props, view, mirror)
    body = _BODIES.get(key)
    if body is None:
        if len(_BODIES) >= 1024:
            _BODIES.clear()
        body = _BODIES[key] = solve(pose, props, view, mirror)
    return body


def _kept() -> dict[str, str]:
    """The panels drawn, by their key's text: on the first use, those kept in the cache."""
    if not _KEPT:
        from handouts.load.cache import recall

        kept = recall("figures", _CACHE_KEY, _CODE, dict) or {}
        if not all(type(k) is str and type(v) is str for k, v in kept.items()):
            kept = {}  # not what it should be: drawn again
        _KEPT.append(kept)
    return _KEPT[0]


def keep_drawn() -> None:
    """Keep the panels drawn in the cache, when this process drew any that were not there: one
    entry, which a cold build reads back in about a millisecond, where drawing the sciatica
    handout's 18 panels takes ~10 ms."""
    if _NEW:
        from handouts.load.cache import keep

        del _NEW[:]
        keep("figures", _CACHE_KEY, _CODE, _KEPT[0])


class ArrowKey(Flowable):
    """The handout's one-line key to its arrows: a small arrow and 'Arrows show which way to
    move.'"""

    def __init__(self, text: str, font: str, size: float, accent: colors.Color) -> None:
        super().__init__()
        self.text, self.font, self.size, self.accent = text, font, size, accent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = wrapped(self.text, self.font, self.size, available_width - self.size * 2.6)
        self.width = available_width
        self.height = len(self.lines) * self.size * LEADING + self.size * 0.3
        return self.width, self.height

    def draw(self) -> None:
        canvas, size = self.canv, self.size
        top = self.height - size * 0.95
        canvas.saveState()
        canvas.setStrokeColor(self.accent)
        canvas.setFillColor(self.accent)
        canvas.setLineWidth(size * 0.16)
        canvas.setLineCap(1)
        y = top + size * 0.3
        canvas.line(0, y, size * 1.5, y)
        _arrow_head(canvas, (size * 1.9, y), (1, 0), size * 0.6)
        canvas.restoreState()
        canvas.setFont(self.font, size)
        canvas.setFillColor(NEAR)
        for n, line in enumerate(self.lines):
            canvas.drawString(size * 2.6, top - n * size * LEADING, line)


class StartEndPanels(Flowable):
    """Panels side by side, each captioned under it ('Start: On your back, knees bent')."""

    count = 2

    def __init__(self, width: float, height: float, font: str, size: float,
                 captions: tuple[str, ...], descriptions: tuple[str, ...] = (),
                 text_font: str = "") -> None:  # fmt: skip
        super().__init__()
        self.width = width
        self.font = font
        self.size = size
        self.captions = captions
        self.gap = size
        self.panel_w = (width - self.gap) / 2
        self.key_h = 0.0  # (the arrow key prints once, before the first card: ArrowKey)
        # under each panel: its name in bold, then what it shows ("Start: On your back")
        self.text_font = text_font or font
        self.caption_lines = [
            _caption_lines(font, c, self.text_font, d, size, self.panel_w)
            for c, d in zip(captions, (*descriptions, *[""] * len(captions)), strict=False)
        ]
        self.caption_h = max((len(c) for c in self.caption_lines), default=1) * size * LEADING
        self.caption_h += size * 0.4
        self.panel_h = max(height - self.caption_h - self.key_h, size * 2)
        self.height = self.panel_h + self.caption_h + self.key_h

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        for i in range(self.count):
            left = i * (self.panel_w + self.gap)
            canvas.saveState()
            canvas.setStrokeColor(PANEL)
            canvas.setLineWidth(0.75)
            canvas.translate(left, self.caption_h)  # (the frame's numbers the same on each)
            canvas.roundRect(0, 0, self.panel_w, self.panel_h, 6, stroke=1, fill=0)
            self.draw_panel(i, 0.0, 0.0)
            canvas.restoreState()
            if i < len(self.caption_lines):
                canvas.setFillColor(NEAR)
                for n, (line_w, tokens) in enumerate(self.caption_lines[i]):
                    y = self.caption_h - self.size * (0.95 + n * LEADING)
                    x = left + (self.panel_w - line_w) / 2
                    for font, text, at in tokens:
                        canvas.setFont(font, self.size)
                        canvas.drawString(x + at, y, text)

    def draw_panel(self, index: int, left: float, bottom: float) -> None:
        raise NotImplementedError


class FigurePair(StartEndPanels):
    """A line-art figure's start and end, at one scale so the movement reads at a glance; under
    the side view, the figure's second views and its close-up. The frames are as tall as the
    drawing needs at the width it has (never taller than `height`)."""

    def __init__(self, figure: Figure, width: float, height: float, font: str, size: float,
                 accent: colors.Color, captions: tuple[str, ...],
                 view_labels: dict[str, str] | None = None, descriptions: tuple[str, ...] = (),
                 text_font: str = "") -> None:  # fmt: skip
        self.accent = accent
        super().__init__(width, height, font, size, captions, descriptions, text_font)
        self.figure = figure
        self.view_labels = view_labels or {}
        key = (figure, self.panel_w, self.panel_h, font, size, tuple(self.view_labels.items()))
        known = _LAID_OUT.get(key)
        if known is None:  # (the same figures at the same sizes on every handout of a batch)
            self._solve()
            if len(_LAID_OUT) >= 512:
                _LAID_OUT.clear()
            known = _LAID_OUT[key] = (self.bodies, self.scene, self.rows, self.scale, self.beside,
                                      self.named, self.content)  # fmt: skip
        self.bodies, self.scene, self.rows, self.scale, self.beside, self.named, self.content = (
            known
        )
        fitted = (self.content[3] - self.content[1]) * self.scale + 2 * PAD + self.label_room()
        self.panel_h = min(self.panel_h, fitted)
        self.height = self.panel_h + self.caption_h + self.key_h

    def label_room(self) -> float:
        rows = len(self.figure.views) + (self.figure.close_up is not None)
        if not getattr(self, "named", True):
            return 0.0
        if getattr(self, "beside", False):
            rows = min(rows, 1)
        return rows * self.size * LEADING

    def _solve(self) -> None:
        figure = self.figure
        self.bodies = [_solved(p, figure.props) for p in (figure.start, figure.end)]
        self.scene = _scene_bounds(self.bodies, figure.props)
        x0, y0, x1, y1 = self.scene
        rows: list[tuple[str, object, tuple[float, float, float, float]]] = []
        for view in figure.views:
            bodies = [_solved(p, (), view.side, view.mirror) for p in (view.start, view.end)]
            bounds = _scene_bounds(bodies, figure.props if view.side == "front" else ())
            if view.side == "above":
                bounds = _above_bounds(bodies)
            rows.append(("view", (view, bodies), bounds))
        if figure.close_up is not None:
            w = max(x1 - x0, CLOSE_UP[0] * 0.8)
            rows.append(("close_up", figure.close_up, (0.0, 0.0, w, w * CLOSE_UP[1] / CLOSE_UP[0])))
        self.rows = rows
        # the other views under the side view, or beside it: whichever draws the body larger
        room_w = self.panel_w - 2 * PAD
        best = None
        # under, named; beside, named; beside without the names (when they do not fit over their
        # columns: the line between the pictures and the view's own floor or mat tell them apart)
        for beside, named in (
            ((False, True), (True, True), (True, False)) if rows else ((False, True),)
        ):
            self.beside, self.named = beside, named
            room_h = self.panel_h - 2 * PAD - self.label_room()
            if beside:
                width = (x1 - x0) + sum(b[2] - b[0] + ROW_GAP for _, _, b in rows)
                height = max([y1 - y0, *(b[3] - b[1] for _, _, b in rows)])
            else:
                width = max([x1 - x0, *(b[2] - b[0] for _, _, b in rows)])
                height = (y1 - y0) + sum(b[3] - b[1] + ROW_GAP for _, _, b in rows)
            scale = max(min(room_w / width, room_h / height), 0.01)
            if beside and named and not self._names_fit(scale):
                continue
            if best is None or scale > best[0] * (1.05 if named else UNNAMED_GAIN):
                best = (scale, beside, named, width, height)
        self.scale, self.beside, self.named, width, height = best
        self.content = (0.0, 0.0, width, height)

    def _names_fit(self, scale: float) -> bool:
        """Whether each view's name fits over its own column, drawn beside the side view."""
        for kind, thing, bounds in self.rows:
            name = thing[0].side if kind == "view" else "close_up"  # type: ignore[index]
            wide = stringWidth(self.view_labels.get(name, ""), self.font, self.size)
            if wide > (bounds[2] - bounds[0]) * scale + ROW_GAP * scale / 2:
                return False
        return True

    def row_places(self) -> list[tuple[float, float, float]]:
        """For each row under the side view: (separator y, label baseline y, drawing's top y),
        in points from the panel's bottom."""
        label_h = self.size * LEADING if self.named else 0.0
        if self.beside:  # (left x, label baseline y, drawing's top y)
            left = PAD + (self.panel_w - 2 * PAD - self.content[2] * self.scale) / 2
            left += (self.scene[2] - self.scene[0] + ROW_GAP) * self.scale
            places = []
            for _, _, bounds in self.rows:
                places.append((left, self.panel_h - PAD - label_h + self.size * 0.2,
                               self.panel_h - PAD - label_h))  # fmt: skip
                left += (bounds[2] - bounds[0] + ROW_GAP) * self.scale
            return places
        top = self.panel_h - PAD - (self.scene[3] - self.scene[1]) * self.scale
        places = []
        for _, _, bounds in self.rows:
            gap = ROW_GAP * self.scale
            places.append(
                (top - gap / 2, top - gap - label_h + self.size * 0.2, top - gap - label_h)
            )
            top -= gap + label_h + (bounds[3] - bounds[1]) * self.scale
        return places

    def draw_panel(self, index: int, left: float, bottom: float) -> None:
        if left or bottom:
            self.canv.translate(left, bottom)
        self.canv.addLiteral(self.operators(index))
        # the rows' names ("Seen from above"), in the page's own font
        self.canv.setFillColor(FAR)
        for (kind, thing, _), (x, label_y, _) in zip(self.rows, self.row_places(), strict=True):
            name = thing[0].side if kind == "view" else "close_up"  # type: ignore[index]
            if self.named:
                self.canv.setFont(self.font, self.size)
                self.canv.drawString(
                    x if self.beside else PAD, label_y, self.view_labels.get(name, "")
                )

    def operators(self, index: int) -> str:
        """The panel's drawing as PDF operators, made once per figure, size and colour, then
        copied: kept in the process (a batch draws the same figures on every handout) and in the
        cache between runs (see `keep_drawn`). The key is everything the drawing is made from."""
        key = (self.figure, self.panel_w, self.panel_h, self.size, self.scale, self.beside,
               self.named, self.scene, self.content, index, self.accent.hexval())  # fmt: skip
        found = _OPERATORS.get(key)
        if found is None:
            kept, text = _kept(), repr(key)  # (the cache's key: the values written out)
            found = kept.get(text)
            if found is None:
                found = self._made(index)
                if len(kept) >= 512:
                    kept.clear()
                kept[text] = found
                _NEW.append(text)
            if len(_OPERATORS) >= 512:
                _OPERATORS.clear()
            _OPERATORS[key] = found
        return found

    def _made(self, index: int) -> str:
        scratch = Canvas(io.BytesIO())
        scratch.setStrokeColor(PANEL)  # what the panel's frame left set
        scratch.setLineWidth(0.75)
        del scratch._code[:]
        self._draw_scene_on(scratch, index)
        # path coordinates to a tenth of a figure unit (a few hundredths of a point): a smaller
        # file; the transforms (cm) keep every digit
        return "\n".join(_without_repeats(
            line if line.endswith(" cm") else _NUMBER.sub(_tenth, line) for line in scratch._code
        ))  # fmt: skip

    def _draw_scene_on(self, canvas, index: int) -> None:
        scale, body = self.scale, self.bodies[index]
        x0, y0, x1, y1 = self.scene
        width = self.content[2]
        top = self.panel_h - PAD  # rows go down from the top of the panel
        left = (self.panel_w - (x1 - x0) * scale) / 2
        if self.beside:
            left = (self.panel_w - width * scale) / 2
            top -= self.label_room()
        canvas.saveState()
        canvas.translate(left - x0 * scale, top - (y1 - y0) * scale - y0 * scale)
        canvas.scale(scale, scale)
        _draw_scene(canvas, body, self.figure.props, (x0, x1), self.accent)
        if index == 1 and self.figure.arrow:
            _draw_arrow(canvas, self.bodies[0], body, self.figure.arrow, self.accent)
        if index == 1 and self.figure.turn:
            _draw_turn(canvas, body, self.figure.turn, self.figure.clockwise, self.accent)
        if self.figure.close_up is not None:  # where the close-up looks
            wx, wy = body.points["waist"]
            canvas.setStrokeColor(self.accent)
            canvas.setLineWidth(1.4)
            canvas.setDash(3, 2)
            canvas.circle(wx, wy, 12, stroke=1, fill=0)
            canvas.setDash()
        canvas.restoreState()
        for (kind, thing, bounds), (line, _, top) in zip(self.rows, self.row_places(), strict=True):
            bx0, by0, bx1, by1 = bounds
            canvas.saveState()
            canvas.setStrokeColor(PANEL)
            canvas.setLineWidth(0.5)
            if self.beside:  # a line between the side view and this one
                x = line - ROW_GAP * scale / 2
                canvas.line(x, PAD, x, self.panel_h - PAD)
                left = line
            else:
                canvas.line(PAD, line, self.panel_w - PAD, line)
                left = (self.panel_w - (bx1 - bx0) * scale) / 2
            if kind == "view":
                view, bodies = thing  # type: ignore[misc]
                canvas.translate(left - bx0 * scale, top - by1 * scale)
                canvas.scale(scale, scale)
                if view.side == "above":
                    _draw_above(canvas, bodies[index], self.figure.props, bounds)
                else:
                    _draw_scene(canvas, bodies[index], self.figure.props, (bx0, bx1), self.accent)
                if index == 1 and view.arrow:
                    _draw_arrow(canvas, bodies[0], bodies[1], view.arrow, self.accent)
            else:
                if not self.beside:
                    left = (self.panel_w - (bx1 - bx0) * scale) / 2
                canvas.translate(left, top - (by1 - by0) * scale)
                canvas.scale(scale, scale)
                _draw_close_up(canvas, thing, index, (bx1 - bx0, by1 - by0), self.accent)  # type: ignore[arg-type]
            canvas.restoreState()


FLOOR_SHARE = 0.9  # a figure the layout's full frame cannot draw as long as its floor (a person
# standing, in a frame as wide as it is tall) keeps at least this share of its full-frame size


def body_length(pair: FigurePair) -> float:
    """How long (points) the side view's body is drawn: the longer side of the larger of its
    start and end bodies, at the pair's scale."""
    sides = [max(b[2] - b[0], b[3] - b[1]) for b in (body.bounds() for body in pair.bodies)]
    return max(sides) * pair.scale


def body_floor(layout) -> float:
    """The least length (points) a card's side-view body is drawn at in `layout`: as long as the
    layout's `figures:` height (standard 1.9 in, large print 2.6 in, compact 1.3 in), what a
    patient reads at arm's length; 0 when the layout has no figures."""
    return layout.figure_height if layout.shows("figures") else 0.0


SKETCH_UNIT = 0.5  # points: a sketch's numbers are whole half points
SKETCH_PAD = 2.0  # points around a sketch's drawing
SKETCH_TORSO = colors.HexColor("#4d4d4d")


class Sketch(Flowable):
    """A figure's end position (or its start: `pose`), small, for the plan at a glance: the end
    is what tells the exercises apart (the bridge's hips up, the pelvic tilt's back flat; their
    starts are the same), as the patient looks it over on the fridge: the side view's body in two
    strokes (the far limbs lighter), the torso and the head, on the floor, with a bench, chair,
    step, wall or rail it uses; no second view, no caption, no frame (it is as large as its
    drawing), and its numbers in whole half points: a few dozen bytes, where a second copy of
    the card's drawing costs hundreds (the sciatica handout keeps under 60 KB)."""

    def __init__(self, figure: Figure, width: float, height: float, pose: str = "end") -> None:
        super().__init__()
        self.pose = pose
        key = (figure, width, height, pose)
        known = _SKETCHES.get(key)
        if known is None:  # (the same sketches on every handout of a batch)
            self._lay_out(figure, width, height, pose)
            if len(_SKETCHES) >= 512:
                _SKETCHES.clear()
            known = _SKETCHES[key] = (self.width, self.height, self._operators())
        self.width, self.height, self._drawn = known

    def _lay_out(self, figure: Figure, width: float, height: float, pose: str) -> None:
        self.body = _solved(figure.start if pose == "start" else figure.end, figure.props)
        self.props = figure.props
        x0, y0, x1, y1 = _scene_bounds([self.body], figure.props)
        room = (width - 2 * SKETCH_PAD, height - 2 * SKETCH_PAD)
        self.scale = max(min(room[0] / (x1 - x0), room[1] / (y1 - y0)), 0.01)
        self.width = (x1 - x0) * self.scale + 2 * SKETCH_PAD
        self.height = (y1 - y0) * self.scale + 2 * SKETCH_PAD
        self.origin = (SKETCH_PAD - x0 * self.scale, SKETCH_PAD - y0 * self.scale)
        self.span = (x0 + 3, x1 - 3)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.addLiteral(self._drawn)

    def operators(self) -> str:
        """The sketch's drawing as PDF operators (made once per figure and size in a process)."""
        return self._drawn

    def _at(self, x: float, y: float) -> str:
        k, (ox, oy) = self.scale / SKETCH_UNIT, self.origin
        return f"{round(ox / SKETCH_UNIT + x * k)} {round(oy / SKETCH_UNIT + y * k)}"

    def _point(self, name: str) -> str:
        return self._at(*_end(self.body, name))

    def _width(self, units: float) -> str:
        return _tenth_text(units * self.scale / SKETCH_UNIT)

    def _operators(self) -> str:
        body, at = self.body, self._at
        ops = [f"q {SKETCH_UNIT} 0 0 {SKETCH_UNIT} 0 0 cm 1 J 1 j",
               f"{_grey(PROP_LINE)} G {self._width(1.5)} w {at(self.span[0], 0)} m "
               f"{at(self.span[1], 0)} l S"]  # fmt: skip
        for prop in self.props:
            left, right, top = prop.x, prop.x + prop.width, prop.height
            box = f"{at(left, 0)} m {at(left, top)} l {at(right, top)} l {at(right, 0)} l"
            if prop.kind in ("bench", "step", "rail"):  # (a rail: its posts and its bar)
                ops.append(f"{box} S")
            elif prop.kind == "chair":
                person_right = body.points["pelvis"][0] > (left + right) / 2
                back = left if person_right else right
                ops.append(f"{box} {at(back, top)} m {at(back, top + 22)} l S")
            elif prop.kind == "wall":
                ops.append(f"{at(left, 0)} m {at(left, 112)} l S")
        for side, colour in (("far", FAR), ("near", NEAR)):
            path, last = [], None
            for part_side, a, b, _ in body.parts:
                if part_side != side:
                    continue
                if a != last:
                    path.append(f"{self._point(a)} m")
                path.append(f"{self._point(b)} l")
                last = b
            ops.append(f"{_grey(colour)} G {self._width(WIDTHS['shin'])} w {' '.join(path)} S")
            if side == "far":  # the torso and the head, between the far and the near limbs
                head = self._point("head")  # (lighter than the near arm over it)
                ops.append(f"{_grey(SKETCH_TORSO)} G {self._width(TORSO_WIDTH * 0.8)} w "
                           f"{self._point('pelvis')} m {self._point('waist')} l "
                           f"{self._point('shoulder')} l S {self._width(HEAD_RADIUS * 2)} w "
                           f"{head} m {head} l S")  # fmt: skip
        ops.append("Q")
        return "\n".join(ops)


_STATE = {"RG": 4, "rg": 4, "G": 2, "g": 2, "w": 2, "J": 2, "j": 2}  # state operators: words


def _without_repeats(lines):
    """Drawing operators without those that set the graphics state to what it already is (a
    colour, width, cap or join set again): a smaller file, the same drawing. Only a line that is
    one such operator is dropped; q and Q alone save and restore what is known, and any other
    line that sets the state or saves or restores it makes nothing known."""
    known: dict[str, str] = {}
    saved: list[dict[str, str]] = []
    for line in lines:
        parts = line.split()
        if parts and _STATE.get(parts[-1]) == len(parts):
            if known.get(parts[-1]) == line:
                continue
            known[parts[-1]] = line
        elif line == "q":
            saved.append(dict(known))
        elif line == "Q":
            known = saved.pop() if saved else {}
        elif any(part in _STATE or part in ("q", "Q", "gs") for part in parts):
            known, saved = {}, []
        yield line


def _grey(colour: colors.Color) -> str:
    return _tenth_text((colour.red + colour.green + colour.blue) / 3, 2)


def _tenth_text(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _scene_bounds(bodies: list[Body], props: tuple[Prop, ...]) -> tuple[float, float, float, float]:
    boxes = [body.bounds() for body in bodies]
    x0 = min(b[0] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    for prop in props:
        if prop.kind == "mat" and not prop.width:
            continue  # a mat without a size lies under the whole body
        if prop.kind in SOLID_PROPS or prop.kind in ("mat", "rail"):
            x0, x1 = min(x0, prop.x), max(x1, prop.x + prop.width)
            y1 = max(y1, prop.height + (20 if prop.kind == "chair" else 0))
        elif prop.kind == "wall":
            x0, x1 = min(x0, prop.x - 3), max(x1, prop.x + 3)
            y1 = max(y1, min(y1 + 4, 115))
    y0 = -4.0  # room for the floor line and a mat
    return x0 - 3, y0, x1 + 3, max(y1, y0 + 24)


def _above_bounds(bodies: list[Body]) -> tuple[float, float, float, float]:
    boxes = [body.bounds() for body in bodies]
    return (min(b[0] for b in boxes) - 3, min(b[1] for b in boxes) - 3,
            max(b[2] for b in boxes) + 3, max(b[3] for b in boxes) + 3)  # fmt: skip


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
    canvas.line(span[0], 0, span[1], 0)  # the floor
    _draw_body(canvas, body)
    for prop in props:
        _draw_prop(canvas, prop, body, accent, before=False)


def _draw_above(canvas, body: Body, props: tuple[Prop, ...],
                bounds: tuple[float, float, float, float]) -> None:  # fmt: skip
    """A body seen from above, lying on its mat (drawn as a rectangle under it)."""
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    if any(p.kind == "mat" for p in props):
        x0, y0, x1, y1 = bounds
        canvas.setStrokeColor(PROP_LINE)
        canvas.setFillColor(PROP_FILL)
        canvas.setLineWidth(1.2)
        canvas.roundRect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2, 2, stroke=1, fill=1)
    _draw_body(canvas, body)


def _group(body: Body, side: str, limb: str) -> list[tuple[str, str, float]]:
    names = ("_knee", "_ankle", "_toe") if limb == "leg" else ("_elbow", "_wrist")
    return [(a, b, w) for s, a, b, w in body.parts if s == side and b.endswith(names)]


def _draw_body(canvas, body: Body) -> None:
    """Far limbs (lighter), the torso and head, then the near limbs; each part outlined, with
    hands and feet."""
    order = [("far", "arm"), ("far", "leg"), ("torso", ""), ("near", "leg"), ("near", "arm")]
    if body.view == "above":  # seen from above, the moving (near) leg over the body
        order = [("far", "leg"), ("far", "arm"), ("torso", ""), ("near", "leg"), ("near", "arm")]
    for side, limb in order:
        if side == "torso":
            _draw_torso(canvas, body)
            continue
        line, fill = (FAR, FAR_FILL) if side == "far" else (NEAR, NEAR_FILL)
        _draw_limb(canvas, body, _group(body, side, limb), line, fill, limb == "arm")


def _draw_limb(canvas, body: Body, parts: list[tuple[str, str, float]], line, fill,
               hand: bool) -> None:  # fmt: skip
    p = body.points
    segments = []
    for a, b, width in parts:
        (ax, ay), (bx, by) = _end(body, a), p[b]
        if b.endswith("_toe"):  # the heel sticks out behind the ankle
            d = math.hypot(bx - ax, by - ay) or 1.0
            ax, ay = ax - (bx - ax) / d * 2.2, ay - (by - ay) / d * 2.2
        segments.append((ax, ay, bx, by, width))
    if hand:
        (ex, ey), (wx, wy) = p[parts[-1][0]], p[parts[-1][1]]
        d = math.hypot(wx - ex, wy - ey) or 1.0
        centre = (wx + (wx - ex) / d * 1.6, wy + (wy - ey) / d * 1.6)
    for colour, extra in ((line, 2 * OUTLINE), (fill, 0.0)):
        canvas.setStrokeColor(colour)
        for ax, ay, bx, by, width in segments:
            canvas.setLineWidth(width + extra)
            canvas.line(ax, ay, bx, by)
        if hand:
            _dot(canvas, centre, HAND_RADIUS + extra / 2, colour)


def _end(body: Body, name: str) -> tuple[float, float]:
    if name in body.points:
        return body.points[name]
    return body.points["pelvis" if name.endswith("_hip") else "shoulder"]


def _draw_torso(canvas, body: Body) -> None:
    p = body.points
    (px, py), (wx, wy), (sx, sy), (hx, hy) = p["pelvis"], p["waist"], p["shoulder"], p["head"]
    up = math.atan2(hy - sy, hx - sx)
    neck = (sx + NECK * 0.9 * math.cos(up), sy + NECK * 0.9 * math.sin(up))
    for colour, extra in ((NEAR, 2 * OUTLINE), (NEAR_FILL, 0.0)):
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        canvas.setLineWidth(WIDTHS["upper_arm"] + extra)
        canvas.line(sx, sy, *neck)
        if body.view == "side":
            canvas.setLineWidth(TORSO_WIDTH + extra)
            path = canvas.beginPath()
            path.moveTo(px, py)  # a curve through the waist: the back arched or rounded
            cx, cy = 2 * wx - (px + sx) / 2, 2 * wy - (py + sy) / 2
            path.curveTo(px + (cx - px) * 2 / 3, py + (cy - py) * 2 / 3,
                         sx + (cx - sx) * 2 / 3, sy + (cy - sy) * 2 / 3, sx, sy)  # fmt: skip
            canvas.drawPath(path, stroke=1, fill=0)
        else:  # the body's width: shoulders and hips
            canvas.setLineWidth(WIDTHS["thigh"] + extra)
            path = canvas.beginPath()
            path.moveTo(*p["near_hip"])
            for name in ("near_shoulder", "far_shoulder", "far_hip"):
                path.lineTo(*p[name])
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)
    _draw_head(canvas, (hx, hy), math.degrees(up), body.view)


def _draw_head(canvas, centre: tuple[float, float], up: float, view: str) -> None:
    """A head with hair at the back and crown and, seen from the side, a nose and an eye on
    the face side: it shows which way the person looks."""
    hx, hy = centre
    r = HEAD_RADIUS
    _dot(canvas, centre, r + OUTLINE, NEAR)
    face = up - 90 if view == "side" else up + 180
    _dot(canvas, _along((hx, hy), face, r * 0.28), r * 0.8, NEAR_FILL)  # the face; hair behind
    if view != "side":
        return
    a, b = math.radians(face - 25), math.radians(face + 5)
    nose = canvas.beginPath()
    nose.moveTo(hx + r * 0.9 * math.cos(a), hy + r * 0.9 * math.sin(a))
    nose.lineTo(*_along((hx, hy), face - 14, r + 2.2))
    nose.lineTo(hx + r * 0.9 * math.cos(b), hy + r * 0.9 * math.sin(b))
    nose.close()
    canvas.setFillColor(NEAR)
    canvas.drawPath(nose, stroke=0, fill=1)
    _dot(canvas, _along((hx, hy), face + 32, r * 0.55), 0.9, NEAR)  # an eye


def _dot(canvas, centre: tuple[float, float], radius: float, colour) -> None:
    """A filled circle, drawn as a round-capped stroke of no length (a tenth of the operators)."""
    canvas.setStrokeColor(colour)
    canvas.setLineCap(1)
    canvas.setLineWidth(radius * 2)
    canvas.line(*centre, *centre)


def _along(origin: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad)


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
        canvas.line(prop.x, 0, prop.x, 112)
        canvas.setLineWidth(0.8)
        person_right = body.points["pelvis"][0] > prop.x
        step = -4 if person_right else 4
        for y in range(4, 112, 8):  # hatching on the far side of the wall
            canvas.line(prop.x, y, prop.x + step, y + 4)
    elif prop.kind == "rail" and before:
        canvas.setLineWidth(2.4)
        for x in (prop.x, prop.x + prop.width):
            canvas.line(x, 0, x, prop.height)  # posts
    elif prop.kind == "rail":  # the bar goes over the hand that holds it
        canvas.setLineWidth(3.0)
        canvas.line(prop.x - 1.5, prop.height, prop.x + prop.width + 1.5, prop.height)
    elif not before and prop.kind == "band":
        _draw_band(canvas, body, accent)
    elif not before and prop.kind == "dumbbells":
        for side in ("far", "near"):
            x, y = body.points[f"{side}_wrist"]
            canvas.setFillColor(FAR if side == "far" else NEAR)
            canvas.roundRect(x - 5, y - 2.5, 10, 5, 2, stroke=0, fill=1)


def _draw_band(canvas, body: Body, accent: colors.Color) -> None:
    """A loop of band around both legs, just above the knees, drawn over them."""
    points = body.points
    px, py = points["pelvis"]
    centres = []
    for side in ("near", "far"):
        kx, ky = points[f"{side}_knee"]
        centres.append((kx + (px - kx) * 0.18, ky + (py - ky) * 0.18))
    cx = sum(c[0] for c in centres) / 2
    cy = sum(c[1] for c in centres) / 2
    kx, ky = points["near_knee"]
    angle = math.degrees(math.atan2(ky - py, kx - px))  # across the thigh
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.rotate(angle)
    canvas.setStrokeColor(NEAR)
    canvas.setLineWidth(5.2)
    canvas.ellipse(-3.2, -6.2, 3.2, 6.2, stroke=1, fill=0)
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(3.2)
    canvas.ellipse(-3.2, -6.2, 3.2, 6.2, stroke=1, fill=0)
    canvas.restoreState()


def _draw_close_up(canvas, close_up: CloseUp, index: int, size: tuple[float, float],
                   accent: colors.Color) -> None:  # fmt: skip
    """A close-up of the lower back and pelvis of a person lying on their back (head to the
    left): the gap under the lower back, the pelvis tipped by its tilt, the spine."""
    gap = close_up.start_gap if index == 0 else close_up.end_gap
    tilt = close_up.start_tilt if index == 0 else close_up.end_tilt
    w, h = CLOSE_UP
    k = min(size[0] / w, size[1] / h)
    canvas.translate((size[0] - w * k) / 2, (size[1] - h * k) / 2)
    canvas.scale(k, k)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    floor = 4.0
    canvas.setStrokeColor(PROP_LINE)
    canvas.setFillColor(PROP_FILL)
    canvas.setLineWidth(1.2)
    canvas.rect(0, 0, w, floor, stroke=1, fill=1)  # the mat

    def back(x: float) -> float:  # the underside of the back: the gap under the lower back
        return floor + (gap * math.sin(math.pi * (x - 12) / 58) if 12 < x < 70 else 0.0)

    xs = [i * 2.0 for i in range(37)]  # 0 ... 72
    if gap > 0:  # the gap, filled so it shows on a photocopy
        canvas.setFillColor(colors.white)
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(1.0)
        hole = canvas.beginPath()
        hole.moveTo(12, floor)
        for x in xs:
            if 12 <= x <= 70:
                hole.lineTo(x, back(x))
        hole.lineTo(70, floor)
        hole.close()
        canvas.drawPath(hole, stroke=1, fill=0)
        for x in range(18, 66, 4):  # hatching in the gap
            top = back(x)
            if top - floor > 1.2:
                canvas.line(x, floor + 0.4, x, top - 0.4)
    body = canvas.beginPath()
    body.moveTo(0, back(0))
    for x in xs:
        body.lineTo(x, back(x))
    body.curveTo(82, floor - 0.5, 94, floor + 1, 100, floor + 8)  # the buttock
    body.lineTo(110, floor + 24)  # the thigh, going up to the bent knee
    body.lineTo(103, floor + 31)
    body.curveTo(90, floor + 27, 80, floor + 29 + gap * 0.3, 60, floor + 30 + gap * 0.6)
    body.lineTo(0, floor + 31)
    body.close()
    canvas.setStrokeColor(NEAR)
    canvas.setFillColor(NEAR_FILL)
    canvas.setLineWidth(OUTLINE * 1.4)
    canvas.drawPath(body, stroke=1, fill=1)
    canvas.setFillColor(FAR)  # the spine: a row of small bones along the back
    for x in range(4, 70, 7):
        y = back(x + 2) + 5.5
        canvas.roundRect(x, y - 1.8, 5, 3.6, 1.2, stroke=0, fill=1)
    # the pelvis: a rounded bone tipped by its tilt, with a line along it
    canvas.saveState()
    canvas.translate(82, floor + 15)
    canvas.rotate(tilt)
    canvas.setStrokeColor(NEAR)
    canvas.setFillColor(FAR_FILL)
    canvas.setLineWidth(1.6)
    canvas.ellipse(-11, -7, 11, 7, stroke=1, fill=1)
    canvas.setLineWidth(2.2)
    canvas.line(-11, 0, 11, 0)
    canvas.restoreState()
    if gap == 0:  # the back pressed flat on the mat
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(3.0)
        canvas.line(14, floor - 0.2, 68, floor - 0.2)
    if index == 1:
        direction = close_up.end_tilt - close_up.start_tilt
        canvas.setStrokeColor(accent)
        canvas.setFillColor(accent)
        canvas.setLineWidth(2.4)
        radius, cx, cy = 13.0, 82.0, floor + 15
        start, extent = (60.0, 70.0) if direction > 0 else (130.0, -70.0)
        canvas.arc(cx - radius, cy - radius, cx + radius, cy + radius, start, extent)
        end = math.radians(start + extent)
        tip = (cx + radius * math.cos(end), cy + radius * math.sin(end))
        sign = 1 if direction > 0 else -1
        _arrow_head(canvas, tip, (-math.sin(end) * sign, math.cos(end) * sign), 5.0)


def _draw_arrow(canvas, start: Body, end: Body, point: str, accent: colors.Color) -> None:
    """A curved arrow from where `point` was at the start to where it is at the end, on a white
    edge so it shows over the body."""
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
    size = min(8.0, max(5.0, length * 0.35))
    # stop the line short of the tip: the head covers the rest
    dx, dy = bx - ctrl[0], by - ctrl[1]
    d = math.hypot(dx, dy) or 1.0
    ex, ey = bx - dx / d * size * 0.8, by - dy / d * size * 0.8
    for colour, width in ((colors.white, 5.6), (accent, 2.8)):
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(width)
        path = canvas.beginPath()
        path.moveTo(ax, ay)
        path.curveTo(ax + (ctrl[0] - ax) * 0.66, ay + (ctrl[1] - ay) * 0.66,
                     ex + (ctrl[0] - ex) * 0.66, ey + (ctrl[1] - ey) * 0.66, ex, ey)  # fmt: skip
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.setFillColor(accent)
    canvas.setStrokeColor(colors.white)
    canvas.setLineWidth(1.0)
    _arrow_head(canvas, (bx, by), (dx, dy), size, stroke=True)


def _draw_turn(canvas, body: Body, point: str, clockwise: bool, accent: colors.Color) -> None:
    """Most of a circle around `point`, for a tilt: the body barely moves, the arrow shows how."""
    cx, cy = body.points[point]
    radius = 12.0
    cy = max(cy, radius + 4)  # the arc stays above the floor
    start, extent = (165.0, -150.0) if clockwise else (15.0, 150.0)  # over the top
    canvas.setStrokeColor(accent)
    canvas.setFillColor(accent)
    canvas.setLineWidth(2.8)
    canvas.arc(cx - radius, cy - radius, cx + radius, cy + radius, start, extent)
    end = math.radians(start + extent)
    tip = (cx + radius * math.cos(end), cy + radius * math.sin(end))
    sign = -1 if clockwise else 1
    _arrow_head(canvas, tip, (-math.sin(end) * sign, math.cos(end) * sign), 7.0)


def _arrow_head(canvas, tip: tuple[float, float], direction: tuple[float, float],
                size: float = 7.0, stroke: bool = False) -> None:  # fmt: skip
    """A filled triangle at `tip`, pointing along `direction`."""
    bx, by = tip
    dx, dy = direction
    d = math.hypot(dx, dy) or 1.0
    dx, dy = dx / d, dy / d
    head = canvas.beginPath()
    head.moveTo(bx + dx * size * 0.3, by + dy * size * 0.3)
    head.lineTo(bx - dx * size - dy * size * 0.65, by - dy * size + dx * size * 0.65)
    head.lineTo(bx - dx * size + dy * size * 0.65, by - dy * size - dx * size * 0.65)
    head.close()
    canvas.drawPath(head, stroke=1 if stroke else 0, fill=1)
