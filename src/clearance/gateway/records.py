"""The audit payloads the gateway writes: one `decision` record before anything leaves, one
`completion` record when the upstream has answered (a chained record is never updated).

Credentials appear by id only, never the secret; prompts are not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clearance.domain.decisions import Decision
from clearance.domain.subjects import Subject
from clearance.gateway.location import ClientAddress


@dataclass(frozen=True)
class RequestFacts:
    """What the audit keeps about the request itself, beside the decision."""

    request_id: str
    route: str
    api: str
    credential_id: str | None
    address: ClientAddress


def decision_payload(decision: Decision, facts: RequestFacts, subject: Subject, *,
                     served_model: str | None, outcome: str, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """`outcome` is what the caller got: "forwarded", "refused", "blocked" or "not_found"."""
    return {
        "decision": decision.to_json(),
        "request": {
            "request_id": facts.request_id,
            "route": facts.route,
            "api": facts.api,
            "subject": subject.id,
            "organization": subject.organization,
            "model": decision.model,
            "served_model": served_model,
            "destinations": list(decision.destinations),
            "peer": facts.address.peer,
            "client_ip": facts.address.ip,
            "forwarded_for": list(facts.address.forwarded_for),
            "credential_id": facts.credential_id,
        },
        "policy_version": decision.policy_version,
        "outcome": outcome,
        **({"detail": detail} if detail else {}),
    }


def completion_payload(decision_id: str, request_id: str, *, status: int, usage: dict[str, int] | None,
                       duration_ms: float, error: str | None) -> dict[str, Any]:
    return {"decision_id": decision_id, "request_id": request_id, "status": status, "usage": usage,
            "duration_ms": round(duration_ms, 3), "error": error}
