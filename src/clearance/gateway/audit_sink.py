"""What the gateway needs of the audit trail: an append that returns once the record is durable.

The audit package's `AuditWriter` is the real sink (group commit into the store, hash-chained).
`DisabledAudit` exists for one purpose: measuring what the audit costs (`clearance serve --no-audit`
in benchmarks); it is never the default.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class AuditSink(Protocol):
    async def start(self) -> None: ...

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int:
        """The record's sequence number, once it is committed; raises when it cannot be."""
        ...

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """Queue a record nobody waits on (a completion: its answer has gone out already)."""
        ...

    async def close(self) -> None: ...


class DisabledAudit:
    """Keeps nothing: for measuring the audit's cost, never for serving."""

    async def start(self) -> None:
        return None

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int:
        return 0

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        return None

    async def close(self) -> None:
        return None
