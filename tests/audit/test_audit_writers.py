"""Writers: the gateway's group-commit sink, and many writers (threads, processes) making one chain."""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from audit_samples import completion, decision, sql
from audit_workers import append_records
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearance.audit import AuditLog, AuditWriter, Signer, verify_store
from clearance.errors import DataError, StoreUnavailable
from clearance.store import Store


def now() -> datetime:
    return datetime.now(UTC)


async def _run_writer(writer: AuditWriter, count: int, offset: int = 0) -> list[int]:
    return list(await asyncio.gather(*(writer.append("decision", decision(offset + i), at=now())
                                       for i in range(count))))


def test_group_commit_gives_every_append_its_own_seq_in_few_transactions(store: Store, signer: Signer) -> None:
    writer = AuditWriter(store, signer, max_batch=64, checkpoint_every=100)

    async def main() -> list[int]:
        await writer.start()
        try:
            return await _run_writer(writer, 500)
        finally:
            await writer.close()

    seqs = asyncio.run(main())
    assert sorted(seqs) == list(range(1, 501))
    assert writer.records == 500
    assert writer.batches < 500 / 4  # batched: far fewer transactions than records
    report = verify_store(store, signer.public_key)
    assert report.ok, report.problems
    assert report.anchored_through == 500  # close() signed the end
    assert report.checkpoints >= 500 // (100 + 64)  # due every 100, taken at the end of a batch of <= 64


def test_append_returns_only_once_the_record_is_readable_by_another_connection(store: Store, store_url: str,
                                                                                signer: Signer) -> None:
    other = Store.open(store_url, migrate=False)
    writer = AuditWriter(store, signer)

    async def main() -> None:
        await writer.start()
        try:
            for i in range(20):
                seq = await writer.append("completion", completion(i), at=now())
                assert [r.seq for r in other.audit_records(seq, seq)] == [seq]  # committed, not just queued
        finally:
            await writer.close()

    try:
        asyncio.run(main())
    finally:
        other.close()


def test_a_bad_payload_fails_its_own_append_only(store: Store, signer: Signer) -> None:
    writer = AuditWriter(store, signer)

    async def main() -> tuple[list[Any], int]:
        await writer.start()
        try:
            results = await asyncio.gather(
                writer.append("decision", decision(1), at=now()),
                writer.append("decision", {"decision": {"at": now()}}, at=now()),  # a datetime is not JSON
                writer.append("verdict", decision(2), at=now()),
                writer.append("completion", {"status": 200}, at=now()),
                writer.append("decision", decision(3), at=now()),
                return_exceptions=True)
            return list(results), store.audit_head().seq
        finally:
            await writer.close()

    results, head = asyncio.run(main())
    assert results[0] == 1 and results[4] == 2 and head == 2
    assert all(isinstance(r, DataError) for r in results[1:4])
    assert "not plain JSON" in str(results[1])
    assert 'kind "verdict"' in str(results[2])
    assert "decision_id" in str(results[3])


def test_a_failed_transaction_fails_every_waiting_append(store: Store, store_url: str, signer: Signer) -> None:
    writer = AuditWriter(store, None)

    async def main() -> list[Any]:
        await writer.start()
        try:
            await writer.append("decision", decision(0), at=now())
            sql(store_url, "DROP TABLE audit_directives")  # the store breaks under the writer
            return list(await asyncio.gather(*(writer.append("decision", decision(i), at=now())
                                               for i in range(1, 40)), return_exceptions=True))
        finally:
            await writer.close()

    results = asyncio.run(main())
    assert len(results) == 39
    assert all(isinstance(r, StoreUnavailable) for r in results), results
    assert "audit_directives" in str(results[0])
    assert store.audit_head().seq == 1  # nothing half-written: the failed transactions rolled back


def test_a_deferred_record_rides_with_the_next_awaited_append(store: Store, signer: Signer) -> None:
    writer = AuditWriter(store, signer, defer_ms=60_000)  # alone, it would wait a minute

    async def main() -> tuple[int, int, int]:
        await writer.start()
        try:
            writer.append_later("completion", completion(0), at=now())
            await asyncio.sleep(0.05)  # the writer holds it, uncommitted
            held = store.audit_head().seq
            seq = await writer.append("decision", decision(1), at=now())
            return held, seq, writer.batches
        finally:
            await writer.close()

    held, seq, batches = asyncio.run(main())
    assert held == 0
    assert seq == 2 and batches == 1  # one transaction carried both, the deferred record first
    assert [r.kind for r in store.audit_records(1, 2)] == ["completion", "decision"]
    assert verify_store(store, signer.public_key).ok


