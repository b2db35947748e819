"""The audit trail: every decision recorded, hash-chained, signed, verifiable and exportable.

    SpooledAudit       the gateway's sink: each record spooled to a local file before the request goes
                       on, then linked into the chain by a child process (audit/spool.py, ingest.py)
    AuditWriter        an async sink that waits for each record's group commit
    AuditLog           the same for synchronous callers (`clearance decide --record`)
    Signer             the Ed25519 key that signs checkpoints; `ensure_signing_key` makes one
    verify_store       check the chain in the database (or a range of it)
    write_pack         an evidence pack a third party verifies with the `verify_pack.py` inside it
    open_writer, open_log, home_signer, recover_home_spools
                       the above, set up from a home's settings

The encoding that is hashed and signed is defined in `clearance.store.audit_chain` (and, for
verifiers, again in `verify_pack.py`); docs/audit.md explains the design.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from clearance.audit.ingest import recover_spools
from clearance.audit.keys import Signer, ensure_signing_key
from clearance.audit.log import AuditLog
from clearance.audit.pack import write_pack
from clearance.audit.spool import SPOOL_DIRECTORY
from clearance.audit.spooled import SpooledAudit
from clearance.audit.verify import verify_store
from clearance.audit.writer import AuditWriter
from clearance.errors import NotFound

if TYPE_CHECKING:
    from clearance.home import Home

__all__ = ["AuditLog", "AuditWriter", "Signer", "SpooledAudit", "ensure_signing_key", "home_signer", "open_log",
           "open_writer", "recover_home_spools", "verify_store", "write_pack"]

log = logging.getLogger(__name__)


def home_signer(home: Home, *, required: bool = False) -> Signer | None:
    """The home's signing key; None (with a warning) when it has none, unless `required`."""
    path = home.settings.audit.signing_key_path(home.path)
    try:
        return Signer.load(path)
    except NotFound:
        if required:
            raise
        log.warning("%s: no audit signing key: records are chained but no checkpoint is signed "
                    "(run `clearance init` to create the key)", path)
        return None


def open_writer(home: Home) -> SpooledAudit:
    """The gateway's sink on the home's store, spooling under the home and signing with its key."""
    return SpooledAudit(home.store, home_signer(home), home.path / SPOOL_DIRECTORY,
                        checkpoint_every=home.settings.audit.checkpoint_every, fsync=home.settings.audit.fsync)


def recover_home_spools(home: Home) -> int:
    """Ingest what gateway processes that died left in the home's spools (before reading the trail)."""
    return recover_spools(home.store, home.path / SPOOL_DIRECTORY, home_signer(home),
                          home.settings.audit.checkpoint_every)


def open_log(home: Home) -> AuditLog:
    return AuditLog(home.store, home_signer(home), checkpoint_every=home.settings.audit.checkpoint_every)
