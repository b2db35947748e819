"""A plain-Python reference evaluator of docs/rules.md, used only by tests.

It is a direct transcription of the rules, written without looking at the engine under test
(`clearance.policy`) and without reusing `clearance.domain.destinations.destinations_of`: the
destinations of a request are derived again here, so the differential tests check the domain
function as well as the Cedar compiler.  Clarity over speed: every section of docs/rules.md has
one function, named after it.

Where rules.md leaves a detail open, the reading taken here is written down so a disagreement can
be traced to it:

- A listed party's every trigger has the code `LISTED_PARTY`, even where the person and zone
  would have restricted that destination anyway.
- `FALLBACK_RESTRICTED` names no directive; the reasons of the fallback's own decision (except
  `NOT_RESTRICTED`) are carried into the decision on the model asked for, as its obligations are.
- "H listed" / "H not excepted" count H as listed when a group naming it is (group:A:1 holds US).
- §9 takes the caller's screening verdict as given (clear, potential or confirmed): which names match
  which list entries is the matcher's business, tested on its own; the rule here is what a verdict does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from clearance.domain.catalog import Catalog
from clearance.domain.countries import Place
from clearance.domain.decisions import Effect, ReasonCode
from clearance.domain.directives import Action, Deemed, Directive, Licensing, Mode, Persons, Unknown
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import HolderKind, License, LicenseStatus
from clearance.domain.subjects import Nationality, Subject

# --------------------------------------------------------------------------------------------- §1


class Person(StrEnum):
    US = "us"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"


def person_status(subject: Subject, home: str) -> Person:
    """§1: U.S. person, foreign person, or unknown."""
    if subject.us_person is not None:
        return Person.US
    if any(c.country == home for c in subject.citizenships):
        return Person.US
    if subject.permanent_residence is not None and subject.permanent_residence.country == home:
        return Person.US
    if subject.citizenships or subject.permanent_residence is not None:
        return Person.FOREIGN
    return Person.UNKNOWN


# --------------------------------------------------------------------------------------------- §2


class Kind(StrEnum):
    LOCATION = "location"
    DEEMED = "deemed"
    CITIZENSHIP = "citizenship"
    UNKNOWN_LOCATION = "unknown-location"
    UNKNOWN_CITIZENSHIP = "unknown-citizenship"
    DOMESTIC = "domestic"  # only ever in R_D, never a destination of the request itself


@dataclass(frozen=True, order=True)
class Dest:
    kind: Kind
    place: Place | None = None  # a known place for LOCATION, DEEMED and CITIZENSHIP


def _could_be_most_recent(candidates: Sequence[Nationality]) -> list[Nationality]:
    """The latest dated candidate(s) and every undated one."""
    dated = [n for n in candidates if n.acquired is not None]
    undated = [n for n in candidates if n.acquired is None]
    latest: list[Nationality] = []
    if dated:
        top = max(n.acquired for n in dated if n.acquired is not None)
        latest = [n for n in dated if n.acquired == top]
    return latest + undated


def request_destinations(subject: Subject, location: Place | None, home: str) -> frozenset[Dest]:
    """§2: the destinations of one request (an empty set: domestic)."""
    found: set[Dest] = set()
    if location is None:
        found.add(Dest(Kind.UNKNOWN_LOCATION))
    elif location.country != home:
        found.add(Dest(Kind.LOCATION, location))
    person = person_status(subject, home)
    if person is Person.UNKNOWN:
        found.add(Dest(Kind.UNKNOWN_CITIZENSHIP))
    elif person is Person.FOREIGN:
        candidates = [n for n in subject.citizenships if n.country != home]
        if subject.permanent_residence is not None and subject.permanent_residence.country != home:
            candidates.append(subject.permanent_residence)
        deemed = {n.country for n in _could_be_most_recent(candidates)}
        found.update(Dest(Kind.DEEMED, Place(c)) for c in deemed)
        found.update(Dest(Kind.CITIZENSHIP, Place(c.country)) for c in subject.citizenships
                     if c.country not in deemed and c.country != home)
        if not subject.citizenships:
            found.add(Dest(Kind.UNKNOWN_CITIZENSHIP))
    return frozenset(found)


# --------------------------------------------------------------------------------------------- §3


def in_force(directive: Directive, at: datetime) -> bool:
    return (directive.mode in (Mode.ENFORCE, Mode.SHADOW) and directive.effective <= at
            and (directive.expires is None or at < directive.expires))


# --------------------------------------------------------------------------------------------- §4


def _expand(selectors: Iterable[str], groups: CountryGroups) -> frozenset[str]:
    """Country and region codes named by selectors, groups replaced by their members."""
    out: set[str] = set()
    for sel in selectors:
        if sel.startswith("group:"):
            out |= groups.countries(sel[len("group:"):])
        else:
            out.add(sel)
    return frozenset(out)


def _place_in(place: Place, codes: frozenset[str]) -> bool:
    """A region is in a list when it or its country is listed."""
    return place.country in codes or (place.region is not None and place.region in codes)


def names_model(selectors: Iterable[str], model: str, catalog: Catalog) -> bool:
    spec = catalog.get(model)
    if spec is None:
        return False
    for sel in selectors:
        if sel.startswith("family:"):
            if spec.family and sel[len("family:"):] == spec.family:
                return True
        elif sel.startswith("tier:"):
            if spec.tier and sel[len("tier:"):] == spec.tier:
                return True
        elif sel == model:
            return True
    return False


def _listed_party(directive: Directive, subject: Subject) -> bool:
    parties = set(directive.restrict.parties)
    if f"subject:{subject.id}" in parties:
        return True
    return subject.organization is not None and f"organization:{subject.organization}" in parties


def _person_matches(directive: Directive, person: Person) -> bool:
    persons = directive.restrict.persons
    if persons is Persons.ALL:
        return True
    if persons is Persons.FOREIGN:
        return person is Person.FOREIGN or (person is Person.UNKNOWN
                                            and directive.restrict.unknown is Unknown.DENY)
    return False


def _in_zone(directive: Directive, dest: Dest, groups: CountryGroups, home: str) -> bool:
    all_destinations = directive.restrict.destinations == ("all",)
    excepted = _expand(directive.except_.destinations, groups)
    if dest.kind is Kind.DOMESTIC:
        return all_destinations and home not in excepted
    if dest.place is None:  # unknown location or citizenship
        if all_destinations and not excepted:
            return True
        if directive.restrict.unknown is not Unknown.DENY:
            return False
        if dest.kind is Kind.UNKNOWN_LOCATION:
            return True
        # A deemed destination is a country: a zone of regions only can never hold it.
        return all_destinations or any("-" not in sel for sel in directive.restrict.destinations)
    if _place_in(dest.place, excepted):
        return False
    return all_destinations or _place_in(dest.place, _expand(directive.restrict.destinations, groups))


_CODE = {
    Kind.LOCATION: ReasonCode.LOCATION,
    Kind.DEEMED: ReasonCode.DEEMED_EXPORT,
    Kind.CITIZENSHIP: ReasonCode.CITIZENSHIP,
    Kind.UNKNOWN_LOCATION: ReasonCode.UNKNOWN_LOCATION,
    Kind.UNKNOWN_CITIZENSHIP: ReasonCode.UNKNOWN_CITIZENSHIP,
    Kind.DOMESTIC: ReasonCode.DOMESTIC,
}


def triggers(directive: Directive, subject: Subject, dests: frozenset[Dest], capabilities: frozenset[str],
             model: str, *, catalog: Catalog, groups: CountryGroups, home: str) -> dict[Dest, ReasonCode]:
    """§4: T_D with the reason code of each trigger; empty when D does not apply."""
    if not names_model(directive.scope.models, model, catalog):
        return {}
    if directive.scope.capabilities and not set(directive.scope.capabilities) & capabilities:
        return {}
    looked_at = {d for d in dests
                 if d.kind is not Kind.CITIZENSHIP or directive.restrict.deemed is Deemed.ANY_CITIZENSHIP}
    if not looked_at:
        looked_at = {Dest(Kind.DOMESTIC)}
    listed = _listed_party(directive, subject)
    person = _person_matches(directive, person_status(subject, home))
    found: dict[Dest, ReasonCode] = {}
    for d in looked_at:
        if listed:
            found[d] = ReasonCode.LISTED_PARTY
        elif person and _in_zone(directive, d, groups, home):
            found[d] = _CODE[d.kind]
    return found


# --------------------------------------------------------------------------------------------- §5


def covers(lic: License, directive: Directive, model: str, dest: Dest, subject: Subject, at: datetime, *,
           catalog: Catalog, groups: CountryGroups, home: str) -> bool:
    """§5: the license covers (D, M, d) at t."""
    if lic.status is not LicenseStatus.ACTIVE or not lic.valid_from <= at:
        return False
    if lic.valid_until is not None and not at < lic.valid_until:
        return False
    if directive.licensing is Licensing.NONE:
        return False
    if lic.directives and directive.id not in lic.directives:
        return False
    if lic.models and not names_model(lic.models, model, catalog):
        return False
    holder = lic.holder
    if holder.kind is HolderKind.DESTINATION:
        if dest.kind is Kind.DOMESTIC:
            return holder.id == home
        if dest.place is None:
            return False
        return dest.place.country == holder.id or dest.place.region == holder.id
    if holder.kind is HolderKind.SUBJECT:
        if holder.id != subject.id:
            return False
    elif subject.organization is None or holder.id != subject.organization:
        return False
    if not lic.destinations:
        return True
    listed = _expand(lic.destinations, groups)
    if dest.kind is Kind.DOMESTIC:
        return home in listed
    return dest.place is not None and _place_in(dest.place, listed)


# --------------------------------------------------------------------------------------------- §6-7

Triple = tuple[ReasonCode, str | None, str | None]
_ACTION_EFFECT = {Action.DENY: Effect.DENY, Action.DEGRADE: Effect.DEGRADE,
                  Action.SAFEGUARD: Effect.SAFEGUARD}
_FALLBACK_RESTRICTED: Triple = (ReasonCode.FALLBACK_RESTRICTED, None, None)
_RANK = {Effect.ALLOW: 0, Effect.SAFEGUARD: 1, Effect.DEGRADE: 2, Effect.DENY: 3}


@dataclass(frozen=True)
class Outcome:
    effect: Effect
    served_model: str | None
    obligations: dict[str, Any] = field(default_factory=dict)
    reasons: frozenset[Triple] = frozenset()
    shadow: frozenset[tuple[str, Effect]] = frozenset()


@dataclass
class _World:
    subject: Subject
    location: Place | None
    capabilities: frozenset[str]
    at: datetime
    directives: Sequence[Directive]
    licenses: Sequence[License]
    catalog: Catalog
    groups: CountryGroups
    home: str


def _obligations(threshold: float | None, blocks: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if threshold is not None:
        out["jailbreak_threshold"] = threshold
    if blocks:
        out["block_capabilities"] = sorted(blocks)
    return out


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    thresholds = [o["jailbreak_threshold"] for o in (a, b) if "jailbreak_threshold" in o]
    blocks = set(a.get("block_capabilities", ())) | set(b.get("block_capabilities", ()))
    return _obligations(min(thresholds) if thresholds else None, blocks)


def _decide(w: _World, model: str, visited: frozenset[str]) -> Outcome:
    if model not in w.catalog:
        return Outcome(Effect.DENY, None, {}, frozenset({(ReasonCode.UNKNOWN_MODEL, None, None)}))
    dests = request_destinations(w.subject, w.location, w.home)
    reasons: set[Triple] = set()
    shadow: set[tuple[str, Effect]] = set()
    contributing: list[Directive] = []
    for directive in sorted(w.directives, key=lambda d: d.id):
        if not in_force(directive, w.at):
            continue
        found = triggers(directive, w.subject, dests, w.capabilities, model,
                         catalog=w.catalog, groups=w.groups, home=w.home)
        if not found:
            continue
        covering: dict[Dest, str] = {}
        for d in found:
            ids = [lic.id for lic in w.licenses
                   if covers(lic, directive, model, d, w.subject, w.at,
                             catalog=w.catalog, groups=w.groups, home=w.home)]
            if ids:
                covering[d] = min(ids)
        lifted = len(covering) == len(found)
        if directive.mode is Mode.SHADOW:
            if not lifted:
                shadow.add((directive.id, _ACTION_EFFECT[directive.action]))
            continue
        if lifted:
            reasons.update((ReasonCode.LICENSED, directive.id, lic_id) for lic_id in covering.values())
        else:
            contributing.append(directive)
            reasons.update((code, directive.id, None) for code in found.values())
    if not contributing and not reasons:
        reasons.add((ReasonCode.NOT_RESTRICTED, None, None))
    effect = max((_ACTION_EFFECT[d.action] for d in contributing), key=_RANK.__getitem__,
                 default=Effect.ALLOW)
    frozen_reasons, frozen_shadow = frozenset(reasons), frozenset(shadow)
    if effect is Effect.DENY:
        return Outcome(Effect.DENY, None, {}, frozen_reasons, frozen_shadow)
    thresholds = [d.safeguards.jailbreak_threshold for d in contributing
                  if d.action is Action.SAFEGUARD and d.safeguards.jailbreak_threshold is not None]
    blocks = {c for d in contributing if d.action is Action.SAFEGUARD
              for c in d.safeguards.block_capabilities}
    obligations = _obligations(min(thresholds) if thresholds else None, blocks)
    if effect is not Effect.DEGRADE:
        return Outcome(effect, model, obligations, frozen_reasons, frozen_shadow)
    chosen = min((d for d in contributing if d.action is Action.DEGRADE), key=lambda d: d.id)
    fallback = chosen.degrade_to
    assert fallback is not None
    restricted = frozen_reasons | {_FALLBACK_RESTRICTED}
    if fallback in visited:
        return Outcome(Effect.DENY, None, {}, restricted, frozen_shadow)
    then = _decide(w, fallback, visited | {fallback})
    carried = {r for r in then.reasons if r[0] is not ReasonCode.NOT_RESTRICTED}
    if then.effect is Effect.DENY:
        return Outcome(Effect.DENY, None, {}, restricted | carried, frozen_shadow)
    return Outcome(Effect.DEGRADE, then.served_model, _merge(obligations, then.obligations),
                   frozen_reasons | carried, frozen_shadow)


# --------------------------------------------------------------------------------------------- §9


def restricted_party(verdict: str, pending: str) -> Outcome | None:
    """§9: a confirmed party is denied, and so is a potential one while pending is "deny"; else None."""
    if verdict == "confirmed":
        return Outcome(Effect.DENY, None, {}, frozenset({(ReasonCode.RESTRICTED_PARTY, None, None)}))
    if verdict == "potential" and pending == "deny":
        return Outcome(Effect.DENY, None, {}, frozenset({(ReasonCode.PENDING_REVIEW, None, None)}))
    return None


def reference_decide(subject: Subject, model: str, location: Place | None, capabilities: frozenset[str],
                     at: datetime, *, directives: Sequence[Directive], licenses: Sequence[License],
                     catalog: Catalog, groups: CountryGroups, home_country: str = "US",
                     screening: str = "clear", pending: str = "deny") -> Outcome:
    """The decision docs/rules.md prescribes for one request (`screening`: the caller's §9 verdict)."""
    refused = restricted_party(screening, pending)
    if refused is not None:
        return refused
    world = _World(subject, location, frozenset(capabilities), at, directives, licenses, catalog, groups,
                   home_country)
    outcome = _decide(world, model, frozenset({model}))
    if screening == "potential":  # allowed while it awaits review, and said so
        return replace(outcome, reasons=outcome.reasons | {(ReasonCode.PENDING_REVIEW, None, None)})
    return outcome
