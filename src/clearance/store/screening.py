"""Restricted-party lists, the screening of every stored party against them, and reviews.

Screening runs inside the write that makes it necessary, so no reader ever sees a list without
its results or a new subject not yet screened:

* a list import (or re-import, which replaces the list's entries whole) or removal screens every
  stored subject and organisation again;
* a subject import screens the subjects whose name the lists have not seen yet, and new
  organisations.

Results are kept per (party, list, entry).  Screening again keeps what a reviewer decided: a
confirmation stays while the entry still matches; a dismissal stays while the party's name and the
entry's names are what the reviewer judged (`entry_digest`), and re-opens as potential otherwise.
A result whose entry no longer matches (delisted, renamed) is deleted; its reviews stay in
`screening_reviews` and the change log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select

from clearance.domain.screening import ScreeningResult, ScreeningStatus
from clearance.errors import Conflict, DataError, NotFound
from clearance.screening.entries import EntityType, ListEntry, ParsedList
from clearance.screening.normalize import normalize_name
from clearance.screening.parties import Found, ListPool, pool_of
from clearance.store import tables
from clearance.store.batches import chunks, duplicates, listing
from clearance.store.changelog import Writer

LIST_IMPORT = "screening.list.import"
LIST_REMOVE = "screening.list.remove"
RESULTS = "screening.results"
REVIEW = "screening.review"
SUBJECT, ORGANIZATION = "subject", "organization"

Progress = Callable[[str, int, int], None]  # (stage, done, total): for a progress bar
_CHUNK = 2_000


@dataclass(frozen=True)
class StoredList:
    """A list as loaded: its name, file, edition and size, and who loaded it when."""

    name: str
    format: str
    source: str
    version: date | None
    entries: int
    digest: str
    imported_at: Any
    imported_by: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "format": self.format, "source": self.source,
                "version": self.version.isoformat() if self.version else None, "entries": self.entries,
                "imported_at": self.imported_at.isoformat(), "imported_by": self.imported_by}


@dataclass(frozen=True)
class Rescreen:
    """What screening some parties again changed, and where the results stand afterwards."""

    parties: int
    new: int
    reopened: int
    removed: int
    potential: int
    confirmed: int


@dataclass(frozen=True)
class ListImport:
    list: StoredList
    replaced: bool
    screening: Rescreen


@dataclass(frozen=True)
class ScreeningState:
    """Everything a policy snapshot needs to answer verdicts, read in one transaction."""

    lists: tuple[StoredList, ...]
    parties: dict[tuple[str, str], str]
    results: tuple[ScreeningResult, ...]

    @property
    def digest(self) -> str:
        """Identifies the lists, the screened parties' results and the reviews; "" with no list."""
        if not self.lists:
            return ""
        blob = json.dumps([[(s.name, s.digest) for s in self.lists],
                           sorted((r.id, r.party, r.status.value, r.entry_digest, r.party_name)
                                  for r in self.results)], separators=(",", ":")).encode()
        return hashlib.blake2b(blob, digest_size=8).hexdigest()


# -- lists ---------------------------------------------------------------------------------------------


def replace_list(writer: Writer, parsed: ParsedList, *, name: str, list_format: str, threshold: float,
                 progress: Progress | None = None) -> ListImport:
    """Load `parsed` as list `name`, replacing whatever was stored under that name, and screen everyone."""
    conn = writer.conn
    replaced = conn.execute(select(tables.screening_lists.c.name)
                            .where(tables.screening_lists.c.name == name)).first() is not None
    conn.execute(delete(tables.screening_entries).where(tables.screening_entries.c.list_name == name))
    conn.execute(delete(tables.screening_lists).where(tables.screening_lists.c.name == name))
    # Checked inside the transaction on purpose: a refused re-import must leave the old list intact.
    repeated = duplicates(e.entry_id for e in parsed.entries)
    if repeated:
        raise Conflict(f"{parsed.info.source}: entry id {listing(repeated)} appears more than once; "
                       f'list "{name}" was left as it was')
    rows = [_encode_entry(name, entry) for entry in parsed.entries]
    digest = hashlib.blake2b("\n".join(f"{r['entry_id']}\t{r['name']}\t{r['detail']}" for r in rows).encode(),
                             digest_size=8).hexdigest()
    stored = StoredList(name, list_format, parsed.info.source, parsed.info.version, len(rows), digest,
                        writer.at, writer.actor)
    conn.execute(tables.screening_lists.insert().values(
        name=name, format=list_format, source=stored.source,
        version=stored.version.isoformat() if stored.version else None, entries=len(rows), digest=digest,
        imported_at=writer.at, imported_by=writer.actor))
    for done, chunk in enumerate(chunks(rows, _CHUNK)):
        conn.execute(tables.screening_entries.insert(), list(chunk))
        if progress is not None:
            progress("storing entries", min((done + 1) * _CHUNK, len(rows)), len(rows))
    edition = f", version {stored.version.isoformat()}" if stored.version else ""
    writer.record(LIST_IMPORT, name, f"{'replaced' if replaced else 'loaded'}: {len(rows)} entries "
                                     f"from {stored.source} ({list_format}{edition})")
    lists = load_entries(conn, exclude=name)
    lists[name] = list(parsed.entries)
    summary = _rescreen(writer, pool_of(lists.items()), _all_parties(conn), threshold, everyone=True,
                        progress=progress)
    return ListImport(stored, replaced, summary)


