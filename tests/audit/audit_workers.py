"""Work for other processes (multiprocessing, spawn): a second gateway replica appending records."""

from __future__ import annotations

from datetime import UTC, datetime

from audit_samples import decision
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearance.audit import AuditLog, Signer
from clearance.store import Store


def append_records(url: str, key_pem: bytes, worker: int, count: int) -> list[int]:
    """`count` decisions, one transaction each (the most contention a writer can cause)."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    store = Store.open(url, migrate=False)
    try:
        log = AuditLog(store, Signer(key), checkpoint_every=7)
        return [log.append("decision", decision(worker * 1000 + i), at=datetime.now(UTC)) for i in range(count)]
    finally:
        store.close()


async def _append_forever(url: str, key_pem: bytes, callers: int) -> None:
    """Append from `callers` coroutines until killed, printing each seq once `append` has returned."""
    import asyncio
    import sys

    from clearance.audit import AuditWriter

    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    store = Store.open(url, migrate=False)
    writer = AuditWriter(store, Signer(key), checkpoint_every=50)
    await writer.start()

    async def caller(number: int) -> None:
        i = 0
        while True:
            seq = await writer.append("decision", decision(number * 1_000_000 + i), at=datetime.now(UTC))
            sys.stdout.write(f"{seq}\n")
            sys.stdout.flush()
            i += 1

    await asyncio.gather(*(caller(n) for n in range(callers)))


if __name__ == "__main__":
    import asyncio
    import sys

    asyncio.run(_append_forever(sys.argv[1], sys.stdin.buffer.read(), int(sys.argv[2])))
