"""The gateway's audit sink: appends from many coroutines, group-committed on a thread of its own.

The store is synchronous SQLAlchemy, so writes run on one dedicated thread and the event loop only
hands entries over and awaits futures.  The thread takes whatever has queued up while the previous
transaction ran (at most `max_batch`) and commits it as one transaction: under load one commit
carries many records, and a lone request waits for no one.  Only when the last batch held more
than one record (so others are likely close behind) does it linger up to `max_delay_ms` to gather
more.

`append` returns after the commit, so a record the gateway acted on is durable (PostgreSQL: the
commit is flushed; SQLite WAL: the commit is in the log file and survives the process being
killed).  When a transaction fails, every append in it and every append waiting behind it gets
StoreUnavailable: the gateway then refuses rather than answer unrecorded.

`append_later` is for records nobody waits on: a completion, written after its answer has
already gone out.  Such a record rides along with the next `append`'s transaction instead of
costing a commit of its own (at one connection, a commit of its own would sit in front of the
next request's decision record); if no `append` comes within `defer_ms` it is committed alone.
A SIGKILL can therefore lose the completions of the last `defer_ms`, never a decision record.
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
from typing import Any

from clearance.audit.keys import Signer
from clearance.errors import ClearanceError, StoreUnavailable
from clearance.store import Store
from clearance.store.audit_values import AuditEntry

log = logging.getLogger(__name__)

DEFAULT_CHECKPOINT_EVERY = 1000


@dataclass
class _Pending:
    entry: AuditEntry
    future: asyncio.Future[int] | None  # None: appended with append_later, nobody waits


_STOP = None  # the queue's last item, put by close()


class AuditWriter:
    """Group commit: appends from many coroutines are batched into one transaction."""

    def __init__(self, store: Store, signer: Signer | None, *, max_batch: int = 256, max_delay_ms: float = 2.0,
                 defer_ms: float = 50.0, checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._store = store
        self._signer = signer
        self._max_batch = max_batch
        self._max_delay = max(0.0, max_delay_ms) / 1000
        self._defer = max(0.0, defer_ms) / 1000
        self._checkpoint_every = checkpoint_every
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False
        self._last_batch = 0
        self.healthy = True  # a failed commit is reported to its callers by append itself
        self.batches = 0  # transactions committed, for benchmarks and metrics
        self.records = 0

    async def start(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="clearance-audit-writer", daemon=True)
        self._thread.start()

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> int:
        """Returns the record's seq once it is committed (durable); raises StoreUnavailable if it cannot be."""
        if self._thread is None or self._loop is None or self._closing:
            raise StoreUnavailable("the audit writer is not running: nothing can be recorded")
        entry = AuditEntry.of(kind, payload, at=at)  # a bad payload fails here, alone
        future: asyncio.Future[int] = self._loop.create_future()
        self._queue.put(_Pending(entry, future))
        return await future

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """Queue a record nobody waits on (see the module's docstring); a failure to write it is logged."""
        if self._thread is None or self._closing:
            raise StoreUnavailable("the audit writer is not running: nothing can be recorded")
        self._queue.put(_Pending(AuditEntry.of(kind, payload, at=at), None))

    async def flush(self) -> None:
        """Nothing to do: `append` returns after the commit (deferred records ride with the next one)."""
        return None

    async def close(self) -> None:
        """Flush what is queued, stop the thread and sign a checkpoint at the end of the chain."""
        if self._thread is None or self._closing:
            return
        self._closing = True
        self._queue.put(_STOP)
        await asyncio.to_thread(self._thread.join)
        if self._signer is not None:
            await asyncio.to_thread(self._store.audit_checkpoint, self._signer)

    # The writer thread

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stopping = self._gather(batch)
            self._commit(batch)

    def _gather(self, batch: list[_Pending]) -> bool:
        """Add what is queued (lingering when the load calls for it); True when close() was seen.

        A batch of deferred records only waits up to `defer_ms` for a record someone awaits."""
        started = time.monotonic()
        linger = started + self._max_delay if self._last_batch > 1 else started
        awaited = any(p.future is not None for p in batch)
        hold = linger if awaited else max(linger, started + self._defer)
        while len(batch) < self._max_batch:
            try:
                remaining = hold - time.monotonic()
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            batch.append(item)
            if not awaited and item.future is not None:  # someone waits now: take what is queued and go
                awaited, hold = True, linger
        return False

    def _commit(self, batch: list[_Pending]) -> None:
        self._last_batch = len(batch)
        try:
            seqs = self._store.append_audit([p.entry for p in batch], signer=self._signer,
                                            checkpoint_every=self._checkpoint_every)
        except BaseException as exc:  # every failure, whatever it is, must reach the waiting callers
            failure = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(
                f"the audit record could not be written: {exc if isinstance(exc, ClearanceError) else repr(exc)}")
            log.error("audit write failed: %s", failure)
            waiting = batch + self._drain()
            self._hand_back(waiting, None, failure)
            return
        self.batches += 1
        self.records += len(batch)
        self._hand_back(batch, seqs, None)

    def _drain(self) -> list[_Pending]:
        """Everything queued behind a failed batch (close()'s marker is put back)."""
        out: list[_Pending] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return out
            if item is _STOP:
                self._queue.put(_STOP)
                return out
            out.append(item)

    def _hand_back(self, batch: list[_Pending], seqs: list[int] | None, failure: BaseException | None) -> None:
        assert self._loop is not None
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is waiting any more
            self._loop.call_soon_threadsafe(_settle, batch, seqs, failure)


def _settle(batch: list[_Pending], seqs: list[int] | None, failure: BaseException | None) -> None:
    for number, pending in enumerate(batch):
        if pending.future is None:
            if failure is not None:
                log.error("a deferred %s record was not written: %s", pending.entry.kind, failure)
            continue
        if pending.future.done():  # the caller was cancelled; the record stands
            continue
        if seqs is not None:
            pending.future.set_result(seqs[number])
        else:
            pending.future.set_exception(StoreUnavailable(str(failure)))
