"""Load a layout (page geometry and type scale) from layouts/*.yaml."""

from __future__ import annotations

import re

from handouts.errors import InputError
from handouts.load.fields import Fields, Problems, describe
from handouts.load.source import read_yaml
from handouts.model import Layout
from handouts.resources import builtin_layouts_dir

PAPERS = ("letter", "a4")
FONTS = ("atkinson-hyperlegible",)
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(pt|in|mm|cm)?$")
UNITS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, None: 1.0}


def layout_names() -> list[str]:
    return sorted(p.stem for p in builtin_layouts_dir().glob("*.yaml"))


def load_layout(name: str = "standard") -> Layout:
    path = builtin_layouts_dir() / f"{name}.yaml"
    if not path.is_file():
        raise InputError(f"unknown layout '{name}'; choose one of: {', '.join(layout_names())}")
    source = read_yaml(path, "layout")
    problems = Problems()
    f = Fields(source, (), "", problems, source.data)
    f.check_keys(
        ("name", "description", "paper", "margins", "font", "sizes", "leading", "figure_height")
    )
    margins = f.mapping("margins", required=True)
    margins.check_keys(("top", "bottom", "left", "right"))
    sizes = f.mapping("sizes", required=True)
    sizes.check_keys(("body", "heading", "title"))
    layout = Layout(
        name=f.text("name", required=True),
        description=f.text("description"),
        paper=f.choice("paper", PAPERS, "letter") or "letter",
        margin_top=_length(margins, "top"),
        margin_bottom=_length(margins, "bottom"),
        margin_left=_length(margins, "left"),
        margin_right=_length(margins, "right"),
        font=f.choice("font", FONTS, FONTS[0]) or FONTS[0],
        body_size=sizes.number("body", 12, 40, 13),
        heading_size=sizes.number("heading", 14, 48, 17),
        title_size=sizes.number("title", 16, 60, 22),
        leading=f.number("leading", 1.0, 2.5, 1.3),
        figure_height=_length(f, "figure_height", 0, 5 * 72) if "figure_height" in f.data else 0.0,
        origin=str(path),
    )
    problems.raise_if_any()
    return layout


def _length(f: Fields, key: str, low: float = 18, high: float = 144) -> float:
    """A length such as 54, '0.75in' or '20mm', in points (between `low` and `high`)."""
    value = f.data.get(key)
    match = LENGTH.match(str(value).strip()) if isinstance(value, (str, int, float)) else None
    if value is None or isinstance(value, bool) or match is None:
        f.problem(key, f"must be a length like 54, '0.75in' or '20mm', got {describe(value)}")
        return 54.0
    points = float(match.group(1)) * UNITS[match.group(2)]
    if not low <= points <= high:
        f.problem(key, f"must be between {low / 72:g}in and {high / 72:g}in, got {value}")
        return 54.0
    return points
