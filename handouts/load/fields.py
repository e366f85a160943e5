"""Read fields out of a parsed YAML file, collecting every problem with file:line and key path.

A problem reads like:
    exercises.yaml:42: exercises[4] 'glute-bridge': dose.reps must be a whole number, got 'ten'
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from handouts.errors import ValidationError
from handouts.load.source import Path_, Source
from handouts.text import clean, one_line

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# YAML 1.1's other words for true and false, still read where a field wants true or false
FLAG_WORDS = {word: flag for flag, words in ((True, "yes Yes YES on On ON"),
              (False, "no No NO off Off OFF")) for word in words.split()}  # fmt: skip


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


def _typed(value: Any) -> str | None:
    """A number or true/false that has no typed text (made by code, not read) as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


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
    def shown(self, value: Any, *keys: str | int) -> str:
        """How the value at `keys` reads in a message: a plain number as it was typed."""
        raw = self.source.raw.get((*self.path, *keys)) if not isinstance(value, str) else None
        return describe(value) if raw is None else (raw if len(raw) <= 40 else raw[:37] + "...")

    def text(self, key: str, required: bool = False, default: str = "", lines: bool = False) -> str:
        """Text exactly as typed (a plain `007`, `1:30` or `true` too). Line breaks fold to
        spaces unless `lines` (notes, an address): a one-line field never prints a box."""
        value = self.source.text((*self.path, key), self.data.get(key))
        if value is None:
            if required:
                self.problem(key, "is required (text)")
            return default
        if not isinstance(value, str):
            value = _typed(value)
            if value is None:
                self.problem(key, f"must be text, got {describe(self.data.get(key))}")
                return default
        value = (clean(value) if lines else one_line(value)).strip()
        if required and not value:
            self.problem(key, "must not be empty")
        return value

    def text_list(self, key: str, required: bool = False, lines: bool = False) -> tuple[str, ...]:
        value = self.source.text((*self.path, key), self.data.get(key))
        if value is None:
            if required:
                self.problem(key, "is required (a list of text)")
            return ()
        if not isinstance(value, (str, list, dict)):
            value = _typed(value) or value
        if isinstance(value, str):
            value = [value]
        elif isinstance(value, list):
            value = [self.source.text((*self.path, key, i), item) for i, item in enumerate(value)]
        if not isinstance(value, list):
            self.problem(key, f"must be a list of text, got {describe(value)}")
            return ()
        items: list[str] = []
        for i, item in enumerate(value):
            text = self.list_item(key, i, item, lines)
            if text is not None:
                items.append(text)
        if required and not items and not value:
            self.problem(key, "must list at least one item")
        return tuple(items)

    def list_item(self, key: str, i: int, item: Any, lines: bool = False,
                  expected: str = "text") -> str | None:  # fmt: skip
        """Item `i` of the list `key` (its source text, when read from YAML) as text, else None
        after the problem "must be `expected`"."""
        if not isinstance(item, str) and _typed(item) is not None:
            item = _typed(item)
        if not isinstance(item, str) or not item.strip():
            self.problem(key, f"must be {expected}, got {describe(item)}", i)
            return None
        return (clean(item) if lines else one_line(item)).strip()

    def flag(self, key: str, default: bool = False) -> bool | None:
        """true or false (YAML 1.1's yes/no/on/off too: in a field that wants a flag they can mean
        nothing else); None, after a problem, for anything else."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = FLAG_WORDS.get(value, value)
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, got {self.shown(value, key)}")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        """A date typed like 2026-11-29 (quoted or not): a real day, or a problem."""
        value = self.source.text((*self.path, key), self.data.get(key))
        if value is None:
            return None
        text = value.strip() if isinstance(value, str) else ""
        if not DATE.match(text):
            self.problem(key, f"must be a date like 2026-11-29, got {describe(value)}")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(key, f"must be a date like 2026-11-29, got {describe(value)}")
            return None

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

    def numbers(
        self, key: str, count: int, required: bool = False, low: float = -1e6, high: float = 1e6
    ) -> tuple[float, ...] | None:
        """A list of exactly `count` numbers, like [30, -90], each from `low` to `high`."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, f"is required (a list of {count} numbers)")
            return None
        ok = isinstance(value, list) and len(value) == count
        if not ok or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
            self.problem(key, f"must be a list of {count} numbers, got {describe(value)}")
            return None
        for i, v in enumerate(value):
            if not low <= v <= high:  # (NaN is never in range)
                self.problem(
                    key, f"must be from {low:g} to {high:g}, got {self.shown(v, key, i)}", i
                )
                return None
        return tuple(float(v) for v in value)

    def whole(self, key: str, low: int = 0, high: int = 1_000_000) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, got {self.shown(value, key)}")
            return None
        if not low <= value <= high:
            self.problem(key, f"must be from {low} to {high}, got {self.shown(value, key)}")
            return None
        return value

    def number(self, key: str, low: float, high: float, default: float) -> float:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, f"must be a number, got {self.shown(value, key)}")
            return default
        if not low <= value <= high:  # (NaN is never in range)
            self.problem(key, f"must be from {low:g} to {high:g}, got {self.shown(value, key)}")
            return default
        return float(value)

    def choice(self, key: str, choices: Iterable[str], default: str | None = None) -> str | None:
        choices = list(choices)
        value = self.source.text((*self.path, key), self.data.get(key))  # `1`, `no`: as typed
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
