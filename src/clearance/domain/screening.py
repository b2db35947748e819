"""What restricted-party screening says about a caller: the verdict a decision is made with.

A *party* is a subject (screened by their name) or an organisation (by its name).  Screening
finds *hits*: list entries whose names match the party's.  A hit is potential until a compliance
officer confirms or dismisses it; dismissed hits drop out of the verdict.  A caller's verdict is
the worst of their own and their organisation's: one confirmed hit makes them a confirmed
restricted party, denied everywhere whatever license they hold (docs/rules.md §9).

Pure values: the matcher (screening/) and the store produce them; the policy only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, Protocol

from clearance.domain.subjects import Subject
from clearance.domain.timeutil import iso


class ScreeningStatus(StrEnum):
    CLEAR = "clear"          # no hit, or every hit dismissed
    POTENTIAL = "potential"  # a hit awaiting review
    CONFIRMED = "confirmed"  # a reviewer confirmed the party is the listed one
    DISMISSED = "dismissed"  # a reviewer found the party is not the listed one

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {ScreeningStatus.CLEAR: 0, ScreeningStatus.DISMISSED: 0, ScreeningStatus.POTENTIAL: 1,
         ScreeningStatus.CONFIRMED: 2}


class PendingPolicy(StrEnum):
    """What a caller with a potential match gets while the match awaits review (`[screening] pending`)."""

    DENY = "deny"
    ALLOW = "allow"


@dataclass(frozen=True)
class Hit:
    """One list entry a party matches, as a decision explains it."""

    party: str            # "subject:alice" or "organization:Acme Trading"
    list_name: str        # the stored list (what `clearance lists import --name` called it)
    entry_id: str
    entry_name: str
    matched_name: str     # the entry's name or alias that matched
    score: float
    status: ScreeningStatus  # potential or confirmed
    result_id: int | None = None  # the stored result a reviewer acts on; None for an unreviewable ad-hoc hit

    def describe(self) -> str:
        via = f' as "{self.matched_name}"' if self.matched_name != self.entry_name else ""
        ref = f" (screening result {self.result_id})" if self.result_id is not None else ""
        return (f'{self.party} matches {self.list_name} entry {self.entry_id} "{self.entry_name}"{via}, '
                f"score {self.score:.2f}, {self.status.value}{ref}")


@dataclass(frozen=True)
class Verdict:
    """A caller's screening outcome: clear, potential or confirmed, and the hits that make it so."""

    status: ScreeningStatus
    hits: tuple[Hit, ...] = ()

    @cached_property
    def key(self) -> tuple[str, ...]:
        """What a decision depends on, for the decision cache: the status and which hits."""
        if self.status is ScreeningStatus.CLEAR:
            return ()
        return (self.status.value, *(f"{h.party}|{h.list_name}|{h.entry_id}|{h.status.value}" for h in self.hits))

    @classmethod
    def of_hits(cls, hits: tuple[Hit, ...]) -> Verdict:
        """The verdict of these hits (dismissed ones left out by the caller)."""
        if not hits:
            return CLEAR
        status = max((h.status for h in hits), key=lambda s: s.rank)
        return cls(status, tuple(sorted(hits, key=lambda h: (-h.status.rank, -h.score, h.list_name, h.entry_id))))

    def combined(self, other: Verdict) -> Verdict:
        """A subject's own verdict and their organisation's: the worst of both, every hit kept."""
        if other.status is ScreeningStatus.CLEAR:
            return self
        if self.status is ScreeningStatus.CLEAR:
            return other
        return Verdict.of_hits(self.hits + other.hits)


CLEAR = Verdict(ScreeningStatus.CLEAR)


@dataclass(frozen=True)
class ScreeningResult:
    """A stored hit: which party matched which list entry, how well, and what a reviewer made of it."""

    id: int
    party_kind: str       # "subject" or "organization"
    party_id: str
    party_name: str       # the name that was screened
    list_name: str
    entry_id: str
    entry_name: str
    entry_digest: str     # of the entry's names when screened (parties.entry_digest)
    matched_name: str
    score: float
    status: ScreeningStatus
    screened_at: datetime
    explanation: dict[str, Any] = field(default_factory=dict, compare=False)
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_reason: str | None = None

    @property
    def party(self) -> str:
        return f"{self.party_kind}:{self.party_id}"

    def hit(self) -> Hit:
        return Hit(self.party, self.list_name, self.entry_id, self.entry_name, self.matched_name, self.score,
                   self.status, self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "party": self.party, "party_kind": self.party_kind, "party_id": self.party_id,
            "party_name": self.party_name, "list": self.list_name, "entry_id": self.entry_id,
            "entry_name": self.entry_name, "matched_name": self.matched_name, "score": self.score,
            "status": self.status.value, "explanation": self.explanation, "screened_at": iso(self.screened_at),
            "reviewed_by": self.reviewed_by,
            "reviewed_at": iso(self.reviewed_at) if self.reviewed_at is not None else None,
            "review_reason": self.review_reason,
        }


class VerdictSource(Protocol):
    """Answers a caller's verdict at decision time (screening.ScreeningVerdicts is the real one)."""

    @property
    def digest(self) -> str:
        """Identifies what the answers depend on (lists, results, reviews); "" when nothing is screened."""
        ...

    def of(self, subject: Subject) -> Verdict:
        ...

    def warm(self) -> None:
        """Get ready to screen callers not stored (build the matcher), e.g. in a worker thread."""
        ...


class NoScreening:
    """No restricted-party list loaded: every caller is clear."""

    digest = ""

    def of(self, subject: Subject) -> Verdict:
        return CLEAR

    def warm(self) -> None:
        return None


NO_SCREENING = NoScreening()