def remove_list(writer: Writer, name: str, *, threshold: float, progress: Progress | None = None) -> Rescreen:
    conn = writer.conn
    found = conn.execute(select(tables.screening_lists.c.entries)
                         .where(tables.screening_lists.c.name == name)).scalar()
    if found is None:
        raise NotFound(f'no list "{name}" in the store (see `clearance lists list`)')
    conn.execute(delete(tables.screening_entries).where(tables.screening_entries.c.list_name == name))
    conn.execute(delete(tables.screening_lists).where(tables.screening_lists.c.name == name))
    writer.record(LIST_REMOVE, name, f"removed with its {found} entries")
    return _rescreen(writer, pool_of(load_entries(conn).items()), _all_parties(conn), threshold, everyone=True,
                     progress=progress)


def rescreen_all(writer: Writer, *, threshold: float, progress: Progress | None = None) -> Rescreen:
    """Screen every stored party again (after a change of threshold)."""
    conn = writer.conn
    return _rescreen(writer, pool_of(load_entries(conn).items()), _all_parties(conn), threshold, everyone=True,
                     progress=progress)


def screen_new_parties(writer: Writer, *, threshold: float, progress: Progress | None = None) -> Rescreen | None:
    """Screen the subjects whose name the lists have not seen, and new organisations; None with no list."""
    conn = writer.conn
    if conn.execute(select(func.count()).select_from(tables.screening_lists)).scalar_one() == 0:
        return None
    screened = load_parties(conn)
    stale = [p for p in _all_parties(conn) if screened.get((p[0], p[1])) != p[2]]
    if not stale:
        return Rescreen(0, 0, 0, 0, *_totals(conn))
    return _rescreen(writer, pool_of(load_entries(conn).items()), stale, threshold, everyone=False,
                     progress=progress)


def load_lists(conn: Connection) -> list[StoredList]:
    table = tables.screening_lists
    return [StoredList(row.name, row.format, row.source, date.fromisoformat(row.version) if row.version else None,
                       int(row.entries), row.digest, row.imported_at, row.imported_by)
            for row in conn.execute(select(table).order_by(table.c.name))]


def load_entries(conn: Connection, *, exclude: str | None = None) -> dict[str, list[ListEntry]]:
    """Every stored entry by list name (but `exclude`'s)."""
    table = tables.screening_entries
    query = select(table).order_by(table.c.list_name, table.c.entry_id)
    if exclude is not None:
        query = query.where(table.c.list_name != exclude)
    lists: dict[str, list[ListEntry]] = {}
    for row in conn.execute(query):
        lists.setdefault(row.list_name, []).append(_decode_entry(row))
    return lists


def load_parties(conn: Connection) -> dict[tuple[str, str], str]:
    table = tables.screening_parties
    return {(row.kind, row.id): row.name for row in conn.execute(select(table.c.kind, table.c.id, table.c.name))}


def load_state(conn: Connection) -> ScreeningState:
    return ScreeningState(tuple(load_lists(conn)), load_parties(conn), tuple(load_results(conn)))


# -- results and reviews -------------------------------------------------------------------------------


def load_results(conn: Connection, status: ScreeningStatus | None = None) -> list[ScreeningResult]:
    table = tables.screening_results
    query = select(table).order_by(table.c.id)
    if status is not None:
        query = query.where(table.c.status == status.value)
    return [_decode_result(row) for row in conn.execute(query)]


