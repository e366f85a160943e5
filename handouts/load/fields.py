"""Read fields out of a parsed YAML file, collecting every problem with file:line and key path.

A problem reads like:
    exercises.yaml:42: exercises[4] 'glute-bridge': dose.reps must be a whole number, got 'ten'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from handouts.errors import ValidationError
from handouts.load.source import Path_, Source
from handouts.text import clean


def describe(value: Any) -> str:
    """How a found value reads in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    return repr(value) if not isinstance(value, (int, float)) else str(value)


def link_problem(value: Any) -> str | None:
    """Why `value` is not an acceptable link, or None when it is."""
    if not isinstance(value, str):
        return "must be an https:// link"
    text = value.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text) or len(text) > 1000:
        return "must be one https:// link with no spaces"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "must be a well-formed https:// link"
    if parts.scheme.lower() != "https":
        return "must be an https:// link (http, javascript, file and data links are refused)"
    if not parts.hostname or "." not in parts.hostname.strip("."):
        return "must be an https:// link with a host name, like https://example.org/video"
    return None


def closest(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or ''."""
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class Problems:
    """Every problem found in one or more files, reported together."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, str]] = []

    def add(self, source: Source, path: Path_, message: str) -> None:
        self.items.append((source.name, source.line(path), message))

    def raise_if_any(self) -> None:
        """Raise one error listing every problem, file by file and line by line."""
        if self.items:
            ordered = sorted(self.items, key=lambda item: (item[0], item[1]))
            raise ValidationError([f"{name}:{line}: {message}" for name, line, message in ordered])


class Fields:
    """A mapping in a YAML file, read field by field; bad fields are recorded, not raised."""

    def __init__(
        self, source: Source, path: Path_, label: str, problems: Problems, data: Any = None
    ) -> None:
        self.source = source
        self.path = path
        self.label = label  # "exercises[4] 'glute-bridge'" : the reader-facing name of this mapping
        self.problems = problems
        self.data = data if isinstance(data, dict) else {}

    # -- reporting -----------------------------------------------------------------------------
    def key_path(self, key: str | int | None = None, *more: str | int) -> str:
        parts = [p for p in (*self._own_keys(), key, *more) if p is not None]
        text = ""
        for part in parts:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def _own_keys(self) -> tuple[str | int, ...]:
        return ()

    def problem(self, key: str | int | None, message: str, *more: str | int) -> None:
        where = self.key_path(key, *more)
        prefix = f"{self.label}: " if self.label else ""
        subject = f"{where} " if where else ""
        path = tuple(p for p in (*self.path, key, *more) if p is not None)
        self.problems.add(self.source, path, f"{prefix}{subject}{message}")

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                self.problem(
                    key,
                    f"is not a known key{closest(key, allowed)}; expected one of: "
                    + ", ".join(allowed),
                )

    def line_of(self, key: str | None = None) -> int:
        return self.source.line((*self.path, key) if key is not None else self.path)

    # -- typed getters -------------------------------------------------------------------------
    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required (text)")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return clean(str(value))
        if not isinstance(value, str):
            self.problem(key, f"must be text, got {describe(value)}")
            return default
        value = clean(value).strip()
        if required and not value:
            self.problem(key, "must not be empty")
        return value

    def text_list(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "is required (a list of text)")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, f"must be a list of text, got {describe(value)}")
            return ()
        items: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.problem(key, f"must be text, got {describe(item)}", i)
                continue
            items.append(clean(item).strip())
        if required and not items and not value:
            self.problem(key, "must list at least one item")
        return tuple(items)

    def link(self, key: str) -> str | None:
        """An https link with a host (printed as a QR code); any other scheme is refused."""
        value = self.data.get(key)
        if value is None:
            return None
        problem = link_problem(value)
        if problem:
            self.problem(key, f"{problem}, got {describe(value)}")
            return None
        return value.strip()

    def numbers(self, key: str, count: int, required: bool = False) -> tuple[float, ...] | None:
        """A list of exactly `count` numbers, like [30, -90]."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, f"is required (a list of {count} numbers)")
            return None
        ok = isinstance(value, list) and len(value) == count
        if not ok or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
            self.problem(key, f"must be a list of {count} numbers, got {describe(value)}")
            return None
        return tuple(float(v) for v in value)

    def whole(self, key: str, low: int = 0, high: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, got {describe(value)}")
            return None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
            self.problem(key, f"must be {bounds}, got {value}")
            return None
        return value

    def number(self, key: str, low: float, high: float, default: float) -> float:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, f"must be a number, got {describe(value)}")
            return default
        if not low <= value <= high:
            self.problem(key, f"must be from {low:g} to {high:g}, got {value:g}")
            return default
        return float(value)

    def choice(self, key: str, choices: Iterable[str], default: str | None = None) -> str | None:
        choices = list(choices)
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in choices:
            hint = closest(value, choices) if isinstance(value, str) else ""
            self.problem(key, f"must be one of {', '.join(choices)}, got {describe(value)}{hint}")
            return default
        return value

    def mapping(self, key: str, label: str | None = None, required: bool = False) -> Fields:
        value = self.data.get(key)
        if value is None and required:
            self.problem(key, "is required")
        elif value is not None and not isinstance(value, dict):
            self.problem(key, f"must be a mapping (key: value pairs), got {describe(value)}")
        return _Nested(self, (key,), value)

    def entry(self, key: str, index: int) -> Fields:
        """The mapping at `key[index]` (a list item), read like a nested mapping."""
        items = self.data.get(key)
        value = items[index] if isinstance(items, list) and index < len(items) else None
        return _Nested(self, (key, index), value)

    def items(
        self, key: str, required: bool = False, single_ok: bool = False
    ) -> list[tuple[int, Any]]:
        """(index, value) for each item of a list; `single_ok` lets one value stand for a list."""
        value = self.data.get(key)
        if single_ok and value is not None and not isinstance(value, list):
            return [(0, value)] if not isinstance(value, dict) else self.items(key)
        if value is None:
            if required:
                self.problem(key, "is required (a list)")
            return []
        if not isinstance(value, list):
            self.problem(key, f"must be a list, got {describe(value)}")
            return []
        return list(enumerate(value))


class _Nested(Fields):
    """A mapping inside another: messages keep the parent's label and name the key path."""

    def __init__(self, parent: Fields, keys: tuple[str | int, ...], data: Any) -> None:
        super().__init__(parent.source, (*parent.path, *keys), parent.label, parent.problems, data)
        self._keys = (*parent._own_keys(), *keys)

    def _own_keys(self) -> tuple[str | int, ...]:
        return self._keys
