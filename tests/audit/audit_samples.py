"""Audit records for the tests, and a way to tamper with the database from outside the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from clearance.audit import AuditLog, Signer
from clearance.store import Store
from clearance.store.engine import build_engine, normalize_url

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SUBJECTS = ("ravi", "alice", "mei")
ORGS = {"ravi": "acme", "alice": "acme", "mei": "globex"}
EFFECTS = ("deny", "allow", "degrade")


def decision(i: int, *, subject: str | None = None, effect: str | None = None) -> dict[str, Any]:
    """The i-th sample decision record's payload (the gateway's shape, with non-ASCII in it)."""
    who = subject or SUBJECTS[i % 3]
    what = effect or EFFECTS[i % 3]
    reasons = [{"code": "DEEMED_EXPORT", "directive": "BIS-2026-AI-001", "license": None,
                "detail": f"deemed export to IN — request {i}", "attribute": "citizenship:IN", "effect": what}]
    if i % 4 == 0:
        reasons.append({"code": "EXPORT_FROM_LOCATION", "directive": "CRIMEA-2014", "license": None,
                        "detail": "UA-43", "attribute": None, "effect": "deny"})
    return {
        "decision": {"decision_id": f"dec-{i:06d}", "effect": what, "model": "fable-5" if i % 2 else "mythos-5",
                     "served_model": None, "subject": who, "destinations": ["deemed:IN"], "reasons": reasons,
                     "obligations": {}, "shadow": [], "policy_version": "pv-1", "at": "2026-11-20T09:00:00Z"},
        "request": {"request_id": f"req-{i}", "route": "/v1/chat/completions", "api": "openai", "subject": who,
                    "organization": ORGS[who], "model": "fable-5", "served_model": None,
                    "destinations": ["deemed:IN"], "peer": "127.0.0.1", "forwarded_for": [], "credential_id": "k1"},
        "policy_version": "pv-1",
    }


def completion(i: int) -> dict[str, Any]:
    return {"decision_id": f"dec-{i:06d}", "request_id": f"req-{i}", "status": 200,
            "usage": {"input_tokens": 12, "output_tokens": 34}, "duration_ms": 12.5, "error": None}


def fill(store: Store, signer: Signer | None, count: int, *, checkpoint_every: int = 10,
         start: datetime = T0, step: timedelta = timedelta(minutes=1)) -> list[int]:
    """`count` records (decisions, every third one a completion), one minute apart.

    Record i + 1 is `decision(i)` unless i % 3 == 2; decisions with i % 4 == 0 name two directives.
    """
    log = AuditLog(store, signer, checkpoint_every=checkpoint_every)
    items = []
    for i in range(count):
        kind = "completion" if i % 3 == 2 else "decision"
        items.append((kind, completion(i - 1) if kind == "completion" else decision(i), start + step * i))
    seqs: list[int] = []
    for start_at in range(0, count, 5):  # five to a transaction, so checkpoints fall every `checkpoint_every`
        seqs.extend(log.append_many(items[start_at:start_at + 5]))
    return seqs


@contextmanager
def raw(url: str) -> Iterator[Connection]:
    """A transaction on the test database that bypasses the store: the attacker's view."""
    engine = build_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def sql(url: str, statement: str, **params: Any) -> None:
    with raw(url) as conn:
        conn.execute(text(statement), params)
