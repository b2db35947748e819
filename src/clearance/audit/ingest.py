"""Moving spooled records into the hash chain: one batch, one transaction, one offset check.

The store's recorded offset for a spool (`audit_spools`) is the only truth about how much of it is
in the chain.  Each batch carries a `SpoolMark` (from the recorded offset to the end of its last
line) and the append fails with Conflict, linking nothing, if the store holds a different offset.
So a spool may be ingested by two processes at once (the ingester of a gateway process that was
killed, and a recovery that found the spool unlocked) and each record is still linked once; and an
append whose outcome is unknown (the connection dropped during the commit) is settled by reading
the offset back before the next one.
"""

from __future__ import annotations

from pathlib import Path

from clearance.audit.keys import Signer
from clearance.audit.spool import SpoolTail, orphans
from clearance.errors import Conflict
from clearance.store import Store
from clearance.store.audit_values import SpoolMark


class Ingester:
    """Appends what spools hold to the store's chain, in batches of at most `max_batch` records."""

    def __init__(self, store: Store, signer: Signer | None, *, checkpoint_every: int, max_batch: int = 1000) -> None:
        self.store = store
        self.signer = signer
        self.checkpoint_every = checkpoint_every
        self.max_batch = max_batch
        self._unsure: set[str] = set()  # spools whose position must be read back from the store first

    def follow(self, path: Path) -> SpoolTail:
        """A tail on `path`, positioned where the store says its records end (on the first `ingest`)."""
        self._unsure.add(path.name)
        return SpoolTail(path)

    def ingest(self, tail: SpoolTail) -> int:
        """Link every whole line the tail has now; how many were linked by this call.

        Raises whatever the store raises (StoreUnavailable, mostly); the tail is then re-read from
        the store's offset before the next attempt, whether or not the failed append committed."""
        linked = 0
        while True:
            if tail.name in self._unsure:
                tail.rewind(self.store.audit_spool_ingested(tail.name))
                self._unsure.discard(tail.name)
            batch = tail.peek(self.max_batch)
            if not batch:
                return linked
            mark = SpoolMark(tail.name, tail.offset, batch[-1].end)
            try:
                self.store.append_audit([spooled.entry for spooled in batch], signer=self.signer,
                                        checkpoint_every=self.checkpoint_every, spooled=[mark])
            except Conflict:  # another process linked this part first: carry on from where it got
                self._unsure.add(tail.name)
                continue
            except BaseException:
                self._unsure.add(tail.name)
                raise
            tail.advance(mark.end)
            linked += len(batch)


def recover_spools(store: Store, directory: Path, signer: Signer | None, checkpoint_every: int) -> int:
    """Ingest the spools of dead gateway processes and delete them; the number of records ingested.

    Each is locked while this runs, so two recoveries never take the same spool; what the store
    already holds of it (its recorded offset) is skipped, so a recovery that is itself interrupted
    is simply done again.  The recorded offsets stay in the store after the files are gone: a dead
    process's ingester that is still finishing the same spool then finds them and links nothing twice.
    """
    ingester = Ingester(store, signer, checkpoint_every=checkpoint_every)
    ingested = 0
    for path, _locked in orphans(directory):
        tail = ingester.follow(path)
        try:
            ingested += ingester.ingest(tail)
        except BaseException:
            tail.close()
            raise
        tail.remove()
    return ingested
