"""The gateway's audit sink: records spooled on the request's path, ingested into the chain behind it.

`append` writes the record's line to this process's spool (audit/spool.py) and returns: from then
on the record survives the process being killed, and the request may go on.  A child process, the
ingester (audit/ingester_process.py), reads the spool as it grows and links the records into the
store's hash chain in group commits, recording in each transaction how far into the spool it got;
it tells this process how far that is, which is what `flush` and `healthy` go by.  The records'
order in the chain is the order they were spooled in.

A spool is not kept for the process's whole life: past `rotate_bytes` the process starts a new one,
and the ingester deletes the old one as soon as it has linked its last record, so the disk holds
little more than what has not reached the store yet.

When the store cannot take them, the ingester keeps them and tries again (they are in the spool
anyway) and `healthy` turns false, which the gateway treats as a failed dependency: it refuses
requests (503) until the store is back, so it never keeps answering while the trail cannot grow.
An ingester that dies is started again; it carries on from the offsets the store has recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from clearance.audit import ingest_protocol as protocol
from clearance.audit.ingest import recover_spools
from clearance.audit.keys import Signer
from clearance.audit.spool import Spool, spool_line
from clearance.errors import ConfigError, StoreUnavailable
from clearance.store import Store

log = logging.getLogger(__name__)

_ROTATE_BYTES = 64 * 1024 * 1024
_RESTART_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)
_START_SECONDS = 60.0
_STOP_SECONDS = 60.0  # how long a stopping ingester may take before its spools are left for recovery


class SpooledAudit:
    """Spool first, chain soon after: one per gateway process."""

    def __init__(self, store: Store, signer: Signer | None, directory: Path, *, checkpoint_every: int,
                 fsync: bool = False, max_batch: int = 512, gather_ms: float = 50.0,
                 rotate_bytes: int = _ROTATE_BYTES, stall_seconds: float = 30.0) -> None:
        self._store = store
        self._signer = signer
        self._directory = directory
        self._checkpoint_every = checkpoint_every
        self._fsync = fsync
        self._settings = protocol.IngesterSettings(
            database_url=store.url, signing_key_pem=signer.private_pem().decode() if signer else None,
            checkpoint_every=checkpoint_every, gather_ms=gather_ms, max_batch=max_batch)
        self._rotate_bytes = rotate_bytes
        self._stall_seconds = stall_seconds
        self._spool: Spool | None = None
        self._spools: dict[str, Spool] = {}  # every spool not yet removed by the ingester, oldest first
        self._ingester: asyncio.subprocess.Process | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._closing = False
        self._ingested: dict[str, int] = {}  # how far into each spool the store holds the records
        self.healthy = True  # false while the store refuses what the spool holds
        self._answered = asyncio.Event()
        self._child_answered = False  # the running ingester has said something since it was started
        self._spawned_at = 0.0
        self.restarts = 0
        self.records = 0  # linked into the chain by the ingester, and in how many reports (for benchmarks)
        self.reports = 0

    async def start(self) -> None:
        if self._supervisor is not None:
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
        self._spools[self._spool.name] = self._spool
        await self._spawn()
        self._supervisor = asyncio.create_task(self._supervise(), name="clearance-audit-ingester")
        self._watchdog = asyncio.create_task(self._watch(), name="clearance-audit-watchdog")
        # Started once the ingester has answered (from the store, or that the store refuses): a
        # gateway is not ready while the process that keeps its trail is still importing.
        try:
            await asyncio.wait_for(self._answered.wait(), _START_SECONDS)
        except TimeoutError:
            await self.close()
            raise StoreUnavailable(f"the audit ingester did not answer within {_START_SECONDS:.0f} s") from None

    async def append(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """Returns once the record is spooled (durable); StoreUnavailable when it cannot be, or while
        the store refuses the records already spooled."""
        if not self.healthy:
            raise StoreUnavailable("the audit trail cannot reach its store: nothing is answered unrecorded")
        self.append_later(kind, payload, at=at)

    def append_later(self, kind: str, payload: dict[str, Any], *, at: datetime) -> None:
        """The same as `append` (a spooled record costs no wait); for records nobody waits on."""
        spool = self._spool
        if spool is None or self._closing:
            raise StoreUnavailable("the audit writer is not running: nothing can be recorded")
        spool.write(spool_line(kind, payload, at=at))  # a bad payload fails here, alone
        if spool.written >= self._rotate_bytes:
            self._rotate()

    def _rotate(self) -> None:
        """A new spool for what comes next; the ingester deletes the old one once it has ingested it."""
        self._spool = Spool.create(self._directory, fsync=self._fsync)
        self._spools[self._spool.name] = self._spool
        self._tell(protocol.FOLLOW, str(self._spool.path))

    async def flush(self, timeout: float = 10.0) -> None:
        """Returns once everything spooled so far is in the store: a reader of the trail (the admin API)
        then sees this process's own records.  StoreUnavailable if that does not happen in `timeout`."""
        if self._spool is None:
            return
        spool, target = self._spool, self._spool.written
        self._tell(protocol.FLUSH)
        deadline = time.monotonic() + timeout
        while self._ingested.get(spool.name, 0) < target:
            if time.monotonic() > deadline:
                raise StoreUnavailable("the audit records spooled so far did not reach the store in time")
            await asyncio.sleep(0.002)

    async def close(self) -> None:
        """Let the ingester link what is spooled and remove the spools; a spool it could not finish is
        unlocked and left for recovery."""
        if self._supervisor is None or self._closing:
            return
        self._closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        ingester = self._ingester
        if ingester is not None and ingester.stdin is not None:
            ingester.stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(self._supervisor), _STOP_SECONDS)
        except TimeoutError:
            log.error("the audit ingester did not finish in %.0f s: stopping it", _STOP_SECONDS)
            if ingester is not None:
                with contextlib.suppress(ProcessLookupError):
                    ingester.kill()
            await self._supervisor
        for spool in self._spools.values():  # what the ingester did not remove
            log.error("audit records stay in %s until a gateway or `clearance audit` ingests them", spool.path)
            spool.close(remove=False)
        self._spools.clear()

    # The ingester

    async def _spawn(self) -> None:
        self._child_answered, self._spawned_at = False, time.monotonic()
        self._ingester = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "clearance.audit.ingester_process",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        self._tell_raw(self._settings.to_line())
        for spool in self._spools.values():
            self._tell(protocol.FOLLOW, str(spool.path))

    async def _supervise(self) -> None:
        """Read the ingester's reports; start it again if it dies before `close`."""
        while True:
            ingester = self._ingester
            status: int | None = None
            if ingester is not None and ingester.stdout is not None:
                async for line in ingester.stdout:
                    self._heard(line.decode().rstrip("\n"))
                status = await ingester.wait()
            if self._closing:
                return
            delay = _RESTART_SECONDS[min(self.restarts, len(_RESTART_SECONDS) - 1)]
            log.error("the audit ingester exited (status %s); starting another in %.1f s", status, delay)
            self.healthy = False
            self.restarts += 1
            await asyncio.sleep(delay)
            if self._closing:
                return
            try:
                await self._spawn()
            except OSError as exc:  # tried again after the next delay; the gateway stays out meanwhile
                log.error("the audit ingester cannot be started: %s", exc)
                self._ingester = None
                continue

    async def _watch(self) -> None:
        """Take the gateway out, and start the ingester again, when records wait but nothing moves.

        An ingester that fails says so; one that is stuck (a connection that hangs, a lock that is
        never granted) says nothing, and the gateway would go on answering while its trail stood
        still.  So: if records have waited in the spool for `stall_seconds` without the store's
        offset moving, `healthy` turns false and the ingester is killed; its successor reads the
        offsets back from the store and carries on."""
        progress, since = self._progress(), time.monotonic()
        while not self._closing:
            await asyncio.sleep(self._stall_seconds / 4)
            now = self._progress()
            if now != progress or not self._behind():
                progress, since = now, time.monotonic()
                continue
            # An ingester that has not answered yet is still starting (importing, connecting).
            allowed = self._stall_seconds if self._child_answered else max(self._stall_seconds, _START_SECONDS)
            if time.monotonic() - max(since, self._spawned_at) < allowed:
                continue
            log.error("the audit ingester has linked nothing for %.0f s while records wait in the spool: "
                      "refusing requests and starting another", time.monotonic() - since)
            self.healthy = False
            since = time.monotonic()
            ingester = self._ingester
            if ingester is not None:
                with contextlib.suppress(ProcessLookupError):
                    ingester.kill()  # the supervisor starts the next one

    def _progress(self) -> int:
        return sum(self._ingested.values())

    def _behind(self) -> bool:
        return any(spool.written > self._ingested.get(name, 0) for name, spool in self._spools.items())

    def _heard(self, report: str) -> None:
        self._answered.set()
        self._child_answered = True
        verb, _, rest = report.partition(" ")
        if verb == protocol.INGESTED:
            name, offset, linked = rest.split(" ")
            self._ingested[name] = int(offset)
            self.records += int(linked)
            self.reports += int(linked) > 0
            if not self.healthy:
                log.info("the store takes audit records again")
            self.healthy = True
        elif verb == protocol.REMOVED:
            spool = self._spools.pop(rest, None)
            if spool is not None:
                self._ingested[rest] = spool.written
                spool.close(remove=False)  # the ingester has deleted the file
        elif verb == protocol.FAILING:
            self.healthy = False

    def _tell(self, *words: str) -> None:
        self._tell_raw((" ".join(words) + "\n").encode())

    def _tell_raw(self, line: bytes) -> None:
        ingester = self._ingester
        if ingester is None or ingester.stdin is None or ingester.stdin.is_closing():
            return  # a new ingester is told everything when it starts
        ingester.stdin.write(line)
