"""YAML read into plain data that remembers the line of every key and list element.

PyYAML's constructor loses positions and silently keeps the last of two duplicate keys, and YAML 1.1
turns the plain scalar `NO` (Norway) into False.  So we compose the node tree and build the data
ourselves: every plain scalar keeps its source text (pydantic coerces text to dates and numbers),
only `null`/`~`/empty become None, a duplicate key is reported, and each path — a tuple of keys and
list indices — maps to the 1-based line a compliance officer should look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clearance.errors import Problem

Path = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_NULL = _YAML + "null"
_MERGE = _YAML + "merge"
_TIMESTAMP = _YAML + "timestamp"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
# Enough for any real directive or license file; stops an alias "billion laughs" from expanding.
MAX_NODES = 200_000


@dataclass(frozen=True)
class Flaw:
    """Something wrong with the form of the YAML (a duplicate key, an odd tag), where it was found."""

    path: Path  # the mapping or element it is in
    line: int
    message: str


@dataclass
class YamlDocument:
    """The data of one YAML document, the line of each path in it, and what was wrong with its form."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    flaws: list[Flaw] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of the nearest enclosing element that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def dotted(path: Path) -> str | None:
    """A path as a compliance officer reads it: keys joined by dots, list indices left out."""
    return ".".join(str(p) for p in path if isinstance(p, str)) or None


def parse_yaml(text: str, *, source: str) -> YamlDocument | Problem:
    """The document in `text`, or the Problem that kept it from being read (a syntax error)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return Problem(f"YAML syntax error: {_explain(exc)}", source, mark.line + 1 if mark else None)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(f"YAML syntax error: character U+{code:04X} is not allowed", source, line)
    except yaml.YAMLError as exc:
        return Problem(f"YAML syntax error: {exc}", source)
    except RecursionError:
        return Problem("YAML nested too deeply", source)
    if root is None:
        return YamlDocument(None)
    builder = _Builder()
    try:
        data = builder.value(root, ())
    except _TooLarge:
        return Problem(f"YAML expands to more than {MAX_NODES} values (aliases?)", source)
    except RecursionError:
        return Problem("YAML nested too deeply (a recursive alias?)", source)
    return YamlDocument(data, builder.lines, builder.flaws)


class _TooLarge(Exception):
    pass


class _Builder:
    """Turns nodes into dicts, lists, strings and None, recording lines and problems on the way."""

    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        self.flaws: list[Flaw] = []
        self._count = 0

    def value(self, node: Node, path: Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        self._count += 1
        if self._count > MAX_NODES:
            raise _TooLarge
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _YAML + "seq":
                self._flaw(f"unsupported YAML tag {node.tag}", node, path)
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _YAML + "map":
                self._flaw(f"unsupported YAML tag {node.tag}", node, path)
            return self._mapping(node, path)
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - composer makes only these

    def _scalar(self, node: ScalarNode, path: Path) -> str | None:
        if node.tag not in _SCALAR_TAGS:
            self._flaw(f"unsupported YAML tag {node.tag}", node, path)
            return str(node.value)
        if node.tag == _NULL:
            return None
        text = str(node.value)
        if node.tag == _TIMESTAMP and not _iso_readable(text):
            # YAML allows "2026-11-16 10:00:00 -5"; give pydantic the ISO 8601 form of the same instant.
            try:
                return yaml.SafeLoader("").construct_yaml_timestamp(node).isoformat()
            except ValueError:
                return text  # "2026-13-01": pydantic says what is wrong with it
        return text

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self._flaw("a key must be plain text", key_node, path)
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                self._flaw(f'duplicate key "{key}" (first on line {seen[key]})', key_node, path)
                continue
            seen[key] = line
            self.lines.setdefault((*path, key), line)
            out[key] = self.value(value_node, (*path, key))
        for merge in merges:
            self._merge(merge, path, out)
        return out

    def _merge(self, node: Node, path: Path, out: dict[str, Any]) -> None:
        """`<<: *defaults`: fields shared by a list of directives; explicit keys win, then earlier sources."""
        for part in node.value if isinstance(node, SequenceNode) else [node]:
            if not isinstance(part, MappingNode):
                self._flaw("a merge key (<<) needs a mapping or a list of mappings", part, path)
                continue
            inner = self._mapping(part, path)  # lines of keys only defined there point at their source
            for key, value in inner.items():
                out.setdefault(key, value)

    def _flaw(self, message: str, node: Node, path: Path) -> None:
        self.flaws.append(Flaw(path, node.start_mark.line + 1, message))


def _explain(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem and context as one sentence."""
    problem = exc.problem or "cannot be read"
    if not exc.context:
        return problem
    if problem.startswith("but "):  # "expected a single document in the stream, but found another document"
        return f"{exc.context}, {problem}"
    return f"{problem} ({exc.context})"


def _iso_readable(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith(("Z", "z")):
        stripped = stripped[:-1] + "+00:00"
    try:
        datetime.fromisoformat(stripped)
    except ValueError:
        try:
            date.fromisoformat(stripped)
        except ValueError:
            return False
    return True
