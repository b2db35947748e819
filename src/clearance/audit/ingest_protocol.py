"""How a gateway process and its audit ingester talk: one line per message over the child's stdin and stdout.

    parent → child   the settings as one JSON object (first line): database_url, signing_key_pem
                     (or null), checkpoint_every, gather_ms, max_batch
                     `follow PATH`   a spool to ingest; every spool followed before it is complete
                     `flush`         ingest now rather than after the gather interval
                     end of input    the parent stops (or died): ingest what is whole, remove the
                                     spools, sign a checkpoint, exit
    child → parent   `ingested NAME OFFSET N`  the store holds spool NAME's records up to OFFSET, N of
                                              them linked just now (said once with N = 0 when a spool
                                              is first followed: the store answers)
                     `removed NAME`            spool NAME is fully ingested and deleted
                     `failing REASON`          the store refuses records (retried; `ingested` clears it)

Kept apart from the ingester's own module so that importing the audit package (which the sink
needs) does not import the module `python -m` runs as the child.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

FOLLOW = "follow"
FLUSH = "flush"
INGESTED = "ingested"
REMOVED = "removed"
FAILING = "failing"


@dataclass(frozen=True)
class IngesterSettings:
    """What the ingester needs to open the same store and sign with the same key as its parent.

    Sent over the pipe, not the command line, where the database password and the key would be
    visible to every user of the machine."""

    database_url: str
    signing_key_pem: str | None
    checkpoint_every: int
    gather_ms: float
    max_batch: int

    def to_line(self) -> bytes:
        return (json.dumps(asdict(self)) + "\n").encode()

    @classmethod
    def from_line(cls, line: bytes) -> IngesterSettings:
        return cls(**json.loads(line))
