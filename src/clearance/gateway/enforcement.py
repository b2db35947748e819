"""The one decision point every model-API route goes through.

Given who is calling, from where, and for which model, it returns what may be dispatched, or
raises the refusal the caller sees.  It decides on the model that will actually be dispatched:
a degrade names a fallback, and the fallback is decided again here, so a chain of fallbacks can
never reach a model the caller may not use.  A safeguard's obligations are enforced here too,
*before* the prompt leaves, never in parallel with the upstream call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from clearance.domain.countries import Place
from clearance.domain.decisions import Decision, Effect, Reason, ReasonCode
from clearance.domain.subjects import Subject
from clearance.gateway.calls import ModelRequest, prompt_messages
from clearance.gateway.problems import Refused, SafeguardBlocked
from clearance.policy import DecisionRequest, PolicySnapshot
from clearance.policy.decider import Decider
from clearance.safeguards import Assessment, Detector

_DISPATCHABLE = (Effect.ALLOW, Effect.SAFEGUARD)


@dataclass(frozen=True)
class Admission:
    """A request that may go out: the decision, and the model that will serve it."""

    decision: Decision
    served_model: str
    assessment: Assessment | None = None

    def headers(self) -> dict[str, str]:
        return {
            "x-clearance-decision": self.decision.effect.value,
            "x-clearance-decision-id": self.decision.decision_id,
            "x-clearance-served-model": self.served_model,
        }


@dataclass
class Screening:
    """The prompt's assessment, computed at most once per request and only when something needs it
    (most requests fall under no safeguard: then not even the prompt's text is gathered)."""

    detector: Detector
    call: ModelRequest
    capability_threshold: float
    _assessment: Assessment | None = field(default=None, init=False)
    _messages: Sequence[tuple[str, str]] | None = field(default=None, init=False)

    @property
    def messages(self) -> Sequence[tuple[str, str]]:
        """(role, text) pairs, as `calls.prompt_messages` gives them."""
        if self._messages is None:
            self._messages = prompt_messages(self.call)
        return self._messages

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.messages]

    def assessment(self) -> Assessment:
        if self._assessment is None:  # roles matter: a user message aimed at what the system prompt protects
            self._assessment = self.detector.score_messages(self.messages)
        return self._assessment

    def capabilities(self) -> frozenset[str]:
        return frozenset(c for c, s in self.assessment().categories.items() if s >= self.capability_threshold)


class Enforcer:
    """Decides with the current snapshot and turns the decision into an admission or a refusal."""

    def __init__(self, decider: Decider, *, clearance_url: str, default_threshold: float,
                 screen_all: bool) -> None:
        self.decider = decider
        self.clearance_url = clearance_url
        self.default_threshold = default_threshold
        self.screen_all = screen_all
        self._sensitive: tuple[PolicySnapshot, bool] | None = None

    def capability_sensitive(self) -> bool:
        """Whether any directive in force looks at what a request is about (so prompts must be classified).

        Worked out once per snapshot, not per request: the answer changes only when the policy does.
        """
        snapshot = self.decider.snapshot
        known = self._sensitive
        if known is None or known[0] is not snapshot:
            known = (snapshot, any(d.scope.capabilities or d.safeguards.block_capabilities
                                   for d in snapshot.directives.values()))
            self._sensitive = known
        return known[1]

    def decide(self, subject: Subject, model: str, location: Place | None, at: datetime,
               capabilities: frozenset[str] = frozenset()) -> Decision:
        return self.decider.decide(DecisionRequest(subject, model, location, at, capabilities))

    def admit(self, subject: Subject, model: str, location: Place | None, at: datetime,
              screening: Screening) -> Admission:
        """The admission for this request, or Refused / SafeguardBlocked carrying the decision."""
        capabilities = screening.capabilities() if self.capability_sensitive() else frozenset()
        decision = self.decide(subject, model, location, at, capabilities)
        if decision.effect is Effect.DENY:
            raise self.refusal(decision)
        served = decision.served_model or model
        if served != model:
            # Decide again on what will really be dispatched: the snapshot follows fallbacks itself,
            # and this is the independent check that the model leaving here is one the caller may use.
            again = self.decide(subject, served, location, at, capabilities)
            if again.effect not in _DISPATCHABLE or (again.served_model or served) != served:
                refused = _with_reason(decision, Reason(
                    ReasonCode.FALLBACK_RESTRICTED, detail=f'the fallback "{served}" is itself restricted for '
                    f"this caller ({again.effect.value})", effect=Effect.DENY))
                raise self.refusal(refused)
        assessment = self._enforce_safeguards(decision, screening)
        return Admission(decision, served, assessment)

    def _enforce_safeguards(self, decision: Decision, screening: Screening) -> Assessment | None:
        obligations = decision.obligations
        threshold = obligations.get("jailbreak_threshold")
        blocked = set(obligations.get("block_capabilities", ()))
        if threshold is None and (blocked or self.screen_all):
            threshold = self.default_threshold
        if threshold is None and not blocked:
            return None
        assessment = screening.assessment()
        if blocked:
            touched = sorted(blocked & screening.capabilities())
            if touched:
                raise SafeguardBlocked(
                    f"this request touches {', '.join(touched)}, which the directives in force do not allow "
                    "for this caller on this model", code="CAPABILITY_BLOCKED",
                    decision_id=decision.decision_id, capabilities=touched,
                    signals=list(assessment.signals), directive=_directive_of(decision), decision=decision)
        if threshold is not None and assessment.score >= float(threshold):
            raise SafeguardBlocked(
                "this prompt was blocked by the jailbreak screening that the directives in force require",
                code="JAILBREAK_SUSPECTED", decision_id=decision.decision_id, score=assessment.score,
                threshold=float(threshold), signals=list(assessment.signals), directive=_directive_of(decision),
                decision=decision)
        return assessment

    def refusal(self, decision: Decision) -> Refused:
        reason = _primary(decision)
        directive = self.decider.snapshot.directives.get(reason.directive) if reason.directive else None
        message = directive.message if directive is not None and directive.message else _fallback_message(
            decision, reason)
        return Refused(
            message, code=reason.code.value, directive=reason.directive, decision_id=decision.decision_id,
            reasons=[r.to_json() for r in decision.reasons], request_clearance=self.clearance_url, decision=decision,
            headers={"link": f'<{self.clearance_url}>; rel="blocked-by"',
                     "x-clearance-decision": decision.effect.value,
                     "x-clearance-decision-id": decision.decision_id})


def _primary(decision: Decision) -> Reason:
    for reason in decision.reasons:
        if reason.effect is Effect.DENY or reason.code is ReasonCode.FALLBACK_RESTRICTED:
            return reason
    return decision.reasons[0] if decision.reasons else Reason(ReasonCode.NOT_RESTRICTED)


def _directive_of(decision: Decision) -> str | None:
    return next((r.directive for r in decision.reasons if r.directive and r.effect is Effect.SAFEGUARD), None)


def _fallback_message(decision: Decision, reason: Reason) -> str:
    if reason.code is ReasonCode.UNKNOWN_MODEL:
        return f'"{decision.model}" is not a model this gateway serves'
    return f"access to {decision.model} is not permitted for this caller ({reason.code.value})"


def _with_reason(decision: Decision, reason: Reason) -> Decision:
    return dataclasses.replace(decision, effect=Effect.DENY, served_model=None, obligations={},
                               reasons=(*decision.reasons, reason))


__all__ = ["Admission", "Enforcer", "Screening"]
