"""PDF drawing operators (the figures' and QR codes', as render/figure.py and render/qr.py make
them for the PDF) as SVG elements: the HTML copy draws the very same pictures.

Only the operators those modules write are read: q Q cm, w J j d, RG rg G g, m l c v y h re,
and the painting operators S s f f* B B* b b* n. Anything else is an error (a figure drawn
some new way must be taught here, never dropped silently)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\[[^\]]*\]|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z*']+")
_CAPS = {0: "butt", 1: "round", 2: "square"}
_JOINS = {0: "miter", 1: "round", 2: "bevel"}
_PAINT = {"S": (False, True, False), "s": (False, True, True), "f": (True, False, False),
          "F": (True, False, False), "f*": (True, False, False), "B": (True, True, False),
          "B*": (True, True, False), "b": (True, True, True), "b*": (True, True, True),
          "n": (False, False, False)}  # fmt: skip
_EVEN_ODD = {"f*", "B*", "b*"}
# the attributes of an <svg> that holds these paths: what a path does not say
ROOT = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'


def number(value: float) -> str:
    """A coordinate in SVG: at most three decimals, no trailing zeros (the same every run)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _colour(values: list[float]) -> str:
    if len(values) == 1:
        values = values * 3
    return "#" + "".join(f"{max(0, min(255, round(v * 255))):02x}" for v in values)


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m applied after n's space: PDF's `cm` (new = m x current)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)  # fmt: skip


class _State:
    __slots__ = ("ctm", "stroke", "fill", "width", "cap", "join", "dash")

    def __init__(self) -> None:
        self.ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        self.stroke, self.fill, self.width = "#000000", "#000000", 1.0
        self.cap, self.join, self.dash = 0, 0, ""

    def copy(self) -> _State:
        other = _State()
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other


def svg_elements(
    operators: str, ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
) -> list[str]:
    """The SVG <path> elements that draw `operators`, in PDF space transformed by `ctm` (give
    one that flips y for an SVG of the panel's size)."""
    state = _State()
    state.ctm = ctm
    stack: list[_State] = []
    operands: list[str] = []
    path: list[str] = []
    out: list[str] = []
    group: tuple[float, ...] | None = None
    for token in _TOKEN.findall(operators):
        if token[0] in "-+.0123456789[":
            operands.append(token)
            continue
        nums = [float(v) for v in operands if not v.startswith("[")]
        if token == "q":
            stack.append(state.copy())
        elif token == "Q":
            state = stack.pop() if stack else _State()
        elif token == "cm":
            state.ctm = _multiply(tuple(nums[-6:]), state.ctm)
        elif token == "w":
            state.width = nums[-1]
        elif token == "J":
            state.cap = int(nums[-1])
        elif token == "j":
            state.join = int(nums[-1])
        elif token == "d":
            dashes = operands[0][1:-1].split() if operands and operands[0].startswith("[") else []
            state.dash = " ".join(number(float(v)) for v in dashes)
        elif token in ("RG", "G"):
            state.stroke = _colour(nums)
        elif token in ("rg", "g"):
            state.fill = _colour(nums)
        elif token == "m":
            path.append(f"M{number(nums[0])} {number(nums[1])}")
        elif token == "l":
            path.append(f"L{number(nums[0])} {number(nums[1])}")
        elif token == "c":
            path.append("C" + " ".join(number(v) for v in nums[:6]))
        elif token == "v":  # (the current point is the first control point: not written here)
            path.append("S" + " ".join(number(v) for v in nums[:4]))
        elif token == "y":
            path.append("C" + " ".join(number(v) for v in (*nums[:2], *nums[2:4], *nums[2:4])))
        elif token == "h":
            path.append("Z")
        elif token == "re":
            x, y, w, h = nums[:4]
            path.append(f"M{number(x)} {number(y)}h{number(w)}v{number(h)}h{number(-w)}Z")
        elif token in _PAINT:
            fill, stroke, close = _PAINT[token]
            if path and (fill or stroke):
                if state.ctm != group:  # paths drawn in one space share one <g>
                    if group is not None:
                        out.append("</g>")
                    group = state.ctm
                    out.append(f'<g transform="matrix({" ".join(number(v) for v in group)})">')
                out.append(_path(path, state, fill, stroke, close, token in _EVEN_ODD))
            path = []
        else:
            raise ValueError(f"the figure uses the PDF operator {token!r}, which the HTML copy "
                             "cannot draw yet")  # fmt: skip
        operands = []
    if group is not None:
        out.append("</g>")
    return out


def _path(path: list[str], s: _State, fill: bool, stroke: bool, close: bool, even_odd: bool) -> str:
    """A <path> inside an <svg> whose own defaults are ROOT (no fill, round caps and joins)."""
    d = "".join(path) + ("Z" if close else "")
    attrs = [f'd="{d}"']
    if fill:
        attrs.append(f'fill="{s.fill}"')
        if even_odd:
            attrs.append('fill-rule="evenodd"')
    if stroke:
        attrs.append(f'stroke="{s.stroke}" stroke-width="{number(s.width)}"')
        if s.cap != 1:
            attrs.append(f'stroke-linecap="{_CAPS.get(s.cap, "butt")}"')
        if s.join != 1:
            attrs.append(f'stroke-linejoin="{_JOINS.get(s.join, "miter")}"')
        if s.dash:
            attrs.append(f'stroke-dasharray="{s.dash}"')
    return f"<path {' '.join(attrs)}/>"
