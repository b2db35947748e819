"""OpenSanctions FollowTheMoney entities, one JSON object a line.

Only parties are entries (Person, Company, Organization, LegalEntity, PublicBody, Vessel, Airplane);
the other schemas in an export (Address, Sanction, Ownership...) describe parties and are counted
as skipped.  A line that is not a JSON object with an id, a schema and a name is reported by line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clearance.errors import Problem
from clearance.screening.countries import country_code
from clearance.screening.entries import ListEntry, ListInfo, ParsedList, entity_type_of
from clearance.screening.listfile import read_list_text, version_of

PARTY_SCHEMAS = frozenset({"Person", "Company", "Organization", "LegalEntity", "PublicBody", "Vessel", "Airplane"})
_ALIAS_PROPS = ("alias", "weakAlias", "previousName", "abbreviation")
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "flag")


def _values(props: dict[str, Any], *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        value = props.get(name) or []
        found.extend(str(v).strip() for v in (value if isinstance(value, list) else [value]) if str(v).strip())
    return found


def parse_ftm(path: Path, *, list_name: str = "OpenSanctions") -> ParsedList:
    """Entries of an FtM JSON-lines export; the list name is the export's, or the first dataset named."""
    source = str(path)
    entries: list[ListEntry] = []
    problems: list[Problem] = []
    skipped = 0
    for line, text in enumerate(read_list_text(path).splitlines(), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"not JSON: {exc.msg}", source, line))
            continue
        if not isinstance(record, dict) or not record.get("id") or not record.get("schema"):
            problems.append(Problem("needs an 'id' and a 'schema'", source, line))
            continue
        if record["schema"] not in PARTY_SCHEMAS:
            skipped += 1
            continue
        raw = record.get("properties")
        props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        names = _values(props, "name")
        if not names:
            problems.append(Problem("a party without a name", source, line, "properties.name"))
            continue
        countries = (country_code(c) for c in _values(props, *_COUNTRY_PROPS))
        datasets = record.get("datasets") if isinstance(record.get("datasets"), list) else []
        entries.append(ListEntry(
            entry_id=f"ftm:{record['id']}", list_name=str(datasets[0]) if datasets else list_name,
            name=names[0], aliases=tuple(dict.fromkeys((*names[1:], *_values(props, *_ALIAS_PROPS)))),
            entity_type=entity_type_of(str(record["schema"])),
            countries=tuple(dict.fromkeys(c for c in countries if c)),
            birth_dates=tuple(_values(props, "birthDate")), programs=tuple(_values(props, "programId", "program")),
            source=source))
    return ParsedList(ListInfo(list_name, source, version_of(path)), tuple(entries), tuple(problems), skipped)
