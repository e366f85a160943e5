"""Load a layout from layouts/*.yaml or a clinic's own file; a layout may extend another."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from handouts.errors import InputError
from handouts.load.brand import COLOR
from handouts.load.cache import cached
from handouts.load.fields import Fields, Problems, closest, describe
from handouts.load.fonts import read_font
from handouts.load.source import Source, is_file, read_yaml
from handouts.model import ARRANGEMENTS, FOOTER, HEADER, SHOW, STYLES, VERSIONS, Layout
from handouts.resources import builtin_layouts_dir, layout_names  # noqa: F401 - (its home)

PAPERS = ("letter", "a4")
LENGTH = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \t]*(pt|in|mm|cm)?")  # ASCII digits only
UNITS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, None: 1.0}
TOP_KEYS = ("name", "description", "extends", "paper", "margins", "font", "sizes", "leading",
            "colors", "exercises", "show", "header", "footer")  # fmt: skip
# 24 pt body text is past the large-print range (APH 18 pt and up, RNIB 16-22 pt) and still lays out
SIZES = {"body": (12, 24), "heading": (12, 36), "title": (14, 48), "small": (12, 24)}  # 12: print
MAX_DEPTH = 8


def layout_summaries() -> list[tuple[str, str]]:
    """(name, description) of every built-in layout."""
    return [(name, load_layout(name).description) for name in layout_names()]


def load_layout(name: str = "standard") -> Layout:
    """A built-in layout by name, or a layout file by path (anything ending in .yaml or .yml).

    A built-in layout comes from the cache while the built-in files are unchanged (a cold build
    then needs no YAML at all); a layout file is read every time."""
    builtin = builtin_layouts_dir() / f"{name}.yaml"
    if _is_path(name) or not is_file(builtin):
        return _read_layout(name)
    files = sorted(builtin_layouts_dir().glob("*.yaml"))
    return cached(f"layout-{name}", files, lambda: _read_layout(name), Layout)


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name


def _read_layout(name: str) -> Layout:
    chain = _chain(_locate(name, None))
    problems = Problems()
    settings: dict[str, Any] = {}
    for source in reversed(chain):  # the base first, each file on top of the one it extends
        settings.update(_read_settings(source, problems))
    problems.raise_if_any()
    return _layout(settings, chain[0])


def _locate(name: str, source: Source | None) -> Path:
    """The file for a layout name or path; `source` is the file whose `extends:` names it."""
    if _is_path(name):
        path = Path(name)
        if source is not None and not path.is_absolute():
            path = source.path.parent / path
        if not is_file(path):
            found = "is not a file" if os.path.exists(path) else "not found"
            raise InputError(f"{path}: layout file {found}")
        return path
    path = builtin_layouts_dir() / f"{name}.yaml"
    if not is_file(path):
        names = layout_names()
        where = f"{source.name}:{source.line(('extends',))}: extends: " if source else ""
        raise InputError(
            f"{where}unknown layout '{name}'{closest(name, names)}; choose one of: {', '.join(names)}"
            " (or give a layout file's path)"
        )
    return path


def _chain(path: Path) -> list[Source]:
    """The layout file and every file it extends, nearest first."""
    chain: list[Source] = []
    seen: list[Path] = []
    while True:
        source = read_yaml(path, "layout")
        if not isinstance(source.data, dict):
            raise InputError(
                f"{path}: a layout must be a mapping (name:, sizes:, ...), got {describe(source.data)}"
            )
        chain.append(source)
        seen.append(path.resolve())
        parent = source.text(("extends",), source.data.get("extends"))
        if parent is None:
            if path.resolve() != (builtin_layouts_dir() / "standard.yaml").resolve():
                parent = (
                    "standard"  # every layout builds on the standard one unless it says otherwise
                )
            else:
                return chain
        if not isinstance(parent, str):
            line = source.line(("extends",))
            raise InputError(
                f"{path}:{line}: extends must be a layout name or file, got {describe(parent)}"
            )
        path = _locate(parent, source)
        where = f"{source.name}:{source.line(('extends',))}"
        if path.resolve() in seen:
            raise InputError(f"{where}: extends makes a loop ({parent} is already in the chain)")
        if len(chain) > MAX_DEPTH:
            raise InputError(
                f"{where}: too many layouts extend each other (at most {MAX_DEPTH + 1})"
            )


def _read_settings(source: Source, problems: Problems) -> dict[str, Any]:
    """The settings one file gives, validated; keys it leaves out are not in the result."""
    f = Fields(source, (), "", problems, source.data)
    f.check_keys(TOP_KEYS)
    out: dict[str, Any] = {}
    for key in ("name", "description"):
        if key in f.data:
            out[key] = f.text(key, required=True)
    if "paper" in f.data:
        out["paper"] = f.choice("paper", PAPERS)
    if "font" in f.data:
        out["font"] = read_font(f)
    if "leading" in f.data:
        out["leading"] = f.number("leading", 1.0, 2.5, 1.25)
    margins = f.mapping("margins")
    margins.check_keys(("top", "bottom", "left", "right"))
    for key in margins.data:
        out[f"margin_{key}"] = _length(margins, key, 18, 144)
    sizes = f.mapping("sizes")
    sizes.check_keys(tuple(SIZES))
    for key, (low, high) in SIZES.items():
        if key in sizes.data:
            out[f"{key}_size"] = sizes.number(key, low, high, low)
    colors = f.mapping("colors")
    colors.check_keys(("primary", "accent"))
    for key in colors.data:
        out[f"{key}_color"] = _color(colors, key)
    exercises = f.mapping("exercises")
    exercises.check_keys(
        ("columns", "arrangement", "style", "versions", "figures", "figures_views")
    )
    if "columns" in exercises.data:
        out["columns"] = exercises.whole("columns", 1, 2)
    if "arrangement" in exercises.data:
        out["arrangement"] = exercises.choice("arrangement", ARRANGEMENTS)
    if "style" in exercises.data:
        out["style"] = exercises.choice("style", STYLES)
    if "versions" in exercises.data:
        out["versions"] = exercises.choice("versions", VERSIONS)
    if "figures" in exercises.data:
        out["figure_height"] = _length(exercises, "figures", 0, 5 * 72, zero_ok=True)
    if "figures_views" in exercises.data:  # (taller: the second view under the side view)
        out["views_height"] = _length(exercises, "figures_views", 0, 5 * 72, zero_ok=True)
    for group, names in (("show", SHOW), ("header", HEADER), ("footer", FOOTER)):
        flags = f.mapping(group)
        flags.check_keys(names)
        for key in flags.data:
            if key in names:  # (an unknown key is reported by check_keys)
                out[f"{group}.{key}"] = flags.flag(key)
    return {k: v for k, v in out.items() if v is not None}


def _layout(settings: dict[str, Any], source: Source) -> Layout:
    flags = {
        group: frozenset(n for n in names if settings.get(f"{group}.{n}", True))
        for group, names in (("show", SHOW), ("header", HEADER), ("footer", FOOTER))
    }
    plain = {k: v for k, v in settings.items() if "." not in k}
    required = ("name", "paper", "margin_top", "margin_bottom", "margin_left", "margin_right",
                "font", "body_size", "heading_size", "title_size", "small_size", "leading")  # fmt: skip
    missing = [key for key in required if key not in plain]
    if missing:
        raise InputError(f"{source.name}: the layout does not set {', '.join(missing)}")
    return Layout(**plain, **flags, origin=source.name)


def _color(f: Fields, key: str) -> str | None:
    """'brand' ("": take the brand's colour, even over a parent layout's) or '#rrggbb'."""
    value = f.data.get(key)
    if value == "brand":
        return ""
    if not isinstance(value, str) or not COLOR.fullmatch(value):
        hint = " (in quotes: a # outside quotes starts a comment)" if value is None else ""
        f.problem(key, f"must be 'brand' or a colour like '#1f4e79'{hint}, got {describe(value)}")
        return None
    return value.lower()


def _length(f: Fields, key: str, low: float, high: float, zero_ok: bool = False) -> float | None:
    """A length such as 54, '0.75in' or '20mm', in points, between `low` and `high`."""
    value = f.source.text((*f.path, key), f.data.get(key))  # a plain number as typed: 54, 1e9
    match = LENGTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        f.problem(key, f"must be a length like 54, '0.75in' or '20mm', got {describe(value)}")
        return None
    points = float(match.group(1)) * UNITS[match.group(2)]
    if not (low <= points <= high or (zero_ok and points == 0)):
        f.problem(
            key, f"must be between {low / 72:g}in and {high / 72:g}in, got {value.strip()[:40]}"
        )
        return None
    return points
