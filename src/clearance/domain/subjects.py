"""Who is calling: citizenships, permanent residency and U.S.-person status.

Under the EAR a *U.S. person* is a citizen, a lawful permanent resident or a protected individual
(refugee or asylee); everyone else is a *foreign person*, wherever they sit.  "U.S." here means the
exporting country of the deployment (`home_country`), which defaults to the United States.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property


class UsPersonStatus(StrEnum):
    CITIZEN = "citizen"
    LPR = "lpr"
    PROTECTED = "protected"


class PersonStatus(StrEnum):
    """What a decision needs to know about a caller's nationality."""

    US_PERSON = "us"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"


@dataclass(frozen=True, order=True)
class Nationality:
    """A citizenship or permanent residency, with the date it was acquired when known."""

    country: str
    acquired: date | None = None

    def __str__(self) -> str:
        return f"{self.country}@{self.acquired.isoformat()}" if self.acquired else self.country


@dataclass(frozen=True)
class Subject:
    """A person who may call a model.  Immutable: a change is a new Subject with a new fingerprint."""

    id: str
    name: str = ""
    organization: str | None = None
    citizenships: tuple[Nationality, ...] = ()
    permanent_residence: Nationality | None = None
    us_person: UsPersonStatus | None = None
    email: str | None = None

    def status(self, home_country: str) -> PersonStatus:
        """U.S. person, foreign person, or unknown when nothing about nationality is on file.

        Citizenship or permanent residence in the home country makes a U.S. person even where the
        `us_person` column was left empty; nothing at all on file is *unknown*, never domestic.
        """
        if self.us_person is not None:
            return PersonStatus.US_PERSON
        if any(c.country == home_country for c in self.citizenships):
            return PersonStatus.US_PERSON
        if self.permanent_residence is not None and self.permanent_residence.country == home_country:
            return PersonStatus.US_PERSON
        if self.citizenships or self.permanent_residence is not None:
            return PersonStatus.FOREIGN
        return PersonStatus.UNKNOWN

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "organization": self.organization,
            "citizenships": [str(c) for c in self.citizenships],
            "permanent_residence": str(self.permanent_residence) if self.permanent_residence else None,
            "us_person": self.us_person.value if self.us_person else None,
            "email": self.email,
        }

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything a decision may depend on: a changed subject never hits a stale cache."""
        relevant = {k: v for k, v in self.to_json().items() if k not in {"name", "email"}}
        blob = json.dumps(relevant, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.blake2b(blob, digest_size=12).hexdigest()


def parse_nationality(text: str) -> Nationality:
    """Read "IN" or "IN@2001-05-01"; raise ValueError naming what is wrong."""
    from clearance.domain.countries import parse_country

    code, sep, when = text.strip().partition("@")
    country = parse_country(code)
    if not sep:
        return Nationality(country)
    try:
        return Nationality(country, date.fromisoformat(when.strip()))
    except ValueError:
        raise ValueError(f'"{when.strip()}" is not a date (YYYY-MM-DD)') from None
