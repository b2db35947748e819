"""A policy version compiled once into Cedar handles, and the decisions made with it.

A snapshot is immutable: the gateway swaps in a new one when the store changes, so a decision is
always made with one consistent set of directives, licenses, groups and models.  One decision is
one Cedar request per destination of the caller (docs/rules.md §4: a directive restricts a
destination, and a license covers a destination), each evaluated against the slice of the policy
that could restrict it — a directive that cannot name the model, the person or the place is never
evaluated for it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import cedarpy

from clearance.domain.catalog import Catalog
from clearance.domain.countries import Place
from clearance.domain.decisions import Decision, Effect, Reason, ReasonCode, ShadowHit, strongest
from clearance.domain.destinations import Destination, destinations_of
from clearance.domain.directives import Action, Directive, Mode
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import License
from clearance.domain.screening import NO_SCREENING, PendingPolicy, ScreeningStatus, Verdict, VerdictSource
from clearance.domain.subjects import Subject
from clearance.errors import ClearanceError
from clearance.policy.cache import DecisionCache
from clearance.policy.compiler import BASELINE, BASELINE_ID
from clearance.policy.coverage import LicenseIndex
from clearance.policy.explain import Trigger, listed_party, obligations_of, reason_for
from clearance.policy.ids import new_decision_id
from clearance.policy.names import (
    ACTION,
    ANY_PLACE,
    ASSESS,
    DOMESTIC_PLACE,
    INVOKE,
    LICENSE,
    SUBJECT,
    TARGET,
    micros,
    ref,
    target_id,
)
from clearance.policy.request import DecisionRequest


class PolicyEvaluationError(ClearanceError):
    """Cedar could not evaluate a policy: the decision fails closed, visibly."""

    exit_code = 70




@dataclass(frozen=True)
class _Slot:
    """One destination of the request, as Cedar sees it."""

    destination: Destination | None  # None: the request is domestic
    place: str  # the Place entity id
    held: tuple[License, ...]  # licenses in force held for it that cover some directive here
    cover: str | None  # the place key of license coverage (the home country for domestic access)
    label: str  # how the decision names it: "deemed:CN", "unknown-location", "domestic"

    @property
    def basis(self) -> str:
        return self.destination.basis.value if self.destination else DOMESTIC_PLACE


@dataclass(frozen=True)
class Slice:
    """The policies that could restrict one kind of request, and the parties they list (the only
    way the caller's identity, beyond their attributes, can matter to Cedar's answer)."""

    policies: Any
    parties: frozenset[str]


# What a Cedar request of one slot holds beside licenses: model, person, basis, place, capabilities,
# time window, and which listed parties the caller is.
_Facts = tuple[str, str, str, str, frozenset[str], int, tuple[str, ...]]


@dataclass(frozen=True)
class _Outcome:
    """What Cedar said, per directive: the destinations it restricts, and those left unlicensed."""

    triggers: Mapping[str, tuple[Trigger, ...]]
    unlicensed: frozenset[str]
    destinations: tuple[str, ...]


@dataclass
class _Verdict:
    """A decision in the making, for one model of the degrade chain."""

    effect: Effect
    served: str | None
    reasons: list[Reason]
    obligations: dict[str, Any] = field(default_factory=dict)
    shadow: list[ShadowHit] = field(default_factory=list)
    destinations: tuple[str, ...] = ()
    fallback: str | None = None  # on degrade: the model to try instead

    def copy(self) -> _Verdict:
        return _Verdict(self.effect, self.served, list(self.reasons), dict(self.obligations), list(self.shadow),
                        self.destinations, self.fallback)

    def refused(self) -> _Verdict:
        """A deny serves nothing and carries no obligations."""
        self.effect, self.served, self.obligations = Effect.DENY, None, {}
        return self


@dataclass(frozen=True)
class PolicySnapshot:
    version: str
    home_country: str
    catalog: Catalog
    groups: CountryGroups
    directives: Mapping[str, Directive]  # those in enforce or shadow mode
    licenses: Mapping[str, License]
    policy_text: str
    schema_text: str
    boundaries: tuple[int, ...]  # instants (µs) at which some directive or license starts or ends
    index: LicenseIndex
    known_regions: frozenset[str]
    parties: frozenset[str]  # every listed party of a directive in force ("subject:…", "organization:…")
    _policy_sets: Mapping[tuple[str, str, str, str], Slice | None] = field(repr=False)  # (model, person, basis, place)
    _entities: Any = field(repr=False)
    _texts: Mapping[str, str] = field(repr=False)  # directive id -> its Cedar text
    # Restricted-party verdicts (docs/rules.md §9): stored callers by lookup, others screened by name.
    screening: VerdictSource = field(default=NO_SCREENING, repr=False, compare=False)
    pending: PendingPolicy = PendingPolicy.DENY  # what a potential match awaiting review gets
    # Memos, not state: parsed sets of the directives that applied to some request, by their ids;
    # and Cedar's answers by everything a Cedar request of this snapshot holds (see `_answer`).
    _subsets: dict[frozenset[str], Any] = field(default_factory=dict, repr=False, compare=False)
    _answers: DecisionCache[tuple[str, ...]] = field(
        default_factory=lambda: DecisionCache(200_000), repr=False, compare=False)
    # and verdicts, explained, by everything a verdict depends on (see `_resolve`).
    _verdicts: DecisionCache[_Verdict] = field(
        default_factory=lambda: DecisionCache(100_000), repr=False, compare=False)

    # and explanations, one per destination a directive restricts (see `_reason`).
    _reasons: DecisionCache[Reason] = field(
        default_factory=lambda: DecisionCache(100_000), repr=False, compare=False)

    def forget(self) -> None:
        """Drop every memo (Cedar's answers, verdicts, explanations): the next decisions start afresh."""
        self._answers.clear()
        self._verdicts.clear()
        self._reasons.clear()

    # -- the hot path -------------------------------------------------------------------------------

    def window(self, at: datetime) -> int:
        """Which stretch between boundaries `at` falls in: decisions are constant within one."""
        return bisect.bisect_right(self.boundaries, micros(at))

    def verdict_of(self, subject: Subject) -> Verdict:
        """The caller's restricted-party verdict: a lookup for a stored subject, the matcher for others."""
        return self.screening.of(subject)

    def decide(self, request: DecisionRequest, *, screened: Verdict | None = None) -> Decision:
        """One decision; `screened` is the caller's verdict when the caller already looked it up."""
        party = self.verdict_of(request.subject) if screened is None else screened
        if party.status is ScreeningStatus.CONFIRMED or (
                party.status is ScreeningStatus.POTENTIAL and self.pending is PendingPolicy.DENY):
            return self._screened_out(request, party)
        verdict = self._resolve(request, request.model, frozenset())
        reasons = tuple(verdict.reasons)
        if party.status is ScreeningStatus.POTENTIAL:  # allowed while it awaits review, and said so
            reasons += tuple(Reason(ReasonCode.PENDING_REVIEW, attribute=_party_attribute(hit.list_name,
                                                                                         hit.entry_id),
                                    detail=f"{hit.describe()}; awaiting review, not restricting meanwhile "
                                           "(setting screening.pending = allow)")
                             for hit in party.hits)
        return Decision(
            decision_id=new_decision_id(),
            effect=verdict.effect,
            model=request.model,
            served_model=verdict.served,
            subject=request.subject.id,
            destinations=verdict.destinations,
            reasons=reasons,
            obligations=dict(verdict.obligations),
            shadow=tuple(verdict.shadow),
            policy_version=self.version,
            at=request.at,
        )

    def _screened_out(self, request: DecisionRequest, party: Verdict) -> Decision:
        """Deny a restricted party (§9): before any directive, and no license lifts it."""
        confirmed = party.status is ScreeningStatus.CONFIRMED
        code = ReasonCode.RESTRICTED_PARTY if confirmed else ReasonCode.PENDING_REVIEW
        why = "confirmed restricted party: denied whatever the directives and licenses" if confirmed else \
            "potential restricted-party match awaiting review: denied meanwhile (setting screening.pending = deny)"
        reasons = tuple(Reason(code, detail=f"{hit.describe()}; {why}", effect=Effect.DENY,
                               attribute=_party_attribute(hit.list_name, hit.entry_id))
                        for hit in party.hits if hit.status is party.status)
        return Decision(decision_id=new_decision_id(), effect=Effect.DENY, model=request.model, served_model=None,
                        subject=request.subject.id, destinations=(), reasons=reasons, obligations={}, shadow=(),
                        policy_version=self.version, at=request.at)

    def _resolve(self, request: DecisionRequest, model: str, visited: frozenset[str]) -> _Verdict:
        """The effect for `model` (docs/rules.md §6), following degrade fallbacks; `visited` stops loops."""
        if model not in self.catalog:
            reason = Reason(ReasonCode.UNKNOWN_MODEL, detail=f'"{model}" is not a model of this deployment',
                            effect=Effect.DENY)
            return _Verdict(Effect.DENY, None, [reason])
        own = self._judge(request, model)
        if own.effect is not Effect.DEGRADE:
            return own
        verdict = own.copy()
        fallback = own.fallback
        assert fallback is not None  # validated: degrade needs degrade_to
        seen = visited | {model}
        if fallback in seen:
            verdict.reasons.append(Reason(ReasonCode.FALLBACK_RESTRICTED, detail=f"fallback {fallback} loops back",
                                          effect=Effect.DENY))
            return verdict.refused()
        served = self._resolve(request, fallback, seen)
        if served.effect is Effect.DENY:
            verdict.reasons.append(Reason(ReasonCode.FALLBACK_RESTRICTED,
                                          detail=f"fallback {fallback} is refused too", effect=Effect.DENY))
        verdict.reasons.extend(r for r in served.reasons if r.code is not ReasonCode.NOT_RESTRICTED)
        if served.effect is Effect.DENY:
            return verdict.refused()
        verdict.served = served.served
        verdict.obligations = obligations_of([], verdict.obligations, served.obligations)
        return verdict

    def _judge(self, request: DecisionRequest, model: str) -> _Verdict:
        """The verdict of the directives on `model` itself, explained; a degrade names its fallback
        but does not follow it.

        It is a function of what the request holds once reduced to the rules' terms: the person
        status and destinations, the licenses held for each that cover something there, the time
        window, the capabilities, and which listed parties the caller is.  It is kept by exactly
        that, so every caller alike in those shares it (the decision cache, keyed by the subject,
        cannot share across subjects).  Callers must not change what it returns.  A fallback's
        verdict is another model's, with licenses of its own: it is judged and kept apart.
        """
        person, slots = self._slots(request, model)
        subject = request.subject
        who = tuple(sorted(self.parties & {f"subject:{subject.id}", f"organization:{subject.organization}"})) \
            if self.parties else ()
        key = (model, person, tuple((s.destination, tuple(lic.id for lic in s.held)) for s in slots),
               self.window(request.at), request.capabilities, who)
        found = self._verdicts.get(key)
        if found is None:
            found = self._judge_afresh(request, model, person, slots)
            self._verdicts.put(key, found)
        return found

    def _judge_afresh(self, request: DecisionRequest, model: str, person: str, slots: list[_Slot]) -> _Verdict:
        outcome = self._evaluate(request, model, person, slots)
        enforced: list[Directive] = []
        verdict = _Verdict(Effect.ALLOW, model, [], destinations=outcome.destinations)
        for directive_id in sorted(outcome.triggers):
            directive = self.directives[directive_id]
            lifted = directive_id not in outcome.unlicensed
            party = listed_party(directive, request)
            explained = [self._reason(directive, trigger, party, model, lifted)
                         for trigger in outcome.triggers[directive_id]]
            if directive.mode is Mode.SHADOW:
                if not lifted:
                    verdict.shadow.append(ShadowHit(directive_id, _EFFECTS[directive.action.value],
                                                    tuple(explained)))
                continue
            verdict.reasons.extend(explained)
            if not lifted:
                enforced.append(directive)
        verdict.effect = strongest(_EFFECTS[d.action.value] for d in enforced)
        if verdict.effect is Effect.DENY:
            return verdict.refused()
        verdict.obligations = obligations_of(d.safeguards for d in enforced if d.action is Action.SAFEGUARD)
        if not verdict.reasons:
            verdict.reasons.append(Reason(ReasonCode.NOT_RESTRICTED,
                                          detail="no directive in force restricts this request"))
        if verdict.effect is Effect.DEGRADE:
            verdict.fallback = min((d for d in enforced if d.action is Action.DEGRADE), key=lambda d: d.id).degrade_to
        return verdict

    def _reason(self, directive: Directive, trigger: Trigger, party: str | None, model: str,
                lifted: bool) -> Reason:
        """`reason_for`, kept: one destination's explanation recurs across requests and callers."""
        key = (directive.id, trigger.label, trigger.licenses, party, model, lifted)  # strings hash fast
        found = self._reasons.get(key)
        if found is None:
            found = reason_for(directive, trigger, party, model, lifted)
            self._reasons.put(key, found)
        return found

    def _slots(self, request: DecisionRequest, model: str) -> tuple[str, list[_Slot]]:
        """The person status and one slot per destination, each with the held licenses that cover
        something for `model` there (the only ones Cedar's answer or an explanation can depend on)."""
        subject = request.subject
        found = destinations_of(subject, request.location, self.home_country)
        org = subject.organization
        index = self.index
        slots: list[_Slot] = []
        for dest in found.destinations:
            if dest.place is None:
                held = index.held(subject.id, org, None, None, model, request.at)
                slots.append(_Slot(dest, dest.basis.value, index.covering(held, model, None), None, dest.basis.value))
                continue
            place = self._place_id(dest.place)
            held = index.held(subject.id, org, place, dest.place.country, model, request.at)
            slots.append(_Slot(dest, place, index.covering(held, model, place), place, _label(dest)))
        if not slots:
            held = index.held(subject.id, org, self.home_country, self.home_country, model, request.at)
            slots.append(_Slot(None, DOMESTIC_PLACE, index.covering(held, model, self.home_country),
                               self.home_country, DOMESTIC_PLACE))
        return found.person.value, slots

    def _place_id(self, place: Place) -> str:
        if place.region is not None and place.region in self.known_regions:
            return place.region
        return place.country

    def _evaluate(self, request: DecisionRequest, model: str, person: str, slots: list[_Slot]) -> _Outcome:
        window = self.window(request.at)
        triggers: dict[str, list[Trigger]] = {}
        unlicensed: set[str] = set()
        for slot in slots:
            chosen = self._policy_sets[(model, person, slot.basis, slot.place)]
            if chosen is None:  # no directive could restrict this destination: the baseline allows
                continue
            # Which of the slice's listed parties the caller or their organisation is: the only way
            # the caller's identity, beyond their attributes, can matter to Cedar's answer.
            who = tuple(sorted(chosen.parties & {f"subject:{request.subject.id}",
                                                 f"organization:{request.subject.organization}"})) \
                if chosen.parties else ()
            facts = (model, person, slot.basis, slot.place, request.capabilities, window, who)
            assess, covering = self._assess(request, slot, chosen, facts)
            invoke = self._lift(request, slot, assess, covering, facts) if covering else assess
            for directive_id in assess:
                held = () if directive_id in invoke else covering.get(directive_id, ())
                triggers.setdefault(directive_id, []).append(Trigger(slot.destination, held, slot.label))
            unlicensed.update(invoke)
        labels = tuple(s.label for s in slots if s.destination is not None)
        return _Outcome({d: tuple(t) for d, t in triggers.items()}, frozenset(unlicensed), labels)

    def _cedar_request(self, request: DecisionRequest, model: str, person: str, slot: _Slot,
                       action: str) -> dict[str, Any]:
        subject = request.subject
        context: dict[str, Any] = {"now": micros(request.at), "person": person, "basis": slot.basis}
        if subject.organization:
            context["organization"] = subject.organization
        if request.capabilities:
            context["capabilities"] = sorted(request.capabilities)
        return {"principal": {"type": SUBJECT, "id": subject.id}, "action": {"type": ACTION, "id": action},
                "resource": {"type": TARGET, "id": target_id(model, slot.place)}, "context": context}

    def _assess(self, request: DecisionRequest, slot: _Slot, chosen: Slice,
                facts: _Facts) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
        """Which directives restrict this destination, licenses aside; and, of those, the held
        licenses that cover each one here (the grants Cedar intersects with `held`).

        Cedar's answer depends only on what its request holds, so it is kept by exactly that: the
        slice, the target, the person, the kind of destination, the capabilities, the time window
        (every instant a policy compares `now` with is a boundary) and which of the slice's listed
        parties the caller or their organisation is.  Licenses are not in it, so callers of one
        nationality at one place share it whatever they hold.
        """
        model, person = facts[0], facts[1]
        key = (ASSESS, *facts)
        assess = self._answers.get(key)
        if assess is None:
            cedar_request = self._cedar_request(request, model, person, slot, ASSESS)
            assess = tuple(_forbidding(cedarpy.is_authorized(cedar_request, chosen.policies, self._entities)))
            self._answers.put(key, assess)
        if not assess or not slot.held:
            return assess, {}
        covering = {}
        for directive_id in assess:
            found = self._covering(directive_id, model, slot)
            if found:
                covering[directive_id] = found
        return assess, covering

    def _lift(self, request: DecisionRequest, slot: _Slot, assess: tuple[str, ...],
              covering: Mapping[str, tuple[str, ...]], facts: _Facts) -> tuple[str, ...]:
        """Which of `assess` still restrict this destination with the caller's licenses.

        Cedar decides it again (`invoke`) over just the directives some held license covers here,
        with just those licenses in the request: for any other directive the `unless` of its policy
        cannot hold, so Cedar's answer without licenses is already its answer with them.  Kept by
        the same facts as `_assess` plus those licenses, so members of one organisation share it.
        """
        model, person = facts[0], facts[1]
        held = tuple(sorted({i for ids in covering.values() for i in ids}))
        applying = frozenset(covering)
        key = (INVOKE, *facts, applying, held)
        found = self._answers.get(key)
        if found is None:
            cedar_request = self._cedar_request(request, model, person, slot, INVOKE)
            cedar_request["context"]["held"] = [ref(LICENSE, i) for i in held]
            found = tuple(_forbidding(cedarpy.is_authorized(cedar_request, self._policies_of(applying),
                                                            self._entities)))
            self._answers.put(key, found)
        return tuple(d for d in assess if d not in applying) + found

    def _policies_of(self, directive_ids: frozenset[str]) -> Any:
        """A parsed policy set of just these directives (and the baseline), parsed once per set."""
        found = self._subsets.get(directive_ids)
        if found is None:
            text = "\n\n".join([BASELINE, *(self._texts[i] for i in sorted(directive_ids))])
            found = self._subsets[directive_ids] = cedarpy.PolicySet.from_str(text)
        return found

    def _covering(self, directive_id: str, model: str, slot: _Slot) -> tuple[str, ...]:
        """The held licenses that cover this directive here (the data Cedar intersected)."""
        covers = self.index.covers
        here = covers.get((model, slot.cover), {}).get(directive_id, _NONE) if slot.cover is not None else _NONE
        anywhere = covers.get((model, ANY_PLACE), {}).get(directive_id, _NONE)
        return tuple(sorted(lic.id for lic in slot.held if lic.id in here or lic.id in anywhere))

    # -- review ------------------------------------------------------------------------------------

    def export(self) -> str:
        """The whole policy set as Cedar text, for review."""
        return self.policy_text


_EFFECTS = {e.value: e for e in Effect}
_NONE: frozenset[str] = frozenset()


def _party_attribute(list_name: str, entry_id: str) -> str:
    return f"restricted-party:{list_name}:{entry_id}"


def _label(destination: Destination) -> str:
    if destination.place is None:
        return destination.basis.value
    return f"{destination.basis.value}:{destination.code}"


def _forbidding(result: cedarpy.AuthzResult) -> list[str]:
    """The directive ids whose forbid policies were satisfied; any evaluation error fails closed."""
    diagnostics = result.diagnostics
    if diagnostics.errors:
        raise PolicyEvaluationError("policy evaluation failed: " + "; ".join(map(str, diagnostics.errors)))
    names = diagnostics.id_annotations_by_reason
    ids = [names.get(r, r) for r in diagnostics.reasons]
    if result.decision is cedarpy.Decision.Allow:
        return []
    forbids = [i for i in ids if i != BASELINE_ID]
    if not forbids:
        raise PolicyEvaluationError("policy evaluation denied without a reason")
    return forbids
