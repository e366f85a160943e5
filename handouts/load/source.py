"""Safe YAML reading that remembers the line of every value, so errors can say file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts.errors import InputError, ValidationError

if TYPE_CHECKING:
    import yaml

Path_ = tuple[str | int, ...]
MAX_VALUES = 200_000  # far more than any library; stops a "billion laughs" file
PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass
class Source:
    """A parsed YAML file: plain data plus the 1-based line of each value, keyed by its path."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    def line(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest parent that exists."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


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


def parse_yaml(text: str, path: Path) -> Source:
    import yaml  # here, not at the top: a library from the cache needs no YAML (load/cache.py)

    try:  # libyaml is several times faster when it is there
        loader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        loader = yaml.SafeLoader
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
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


class _Builder:
    """Turns a composed node tree into plain data, recording lines and refusing unsafe tags."""

    def __init__(self, source: Source, problems: list[str]) -> None:
        import yaml

        self.yaml = yaml
        self.source = source
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()
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
        yaml = self.yaml
        if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_COLLECTIONS:
            self.problem(
                node, f"the tag '{node.tag}' is not allowed (only plain YAML values are read)"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problem(key_node, "'<<' merge keys are not supported")
                    continue
                key = self.scalar(key_node)
                key = key if isinstance(key, str) else str(key)
                if key in result:
                    first = self.source.lines[(*path, key)]
                    self.problem(key_node, f"duplicate key '{key}' (first given on line {first})")
                    continue
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        yaml = self.yaml
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, "expected a plain value here")
            return None
        try:
            return self.constructor.construct_object(node)
        except ValueError:  # a timestamp that is no real date (2026-13-01): the fields say why
            return node.value
        except yaml.constructor.ConstructorError:
            self.problem(
                node, f"the tag '{node.tag}' is not allowed (only plain YAML values are read)"
            )
            return None
