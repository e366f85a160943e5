"""Safe YAML reading that remembers the line of every value, so errors can say file:line.

Plain (unquoted) values are read with the YAML 1.2 core schema, not PyYAML's YAML 1.1 one:
only true/false, null/~, base-10 (and 0o/0x) whole numbers and decimal numbers (.inf, .nan)
are anything but text, so `1:30` stays 1:30 (not 90), `no` stays no (not false) and
`2026-02-03` stays text (the fields that want a date read it). Each plain value that is not read
as text also keeps the characters typed (`Source.raw`), so a field that wants text prints `007`
and `true` as typed. Mapping keys are always the text typed: a language code `no:` is "no".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts.errors import InputError, ValidationError

if TYPE_CHECKING:
    import yaml

Path_ = tuple[str | int, ...]
MAX_VALUES = 200_000  # far more than any library; stops a "billion laughs" file
MAX_DEPTH = 50  # lists and mappings inside each other: a library needs about 8
PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
PLAIN = "tag:handouts,2026:plain"  # an untagged, unquoted scalar: resolved here (see _resolve)
STR = "tag:yaml.org,2002:str"
TYPED = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
         "tag:yaml.org,2002:null")  # fmt: skip
# the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), ASCII digits only
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_OCT_HEX = re.compile(r"0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_SPECIAL = {"~": None, "null": None, "Null": None, "NULL": None,
            "true": True, "True": True, "TRUE": True, "false": False, "False": False,
            "FALSE": False, ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
            "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf, "-.inf": -math.inf,
            "-.Inf": -math.inf, "-.INF": -math.inf, ".nan": math.nan, ".NaN": math.nan,
            ".NAN": math.nan}  # fmt: skip
_NUMBER_START = frozenset("0123456789+-.")
MAX_DIGITS = 100  # a longer "number" stays text: int() of thousands of digits is slow or refused


@dataclass
class Source:
    """A parsed YAML file: plain data plus the 1-based line of each value, keyed by its path,
    and the text typed for each plain value that was read as a number, true/false or null."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    def line(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest parent that exists."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def text(self, path: Path_, value: Any) -> Any:
        """`value` (found at `path`) as the text typed when it is a plain number, true/false or
        null; any other value as it is."""
        if isinstance(value, str) or value is None:
            return value
        return self.raw.get(path, value)


def is_file(path: Path | str) -> bool:
    """Whether `path` names a regular file (through links). Unlike Path.is_file, a name the
    system cannot even look up (too long, a NUL byte) is simply not a file: the caller then
    says "not found" with the name, never an internal error."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path | str) -> bool:
    """Whether `path` names a folder; a name the system cannot look up is none (as is_file)."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def expand_user(name: str) -> Path:
    """`name` typed in a file, a leading ~ or ~user made that home folder; a ~user the system
    does not know stays as typed (the caller then says "not found" with the name)."""
    try:
        return Path(name).expanduser()
    except RuntimeError:  # "Could not determine home directory"
        return Path(name)


