"""The audit ingester: a child process that links one gateway process's spooled records into the chain.

Why a process and not a thread: ingesting is Python work (parsing lines, hashing, the driver's
inserts), and in a thread it competed with the event loop for the GIL.  Measured at 16 connections
on two cores, the loop spent ~640 µs of CPU a request with an ingesting thread beside it against
~490 µs with the records only spooled; the thread itself used ~50 µs.  In a process of its own the
ingester's work runs beside the loop instead of between its steps.

The gateway process writes the lines and holds the spools' locks; this process only reads them.
It talks to its parent as audit/ingest_protocol.py describes.

Run by `SpooledAudit` (audit/spooled.py) as `python -m clearance.audit.ingester_process`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import time
from pathlib import Path

from clearance.audit.ingest import Ingester
from clearance.audit.ingest_protocol import FAILING, FOLLOW, INGESTED, REMOVED, IngesterSettings
from clearance.audit.keys import Signer
from clearance.audit.spool import SpoolTail
from clearance.store import Store

log = logging.getLogger("clearance.audit.ingester")

_RETRY_SECONDS = (0.05, 0.2, 0.5, 1.0, 2.0)
_IDLE_SECONDS = 0.4
_GIVE_UP_WHEN_STOPPING = 8  # failed attempts after the parent stopped: the spools then wait for a recovery


class Following:
    """The spools this process ingests, oldest first, and how it reports on them."""

    def __init__(self, ingester: Ingester, out: int) -> None:
        self.ingester = ingester
        self.out = out
        self.tails: list[SpoolTail] = []
        self.failures = 0
        self._reported: set[str] = set()

    def follow(self, path: Path) -> None:
        self.tails.append(self.ingester.follow(path))

    def step(self, *, stopping: bool) -> int:
        """Ingest what every spool holds; remove those that are complete; how many records were linked.
        Raises when the store does."""
        total = 0
        for tail in list(self.tails):
            linked = self.ingester.ingest(tail)
            total += linked
            if linked or tail.name not in self._reported:  # the first report says the store answers
                self._say(INGESTED, tail.name, str(tail.offset), str(linked))
                self._reported.add(tail.name)
            if stopping or tail is not self.tails[-1]:  # nothing more will be written to it
                tail.remove()
                self.tails.remove(tail)
                self._say(REMOVED, tail.name)
        return total

    def failed(self, exc: BaseException) -> float:
        """Report a failed step; how long to wait before the next attempt."""
        if self.failures == 0:
            log.error("the store refuses audit records (kept in their spool, retrying): %s", exc)
        self._say(FAILING, str(exc).replace("\n", " "))
        delay = _RETRY_SECONDS[min(self.failures, len(_RETRY_SECONDS) - 1)]
        self.failures += 1
        return delay

    def _say(self, *words: str) -> None:
        with contextlib.suppress(OSError):  # the parent is gone: its spools are still worth finishing
            os.write(self.out, (" ".join(words) + "\n").encode())


class Commands:
    """The parent's lines, read straight from the descriptor (no buffering that select cannot see)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.ended = False
        self._pending = b""
        self._lines: list[str] = []

    def wait(self, timeout: float | None) -> list[str]:
        """The lines that arrive within `timeout` (none when it passes); sets `ended` at end of input."""
        if not self._lines and not self.ended:
            readable, _, _ = select.select([self.fd], [], [], timeout)
            if readable:
                data = os.read(self.fd, 65536)
                self.ended = not data
                self._pending += data
                *complete, self._pending = self._pending.split(b"\n")
                self._lines = [line.decode() for line in complete]
        lines, self._lines = self._lines, []
        return lines

    def first(self) -> str | None:
        """The first line (the settings); None when the input ends before it."""
        while not self._lines and not self.ended:
            self._lines = self.wait(None)
        return self._lines.pop(0) if self._lines else None


def next_wait(previous: float, gather: float, linked: int) -> float:
    """How long to wait for commands before looking at the spools again.

    While records come, `gather` (one transaction for what arrived meanwhile); idle, twice as long
    each time up to `_IDLE_SECONDS`, instead of waking twenty times a second for nothing.  A command
    (flush, follow) still wakes the ingester at once, so nobody who asks waits for this."""
    if linked:
        return gather
    return min(max(previous * 2, gather, 0.01), _IDLE_SECONDS)


def run(settings: IngesterSettings, commands: Commands, out: int) -> int:
    """Serve the parent until its input ends; the exit status (1 when spools were left for recovery)."""
    store = Store(settings.database_url)  # the parent migrated it
    signer = Signer.from_pem(settings.signing_key_pem.encode()) if settings.signing_key_pem else None
    following = Following(Ingester(store, signer, checkpoint_every=settings.checkpoint_every,
                                   max_batch=settings.max_batch), out)
    gather = max(0.0, settings.gather_ms) / 1000
    wait = gather
    try:
        while True:
            if not commands.ended:
                # Gathering for a moment makes one transaction of what would be many small ones.
                for line in commands.wait(wait):
                    verb, _, argument = line.partition(" ")
                    if verb == FOLLOW:
                        following.follow(Path(argument))
            try:
                linked = following.step(stopping=commands.ended)
                following.failures = 0
                wait = next_wait(wait, gather, linked)
            except Exception as exc:  # whatever the store raised, the records are in the spool
                wait = following.failed(exc)
                if commands.ended:
                    if following.failures >= _GIVE_UP_WHEN_STOPPING:
                        log.error("audit records stay in %s until a gateway or `clearance audit` ingests them",
                                  ", ".join(str(t.path) for t in following.tails))
                        return 1
                    time.sleep(wait)
                continue
            if commands.ended:
                if signer is not None:
                    store.audit_checkpoint(signer)
                return 0
    finally:
        store.close()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="clearance audit ingester %(process)d: %(levelname)s %(message)s")
    commands = Commands(sys.stdin.fileno())
    first = commands.first()
    if first is None:
        return 0
    return run(IngesterSettings.from_line(first.encode()), commands, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())

