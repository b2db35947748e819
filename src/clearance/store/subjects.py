"""Subjects in the store: flat columns, bulk-written, compared field by field.

There may be hundreds of thousands of subjects, re-imported whole from an HR export every night,
so an import reads what is stored in one pass, inserts the new ones and updates only the ones that
differ in bulk (see `bulk`), and leaves the rest untouched: a nightly re-import of the same file writes
nothing and does not move the revision.

Nationalities are kept as text in the import format (`IN@2001-05-01;CA@2019-02-11`), which keeps
their order and dates exactly and is readable in any SQL console.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, func, select

from clearance.domain.subjects import Nationality, Subject, UsPersonStatus
from clearance.errors import Conflict, NotFound
from clearance.store import bulk, tables
from clearance.store.batches import duplicates, listing, matching
from clearance.store.changelog import Writer
from clearance.store.results import ImportResult

KIND = "subjects.import"
_FIELDS = ("name", "organization", "citizenships", "permanent_residence", "us_person", "email")
_SEPARATOR = ";"


def import_batch(writer: Writer, batch: Sequence[Subject]) -> ImportResult:
    repeated = duplicates(s.id for s in batch)
    if repeated:
        raise Conflict(f"subject id {listing(repeated)} appears more than once in the import; "
                       "nothing was imported")
    rows = [_encode(subject) for subject in batch]
    stored = _stored_fields(writer.conn, [row["id"] for row in rows])
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for subject, row in zip(batch, rows, strict=True):
        before = stored.get(row["id"])
        if before is not None and before == tuple(row[f] for f in _FIELDS):
            continue
        row["fingerprint"] = subject.fingerprint  # only for rows written: it costs a JSON dump
        (new if before is None else changed).append(row)
    stamp = {"updated_at": writer.at, "updated_by": writer.actor}
    bulk.insert(writer.conn, tables.subjects, new, stamp)
    bulk.update(writer.conn, tables.subjects, changed, "id", stamp)
    unchanged = len(rows) - len(new) - len(changed)
    if new or changed:
        writer.record(KIND, None, f"{len(rows)} subjects: {len(new)} created, {len(changed)} updated, "
                                  f"{unchanged} unchanged")
    return ImportResult(len(new), len(changed), unchanged, writer.revision)


def load(conn: Connection, subject_id: str) -> Subject:
    row = conn.execute(select(tables.subjects).where(tables.subjects.c.id == subject_id)).first()
    if row is None:
        raise NotFound(f'no subject "{subject_id}" in the store (import subjects with `clearance subjects import`)')
    return _decode(row)


def load_many(conn: Connection, ids: Iterable[str] | None) -> list[Subject]:
    """Subjects by id (those that exist; ordered by id), or every subject when `ids` is None."""
    table = tables.subjects
    if ids is None:
        return [_decode(row) for row in conn.execute(select(table).order_by(table.c.id))]
    found: list[Subject] = []
    for clause in matching(conn, table.c.id, sorted(set(ids))):
        found.extend(_decode(row) for row in conn.execute(select(table).where(clause)))
    return sorted(found, key=lambda s: s.id)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tables.subjects)).scalar_one())


def _stored_fields(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    table = tables.subjects
    columns = [table.c[f] for f in _FIELDS]
    stored: dict[str, tuple[Any, ...]] = {}
    for clause in matching(conn, table.c.id, ids):
        for row in conn.execute(select(table.c.id, *columns).where(clause)):
            stored[row[0]] = tuple(row[1:])
    return stored


def _encode(subject: Subject) -> dict[str, Any]:
    residence = subject.permanent_residence
    return {
        "id": subject.id,
        "name": subject.name,
        "organization": subject.organization,
        "citizenships": _SEPARATOR.join(str(n) for n in subject.citizenships),
        "permanent_residence": str(residence) if residence is not None else None,
        "us_person": subject.us_person.value if subject.us_person is not None else None,
        "email": subject.email,
    }


def _decode(row: Row[Any]) -> Subject:
    return Subject(
        id=row.id,
        name=row.name,
        organization=row.organization,
        citizenships=tuple(_nationality(text) for text in row.citizenships.split(_SEPARATOR) if text),
        permanent_residence=_nationality(row.permanent_residence) if row.permanent_residence else None,
        us_person=UsPersonStatus(row.us_person) if row.us_person else None,
        email=row.email,
    )


def _nationality(text: str) -> Nationality:
    # Written by _encode from validated data: no country lookup needed on the way back.
    country, _, acquired = text.partition("@")
    return Nationality(country, date.fromisoformat(acquired) if acquired else None)
