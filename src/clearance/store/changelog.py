"""The revision counter and the change log, written in the same transaction as the change.

Replicas poll `revision()` and reload their policy snapshot when it moves, so it must never move
without the change being visible, and a change must never be visible without moving it.  Each
write transaction therefore starts by locking the counter row (`SELECT … FOR UPDATE` on
PostgreSQL; on SQLite the transaction already holds the write lock from `BEGIN IMMEDIATE`).
Writers run one at a time, so revisions commit in the order they are handed out: a replica that
has seen revision 12 has seen everything up to 12.  The counter moves only when something was
actually written, so a no-op apply costs replicas nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from clearance.errors import StoreUnavailable
from clearance.store import tables
from clearance.store.results import Change


def current_revision(conn: Connection, *, lock: bool = False) -> int:
    """The committed revision; with `lock`, also hold the counter until the transaction ends."""
    query = select(tables.store_state.c.revision).where(tables.store_state.c.id == 1)
    value = conn.execute(query.with_for_update() if lock else query).scalar()
    if value is None:
        raise StoreUnavailable("the database has no revision counter: it was not initialised by Clearance")
    return int(value)


class Writer:
    """One write transaction: the lock on the counter, the instant, the actor and what changed."""

    def __init__(self, conn: Connection, actor: str) -> None:
        self.conn = conn
        self.actor = actor
        self.at = datetime.now(UTC)
        self._base = current_revision(conn, lock=True)
        self._bumped = False

    @property
    def revision(self) -> int:
        """The revision this transaction commits as (the current one until something is written)."""
        return self._base + 1 if self._bumped else self._base

    def record(self, kind: str, ref: str | None, summary: str) -> None:
        """Log one change and, the first time, move the counter."""
        if not self._bumped:
            self.conn.execute(update(tables.store_state).where(tables.store_state.c.id == 1)
                              .values(revision=tables.store_state.c.revision + 1))
            self._bumped = True
        self.conn.execute(tables.changes.insert().values(
            revision=self.revision, at=self.at, actor=self.actor, kind=kind, ref=ref, summary=summary))


def read_changes(conn: Connection, since: int, ref: str | None) -> list[Change]:
    query = select(tables.changes).where(tables.changes.c.revision > since).order_by(tables.changes.c.seq)
    if ref is not None:
        query = query.where(tables.changes.c.ref == ref)
    return [Change(revision=int(row.revision), at=row.at, actor=row.actor, kind=row.kind, ref=row.ref,
                   summary=row.summary)
            for row in conn.execute(query)]
