"""The shape shared by directive and license files: one entry, or a list of them under one key.

A file is accepted whole or not at all: every entry is validated, every problem (YAML form, unknown
or missing fields, bad values, duplicate ids) is collected, and a single ValidationFailed lists them
in file order, so a compliance officer fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from clearance.documents.problems import problems_from, shown
from clearance.documents.yaml_lines import Path, YamlDocument, dotted, parse_yaml
from clearance.errors import Problem, ValidationFailed

Entry = TypeVar("Entry", bound=BaseModel)


@dataclass(frozen=True)
class Shape:
    """What a kind of file holds: `kind` ("directive") and the key of its list form ("directives")."""

    kind: str
    key: str


def load_entries(text: str, *, source: str, shape: Shape, model: type[Entry],
                 context: dict[str, Any]) -> list[Entry]:
    """Every entry of the file, validated with `context`; ValidationFailed if anything is wrong."""
    parsed = parse_yaml(text, source=source)
    if isinstance(parsed, Problem):
        raise ValidationFailed([parsed], subject=source)
    problems: list[Problem] = []
    found = _locate(parsed, source, shape, problems)
    for flaw in parsed.flaws:
        problems.append(Problem(flaw.message, source, flaw.line, dotted(_within(flaw.path, found))))
    entries: list[Entry] = []
    first_line: dict[str, int | None] = {}
    for base, data in found:
        ident = data.get("id")
        if isinstance(ident, str) and ident.strip():
            line = parsed.line_of((*base, "id"))
            if ident.strip() in first_line:
                problems.append(Problem(f'duplicate {shape.kind} id "{ident.strip()}" '
                                        f"(first on line {first_line[ident.strip()]})", source, line, "id"))
            else:
                first_line[ident.strip()] = line
        try:
            entries.append(model.model_validate(data, context=context))
        except ValidationError as exc:
            problems.extend(problems_from(exc, model=model, document=parsed, base=base, source=source))
    if problems:
        unique = dict.fromkeys(problems)  # an alias repeats its node's flaws
        raise ValidationFailed(sorted(unique, key=lambda p: p.line or 0), subject=source)
    return entries


def _locate(document: YamlDocument, source: str, shape: Shape,
            problems: list[Problem]) -> list[tuple[Path, dict[str, Any]]]:
    """The entries of the file with their paths, and a Problem for each part that is no entry."""
    data, key, kind = document.data, shape.key, shape.kind
    if data is None:
        problems.append(Problem(f'empty file: expected a {kind} or a list under "{key}:"', source))
        return []
    if not isinstance(data, dict):
        hint = f'; put a list under "{key}:"' if isinstance(data, list) else ""
        problems.append(Problem(f"expected a {kind} (a mapping of fields), got {shown(data)}{hint}",
                                source, document.line_of(())))
        return []
    if key not in data:
        only = next(iter(data)) if len(data) == 1 else None
        if only is not None and isinstance(data[only], list):  # `licenses:` in a directive file, or a typo
            problems.append(Problem(f'expected a {kind} or a list under "{key}:", found a list under "{only}:"',
                                    source, document.line_of((only,))))
            return []
        return [((), data)]
    for other in data:
        if other != key:
            problems.append(Problem(f'unknown top-level key "{other}" (a file with "{key}:" holds only '
                                    "that list)", source, document.line_of((other,))))
    items = data[key]
    if not isinstance(items, list) or not items:
        what = (f"must be a list of {kind}s, got {shown(items)}" if items
                else f"the list is empty: name at least one {kind}")
        problems.append(Problem(what, source, document.line_of((key,)), key))
        return []
    found: list[tuple[Path, dict[str, Any]]] = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            found.append(((key, i), item))
        else:
            problems.append(Problem(f"expected a {kind} (a mapping of fields), got {shown(item)}",
                                    source, document.line_of((key, i)), key))
    return found


def _within(path: Path, found: list[tuple[Path, dict[str, Any]]]) -> Path:
    """A path relative to the entry that holds it, as fields are named in a one-entry file."""
    for base, _ in found:
        if base and path[: len(base)] == base:
            return path[len(base):]
    return path
