"""The audit trail in the store: appending to the chain, checkpoints, reading, search, pruning.

One total order, whatever the number of writers: every append transaction first locks the
chain-head row (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the transaction already holds the
database's write lock from `BEGIN IMMEDIATE`), reads the last seq and hash, links its records
after them and moves the head, all before it commits.  A second writer, in this process or
another replica, waits on that row and then links after the first one's records: seqs have no
gaps and each record's `prev` is the hash of the record before it.

The head row is created by the first append (`INSERT … ON CONFLICT DO NOTHING`, then locked), so
two replicas appending to an empty log at once do not collide.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Row, Select, delete, func, select, text, update

from clearance.errors import ConfigError, Conflict
from clearance.store import tables
from clearance.store.audit_chain import GENESIS, at_text, checkpoint_message, record_hash
from clearance.store.audit_values import (
    AuditEntry,
    AuditHead,
    AuditQuery,
    AuditRecord,
    Checkpoint,
    CheckpointSigner,
    PruneResult,
    SearchColumns,
    SpoolMark,
)

_RECORDS = tables.audit_records
_DIRECTIVES = tables.audit_directives
_CHECKPOINTS = tables.audit_checkpoints
_HEAD = tables.audit_head
_SPOOLS = tables.audit_spools


def head(conn: Connection, *, lock: bool = False) -> AuditHead:
    """The head row; with `lock`, held until the transaction ends (created first if need be)."""
    query = select(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.checkpoint_seq).where(_HEAD.c.id == 1)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None and lock:
        conn.execute(text("INSERT INTO audit_head (id, seq, hash, checkpoint_seq) VALUES (1, 0, :genesis, 0) "
                          "ON CONFLICT (id) DO NOTHING"), {"genesis": GENESIS})
        row = conn.execute(query).first()
    if row is None:
        return AuditHead(0, GENESIS, 0)
    return AuditHead(int(row.seq), str(row.hash), int(row.checkpoint_seq))


def append(conn: Connection, entries: Sequence[AuditEntry], signer: CheckpointSigner | None,
           checkpoint_every: int, now: datetime, spooled: Sequence[SpoolMark] = ()) -> list[int]:
    """Link `entries` after the head, in order, and sign a checkpoint when one is due.

    `spooled`: the entries came from those spools between those offsets, which are checked and
    recorded in the same transaction (audit/spool.py); Conflict, and nothing appended, when a
    spool's recorded offset is not the mark's start (another process ingested that part first).

    Every record the gateway keeps passes through here (from its spool's ingesting thread, which
    competes with the event loop for the GIL), so it speaks to the driver in SQL prepared once per
    dialect (`_Statements`) rather than building SQLAlchemy expressions per call: that was three
    quarters of a single-record append's time on SQLite.
    """
    if not entries:
        return []
    sql = _statements(conn)
    start = _locked_head(conn, sql)
    seq, prev = start.seq, start.hash
    rows: list[tuple[Any, ...]] = []
    named: list[tuple[str, int]] = []
    for entry in entries:
        seq += 1
        digest = record_hash(seq, prev, entry.at_text, entry.kind, entry.payload)
        c = entry.columns
        rows.append((seq, sql.instant(entry), entry.kind, prev, digest, entry.payload, c.decision_id,
                     c.subject, c.organization, c.effect, c.model))
        named.extend((d, seq) for d in c.directives)
        prev = digest
    sql.insert_records(conn, rows)
    if named:
        sql.insert_directives(conn, named)
    checkpoint_seq = start.checkpoint_seq
    if signer is not None and checkpoint_every > 0 and seq - checkpoint_seq >= checkpoint_every:
        _sign(conn, seq, prev, signer, now)
        checkpoint_seq = seq
    conn.exec_driver_sql(sql.move_head, (seq, prev, checkpoint_seq))
    for mark in spooled:
        _mark_spool(conn, sql, mark)
    return list(range(start.seq + 1, seq + 1))


def spool_ingested(conn: Connection, name: str) -> int:
    """How far into spool `name` the store holds its records (0 for a spool it has not seen)."""
    found = conn.execute(select(_SPOOLS.c.ingested).where(_SPOOLS.c.name == name)).scalar()
    return int(found) if found is not None else 0


def _mark_spool(conn: Connection, sql: _Statements, mark: SpoolMark) -> None:
    """Move the spool's offset from `mark.start` to `mark.end`, or raise Conflict (rolling back the
    append) when the store holds a different offset.  The chain head is locked already, so no other
    append can come between the check and the move."""
    moved = conn.exec_driver_sql(sql.move_spool, (mark.end, mark.name, mark.start)).rowcount
    if moved == 1:
        return
    if mark.start == 0 and spool_ingested(conn, mark.name) == 0:
        conn.exec_driver_sql(sql.add_spool, (mark.name, mark.end))
        return
    raise Conflict(f"the audit spool {mark.name} was ingested from byte {mark.start} by another process "
                   f"(the store holds byte {spool_ingested(conn, mark.name)})")


_RECORD_COLUMNS = ("seq", "at", "kind", "prev", "hash", "payload", "decision_id", "subject", "organization",
                   "effect", "model")


class _Statements:
    """An append's SQL in the driver's own dialect, made once per dialect.

    SQLite gets the driver's executemany over plain tuples; PostgreSQL one `INSERT … SELECT FROM
    unnest(…)` with each column as one array, so a group commit of hundreds is still one statement.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.postgres = dialect.name == "postgresql"
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        at_type = _RECORDS.c.at.type
        self._at: Callable[[Any], Any] = at_type.dialect_impl(dialect).bind_processor(dialect) or _as_is
        self._sqlite_text = dialect.name == "sqlite"
        self.lock_head = ("SELECT seq, hash, checkpoint_seq FROM audit_head WHERE id = 1"
                          + (" FOR UPDATE" if self.postgres else ""))
        self.move_head = f"UPDATE audit_head SET seq = {mark}, hash = {mark}, checkpoint_seq = {mark} WHERE id = 1"
        self.move_spool = f"UPDATE audit_spools SET ingested = {mark} WHERE name = {mark} AND ingested = {mark}"
        self.add_spool = f"INSERT INTO audit_spools (name, ingested) VALUES ({mark}, {mark})"
        names = ", ".join(_RECORD_COLUMNS)
        if self.postgres:
            types = ("bigint", "timestamptz", "text", "text", "text", "text", "text", "text", "text", "text", "text")
            arrays = ", ".join(f"{mark}::{t}[]" for t in types)
            self._records = f"INSERT INTO audit_records ({names}) SELECT * FROM unnest({arrays})"
            self._directives = ("INSERT INTO audit_directives (directive, seq) "
                                f"SELECT * FROM unnest({mark}::text[], {mark}::bigint[])")
        else:
            self._records = f"INSERT INTO audit_records ({names}) VALUES ({', '.join(mark for _ in _RECORD_COLUMNS)})"
            self._directives = f"INSERT INTO audit_directives (directive, seq) VALUES ({mark}, {mark})"

    def instant(self, entry: AuditEntry) -> Any:
        """The `at` column's value as the driver takes it (columns.UTCDateTime's conversion).  On SQLite
        that is the UTC time as text, which the entry's `at_text` already is but for two characters:
        a slice instead of the conversion, once per record on the chain's hot path."""
        if self._sqlite_text:
            return entry.at_text[:10] + " " + entry.at_text[11:-1]
        return self._at(entry.at)

    def insert_records(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        self._insert(conn, self._records, rows)

    def insert_directives(self, conn: Connection, rows: list[tuple[str, int]]) -> None:
        self._insert(conn, self._directives, rows)

    def _insert(self, conn: Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if self.postgres:
            conn.exec_driver_sql(statement, tuple(list(column) for column in zip(*rows, strict=True)))
        else:
            conn.exec_driver_sql(statement, list(rows))


def _as_is(value: Any) -> Any:
    return value


_STATEMENTS: dict[tuple[str, str], _Statements] = {}


def _statements(conn: Connection) -> _Statements:
    key = (conn.dialect.name, conn.dialect.paramstyle)
    made = _STATEMENTS.get(key)
    if made is None:
        made = _STATEMENTS[key] = _Statements(conn.dialect)
    return made


def _locked_head(conn: Connection, sql: _Statements) -> AuditHead:
    """The head row, locked until the transaction ends (created first by the very first append)."""
    row = conn.exec_driver_sql(sql.lock_head).first()
    if row is None:
        return head(conn, lock=True)
    return AuditHead(int(row[0]), str(row[1]), int(row[2]))


def checkpoint(conn: Connection, signer: CheckpointSigner, now: datetime, seq: int | None = None) -> Checkpoint | None:
    """A signed checkpoint at `seq` (default: the head), reusing one already there; None for an empty log."""
    current = head(conn, lock=True)
    target = current.seq if seq is None else seq
    if target <= 0:
        return None
    existing = checkpoint_at(conn, target)
    if existing is not None:
        return existing
    digest = current.hash if target == current.seq else conn.execute(
        select(_RECORDS.c.hash).where(_RECORDS.c.seq == target)).scalar()
    if digest is None:
        return None
    made = _sign(conn, target, str(digest), signer, now)
    if target > current.checkpoint_seq:
        conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(checkpoint_seq=target))
    return made


def _sign(conn: Connection, seq: int, digest: str, signer: CheckpointSigner, now: datetime) -> Checkpoint:
    message = checkpoint_message(seq, digest, at_text(now), signer.key_id)
    made = Checkpoint(seq, digest, now, signer.key_id, base64.b64encode(signer.sign(message)).decode("ascii"))
    conn.execute(_CHECKPOINTS.insert().values(seq=seq, hash=digest, at=now, key_id=made.key_id,
                                              signature=made.signature))
    return made


def checkpoint_at(conn: Connection, seq: int) -> Checkpoint | None:
    row = conn.execute(select(_CHECKPOINTS).where(_CHECKPOINTS.c.seq == seq)).first()
    return _checkpoint(row) if row is not None else None


def checkpoints(conn: Connection, first: int, last: int) -> list[Checkpoint]:
    query = select(_CHECKPOINTS).where(_CHECKPOINTS.c.seq >= first, _CHECKPOINTS.c.seq <= last)
    return [_checkpoint(row) for row in conn.execute(query.order_by(_CHECKPOINTS.c.seq))]


def _checkpoint(row: Row[Any]) -> Checkpoint:
    return Checkpoint(int(row.seq), row.hash, row.at, row.key_id, row.signature)


def bounds(conn: Connection) -> tuple[int, int] | None:
    """The first and last stored seq; None when no record is stored."""
    row = conn.execute(select(func.min(_RECORDS.c.seq), func.max(_RECORDS.c.seq))).one()
    return None if row[0] is None else (int(row[0]), int(row[1]))


def seq_range(conn: Connection, since: datetime | None, until: datetime | None) -> tuple[int, int] | None:
    """The first record at or after `since` and the last one before `until`, by seq."""
    first = select(func.min(_RECORDS.c.seq))
    if since is not None:
        first = first.where(_RECORDS.c.at >= since)
    last = select(func.max(_RECORDS.c.seq))
    if until is not None:
        last = last.where(_RECORDS.c.at < until)
    low, high = conn.execute(first).scalar(), conn.execute(last).scalar()
    if low is None or high is None or int(low) > int(high):
        return None
    return int(low), int(high)


def records(conn: Connection, first: int, last: int, *, limit: int | None = None) -> list[AuditRecord]:
    """Records with first <= seq <= last, in seq order, with the directives each names."""
    query = select(_RECORDS).where(_RECORDS.c.seq >= first, _RECORDS.c.seq <= last).order_by(_RECORDS.c.seq)
    found = conn.execute(query.limit(limit) if limit is not None else query).all()
    if not found:
        return []
    named: dict[int, list[str]] = {}
    directive_rows = conn.execute(
        select(_DIRECTIVES.c.seq, _DIRECTIVES.c.directive)
        .where(_DIRECTIVES.c.seq >= found[0].seq, _DIRECTIVES.c.seq <= found[-1].seq)
        .order_by(_DIRECTIVES.c.seq, _DIRECTIVES.c.directive))
    for seq, directive in directive_rows:
        named.setdefault(int(seq), []).append(directive)
    return [_record(row, tuple(named.get(int(row.seq), ()))) for row in found]


def in_time(conn: Connection, since: datetime | None, until: datetime | None, after_seq: int,
            limit: int) -> list[AuditRecord]:
    """Records with since <= at < until and seq > after_seq, in seq order (for exports, page by page)."""
    query = select(_RECORDS).where(_RECORDS.c.seq > after_seq)
    if since is not None:
        query = query.where(_RECORDS.c.at >= since)
    if until is not None:
        query = query.where(_RECORDS.c.at < until)
    return [_record(row) for row in conn.execute(query.order_by(_RECORDS.c.seq).limit(limit))]


def search(conn: Connection, q: AuditQuery) -> list[AuditRecord]:
    return [_record(row) for row in conn.execute(search_statement(q))]


def search_statement(q: AuditQuery) -> Select[Any]:
    """Newest first.  Each equality filter has an index on (column, seq), so the database walks
    one index backwards from the newest matching entry; `directive` walks audit_directives' key."""
    if q.directive is not None:
        order_seq = _DIRECTIVES.c.seq
        query = (select(_RECORDS).join(_DIRECTIVES, _DIRECTIVES.c.seq == _RECORDS.c.seq)
                 .where(_DIRECTIVES.c.directive == q.directive))
    else:
        order_seq = _RECORDS.c.seq
        query = select(_RECORDS)
    for column, value in (("subject", q.subject), ("organization", q.organization), ("effect", q.effect),
                          ("model", q.model), ("kind", q.kind), ("decision_id", q.decision_id)):
        if value is not None:
            query = query.where(_RECORDS.c[column] == value)
    if q.since is not None:
        query = query.where(_RECORDS.c.at >= q.since)
    if q.until is not None:
        query = query.where(_RECORDS.c.at < q.until)
    if q.before_seq is not None:
        query = query.where(order_seq < q.before_seq)
    return query.order_by(order_seq.desc()).limit(q.limit)


def _record(row: Row[Any], directives: tuple[str, ...] = ()) -> AuditRecord:
    columns = SearchColumns(row.decision_id, row.subject, row.organization, row.effect, row.model, directives)
    return AuditRecord(int(row.seq), row.at, row.kind, row.prev, row.hash, row.payload, columns)


def prune(conn: Connection, before: datetime, signer: CheckpointSigner | None, now: datetime) -> PruneResult:
    """Delete the records before the first one at or after `before`, keeping the chain verifiable.

    The last deleted record gets a signed checkpoint (unless it has one), and that checkpoint
    stays: it vouches for the hash the oldest remaining record links to.  Older checkpoints go.
    """
    current = head(conn, lock=True)
    stored = bounds(conn)
    if stored is None:
        return PruneResult(0, None, None)
    kept = conn.execute(select(func.min(_RECORDS.c.seq)).where(_RECORDS.c.at >= before)).scalar()
    boundary = int(kept) - 1 if kept is not None else current.seq
    if boundary < stored[0]:
        return PruneResult(0, checkpoint_at(conn, stored[0] - 1), stored[0])
    anchor = checkpoint_at(conn, boundary)
    if anchor is None:
        if signer is None:
            raise ConfigError("pruning the audit log needs its signing key (audit.signing_key in clearance.toml): "
                              "the oldest record kept must be anchored by a signed checkpoint")
        anchor = checkpoint(conn, signer, now, boundary)
    deleted = conn.execute(delete(_RECORDS).where(_RECORDS.c.seq <= boundary)).rowcount
    conn.execute(delete(_DIRECTIVES).where(_DIRECTIVES.c.seq <= boundary))
    conn.execute(delete(_CHECKPOINTS).where(_CHECKPOINTS.c.seq < boundary))
    return PruneResult(int(deleted), anchor, boundary + 1 if boundary < current.seq else None)
