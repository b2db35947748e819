"""Directives in the store: kept whole as their JSON, with the file they came from.

The source text is kept beside the validated JSON so a reviewer can see the directive exactly as
its author wrote it (comments included), and so an export can hand back the original file.
An apply whose JSON is identical to what is stored changes nothing, not even the source text: a
re-apply of the same files must not make every replica reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from clearance.domain.directives import Directive
from clearance.errors import ClearanceError, Conflict, NotFound
from clearance.store import tables
from clearance.store.batches import duplicates, listing
from clearance.store.changelog import Writer
from clearance.store.results import ApplyResult, DirectiveSource

KIND = "directive.apply"


def apply(writer: Writer, batch: Sequence[Directive], *, source: str, source_text: str) -> ApplyResult:
    ids = [d.id for d in batch]
    repeated = duplicates(ids)
    if repeated:
        raise Conflict(f"{source}: directive id {listing(repeated)} appears more than once; nothing was applied")
    table = tables.directives
    stored: dict[str, dict[str, Any]] = {
        row.id: row.document
        for row in writer.conn.execute(select(table.c.id, table.c.document).where(table.c.id.in_(ids)))
    }
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for directive in batch:
        document = directive.to_json()
        row = {"mode": directive.mode.value, "document": document, "source": source,
               "source_text": source_text, "applied_at": writer.at, "applied_by": writer.actor}
        before = stored.get(directive.id)
        if before is None:
            writer.conn.execute(table.insert().values(id=directive.id, **row))
            writer.record(KIND, directive.id, f"created from {source} (mode {directive.mode.value})")
            created.append(directive.id)
        elif before != document:
            writer.conn.execute(table.update().where(table.c.id == directive.id).values(**row))
            writer.record(KIND, directive.id, f"updated from {source}: {_difference(before, document)}")
            updated.append(directive.id)
        else:
            unchanged.append(directive.id)
    return ApplyResult(tuple(created), tuple(updated), tuple(unchanged), writer.revision)


def _difference(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Which fields changed, mode transitions spelled out: what a reviewer of the log looks for."""
    fields = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    parts = [f"mode {before.get('mode')} → {after.get('mode')}" if k == "mode" else k for k in fields]
    return ", ".join(parts)


def load_all(conn: Connection) -> list[Directive]:
    table = tables.directives
    rows = conn.execute(select(table.c.id, table.c.document).order_by(table.c.id))
    return [_rebuild(row.id, row.document) for row in rows]


def load(conn: Connection, directive_id: str) -> Directive:
    table = tables.directives
    document = conn.execute(select(table.c.document).where(table.c.id == directive_id)).scalar()
    if document is None:
        raise _missing(directive_id)
    return _rebuild(directive_id, document)


def load_source(conn: Connection, directive_id: str) -> DirectiveSource:
    table = tables.directives
    query = select(table.c.source, table.c.source_text, table.c.applied_at, table.c.applied_by)
    row = conn.execute(query.where(table.c.id == directive_id)).first()
    if row is None:
        raise _missing(directive_id)
    return DirectiveSource(row.source, row.source_text, row.applied_at, row.applied_by)


def _missing(directive_id: str) -> NotFound:
    return NotFound(f'no directive "{directive_id}" in the store (list them with `clearance directives list`)')


def _rebuild(directive_id: str, document: dict[str, Any]) -> Directive:
    try:
        return Directive.model_validate(document)
    except ValidationError as exc:
        raise ClearanceError(f'stored directive "{directive_id}" no longer reads as a directive: {exc}') from exc
