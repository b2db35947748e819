"""The audit trail's values: an entry to append, a stored record, a checkpoint, a search.

An entry is encoded once, when it is made (canonical payload text, search columns copied out), so
a bad payload fails its own caller at once instead of a whole group commit later on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from clearance.errors import DataError
from clearance.store.audit_chain import at_text, canonical

DECISION = "decision"
COMPLETION = "completion"
KINDS = (DECISION, COMPLETION)


class CheckpointSigner(Protocol):
    """What the store needs of a signing key (clearance.audit.Signer is one)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class SearchColumns:
    """What a record is found by, copied out of its payload."""

    decision_id: str | None = None
    subject: str | None = None
    organization: str | None = None
    effect: str | None = None
    model: str | None = None
    directives: tuple[str, ...] = ()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def search_columns(kind: str, payload: Any) -> SearchColumns:
    """The search columns of a payload; verification recomputes them to catch an edited column."""
    if not isinstance(payload, dict):
        return SearchColumns()
    if kind == COMPLETION:
        return SearchColumns(decision_id=_text(payload.get("decision_id")))
    decision = payload.get("decision")
    request = payload.get("request")
    if not isinstance(decision, dict):
        return SearchColumns()
    named: set[str] = set()
    for key in ("reasons", "shadow"):
        items = decision.get(key)
        for item in items if isinstance(items, list) else ():
            directive = _text(item.get("directive")) if isinstance(item, dict) else None
            if directive:
                named.add(directive)
    return SearchColumns(
        decision_id=_text(decision.get("decision_id")),
        subject=_text(decision.get("subject")),
        organization=_text(request.get("organization")) if isinstance(request, dict) else None,
        effect=_text(decision.get("effect")),
        model=_text(decision.get("model")),
        directives=tuple(sorted(named)),
    )


class SpoolMark(NamedTuple):
    """Records read from spool `name` between byte `start` and byte `end`.

    An append that carries a mark succeeds only if the store's recorded offset for the spool is
    still `start`, and moves it to `end` in the same transaction: two processes that ingest the
    same spool (a gateway's ingester and a recovery, say) can never link its records twice."""

    name: str
    start: int
    end: int


def check_payload(kind: str, payload: Any) -> None:
    """DataError unless `payload` can be recorded as a `kind` record (checked where it is made)."""
    if kind not in KINDS:
        raise DataError(f'audit record kind "{kind}" is not one of: {", ".join(KINDS)}')
    if not isinstance(payload, dict):
        raise DataError("audit payload must be a JSON object")
    key, what = ("decision", "an object") if kind == DECISION else ("decision_id", "a string")
    wanted = dict if kind == DECISION else str
    if not isinstance(payload.get(key), wanted):
        raise DataError(f"{kind} record: payload field {key} must be {what}", field=key)


@dataclass(frozen=True)
class AuditEntry:
    """A record to be appended: its seq, prev and hash are given in the append transaction."""

    kind: str
    at: datetime
    at_text: str
    payload: str  # canonical JSON
    columns: SearchColumns

    @classmethod
    def of(cls, kind: str, payload: dict[str, Any], *, at: datetime) -> AuditEntry:
        check_payload(kind, payload)
        text = at_text(at)
        return cls(kind, at, text, canonical(payload), search_columns(kind, payload))


@dataclass(frozen=True)
class AuditRecord:
    """A stored record, as read back (nothing here is trusted until verified)."""

    seq: int
    at: datetime
    kind: str
    prev: str
    hash: str
    payload_text: str
    columns: SearchColumns = field(default_factory=SearchColumns)

    @property
    def at_text(self) -> str:
        return at_text(self.at)

    @property
    def payload(self) -> Any:
        return json.loads(self.payload_text)

    def to_json(self) -> dict[str, Any]:
        """The record as a pack or an export carries it; `payload` parsed, so readers see JSON."""
        return {"seq": self.seq, "at": self.at_text, "kind": self.kind, "prev": self.prev, "hash": self.hash,
                "payload": self.payload}


@dataclass(frozen=True)
class Checkpoint:
    """A signature over "record `seq` has `hash`" (see audit_chain)."""

    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str  # base64

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": at_text(self.at), "key_id": self.key_id,
                "signature": self.signature}


@dataclass(frozen=True)
class AuditHead:
    """The chain's end as the head row says: `seq` 0 and the genesis hash before the first record."""

    seq: int
    hash: str
    checkpoint_seq: int


@dataclass(frozen=True)
class AuditQuery:
    """Search filters, all optional and combined with AND; newest first, `limit` records."""

    subject: str | None = None
    organization: str | None = None
    directive: str | None = None
    effect: str | None = None
    model: str | None = None
    kind: str | None = None
    decision_id: str | None = None
    since: datetime | None = None  # at >= since
    until: datetime | None = None  # at < until
    before_seq: int | None = None  # paging: only records older than this
    limit: int = 50


@dataclass(frozen=True)
class PruneResult:
    deleted: int
    anchor: Checkpoint | None  # the signed checkpoint the oldest remaining record links to
    first_seq: int | None  # the oldest record that remains
