"""The destinations of a request: where an access to a model is an export to.

Two rules make them (EAR 734.13 and 734.14):

1. The place a request comes from, unless it is the home country: access from abroad is an export
   there, whoever the caller is.
2. For a foreign person, the *deemed* destination: the most recent country of citizenship or
   permanent residency (734.13(b)).  A directive may choose the stricter reading, every citizenship.

What is not known is never treated as domestic.  An unknown location, or a caller with no
nationality on file, yields an *unknown* destination that each directive resolves (by default, it
restricts).  When acquisition dates cannot tell which nationality is the most recent, every one that
could be is a deemed destination.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clearance.domain.countries import Place
from clearance.domain.subjects import Nationality, PersonStatus, Subject


class Basis(StrEnum):
    """Why a destination is one."""

    LOCATION = "location"  # the request comes from there
    DEEMED = "deemed"  # most recent citizenship or permanent residency of a foreign person
    CITIZENSHIP = "citizenship"  # another citizenship: counts only under `deemed: any-citizenship`
    UNKNOWN_LOCATION = "unknown-location"
    UNKNOWN_CITIZENSHIP = "unknown-citizenship"


@dataclass(frozen=True, order=True)
class Destination:
    basis: Basis
    place: Place | None = None  # None for the two unknown bases

    @property
    def code(self) -> str:
        return self.place.code if self.place else "unknown"

    @property
    def unknown(self) -> bool:
        return self.place is None

    def describe(self) -> str:
        if self.basis is Basis.UNKNOWN_LOCATION:
            return "location unknown"
        if self.basis is Basis.UNKNOWN_CITIZENSHIP:
            return "citizenship unknown"
        return f"{self.basis.value} {self.code}"


@dataclass(frozen=True)
class RequestDestinations:
    """Everything the rules derive from who calls and from where."""

    person: PersonStatus
    destinations: tuple[Destination, ...]

    @property
    def domestic(self) -> bool:
        """True when the request is an export to nowhere: a U.S. person calling from home."""
        return not self.destinations

    def codes(self) -> list[str]:
        return [d.code for d in self.destinations if d.basis is not Basis.CITIZENSHIP]


def most_recent(candidates: tuple[Nationality, ...]) -> tuple[Nationality, ...]:
    """Every nationality that could be the most recently acquired one.

    With all dates known that is the latest (ties all count).  A nationality without a date could be
    the most recent, so it always counts, beside the latest dated one.
    """
    if len(candidates) <= 1:
        return candidates
    dated = [c for c in candidates if c.acquired is not None]
    undated = tuple(c for c in candidates if c.acquired is None)
    latest: tuple[Nationality, ...] = ()
    if dated:
        top = max(c.acquired for c in dated if c.acquired is not None)
        latest = tuple(c for c in dated if c.acquired == top)
    return latest + undated


def destinations_of(subject: Subject, location: Place | None, home_country: str) -> RequestDestinations:
    """The destinations of one request by `subject` coming from `location` (None: unknown)."""
    person = subject.status(home_country)
    found: list[Destination] = []
    if location is None:
        found.append(Destination(Basis.UNKNOWN_LOCATION))
    elif location.country != home_country:
        found.append(Destination(Basis.LOCATION, location))
    if person is PersonStatus.UNKNOWN:
        found.append(Destination(Basis.UNKNOWN_CITIZENSHIP))
    elif person is PersonStatus.FOREIGN:
        candidates = tuple(
            n for n in (*subject.citizenships, subject.permanent_residence)
            if n is not None and n.country != home_country
        )
        deemed = {n.country for n in most_recent(candidates)}
        found.extend(Destination(Basis.DEEMED, Place(c)) for c in sorted(deemed))
        others = sorted({c.country for c in subject.citizenships} - deemed - {home_country})
        found.extend(Destination(Basis.CITIZENSHIP, Place(c)) for c in others)
        if not subject.citizenships:
            found.append(Destination(Basis.UNKNOWN_CITIZENSHIP))
    return RequestDestinations(person, tuple(found))
