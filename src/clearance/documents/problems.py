"""Pydantic's validation errors, retold as Problems a compliance officer can act on.

Pydantic says "Input should be 'draft', 'shadow', 'enforce' or 'revoked'" at `('mode',)`; the officer
needs `directive.yaml:7: mode: "enforced" is not one of: draft, shadow, enforce, revoked`.  So each
error gets the line of the element it is about (from the YAML node tree), its field as a dotted path
without list indices, and a message that says what would be right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from clearance.documents.yaml_lines import Path, YamlDocument, dotted
from clearance.errors import Problem

_IDENTIFIER_HINT = "use letters, digits and . _ : / - only, starting with a letter or digit"
_DATETIME_HINT = "ISO 8601, e.g. 2026-11-16 or 2026-11-16T00:00:00Z"
# "degrade_to: unknown model …" or "expires (…) must be after …": a model-level message that names
# the field it is about, so the problem can point at that field's line.
_LEADING_FIELD = re.compile(r"^([a-z_]+(?:\.[a-z_]+)*)(:?) ")


def problems_from(error: ValidationError, *, model: type[BaseModel], document: YamlDocument,
                  base: Path, source: str) -> list[Problem]:
    """One Problem per pydantic error in an entry validated from `document` at path `base`."""
    return [_problem(err, model, document, base, source) for err in error.errors()]


def _problem(err: ErrorDetails, model: type[BaseModel], document: YamlDocument, base: Path,
             source: str) -> Problem:
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        return Problem("required field missing", source, document.line_of((*base, *loc[:-1])), dotted(loc))
    if kind == "extra_forbidden":
        allowed = field_names(model, loc[:-1])
        expected = f" (expected one of: {', '.join(allowed)})" if allowed else ""
        return Problem(f'unknown field "{loc[-1]}"{expected}', source, document.line_of((*base, *loc)),
                       dotted(loc[:-1]))
    message = tidy(err)
    if isinstance(err["input"], Mapping):
        named = _LEADING_FIELD.match(message)
        if named is not None:
            path = (*loc, *named.group(1).split("."))
            if (*base, *path) in document.lines:
                if named.group(2):
                    message = message[named.end():]
                return Problem(message, source, document.line_of((*base, *path)), dotted(path))
    return Problem(message, source, document.line_of((*base, *loc)), dotted(loc))


def tidy(err: ErrorDetails) -> str:
    """The message of one pydantic error in a compliance officer's words."""
    kind, value = err["type"], err["input"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    got = shown(value)
    if kind in {"enum", "literal_error"}:
        allowed = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"{got} is not one of: {allowed}"
    if kind in {"tuple_type", "list_type", "set_type", "frozen_set_type"}:
        return f"expected a list, e.g. [{value}]" if isinstance(value, str) else f"expected a list, got {got}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping of fields, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else f"must be at least {ctx['min_length']} characters"
    if kind == "too_short":
        return "the list must not be empty" if ctx.get("min_length") == 1 else f"must list at least {ctx['min_length']}"
    if kind == "string_pattern_mismatch":
        return f"{got} is not an identifier: {_IDENTIFIER_HINT}"
    if kind.startswith("datetime_") or kind.startswith("date_"):
        what = "date (YYYY-MM-DD)" if kind.startswith("date_") else f"date and time ({_DATETIME_HINT})"
        detail = f": {ctx['error']}" if isinstance(ctx.get("error"), str) else ""
        return f"{got} is not a {what}{detail}"
    if kind in {"int_parsing", "int_from_float"}:
        return f"{got} is not a whole number"
    if kind == "float_parsing":
        return f"{got} is not a number"
    message = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return re.sub(r"^Input should be ", "must be ", message)


def shown(value: Any) -> str:
    """A value as it would appear in a message: text quoted, structures named."""
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return f'"{value}"'


def field_names(model: type[BaseModel], loc: Path) -> list[str]:
    """The fields (as written in files, by alias) of the model found at `loc` inside `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = current.model_fields
        found = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        current = _model_in(found.annotation) if found is not None else None
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