def test_a_deferred_record_alone_is_committed_after_defer_ms(store: Store, signer: Signer) -> None:
    writer = AuditWriter(store, signer, defer_ms=20)

    async def main() -> int:
        await writer.start()
        try:
            writer.append_later("completion", completion(0), at=now())
            for _ in range(500):  # polled, not timed: the record must appear without close()
                if store.audit_head().seq == 1:
                    return writer.batches
                await asyncio.sleep(0.01)
            return -1
        finally:
            await writer.close()

    assert asyncio.run(main()) == 1


def test_close_writes_deferred_records_and_a_failure_to_write_them_is_logged(
        store: Store, store_url: str, signer: Signer, caplog: pytest.LogCaptureFixture) -> None:
    writer = AuditWriter(store, signer, defer_ms=60_000)

    async def main() -> None:
        await writer.start()
        for i in range(3):
            writer.append_later("completion", completion(i), at=now())
        await writer.close()

    asyncio.run(main())
    assert [r.kind for r in store.audit_records(1, 10)] == ["completion"] * 3
    with pytest.raises(StoreUnavailable):
        writer.append_later("completion", completion(4), at=now())

    broken = AuditWriter(store, None, defer_ms=0)

    async def fail() -> None:
        await broken.start()
        sql(store_url, "DROP TABLE audit_records")
        broken.append_later("completion", completion(5), at=now())
        await broken.close()

    asyncio.run(fail())
    assert "deferred completion record was not written" in caplog.text
    assert store.audit_head().seq == 3


def test_appending_before_start_or_after_close_is_refused(store: Store) -> None:
    writer = AuditWriter(store, None)

    async def main() -> None:
        with pytest.raises(StoreUnavailable, match="not running"):
            await writer.append("decision", decision(0), at=now())
        await writer.start()
        await writer.append("decision", decision(0), at=now())
        await writer.close()
        with pytest.raises(StoreUnavailable, match="not running"):
            await writer.append("decision", decision(1), at=now())

    asyncio.run(main())
    assert store.audit_head().seq == 1


def test_two_replicas_writing_at_once_make_one_chain(store: Store, store_url: str, signer: Signer) -> None:
    replica = Store.open(store_url, migrate=False)
    first, second = AuditWriter(store, signer, checkpoint_every=50), AuditWriter(replica, signer, checkpoint_every=50)

    async def main() -> list[int]:
        await asyncio.gather(first.start(), second.start())
        try:
            a, b = await asyncio.gather(_run_writer(first, 200), _run_writer(second, 200, offset=1000))
            return a + b
        finally:
            await asyncio.gather(first.close(), second.close())

    try:
        seqs = asyncio.run(main())
    finally:
        replica.close()
    assert sorted(seqs) == list(range(1, 401))
    report = verify_store(store, signer.public_key)
    assert report.ok, report.problems


def test_threads_appending_at_once_make_one_chain(store: Store, store_url: str, signer: Signer) -> None:
    def work(worker: int) -> list[int]:
        own = Store.open(store_url, migrate=False)  # a connection pool of its own, like another process
        try:
            log = AuditLog(own, signer, checkpoint_every=9)
            return [log.append("decision", decision(worker * 100 + i), at=now()) for i in range(30)]
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    seqs = [s for r in results for s in r]
    assert sorted(seqs) == list(range(1, 121))
    for r in results:
        assert r == sorted(r)  # each writer's own records in the order it wrote them
    report = verify_store(store, signer.public_key)
    assert report.ok, report.problems
    assert report.records == 120


def test_processes_appending_at_once_make_one_chain(store: Store, store_url: str) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.starmap(append_records, [(store_url, pem, worker, 25) for worker in range(2)])
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, 51))
    report = verify_store(store, key.public_key())
    assert report.ok, report.problems
    assert report.checkpoints >= 6


def test_every_append_that_returned_survives_a_sigkill(store: Store, store_url: str, tmp_path: Path) -> None:
    """The gateway's promise: a record whose append returned is in the trail, whenever the process dies."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("audit_workers.py")), store_url, "32"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=False)
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(pem)
    child.stdin.close()
    acknowledged: list[int] = []
    for line in child.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 400:
            break
    child.send_signal(signal.SIGKILL)  # mid-run: other appends are in flight
    child.wait()
    assert child.returncode == -signal.SIGKILL
    stored = {r.seq for r in store.audit_records(1, 10**9)}
    assert set(acknowledged) <= stored
    report = verify_store(store, key.public_key())
    assert report.ok, report.problems
    assert report.records == len(stored) >= 400
