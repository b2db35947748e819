"""`clearance audit verify` over the database: the pack verifier's checks, fed from the store.

The walk goes page by page in seq order, so memory stays flat on millions of records; beyond the
chain itself it checks what only the database has: the head row (records cut off the end, or
added past it) and the search columns (an edited `subject` column would make search lie while
the chain still verified).
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from clearance.audit.verify_pack import ChainVerifier, Report
from clearance.audit.verify_pack import Checkpoint as PackCheckpoint
from clearance.store import Store
from clearance.store.audit_chain import at_text
from clearance.store.audit_values import AuditRecord, Checkpoint, search_columns

PAGE = 5_000
_COLUMNS = ("decision_id", "subject", "organization", "effect", "model", "directives")


def as_pack_checkpoint(checkpoint: Checkpoint) -> PackCheckpoint:
    return PackCheckpoint(checkpoint.seq, checkpoint.hash, at_text(checkpoint.at), checkpoint.key_id,
                          checkpoint.signature)


def verify_store(store: Store, public_key: Ed25519PublicKey | None, *, first: int | None = None,
                 last: int | None = None) -> Report:
    """Verify records first..last (default: all that are stored) and the checkpoints among them."""
    head = store.audit_head()
    bounds = store.audit_bounds()
    whole = first is None and last is None
    if bounds is None:
        return _empty(store, public_key, head.seq, head.hash)
    low = max(first if first is not None else bounds[0], bounds[0])
    high = min(last if last is not None else bounds[1], bounds[1])
    if low > high:
        return Report()
    start_prev = None
    if low > bounds[0]:
        before = store.audit_records(low - 1, low - 1)
        start_prev = before[0].hash if before else None
    top = max(high, head.seq) if whole else high
    verifier = ChainVerifier(public_key, map(as_pack_checkpoint, store.audit_checkpoints(low - 1, top)),
                             start_prev=start_prev)
    cursor = low
    while cursor <= high:
        page = store.audit_records(cursor, high, limit=PAGE)
        for record in page:
            verifier.feed(record.seq, record.prev, record.at_text, record.kind, None, record.hash,
                          payload_text=record.payload_text)
            problem = _columns_problem(record)
            if problem is not None:
                verifier.report.add(record.seq, problem)
        if len(page) < PAGE:
            break
        cursor = page[-1].seq + 1
    report = verifier.finish(last_expected=head.seq if whole else None)
    if whole and head.seq == report.last_seq and verifier.last_hash != head.hash:
        report.add(head.seq, "the chain head row names another hash than the last record has")
        report.problems.sort(key=lambda p: p[0])
    return report


def _empty(store: Store, public_key: Ed25519PublicKey | None, head_seq: int, head_hash: str) -> Report:
    """No record stored: fine for a new log, or one pruned whole behind a signed checkpoint."""
    if head_seq == 0:
        return Report()
    verifier = ChainVerifier(public_key, map(as_pack_checkpoint, store.audit_checkpoints(head_seq, head_seq)))
    verifier.begin_at(head_seq + 1)
    report = verifier.finish()
    if report.anchored_through != head_seq:
        report.add(1, f"no records are stored although the log has reached {head_seq}, and no signed "
                      "checkpoint says they were pruned (deleted)")
    elif store.audit_checkpoints(head_seq, head_seq)[0].hash != head_hash:
        report.add(head_seq, "the chain head row names another hash than the checkpoint at its end")
    return report


def _columns_problem(record: AuditRecord) -> str | None:
    try:
        payload = json.loads(record.payload_text)
    except ValueError:
        return "the payload is not JSON (changed after it was written)"
    expected = search_columns(record.kind, payload)
    for name in _COLUMNS:
        stored, wanted = getattr(record.columns, name), getattr(expected, name)
        if stored != wanted:
            return (f"search column {name} holds {stored!r} but the record says {wanted!r} "
                    "(the column was edited, so searches would mislead)")
    return None
