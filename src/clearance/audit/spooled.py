"""The gateway's audit sink: records spooled on the request's path, ingested into the chain behind it.

`append` writes the record's line to this process's spool (audit/spool.py) and returns: from then
on the record survives the process being killed, and the request may go on.  A thread of its own
takes what has been spooled (gathering for `gather_ms`) and links it into the store's hash chain
in group commits, recording in each transaction how far into the spool it got.  The records'
order in the chain is the order they were spooled in.

A spool is not kept for the process's whole life: past `rotate_bytes` the process starts a new one,
and the old one is deleted as soon as the thread has ingested its last record, so the disk holds
little more than what has not reached the store yet.

When the store cannot take them, the thread keeps them and tries again (they are in the spool
anyway) and `healthy` turns false, which the gateway treats as a failed dependency: it refuses
requests (503) until the store is back, so it never keeps answering while the trail cannot grow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from clearance.audit.keys import Signer
from clearance.audit.spool import Spool, orphans, read_spool
from clearance.errors import ConfigError, StoreUnavailable
from clearance.store import Store
from clearance.store.audit_values import AuditEntry

log = logging.getLogger(__name__)

_STOP = None
_ROTATE_BYTES = 64 * 1024 * 1024
_RETRY_SECONDS = (0.05, 0.2, 0.5, 1.0, 2.0)
_RECOVERY_BATCH = 1000


class SpooledAudit:
    """Spool first, chain soon after: one per gateway process."""

    def __init__(self, store: Store, signer: Signer | None, directory: Path, *, checkpoint_every: int,
                 fsync: bool = False, max_batch: int = 512, gather_ms: float = 10.0,
                 rotate_bytes: int = _ROTATE_BYTES) -> None:
        self._store = store
        self._signer = signer
        self._directory = directory
        self._checkpoint_every = checkpoint_every
        self._fsync = fsync
        self._max_batch = max_batch
        self._gather = max(0.0, gather_ms) / 1000
        self._rotate_bytes = rotate_bytes
        self._queue: queue.SimpleQueue[_Queued | _Retired | None] = queue.SimpleQueue()
        self._spool: Spool | None = None
        self._retired: list[Spool] = []  # replaced spools whose records are not all in the store yet
        self._thread: threading.Thread | None = None
        self._closing = False
        self._left = 0  # records still only in the spool when the thread stopped
        self._ingested: dict[str, int] = {}  # how far into each spool the store holds the records
        self.healthy = True  # false while the store refuses what the spool holds
        self.batches = 0
        self.records = 0

    async def start(self) -> None:
        if self._thread is not None:
            return
        recovered = await asyncio.to_thread(recover_spools, self._store, self._directory, self._signer,
                                            self._checkpoint_every)
        if recovered:
            log.warning("ingested %d audit records left in the spools of gateway processes that died", recovered)
        try:
            self._spool = Spool.create(self._directory, fsync=self._fsync)
        except OSError as exc:  # the gateway must not start without somewhere to keep its records
            raise ConfigError(f"the audit spool directory {self._directory} cannot be used: "
                              f"{exc.strerror or exc}") from None
        self._thread = threading.Thread(target=self._run, name="clearance-audit-ingest", daemon=True)
        self._thread.start()

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """Returns once the record is spooled (durable); StoreUnavailable when it cannot be, or while
        the store refuses the records already spooled."""
        if not self.healthy:
            raise StoreUnavailable("the audit trail cannot reach its store: nothing is answered unrecorded")
        self.append_later(kind, payload, at=at)

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """The same as `append` (a spooled record costs no wait); for records nobody waits on."""
        if self._spool is None or self._closing:
            raise StoreUnavailable("the audit writer is not running: nothing can be recorded")
        entry = AuditEntry.of(kind, payload, at=at)  # a bad payload fails here, alone
        spool = self._spool
        self._queue.put(_Queued(entry, spool, spool.write(entry)))
        if spool.written >= self._rotate_bytes:
            self._rotate(spool)

    def _rotate(self, spool: Spool) -> None:
        """A new spool for what comes next; the thread deletes the old one once it has ingested it."""
        self._spool = Spool.create(self._directory, fsync=self._fsync)
        self._retired.append(spool)
        self._queue.put(_Retired(spool))

    async def flush(self, timeout: float = 10.0) -> None:
        """Returns once everything spooled so far is in the store: a reader of the trail (the admin API)
        then sees this process's own records.  StoreUnavailable if that does not happen in `timeout`."""
        if self._spool is None:
            return
        spool, target = self._spool, self._spool.written
        deadline = time.monotonic() + timeout
        while self._ingested.get(spool.name, 0) < target:
            if time.monotonic() > deadline:
                raise StoreUnavailable("the audit records spooled so far did not reach the store in time")
            await asyncio.sleep(0.002)

    async def close(self) -> None:
        """Ingest what is spooled, then drop the spool (or leave it for recovery if the store refuses)."""
        if self._thread is None or self._spool is None or self._closing:
            return
        self._closing = True
        self._queue.put(_STOP)
        await asyncio.to_thread(self._thread.join)
        complete = True
        for spool in (*self._retired, self._spool):
            if self._ingested.get(spool.name, 0) >= spool.written:
                await asyncio.to_thread(self._drop, spool)
            else:  # unlocked and left: recovery takes it from here
                log.error("audit records stay in %s until a gateway or `clearance audit` ingests them", spool.path)
                spool.close(remove=False)
                complete = False
        if not complete:
            return
        if self._signer is not None:
            await asyncio.to_thread(self._store.audit_checkpoint, self._signer)

    # The ingest thread

    def _run(self) -> None:
        backlog: list[_Queued | _Retired] = []
        stopping = False
        failures = 0
        while True:
            if not backlog:
                item = self._queue.get()
                if item is _STOP:
                    break
                backlog.append(item)
                # Nobody waits on ingestion: gathering for a moment makes one transaction of what would
                # be many small ones, whose Python work would compete with the event loop for the GIL.
                time.sleep(self._gather)
            stopping = self._take_queued(backlog) or stopping
            if self._ingest(backlog):
                backlog, failures = [], 0
            elif not stopping:
                time.sleep(_RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)])
                failures += 1
                continue
            if stopping:
                break

    def _take_queued(self, backlog: list[_Queued | _Retired]) -> bool:
        """Add what is queued, up to a batch; True when close() was seen."""
        while len(backlog) < self._max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            backlog.append(item)
        return False

    def _ingest(self, batch: list[_Queued | _Retired]) -> bool:
        """One transaction for the batch's records, with how far into each spool they reach; then the
        spools retired before this batch's end, all of whose records are now in, are deleted."""
        records = [item for item in batch if isinstance(item, _Queued)]
        reached = {item.spool.name: item.end for item in records}
        if records:
            try:
                self._store.append_audit([item.entry for item in records], signer=self._signer,
                                         checkpoint_every=self._checkpoint_every, spooled=list(reached.items()))
            except Exception as exc:  # kept, and tried again: the records are safe in the spool
                if self.healthy:
                    log.error("the store refuses audit records (kept in their spool, retrying): %s", exc)
                self.healthy = False
                return False
            if not self.healthy:
                log.info("the store takes audit records again")
            self.healthy = True
            self._ingested.update(reached)
            self.batches += 1
            self.records += len(records)
        for item in batch:
            if isinstance(item, _Retired):
                self._drop(item.spool)
        return True

    def _drop(self, spool: Spool) -> None:
        spool.close(remove=True)
        self._ingested[spool.name] = spool.written
        with contextlib.suppress(ValueError):
            self._retired.remove(spool)
        try:
            self._store.forget_audit_spool(spool.name)
        except Exception as exc:  # a leftover row names a spool that is gone: harmless
            log.warning("could not forget the audit spool %s: %s", spool.name, exc)


@dataclass(frozen=True)
class _Queued:
    entry: AuditEntry
    spool: Spool
    end: int  # the offset just past the entry's line in `spool`


@dataclass(frozen=True)
class _Retired:
    """Every record of `spool` was queued before this: once they are in, it goes."""

    spool: Spool


def recover_spools(store: Store, directory: Path, signer: Signer | None, checkpoint_every: int) -> int:
    """Ingest the spools of dead gateway processes and delete them; the number of records ingested.

    Each is locked while this runs, so two recoverers never ingest the same spool; what the store
    already holds of it (its recorded offset) is skipped, so a recovery that is itself interrupted
    is simply done again."""
    ingested = 0
    for path, _locked in orphans(directory):
        entries = read_spool(path, store.audit_spool_ingested(path.name))
        while batch := list(islice(entries, _RECOVERY_BATCH)):
            store.append_audit([s.entry for s in batch], signer=signer, checkpoint_every=checkpoint_every,
                               spooled=[(path.name, batch[-1].end)])
            ingested += len(batch)
        path.unlink()
        store.forget_audit_spool(path.name)
    return ingested