def read_yaml(path: Path, what: str) -> Source:
    """Read and parse one YAML file safely. `what` names the file's role in messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: {what} is a folder, expected a YAML file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    return parse_yaml(text, path)


def too_deep(name: object, line: int) -> str:
    """The message for lists and mappings nested deeper than any handout file needs (found by
    the reader, or by libyaml's own limit first)."""
    return (
        f"{name}:{line}: lists and mappings are nested more than {MAX_DEPTH} levels deep; no "
        "part of a handout's files needs that"
    )


def parse_yaml(text: str, path: Path) -> Source:
    import yaml  # here, not at the top: a library from the cache needs no YAML (load/cache.py)

    try:
        node = yaml.compose(text, Loader=_loader(yaml))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if exc.problem == "exceeded maximum nesting depth":  # libyaml's own limit (PyYAML 6.0.4+)
            raise InputError(too_deep(path, line)) from None
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise InputError(f"{path}:{line}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML syntax error: {exc}") from None
    source = Source(path=path, data=None)
    if node is None:
        return source
    problems: list[str] = []
    source.data = _Builder(source, problems).build(node, ())
    if problems:
        raise ValidationError(problems)
    return source


_LOADER: Any = None


def _loader(yaml: Any) -> Any:
    """PyYAML's safe loader (libyaml's, several times faster, when it is there) that leaves
    plain scalars unresolved (tagged PLAIN), for _resolve to read by the YAML 1.2 core schema."""
    global _LOADER
    if _LOADER is None:
        base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

        class Loader(base):  # type: ignore[valid-type, misc]
            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                if kind is yaml.ScalarNode:
                    return PLAIN if implicit[0] else STR
                return super().resolve(kind, value, implicit)

        _LOADER = Loader
    return _LOADER


def _resolve(text: str) -> Any:
    """A plain scalar's value by the YAML 1.2 core schema: null, a bool, an int, a float, or
    the text itself (1:30, 007x, yes, 2026-02-03, 1_000, ...)."""
    if not text:
        return None
    special = _SPECIAL.get(text, _SPECIAL)
    if special is not _SPECIAL:
        return special
    if text[0] not in _NUMBER_START or len(text) > MAX_DIGITS:
        return text
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT_HEX.match(text):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return text


class _Builder:
    """Turns a composed node tree into plain data, recording lines and refusing unsafe tags."""

    def __init__(self, source: Source, problems: list[str]) -> None:
        import yaml

        self.yaml = yaml
        self.source = source
        self.problems = problems
        self.count = 0

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.source.name}:{node.start_mark.line + 1}: {message}")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:  # aliases can make a small file expand without limit
            raise InputError(
                f"{self.source.name}: too many values (over {MAX_VALUES:,}); "
                "are YAML aliases (*name) repeating a large part of the file?"
            )
        self.source.lines[path] = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:  # (the reader recurses: Python's stack would run out first)
            raise InputError(too_deep(self.source.name, node.start_mark.line + 1))
        yaml = self.yaml
        if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_COLLECTIONS:
            self.problem(
                node, f"the tag '{node.tag}' is not allowed (only plain YAML values are read)"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == PLAIN and key_node.value == "<<":
                    self.problem(key_node, "'<<' merge keys are not supported")
                    continue
                key = self.key(key_node)
                if key is None:
                    continue
                if key in result:
                    first = self.source.lines[(*path, key)]
                    self.problem(key_node, f"duplicate key '{key}' (first given on line {first})")
                    continue
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def key(self, node: yaml.Node) -> str | None:
        """A mapping key: always the text typed (`no:` is the language code no, `1:` is '1')."""
        if not isinstance(node, self.yaml.ScalarNode):
            self.problem(node, "expected a plain value here")
            return None
        if node.tag not in (PLAIN, STR, *TYPED):
            self.problem(
                node, f"the tag '{node.tag}' is not allowed (only plain YAML values are read)"
            )
            return None
        return node.value

    def scalar(self, node: yaml.Node, path: Path_) -> Any:
        tag, text = node.tag, node.value
        if tag == PLAIN:
            value = _resolve(text)
            if not isinstance(value, str):
                self.source.raw[path] = text
            return value
        if tag == STR:
            return text
        if tag in TYPED:  # !!int 5, !!bool true, ...: what the tag says, or a problem
            value = _resolve(text)
            kinds = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}
            kind = kinds[tag.rsplit(":", 1)[1]]
            if isinstance(value, kind) and (tag.endswith("bool") or not isinstance(value, bool)):
                if value is not None:
                    self.source.raw[path] = text
                return float(value) if tag.endswith("float") else value
            self.problem(node, f"'{text}' is not a valid {tag.replace('tag:yaml.org,2002:', '!!')}")
            return None
        self.problem(node, f"the tag '{tag}' is not allowed (only plain YAML values are read)")
        return None
