"""The audit trail for synchronous callers (the CLI's `decide --record`, scripts, benchmarks).

Each call is one transaction and returns once it has committed; the gateway uses `AuditWriter`,
which batches many callers into one transaction from a thread of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from clearance.audit.keys import Signer
from clearance.store import Store
from clearance.store.audit_values import AuditEntry, Checkpoint

DEFAULT_CHECKPOINT_EVERY = 1000


class AuditLog:
    def __init__(self, store: Store, signer: Signer | None, *,
                 checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY) -> None:
        self.store = store
        self.signer = signer
        self.checkpoint_every = checkpoint_every

    def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int:
        """The new record's seq, once committed; DataError for a payload that is not plain JSON."""
        return self.append_many([(kind, payload, at)])[0]

    def append_many(self, items: Sequence[tuple[str, dict[str, Any], datetime]]) -> list[int]:
        """Several records in one transaction, in order."""
        entries = [AuditEntry.of(kind, payload, at=at) for kind, payload, at in items]
        return self.append_entries(entries)

    def append_entries(self, entries: Sequence[AuditEntry]) -> list[int]:
        return self.store.append_audit(entries, signer=self.signer, checkpoint_every=self.checkpoint_every)

    def checkpoint(self) -> Checkpoint | None:
        """Sign the end of the chain now (None without a key or with an empty log)."""
        return self.store.audit_checkpoint(self.signer) if self.signer is not None else None