def load_result(conn: Connection, result_id: int) -> ScreeningResult:
    table = tables.screening_results
    row = conn.execute(select(table).where(table.c.id == result_id)).first()
    if row is None:
        raise NotFound(f"no screening result {result_id} (see `clearance review list`)")
    return _decode_result(row)


def review(writer: Writer, result_id: int, status: ScreeningStatus, *, reviewer: str, reason: str) -> ScreeningResult:
    """Confirm or dismiss one result; the reviewer, reason and time are kept with it and in the log."""
    if status not in (ScreeningStatus.CONFIRMED, ScreeningStatus.DISMISSED):
        raise DataError(f'a review confirms or dismisses a match, not "{status.value}"', field="status")
    if not reviewer.strip():
        raise DataError("say who reviewed the match: the reviewer is kept as evidence", field="reviewer")
    if not reason.strip():
        raise DataError("say why: the reason is kept as evidence", field="reason")
    current = load_result(writer.conn, result_id)
    table = tables.screening_results
    writer.conn.execute(table.update().where(table.c.id == result_id).values(
        status=status.value, reviewed_by=reviewer.strip(), reviewed_at=writer.at, review_reason=reason.strip()))
    writer.conn.execute(tables.screening_reviews.insert().values(
        result_id=result_id, party_kind=current.party_kind, party_id=current.party_id,
        party_name=current.party_name, list_name=current.list_name, entry_id=current.entry_id,
        entry_digest=current.entry_digest, before=current.status.value, after=status.value,
        reviewer=reviewer.strip(), reason=reason.strip(), at=writer.at))
    writer.record(REVIEW, str(result_id),
                  f"{current.party} vs {current.list_name} {current.entry_id} \"{current.entry_name}\": "
                  f"{current.status.value} → {status.value} by {reviewer.strip()}: {reason.strip()}")
    return load_result(writer.conn, result_id)


# -- screening -----------------------------------------------------------------------------------------


def _all_parties(conn: Connection) -> list[tuple[str, str, str]]:
    """(kind, id, name) of every stored subject and of every organisation a subject names."""
    table = tables.subjects
    parties: list[tuple[str, str, str]] = []
    organizations: set[str] = set()
    for row in conn.execute(select(table.c.id, table.c.name, table.c.organization).order_by(table.c.id)):
        parties.append((SUBJECT, row.id, row.name or ""))
        if row.organization:
            organizations.add(row.organization)
    parties.extend((ORGANIZATION, org, org) for org in sorted(organizations))
    return parties


def _rescreen(writer: Writer, pool: ListPool | None, parties: Sequence[tuple[str, str, str]], threshold: float,
              *, everyone: bool, progress: Progress | None) -> Rescreen:
    conn = writer.conn
    table = tables.screening_results
    wanted = {(kind, pid) for kind, pid, _ in parties}
    existing: dict[tuple[str, str], dict[tuple[str, str], ScreeningResult]] = {}
    for result in load_results(conn):
        if everyone or (result.party_kind, result.party_id) in wanted:
            existing.setdefault((result.party_kind, result.party_id), {})[(result.list_name, result.entry_id)] = result
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[int, dict[str, Any]]] = []
    gone: list[int] = []
    reopened = 0
    memo: dict[str, list[Found]] = {}
    for number, (kind, pid, name) in enumerate(parties):
        if progress is not None and (number % 200 == 0 or number == len(parties) - 1):
            progress("screening parties", number + 1, len(parties))
        found = _find(pool, name, threshold, memo)
        before = existing.pop((kind, pid), {})
        for hit in found:
            old = before.pop((hit.list_name, hit.entry_id), None)
            values = {"party_name": name, "entry_name": hit.entry_name, "entry_digest": hit.entry_digest,
                      "matched_name": hit.matched_name, "score": hit.score,
                      "explanation": json.dumps(hit.explanation, sort_keys=True, ensure_ascii=False)}
            if old is None:
                inserts.append({**values, "party_kind": kind, "party_id": pid, "list_name": hit.list_name,
                                "entry_id": hit.entry_id, "status": ScreeningStatus.POTENTIAL.value,
                                "screened_at": writer.at})
                continue
            status = old.status
            if status is ScreeningStatus.DISMISSED and (old.entry_digest != hit.entry_digest or old.party_name != name):
                status = ScreeningStatus.POTENTIAL
                reopened += 1
            if status is not old.status or any(getattr(old, k) != v for k, v in values.items()
                                                if k != "explanation") or old.explanation != hit.explanation:
                updates.append((old.id, {**values, "status": status.value, "screened_at": writer.at}))
        gone.extend(r.id for r in before.values())
    for rest in existing.values():  # everyone: parties no longer stored (an organisation nobody names)
        gone.extend(r.id for r in rest.values())
    for ids in chunks(gone):
        conn.execute(delete(table).where(table.c.id.in_(list(ids))))
    for result_id, values in updates:
        conn.execute(table.update().where(table.c.id == result_id).values(**values))
    for chunk in chunks(inserts, _CHUNK):
        conn.execute(table.insert(), list(chunk))
    _remember_parties(conn, parties, everyone=everyone, at=writer.at)
    potential, confirmed = _totals(conn)
    summary = Rescreen(len(parties), len(inserts), reopened, len(gone), potential, confirmed)
    if inserts or updates or gone:
        writer.record(RESULTS, None, f"screened {len(parties)} parties: {len(inserts)} new matches, "
                                     f"{reopened} dismissals re-opened, {len(gone)} matches gone; "
                                     f"{potential} potential and {confirmed} confirmed in all")
    return summary


