"""`clearance audit export`: the records of a time range as JSON lines or CSV, for analysts.

Unlike a pack, an export selects by time (records whose own time is in range, which under clock
skew between replicas need not be a contiguous run of seqs) and carries no signatures: it is for
reading, and a pack is for proving.  JSON lines are the records exactly as a pack holds them; CSV
flattens the search columns and keeps the payload as one JSON cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Literal

from clearance.store import Store
from clearance.store.audit_values import AuditRecord, search_columns

CSV_COLUMNS = ("seq", "at", "kind", "decision_id", "subject", "organization", "effect", "model", "directives",
               "prev", "hash", "payload")
PAGE = 5_000


def iter_records(store: Store, since: datetime | None, until: datetime | None) -> Iterator[AuditRecord]:
    after = 0
    while True:
        page = store.audit_records_in_time(since, until, after_seq=after, limit=PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].seq


def export(store: Store, out: IO[str], *, since: datetime | None, until: datetime | None,
           format: Literal["jsonl", "csv"]) -> int:
    """Write the records to `out`; how many were written."""
    count = 0
    if format == "jsonl":
        for record in iter_records(store, since, until):
            out.write(json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in iter_records(store, since, until):
        columns = search_columns(record.kind, record.payload)
        writer.writerow([record.seq, record.at_text, record.kind, columns.decision_id or "", columns.subject or "",
                         columns.organization or "", columns.effect or "", columns.model or "",
                         ";".join(columns.directives), record.prev, record.hash, record.payload_text])
        count += 1
    return count
