"""What the gateway needs of the audit trail: an append that returns once the record is durable.

The audit package's `SpooledAudit` is the real sink (spooled to a local file, then linked into the
store's hash chain); `AuditWriter` (waiting for each group commit) fits the same shape.
`DisabledAudit` exists for one purpose: measuring what the audit costs (`clearance serve --no-audit`
in benchmarks); it is never the default.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class AuditSink(Protocol):
    @property
    def healthy(self) -> bool:
        """False while records cannot reach the store: the gateway then refuses to answer."""
        ...

    async def start(self) -> None: ...

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int | None:
        """Returns once the record is durable; raises StoreUnavailable when it cannot be."""
        ...

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """Queue a record nobody waits on (a completion: its answer has gone out already)."""
        ...

    async def flush(self) -> None:
        """Returns once every record appended so far is in the store (for reading one's own writes)."""
        ...

    async def close(self) -> None: ...


class DisabledAudit:
    """Keeps nothing: for measuring the audit's cost, never for serving."""

    healthy = True

    async def start(self) -> None:
        return None

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int:
        return 0

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        return None

    async def flush(self) -> None:
        return None

    async def close(self) -> None:
        return None