def _find(pool: ListPool | None, name: str, threshold: float, memo: dict[str, list[Found]]) -> list[Found]:
    if pool is None:
        return []
    key = normalize_name(name)
    if not key:
        return []
    if key not in memo:
        memo[key] = pool.find(name, threshold=threshold)
    return memo[key]


def _remember_parties(conn: Connection, parties: Iterable[tuple[str, str, str]], *, everyone: bool, at: Any) -> None:
    table = tables.screening_parties
    rows = [{"kind": kind, "id": pid, "name": name, "screened_at": at} for kind, pid, name in parties]
    if everyone:
        conn.execute(delete(table))
    else:
        for kind in (SUBJECT, ORGANIZATION):
            ids = [r["id"] for r in rows if r["kind"] == kind]
            for chunk in chunks(ids):
                conn.execute(delete(table).where(table.c.kind == kind, table.c.id.in_(list(chunk))))
    if conn.execute(select(func.count()).select_from(tables.screening_lists)).scalar_one() == 0:
        return  # no list: nobody is screened
    for chunk in chunks(rows, _CHUNK):
        conn.execute(table.insert(), list(chunk))


def _totals(conn: Connection) -> tuple[int, int]:
    table = tables.screening_results
    counts: dict[str, int] = {status: int(n) for status, n in
                              conn.execute(select(table.c.status, func.count()).group_by(table.c.status))}
    return int(counts.get("potential", 0)), int(counts.get("confirmed", 0))


# -- rows ----------------------------------------------------------------------------------------------


def _encode_entry(list_name: str, entry: ListEntry) -> dict[str, Any]:
    detail = {"list": entry.list_name, "aliases": list(entry.aliases), "type": entry.entity_type.value,
              "countries": list(entry.countries), "birth_dates": list(entry.birth_dates),
              "programs": list(entry.programs), "source": entry.source}
    return {"list_name": list_name, "entry_id": entry.entry_id, "name": entry.name,
            "detail": json.dumps(detail, ensure_ascii=False, separators=(",", ":"))}


def _decode_entry(row: Row[Any]) -> ListEntry:
    detail: Mapping[str, Any] = json.loads(row.detail)
    return ListEntry(entry_id=row.entry_id, list_name=detail.get("list", row.list_name), name=row.name,
                     aliases=tuple(detail.get("aliases", ())), entity_type=EntityType(detail.get("type", "unknown")),
                     countries=tuple(detail.get("countries", ())), birth_dates=tuple(detail.get("birth_dates", ())),
                     programs=tuple(detail.get("programs", ())), source=detail.get("source", ""))


def _decode_result(row: Row[Any]) -> ScreeningResult:
    return ScreeningResult(
        id=int(row.id), party_kind=row.party_kind, party_id=row.party_id, party_name=row.party_name,
        list_name=row.list_name, entry_id=row.entry_id, entry_name=row.entry_name, entry_digest=row.entry_digest,
        matched_name=row.matched_name, score=float(row.score), status=ScreeningStatus(row.status),
        screened_at=row.screened_at, explanation=json.loads(row.explanation), reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at, review_reason=row.review_reason)
