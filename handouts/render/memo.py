"""Keys for what render/ remembers within a process: made of values, never of object identity.

A card's arrangement is measured once (story._arranged) and remembered under a key made of
everything it is made from: the item (every field of it and of its exercise, whatever fields they
gain later), the styles (every attribute of every paragraph style, the layout, the fonts, the
labels), the frame. Two cards that could print differently never share a key; two equal ones
built for different handouts do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import PurePath

from reportlab.lib.colors import Color
from reportlab.lib.styles import PropertySet

_PLAIN = frozenset((str, int, float, bool, type(None)))  # (compared as Python compares them)
_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, found once per class


def value_key(value: object) -> object:
    """`value` as a hashable key that equals another's only when the two values are equal:
    strings, numbers and None as they are; a tuple, list or frozenset of them, a dataclass (its
    class and each field), a mapping (its items, in order), a reportlab paragraph style (its
    class and every attribute but its parent, whose attributes it holds already), a colour (its
    class and components) or a path, each made of keys in turn. TypeError for anything else
    (an object compared by identity, whose content could change under the same key)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        if all(type(part) in _PLAIN for part in value):
            return value
        return (tuple, *map(value_key, value))
    names = _FIELDS.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(field.name for field in fields(value))
    if names is not None:
        return (kind, *[value_key(getattr(value, name)) for name in names])
    if isinstance(value, Mapping):
        return (Mapping, *[(key if type(key) is str else value_key(key),
                            part if type(part) is str else value_key(part))
                           for key, part in value.items()])  # fmt: skip
    if isinstance(value, PropertySet):
        return (kind, *[(name, part if type(part) in _PLAIN else value_key(part))
                        for name, part in vars(value).items() if name != "parent"])  # fmt: skip
    if isinstance(value, Color):
        return (kind, *[(name, value_key(part)) for name, part in vars(value).items()])
    if isinstance(value, PurePath):
        return (kind, str(value))
    if kind is list:
        return (list, *map(value_key, value))
    if kind is frozenset:
        return (frozenset, frozenset(map(value_key, value)))
    raise TypeError(f"no value key for {kind.__qualname__}")
