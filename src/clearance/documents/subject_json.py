"""A subject given as JSON (`clearance decide --subject-json`, the decision API): the CSV row's rules.

The fields and their parsing are exactly the subject CSV's, so a subject means the same whichever
way it arrives; lists are accepted where the CSV joins values with ";".
"""

from __future__ import annotations

from typing import Any

from clearance.documents.subject_row import read_row
from clearance.domain.subjects import Subject
from clearance.errors import DataError, Problem, ValidationFailed

FIELDS = frozenset({"id", "name", "organization", "citizenships", "permanent_residence", "us_person", "email"})


def subject_from_json(data: Any, *, source: str, home_country: str) -> Subject:
    """The subject `data` describes; DataError / ValidationFailed naming `source` and the field."""
    if not isinstance(data, dict):
        raise DataError(f"{source}: expected a JSON object with the subject's fields")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise DataError(f'{source}: unknown field "{unknown[0]}" (expected one of: {", ".join(sorted(FIELDS))})')
    cells = {key: _cell(value) for key, value in data.items()}
    result = read_row(cells, line=1, source=source, home_country=home_country)
    if isinstance(result, list):
        raise ValidationFailed([Problem(p.message, source, None, p.field) for p in result], subject=source)
    return result


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v).strip() for v in value)
    return str(value).strip()
