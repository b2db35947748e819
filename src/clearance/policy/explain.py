"""Turning what Cedar decided into reasons a caller and an auditor can read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clearance.domain.decisions import Effect, Reason, ReasonCode
from clearance.domain.destinations import Basis, Destination
from clearance.domain.directives import Directive, Safeguards
from clearance.policy.request import DecisionRequest


@dataclass(frozen=True)
class Trigger:
    """A destination a directive restricts in this request; `licenses` lists those covering it."""

    destination: Destination | None  # None: domestic access
    licenses: tuple[str, ...] = ()


_CODES = {
    Basis.LOCATION: ReasonCode.LOCATION,
    Basis.DEEMED: ReasonCode.DEEMED_EXPORT,
    Basis.CITIZENSHIP: ReasonCode.CITIZENSHIP,
    Basis.UNKNOWN_LOCATION: ReasonCode.UNKNOWN_LOCATION,
    Basis.UNKNOWN_CITIZENSHIP: ReasonCode.UNKNOWN_CITIZENSHIP,
}


def _listed(directive: Directive, request: DecisionRequest) -> str | None:
    subject = request.subject
    for party in directive.restrict.parties:
        if party == f"subject:{subject.id}" or (
                subject.organization and party == f"organization:{subject.organization}"):
            return party
    return None


def _describe(code: ReasonCode, destination: Destination | None, party: str | None) -> tuple[str, str]:
    """(detail, attribute) for one trigger."""
    if party is not None:
        return f"{party} is a listed party of this directive", party
    if destination is None:
        return "the directive restricts every destination, domestic access included", "domestic"
    place = destination.code
    details = {
        ReasonCode.LOCATION: f"the request comes from {place}",
        ReasonCode.DEEMED_EXPORT: f"deemed export to {place}, the foreign person's most recent citizenship "
                                  "or permanent residency (EAR 734.13(b))",
        ReasonCode.CITIZENSHIP: f"citizenship {place}: this directive counts every citizenship",
        ReasonCode.UNKNOWN_LOCATION: "the request's location is unknown, and this directive fails closed",
        ReasonCode.UNKNOWN_CITIZENSHIP: "the caller's citizenship is unknown, and this directive fails closed",
    }
    attribute = destination.basis.value if destination.unknown else f"{destination.basis.value}:{place}"
    return details[code], attribute


def reasons_for(directive: Directive, triggers: Iterable[Trigger], request: DecisionRequest, model: str,
                lifted: bool) -> list[Reason]:
    """One reason per trigger: why the directive restricts it, or which license lifted it."""
    effect = Effect(directive.action.value)
    party = _listed(directive, request)
    out: list[Reason] = []
    for trigger in triggers:
        dest = trigger.destination
        if party is not None:
            code = ReasonCode.LISTED_PARTY
        elif dest is None:
            code = ReasonCode.DOMESTIC
        else:
            code = _CODES[dest.basis]
        detail, attribute = _describe(code, dest, party)
        if lifted:
            license_id = trigger.licenses[0] if trigger.licenses else None
            out.append(Reason(ReasonCode.LICENSED, directive.id, license_id,
                              f"license {license_id} lifts {directive.id} for {model} here ({detail})",
                              attribute, effect))
        else:
            if trigger.licenses:  # covered here, but the directive still holds elsewhere in the request
                detail += f"; license {trigger.licenses[0]} covers this destination but not every one restricted"
            out.append(Reason(code, directive.id, None, detail, attribute, effect))
    return out


def obligations_of(safeguards: Iterable[Safeguards], *merged: Mapping[str, Any]) -> dict[str, Any]:
    """The strictest combination: the lowest jailbreak threshold, every blocked capability."""
    thresholds: list[float] = []
    blocked: set[str] = set()
    for s in safeguards:
        if s.jailbreak_threshold is not None:
            thresholds.append(s.jailbreak_threshold)
        blocked.update(s.block_capabilities)
    for m in merged:
        if "jailbreak_threshold" in m:
            thresholds.append(float(m["jailbreak_threshold"]))
        blocked.update(m.get("block_capabilities", ()))
    out: dict[str, Any] = {}
    if thresholds:
        out["jailbreak_threshold"] = min(thresholds)
    if blocked:
        out["block_capabilities"] = sorted(blocked)
    return out
