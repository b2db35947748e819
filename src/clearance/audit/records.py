"""The payloads of the two record kinds, for writers other than the gateway (which has its own).

A `decision` record holds the decision JSON of DESIGN.md, what is known of the request (never a
secret: credentials by id only) and the policy version; a `completion` record, written when the
upstream has answered, says how it ended.  Completion is a record of its own because a record in
a hash chain can never be updated.
"""

from __future__ import annotations

import hashlib
from typing import Any

from clearance.domain.decisions import Decision

REQUEST_FIELDS = ("request_id", "route", "api", "subject", "organization", "model", "served_model",
                  "destinations", "peer", "forwarded_for", "credential_id")


def decision_payload(decision: Decision, *, request: dict[str, Any]) -> dict[str, Any]:
    """`request` gives any of REQUEST_FIELDS; those it leaves out are taken from the decision or None."""
    unknown = sorted(set(request) - set(REQUEST_FIELDS))
    if unknown:
        raise ValueError(f"unknown request field {unknown[0]!r}")
    facts: dict[str, Any] = dict.fromkeys(REQUEST_FIELDS)
    facts.update({"subject": decision.subject, "model": decision.model, "served_model": decision.served_model,
                  "destinations": list(decision.destinations), "forwarded_for": []})
    facts.update(request)
    return {"decision": decision.to_json(), "request": facts, "policy_version": decision.policy_version}


def completion_payload(decision_id: str, request_id: str | None, *, status: int, usage: dict[str, int] | None,
                       duration_ms: float, error: str | None) -> dict[str, Any]:
    return {"decision_id": decision_id, "request_id": request_id, "status": status, "usage": usage,
            "duration_ms": round(duration_ms, 3), "error": error}


def prompt_evidence(prompt: str, keep: str, *, safeguard_hit: bool) -> dict[str, str] | None:
    """What `[audit] keep_prompts` lets a decision record keep of a prompt: nothing unless a
    safeguard was hit; then its SHA-256 ("hash") or the text itself ("text")."""
    if not safeguard_hit or keep == "none":
        return None
    if keep == "hash":
        return {"prompt_sha256": hashlib.sha256(prompt.encode("utf-8")).hexdigest()}
    if keep == "text":
        return {"prompt": prompt}
    raise ValueError(f'keep_prompts "{keep}" is not none, hash or text')
