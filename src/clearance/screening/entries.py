"""What one restricted-party list entry is, whatever list format it came from.

Every parser turns its rows into `ListEntry` values so the matcher never sees a format; the list
itself (`ListInfo`) keeps the name, the source file and the version date a compliance officer
needs to say which edition of a list a screening decision was made against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from clearance.errors import Problem


class EntityType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


_TYPE_WORDS = {
    "individual": EntityType.PERSON, "person": EntityType.PERSON,
    "entity": EntityType.ORGANIZATION, "organization": EntityType.ORGANIZATION,
    "company": EntityType.ORGANIZATION, "legalentity": EntityType.ORGANIZATION,
    "publicbody": EntityType.ORGANIZATION,
    "vessel": EntityType.VESSEL, "aircraft": EntityType.AIRCRAFT, "airplane": EntityType.AIRCRAFT,
}


def entity_type_of(word: str) -> EntityType:
    """The entity type a list calls `word` ("Individual", "-0-", "Vessel", FtM "Company"...)."""
    return _TYPE_WORDS.get(word.strip().lower(), EntityType.UNKNOWN)


@dataclass(frozen=True)
class ListInfo:
    """Which list, from which file, as of which date (None when neither file nor path says)."""

    name: str
    source: str
    version: date | None = None


@dataclass(frozen=True)
class ListEntry:
    """One listed party: its primary name, every alias, and what can tell two namesakes apart."""

    entry_id: str
    list_name: str
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: EntityType = EntityType.UNKNOWN
    countries: tuple[str, ...] = ()          # ISO 3166-1 alpha-2
    birth_dates: tuple[str, ...] = ()        # ISO dates or their prefixes ("1962", "1962-03")
    programs: tuple[str, ...] = ()
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name first, then each alias once."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)


@dataclass(frozen=True)
class ParsedList:
    """A parser's whole answer: the list, its entries and every row it could not read."""

    info: ListInfo
    entries: tuple[ListEntry, ...]
    problems: tuple[Problem, ...] = field(default=())
    skipped: int = 0                         # records that are no party (FtM addresses, sanctions...)
