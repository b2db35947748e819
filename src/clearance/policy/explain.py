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
    label: str = ""  # the destination as the decision lists it, which is all its explanation depends on


_EFFECTS = {e.value: e for e in Effect}
_CODES = {
    Basis.LOCATION: ReasonCode.LOCATION,
    Basis.DEEMED: ReasonCode.DEEMED_EXPORT,
    Basis.CITIZENSHIP: ReasonCode.CITIZENSHIP,
    Basis.UNKNOWN_LOCATION: ReasonCode.UNKNOWN_LOCATION,
    Basis.UNKNOWN_CITIZENSHIP: ReasonCode.UNKNOWN_CITIZENSHIP,
}


def listed_party(directive: Directive, request: DecisionRequest) -> str | None:
    """The listed party of `directive` that the caller or their organisation is, if any."""
    parties = directive.restrict.parties
    if not parties:
        return None
    subject = request.subject
    for party in parties:
        if party == f"subject:{subject.id}" or (
                subject.organization and party == f"organization:{subject.organization}"):
            return party
    return None


def _describe(code: ReasonCode, destination: Destination | None, party: str | None) -> tuple[str, str]:
    """(detail, attribute) for one trigger; only the one detail needed is formatted."""
    if party is not None:
        return f"{party} is a listed party of this directive", party
    if destination is None:
        return "the directive restricts every destination, domestic access included", "domestic"
    place = destination.code
    attribute = destination.basis.value if destination.unknown else f"{destination.basis.value}:{place}"
    if code is ReasonCode.LOCATION:
        detail = f"the request comes from {place}"
    elif code is ReasonCode.DEEMED_EXPORT:
        detail = (f"deemed export to {place}, the foreign person's most recent citizenship "
                  "or permanent residency (EAR 734.13(b))")
    elif code is ReasonCode.CITIZENSHIP:
        detail = f"citizenship {place}: this directive counts every citizenship"
    elif code is ReasonCode.UNKNOWN_LOCATION:
        detail = "the request's location is unknown, and this directive fails closed"
    else:
        detail = "the caller's citizenship is unknown, and this directive fails closed"
    return detail, attribute


def reason_for(directive: Directive, trigger: Trigger, party: str | None, model: str, lifted: bool) -> Reason:
    """Why the directive restricts this destination, or which license lifted it there.

    A function of its arguments alone (the caller enters only through `party`), so a snapshot
    may keep it and hand it to every caller alike.
    """
    effect = _EFFECTS[directive.action.value]
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
        return Reason(ReasonCode.LICENSED, directive.id, license_id,
                      f"license {license_id} lifts {directive.id} for {model} here ({detail})", attribute, effect)
    if trigger.licenses:  # covered here, but the directive still holds elsewhere in the request
        detail += f"; license {trigger.licenses[0]} covers this destination but not every one restricted"
    return Reason(code, directive.id, None, detail, attribute, effect)


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
