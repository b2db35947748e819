"""A Subject from a token's claims, read exactly as a row of the subjects CSV would be.

An identity provider that knows a person's citizenships can carry them in the token instead of a
nightly CSV export.  The claims go through the same reader as the CSV (`documents.subject_row`),
so a token and a file saying the same thing make the same Subject, and a token saying something
the CSV would reject (an unknown country, a "citizen" without the home country's citizenship) is
refused, naming the claim, rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clearance.documents.subject_row import read_row
from clearance.domain.subjects import Subject
from clearance.gateway.identity.caller import Unauthenticated

_LIST_ATTRIBUTES = {"citizenships"}  # may be a JSON list in a token; ";"-separated text in the CSV


def claimed_subject(payload: Mapping[str, Any], subject_id: str, mapping: Mapping[str, str], *,
                    issuer: str, home_country: str) -> Subject | None:
    """The Subject the mapped claims describe; None when nothing is mapped (the store knows the subject)."""
    if not mapping:
        return None
    cells = {"id": subject_id}
    for attribute, claim in mapping.items():
        cells[attribute] = _cell(payload.get(claim), attribute, claim)
    read = read_row(cells, line=0, source=issuer, home_country=home_country)
    if isinstance(read, Subject):
        return read
    problems = [f'claim "{mapping.get(p.field or "", p.field)}" ({p.field}): {p.message}' for p in read]
    raise Unauthenticated(f"token from {issuer} refused: " + "; ".join(problems))


def _cell(value: Any, attribute: str, claim: str) -> str:
    """A claim value as CSV cell text; a value of the wrong shape is refused, never coerced."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if attribute in _LIST_ATTRIBUTES and isinstance(value, list) and all(isinstance(v, str) for v in value):
        if any(";" in v for v in value):
            raise Unauthenticated(f'token claim "{claim}" ({attribute}): list items must be single countries '
                                  '("IN" or "IN@2001-05-01")')
        return ";".join(v.strip() for v in value)
    shape = "a list of text" if attribute in _LIST_ATTRIBUTES else "text"
    raise Unauthenticated(f'token claim "{claim}" ({attribute}): expected {shape}, got {_kind(value)}')


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
