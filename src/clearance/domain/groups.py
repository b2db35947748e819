"""EAR country groups (15 CFR 740 Supplement No. 1), shipped as versioned data.

Groups change by Federal Register notice, so the table is data, not code: the package ships the
eCFR issue it was built from (with that date as its version) and a user may load a newer table in
the same CSV layout (`group,iso2,country_name,source_note`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from clearance.domain.countries import is_country
from clearance.errors import Problem, ValidationFailed

BUNDLED_VERSION = "2026-07-23"
BUNDLED_SOURCE = "15 CFR Part 740 Supp. No. 1, eCFR issue 2026-07-23"
GROUP_PREFIX = "group:"
_GROUP_NAME = re.compile(r"^[A-E](:[0-9])?$")


@dataclass(frozen=True)
class CountryGroups:
    """Group name ("D:5") → member countries, with the version of the table it came from."""

    version: str
    source: str
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __contains__(self, group: str) -> bool:
        return group in self.members

    def countries(self, group: str) -> frozenset[str]:
        return self.members[group]

    def groups_of(self, country: str) -> frozenset[str]:
        return frozenset(g for g, members in self.members.items() if country in members)

    @property
    def names(self) -> list[str]:
        return sorted(self.members)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]], *, version: str, source: str) -> CountryGroups:
        members: dict[str, set[str]] = {}
        for group, country in rows:
            members.setdefault(group, set()).add(country)
        return cls(version, source, {g: frozenset(c) for g, c in members.items()})

    @classmethod
    def from_csv(cls, text: str, *, source: str, version: str) -> CountryGroups:
        """Parse a user's table; every bad row is reported, and nothing is taken from a bad file."""
        reader = csv.DictReader(io.StringIO(text))
        missing = {"group", "iso2"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationFailed(
                [Problem(f"missing column(s) {', '.join(sorted(missing))}", source, 1)],
                subject=f"country groups {source}")
        rows: list[tuple[str, str]] = []
        problems: list[Problem] = []
        for row in reader:
            line = reader.line_num
            group = (row.get("group") or "").strip()
            country = (row.get("iso2") or "").strip().upper()
            if not _GROUP_NAME.match(group):
                problems.append(Problem(f'not an EAR country group name "{group}"', source, line, "group"))
            if not is_country(country):
                problems.append(Problem(f'unknown ISO 3166-1 country "{country}"', source, line, "iso2"))
            rows.append((group, country))
        if problems:
            raise ValidationFailed(problems, subject=f"country groups {source}")
        if not rows:
            raise ValidationFailed([Problem("no rows", source, None)], subject=f"country groups {source}")
        return cls.from_rows(rows, version=version, source=source)


def bundled_groups() -> CountryGroups:
    text = resources.files("clearance.domain").joinpath("data/country_groups.csv").read_text("utf-8")
    return CountryGroups.from_csv(text, source=BUNDLED_SOURCE, version=BUNDLED_VERSION)
