"""Where the built-in library and layouts are: inside the installed package, or the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _builtin(name: str) -> Path:
    installed = _PACKAGE / "builtin" / name  # a wheel install (see pyproject's force-include)
    if installed.exists():
        return installed
    return _PACKAGE.parent / name  # a source checkout or an editable install


def builtin_library_path() -> Path:
    return _builtin("exercises.yaml")


def builtin_layouts_dir() -> Path:
    return _builtin("layouts")


def is_layout_file(layout: object) -> bool:
    """Whether `layout` names a layout file (it ends in .yaml or .yml, or has a /), not a built-in
    layout's name."""
    return isinstance(layout, str) and (layout.endswith((".yaml", ".yml")) or "/" in layout)


def layout_names() -> list[str]:
    """The built-in layouts' names (without reading them: the web page lists them at start)."""
    return sorted(p.stem for p in builtin_layouts_dir().glob("*.yaml"))
