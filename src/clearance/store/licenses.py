"""Licenses in the store: kept whole as JSON, with the columns the gateway filters on.

A license number is issued once: adding one that exists is a Conflict, never an overwrite, because
a license's history (granted, suspended, revoked, and why) is evidence.  Its terms are not edited
in place; only its status changes, and each change is logged with its reason and actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from clearance.domain.licenses import Holder, License, LicenseStatus
from clearance.errors import ClearanceError, Conflict, DataError, NotFound
from clearance.store import tables
from clearance.store.batches import duplicates, listing, matching
from clearance.store.changelog import Writer

ADDED = "license.add"
STATUS = "license.status"


def add(writer: Writer, batch: Sequence[License]) -> None:
    ids = [lic.id for lic in batch]
    repeated = duplicates(ids)
    if repeated:
        raise Conflict(f"license {listing(repeated)} appears more than once in the batch; nothing was added")
    table = tables.licenses
    existing: list[str] = []
    for clause in matching(writer.conn, table.c.id, ids):
        existing.extend(writer.conn.execute(select(table.c.id).where(clause)).scalars())
    if existing:
        existing.sort()
        raise Conflict(f"license {listing(existing)} already exists; a license number is issued once "
                       "(change its status instead); nothing was added")
    if not batch:
        return
    stamp = {"created_at": writer.at, "created_by": writer.actor,
             "updated_at": writer.at, "updated_by": writer.actor}
    writer.conn.execute(table.insert(), [_encode(lic) | stamp for lic in batch])
    for lic in batch:
        writer.record(ADDED, lic.id, f"granted to {lic.holder} ({lic.status.value})")


def set_status(writer: Writer, license_id: str, status: LicenseStatus, reason: str) -> License:
    if not reason.strip():
        raise DataError("say why the status changes: the reason is kept as evidence", field="reason")
    current = load(writer.conn, license_id)
    if current.status is status:
        return current  # already so: nothing to write, nothing for replicas to reload
    changed = License.model_validate({**current.to_json(), "status": status.value})
    table = tables.licenses
    writer.conn.execute(table.update().where(table.c.id == license_id).values(
        status=status.value, document=changed.to_json(), updated_at=writer.at, updated_by=writer.actor))
    writer.record(STATUS, license_id, f"{current.status.value} → {status.value}: {reason.strip()}")
    return changed


def load(conn: Connection, license_id: str) -> License:
    table = tables.licenses
    document = conn.execute(select(table.c.document).where(table.c.id == license_id)).scalar()
    if document is None:
        raise NotFound(f'no license "{license_id}" in the store (list them with `clearance licenses list`)')
    return _rebuild(license_id, document)


def load_all(conn: Connection, status: LicenseStatus | None, holder: Holder | None) -> list[License]:
    table = tables.licenses
    query = select(table.c.id, table.c.document).order_by(table.c.id)
    if status is not None:
        query = query.where(table.c.status == status.value)
    if holder is not None:
        query = query.where(table.c.holder_id == holder.id, table.c.holder_kind == holder.kind.value)
    return [_rebuild(row.id, row.document) for row in conn.execute(query)]


def _encode(lic: License) -> dict[str, Any]:
    return {
        "id": lic.id,
        "holder_kind": lic.holder.kind.value,
        "holder_id": lic.holder.id,
        "status": lic.status.value,
        "valid_from": lic.valid_from,
        "valid_until": lic.valid_until,
        "document": lic.to_json(),
    }


def _rebuild(license_id: str, document: dict[str, Any]) -> License:
    try:
        return License.model_validate(document)
    except ValidationError as exc:
        raise ClearanceError(f'stored license "{license_id}" no longer reads as a license: {exc}') from exc
