"""The gateway's audit spool: a record is kept from the moment its line is written, and a dead
process's spool is ingested exactly once, from where the store stopped."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from audit_samples import T0, completion, decision, sql
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.audit import Signer, SpooledAudit, verify_store
from clearance.audit.spool import Spool, orphans, read_spool
from clearance.audit.spooled import recover_spools
from clearance.errors import DataError, StoreUnavailable
from clearance.store import Store
from clearance.store.audit_values import AuditEntry

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12)


def entries(count: int, start: int = 0) -> list[AuditEntry]:
    return [AuditEntry.of("decision", decision(i), at=T0 + timedelta(seconds=i)) for i in range(start, start + count)]


@settings(max_examples=200, deadline=None)
@given(extra=JSON, at=st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(UTC)))
def test_a_spooled_line_reads_back_as_the_very_entry_written(tmp_path_factory: pytest.TempPathFactory,
                                                             extra: Any, at: datetime) -> None:
    """Tabs, newlines and any Unicode in a payload cannot break a line: the canonical JSON escapes them."""
    directory = tmp_path_factory.mktemp("spool")
    entry = AuditEntry.of("completion", {"decision_id": "d\t1\n", "extra": extra}, at=at)
    spool = Spool.create(directory)
    end = spool.write(entry)
    spool.close(remove=False)
    [back] = list(read_spool(spool.path, 0))
    assert back.entry == entry and back.end == end == spool.path.stat().st_size


def test_a_torn_last_line_is_left_out_and_a_bad_line_is_named(tmp_path: Path) -> None:
    spool = Spool.create(tmp_path)
    ends = [spool.write(e) for e in entries(3)]
    spool.close(remove=False)
    with spool.path.open("ab") as file:
        file.write(b"decision\t2026-11-20T09:00:00.000000Z\t{\"decision\":")  # the writer died mid-line
    assert [s.end for s in read_spool(spool.path, 0)] == ends
    assert [s.end for s in read_spool(spool.path, ends[0])] == ends[1:]
    spool.path.write_bytes(spool.path.read_bytes()[:ends[0]] + b"garbage\n")
    with pytest.raises(DataError, match=rf"{spool.name}.*byte {ends[0]}"):
        list(read_spool(spool.path, 0))


def test_a_live_spool_is_no_orphan_and_a_dead_one_is(tmp_path: Path) -> None:
    live = Spool.create(tmp_path)
    dead = Spool.create(tmp_path)
    dead.close(remove=False)  # its owner is gone: the lock went with it
    assert [path.name for path, _ in orphans(tmp_path)] == [dead.name]
    live.close(remove=True)
    assert not live.path.exists()


def test_recovery_ingests_a_dead_spool_once_from_where_the_store_stopped(store: Store, signer: Signer,
                                                                        tmp_path: Path) -> None:
    spool = Spool.create(tmp_path)
    written = entries(12)
    ends = [spool.write(e) for e in written]
    store.append_audit(written[:5], signer=signer, spooled=[(spool.name, ends[4])])  # ingested before the crash
    spool.close(remove=False)
    assert store.audit_spool_ingested(spool.name) == ends[4]

    assert recover_spools(store, tmp_path, signer, checkpoint_every=4) == 7
    assert recover_spools(store, tmp_path, signer, checkpoint_every=4) == 0  # gone: nothing twice
    records = store.audit_records(1, 100)
    assert [r.payload["decision"]["decision_id"] for r in records] == [f"dec-{i:06d}" for i in range(12)]
    assert not spool.path.exists() and store.audit_spool_ingested(spool.name) == 0
    assert verify_store(store, signer.public_key).ok


def _run(audit: SpooledAudit, body: Any) -> Any:
    async def main() -> Any:
        await audit.start()
        try:
            return await body()
        finally:
            await audit.close()
    return asyncio.run(main())


async def _until(condition: Any) -> bool:
    for _ in range(1000):  # polled, not timed
        if condition():
            return True
        await asyncio.sleep(0.01)
    return False


def test_spooled_records_reach_the_chain_and_close_removes_the_spool(store: Store, signer: Signer,
                                                                     tmp_path: Path) -> None:
    audit = SpooledAudit(store, signer, tmp_path / "spool", checkpoint_every=10)

    async def body() -> None:
        for i in range(30):
            await audit.append("decision", decision(i), at=T0)
            audit.append_later("completion", completion(i), at=T0)
        assert await _until(lambda: store.audit_head().seq == 60)

    _run(audit, body)
    assert [r.kind for r in store.audit_records(1, 4)] == ["decision", "completion"] * 2
    assert list((tmp_path / "spool").iterdir()) == []
    report = verify_store(store, signer.public_key)
    assert report.ok and report.anchored_through == 60


def test_a_store_that_refuses_makes_the_sink_unhealthy_and_nothing_is_lost(store: Store, store_url: str,
                                                                           signer: Signer, tmp_path: Path) -> None:
    audit = SpooledAudit(store, signer, tmp_path / "spool", checkpoint_every=1000)

    async def body() -> tuple[bool, str]:
        await audit.append("decision", decision(0), at=T0)
        assert await _until(lambda: store.audit_head().seq == 1)
        sql(store_url, "ALTER TABLE audit_spools RENAME TO audit_spools_away")  # every ingest now fails
        await audit.append("decision", decision(1), at=T0)
        assert await _until(lambda: not audit.healthy)
        with pytest.raises(StoreUnavailable) as refused:
            await audit.append("decision", decision(2), at=T0)
        audit.append_later("completion", completion(1), at=T0)  # its answer went out: still kept
        sql(store_url, "ALTER TABLE audit_spools_away RENAME TO audit_spools")
        assert await _until(lambda: audit.healthy and store.audit_head().seq == 3)
        return audit.healthy, str(refused.value)

    healthy, refusal = _run(audit, body)
    assert healthy and "cannot reach its store" in refusal
    kinds = [(r.kind, r.payload.get("decision_id") or r.payload["decision"]["decision_id"])
             for r in store.audit_records(1, 10)]
    assert kinds == [("decision", "dec-000000"), ("decision", "dec-000001"), ("completion", "dec-000001")]
    assert verify_store(store, signer.public_key).ok


def test_a_sink_that_starts_ingests_what_dead_processes_left(store: Store, signer: Signer, tmp_path: Path) -> None:
    directory = tmp_path / "spool"
    dead = Spool.create(directory)
    for entry in entries(4):
        dead.write(entry)
    dead.close(remove=False)
    audit = SpooledAudit(store, signer, directory, checkpoint_every=1000)

    async def body() -> None:
        await audit.append("decision", decision(9), at=T0)
        assert await _until(lambda: store.audit_head().seq == 5)

    _run(audit, body)
    ids = [json.loads(r.payload_text)["decision"]["decision_id"] for r in store.audit_records(1, 10)]
    assert ids == ["dec-000000", "dec-000001", "dec-000002", "dec-000003", "dec-000009"]


def test_flush_returns_once_everything_spooled_is_in_the_store(store: Store, signer: Signer, tmp_path: Path) -> None:
    audit = SpooledAudit(store, signer, tmp_path / "spool", checkpoint_every=1000, gather_ms=200)

    async def body() -> list[int]:
        seen = []
        for i in range(5):
            await audit.append("decision", decision(i), at=T0)
            audit.append_later("completion", completion(i), at=T0)
            await audit.flush()  # no polling: read-your-writes for the admin API
            seen.append(store.audit_head().seq)
        return seen

    assert _run(audit, body) == [2, 4, 6, 8, 10]


def test_spools_rotate_and_an_ingested_one_is_deleted(store: Store, store_url: str, signer: Signer,
                                                      tmp_path: Path) -> None:
    """A long-lived gateway must not keep every record it ever wrote on its disk."""
    from audit_samples import raw
    from sqlalchemy import text

    directory = tmp_path / "spool"
    audit = SpooledAudit(store, signer, directory, checkpoint_every=1000, rotate_bytes=2000)

    async def body() -> list[int]:
        files = []
        for i in range(60):
            await audit.append("decision", decision(i), at=T0)
            if i % 10 == 9:
                await audit.flush()
                assert await _until(lambda: len(list(directory.iterdir())) == 1)  # the ingested ones are gone
                files.append(len(list(directory.iterdir())))
        return files

    assert _run(audit, body) == [1] * 6
    assert list(directory.iterdir()) == []
    ids = [r.payload["decision"]["decision_id"] for r in store.audit_records(1, 100)]
    assert ids == [f"dec-{i:06d}" for i in range(60)]  # in spool order across the rotations
    assert verify_store(store, signer.public_key).ok
    with raw(store_url) as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_spools")).scalar() == 0


def test_recovery_takes_a_dead_processes_rotated_spools_in_the_order_they_were_made(
        store: Store, signer: Signer, tmp_path: Path) -> None:
    made = []
    for start in (0, 3, 6):
        spool = Spool.create(tmp_path)
        for entry in entries(3, start):
            spool.write(entry)
        spool.close(remove=False)
        made.append(spool.name)
    assert sorted(made) == made
    assert recover_spools(store, tmp_path, signer, checkpoint_every=1000) == 9
    ids = [r.payload["decision"]["decision_id"] for r in store.audit_records(1, 100)]
    assert ids == [f"dec-{i:06d}" for i in range(9)]


def test_a_spool_directory_that_cannot_be_made_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    from clearance.errors import ConfigError

    blocker = tmp_path / "home"
    blocker.write_text("a file where the home's directory should be")
    audit = SpooledAudit(store, None, blocker / "audit-spool", checkpoint_every=1000)
    with pytest.raises(ConfigError, match=r"audit spool directory .*home/audit-spool cannot be used"):
        asyncio.run(audit.start())
