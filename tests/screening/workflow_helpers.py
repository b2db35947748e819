"""Small list files and subjects for the screening-workflow tests, written the way the real formats are."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from clearance.domain.subjects import Subject, parse_nationality

# (id, schema, names...): the first name is the party's name, the rest aliases.
PARTIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("P-ivan", "Person", ("Ivan Sergeyevich Petrovsky",)),
    ("P-rosneft", "Company", ("Rosneft Trading S.A.", "Rosneft Trading")),
    ("P-grace", "Vessel", ("GRACE ONE",)),
)


def write_ftm(path: Path, parties: tuple[tuple[str, str, tuple[str, ...]], ...] = PARTIES) -> Path:
    """FollowTheMoney JSON lines, one entity a line."""
    lines = []
    for ident, schema, names in parties:
        props = {"name": [names[0]], "alias": list(names[1:])}
        lines.append(json.dumps({"id": ident, "schema": schema, "properties": props, "datasets": ["test_list"]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def subject(ident: str, name: str, organization: str | None = None, *citizenships: str) -> Subject:
    return Subject(ident, name, organization=organization,
                   citizenships=tuple(parse_nationality(c) for c in citizenships or ("US",)))


CAST = (
    subject("ivan", "Ivan Petrovsky"),                         # the listed person, name order and a name short
    subject("olga", "Olga Smirnova", "Rosneft Trading LLC"),   # works for the listed company
    subject("carol", "Carol Jones", "Provider Inc"),           # nobody
)

SUBJECTS_CSV = """id,name,organization,citizenships,permanent_residence,us_person,email
ivan,Ivan Petrovsky,,US,,citizen,
olga,Olga Smirnova,Rosneft Trading LLC,US,,citizen,
carol,Carol Jones,Provider Inc,US,,citizen,
"""

DAY = date(2026, 11, 20)
