"""Decisions: the effect of one request under the directives in force, and why.

Precedence (DESIGN.md): a confirmed restricted party is denied; otherwise every enforced directive
that applies contributes its action, deny beats degrade beats safeguard beats allow, and a covering
license turns that directive's contribution into allow.  Shadow directives are evaluated and listed
but never change the effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from clearance.domain.timeutil import iso


class Effect(StrEnum):
    ALLOW = "allow"
    SAFEGUARD = "safeguard"
    DEGRADE = "degrade"
    DENY = "deny"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def exit_code(self) -> int:
        """The `clearance decide` exit status: 0 allow, 1 deny, 2 degrade or safeguard."""
        return {Effect.ALLOW: 0, Effect.DENY: 1}.get(self, 2)


_RANK = {Effect.ALLOW: 0, Effect.SAFEGUARD: 1, Effect.DEGRADE: 2, Effect.DENY: 3}


def strongest(effects: Iterable[Effect]) -> Effect:
    return max(effects, key=lambda e: e.rank, default=Effect.ALLOW)


class ReasonCode(StrEnum):
    NOT_RESTRICTED = "NOT_RESTRICTED"  # no directive in force applies
    UNKNOWN_MODEL = "UNKNOWN_MODEL"  # not in the catalog: nothing is allowed by default
    LOCATION = "EXPORT_FROM_LOCATION"  # the request comes from a restricted destination
    DEEMED_EXPORT = "DEEMED_EXPORT"  # a foreign person's deemed destination is restricted
    CITIZENSHIP = "CITIZENSHIP"  # another citizenship, under deemed: any-citizenship
    DOMESTIC = "ALL_DESTINATIONS"  # destinations: all reaches purely domestic access too
    UNKNOWN_LOCATION = "UNKNOWN_LOCATION"
    UNKNOWN_CITIZENSHIP = "UNKNOWN_CITIZENSHIP"
    LISTED_PARTY = "LISTED_PARTY"  # named in restrict.parties
    LICENSED = "LICENSED"  # a license lifted the directive
    FALLBACK_RESTRICTED = "FALLBACK_RESTRICTED"  # the degrade fallback is itself refused
    RESTRICTED_PARTY = "RESTRICTED_PARTY"  # a confirmed restricted-party match: denied, no license lifts it
    PENDING_REVIEW = "PENDING_REVIEW"  # a potential restricted-party match awaiting review


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    directive: str | None = None
    license: str | None = None
    detail: str = ""
    attribute: str | None = None  # the caller's attribute that triggered it, e.g. "citizenship:CN"
    effect: Effect | None = None  # what this directive asked for

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "directive": self.directive,
            "license": self.license,
            "detail": self.detail,
            "attribute": self.attribute,
            "effect": self.effect.value if self.effect else None,
        }


@dataclass(frozen=True)
class ShadowHit:
    """A shadow directive that would have applied, and what it would have done."""

    directive: str
    effect: Effect
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        return {"directive": self.directive, "effect": self.effect.value,
                "reasons": [r.to_json() for r in self.reasons]}


@dataclass(frozen=True)
class Decision:
    decision_id: str
    effect: Effect
    model: str
    served_model: str | None
    subject: str
    destinations: tuple[str, ...]
    reasons: tuple[Reason, ...]
    obligations: dict[str, Any]
    shadow: tuple[ShadowHit, ...]
    policy_version: str
    at: datetime
    extra: dict[str, Any] = field(default_factory=dict)

    def reissued(self, decision_id: str, at: datetime) -> Decision:
        """The same decision under a new id and instant: what a decision-cache hit hands out.

        Copied field by field rather than with `dataclasses.replace`, which runs `__init__` again
        and cost more than everything else in a cache hit (8 of 10 µs, measured).
        """
        fresh = object.__new__(Decision)
        fields = fresh.__dict__
        fields.update(self.__dict__)
        fields["decision_id"] = decision_id
        fields["at"] = at
        return fresh

    def to_json(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "effect": self.effect.value,
            "model": self.model,
            "served_model": self.served_model,
            "subject": self.subject,
            "destinations": list(self.destinations),
            "reasons": [r.to_json() for r in self.reasons],
            "obligations": self.obligations,
            "shadow": [s.to_json() for s in self.shadow],
            "policy_version": self.policy_version,
            "at": iso(self.at),
            **self.extra,
        }
