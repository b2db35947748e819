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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.audit import Signer, SpooledAudit, verify_store
from clearance.audit.ingest import Ingester, recover_spools
from clearance.audit.ingester_process import next_wait
from clearance.audit.spool import Spool, SpooledEntry, SpoolTail, orphans, spool_line
from clearance.errors import Conflict, DataError, StoreUnavailable
from clearance.store import Store
from clearance.store.audit_values import AuditEntry, SpoolMark

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text()
                    | st.floats(allow_nan=False, allow_infinity=False),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12)


def entry_line(entry: AuditEntry) -> bytes:
    """The line a dead process would have left for `entry` (canonical text, as `spool_line` reads back)."""
    return f"{entry.kind}\t{entry.at_text}\t{entry.payload}\n".encode()


def read_spool(path: Path, start: int) -> list[SpooledEntry]:
    """Every whole line from `start` on, as a recovery reads them."""
    tail = SpoolTail(path, start)
    try:
        return tail.peek(1_000_000)
    finally:
        tail.close()


def entries(count: int, start: int = 0) -> list[AuditEntry]:
    return [AuditEntry.of("decision", decision(i), at=T0 + timedelta(seconds=i)) for i in range(start, start + count)]


@settings(max_examples=200, deadline=None)
@given(extra=JSON, at=st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(UTC)))
def test_a_spooled_line_reads_back_as_the_very_entry_written(tmp_path_factory: pytest.TempPathFactory,
                                                             extra: Any, at: datetime) -> None:
    """Tabs, newlines and any Unicode in a payload cannot break a line (JSON escapes them), and the line,
    written by orjson, is read back into exactly the entry (canonical text included) the standard
    library's encoding makes of the same record."""
    directory = tmp_path_factory.mktemp("spool")
    payload = {"decision_id": "d\t1\n", "extra": extra}
    entry = AuditEntry.of("completion", payload, at=at)
    spool = Spool.create(directory)
    end = spool.write(spool_line("completion", payload, at=at))  # the gateway's lean path
    spool.close(remove=False)
    [back] = list(read_spool(spool.path, 0))
    assert back.entry == entry and back.end == end == spool.path.stat().st_size


@pytest.mark.parametrize(("kind", "payload", "message"), [
    ("decision", {"decision_id": "x"}, "payload field decision must be an object"),
    ("completion", {"decision": {}}, "payload field decision_id must be a string"),
    ("verdict", {"decision": {}}, 'kind "verdict" is not one of'),
    ("completion", {"decision_id": "x", "at": T0}, "not plain JSON"),
])
def test_a_bad_record_is_refused_before_it_reaches_the_spool(kind: str, payload: Any, message: str) -> None:
    with pytest.raises(DataError, match=message):
        spool_line(kind, payload, at=T0)


def test_a_torn_last_line_is_left_out_and_a_bad_line_is_named(tmp_path: Path) -> None:
    spool = Spool.create(tmp_path)
    ends = [spool.write(entry_line(e)) for e in entries(3)]
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
    ends = [spool.write(entry_line(e)) for e in written]
    store.append_audit(written[:5], signer=signer, spooled=[SpoolMark(spool.name, 0, ends[4])])  # before the crash
    spool.close(remove=False)
    assert store.audit_spool_ingested(spool.name) == ends[4]

    assert recover_spools(store, tmp_path, signer, checkpoint_every=4) == 7
    assert recover_spools(store, tmp_path, signer, checkpoint_every=4) == 0  # gone: nothing twice
    records = store.audit_records(1, 100)
    assert [r.payload["decision"]["decision_id"] for r in records] == [f"dec-{i:06d}" for i in range(12)]
    assert not spool.path.exists()
    assert store.audit_spool_ingested(spool.name) == ends[-1]  # kept: a late ingester of it links nothing
    assert verify_store(store, signer.public_key).ok


@pytest.mark.parametrize(("recorded", "start", "linked"), [
    (None, 0, True),     # a spool the store has not seen, from its start
    (None, 100, False),  # ... but not from the middle
    (100, 100, True),    # carrying on from where the store is
    (100, 0, False),     # again from the start: someone else got there first
    (100, 50, False),
    (100, 150, False),   # past it: a gap
])
def test_an_append_from_a_spool_must_start_where_the_store_stopped(store: Store, signer: Signer, recorded: int | None,
                                                                   start: int, linked: bool) -> None:
    first, second = entries(2)
    if recorded is not None:
        store.append_audit([first], signer=signer, spooled=[SpoolMark("s.spool", 0, recorded)])
    before = store.audit_head().seq
    if linked:
        store.append_audit([second], signer=signer, spooled=[SpoolMark("s.spool", start, 200)])
        assert store.audit_head().seq == before + 1 and store.audit_spool_ingested("s.spool") == 200
    else:
        with pytest.raises(Conflict, match=r"s\.spool"):
            store.append_audit([second], signer=signer, spooled=[SpoolMark("s.spool", start, 200)])
        assert store.audit_head().seq == before  # nothing linked, the offset unmoved
        assert store.audit_spool_ingested("s.spool") == (recorded or 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.integers(0, 6), st.booleans(), st.integers(1, 4)), min_size=1, max_size=12))
def test_two_ingesters_of_one_growing_spool_link_each_record_once_in_order(
        store: Store, tmp_path_factory: pytest.TempPathFactory, plan: list[tuple[int, bool, int]]) -> None:
    """A killed gateway's ingester and a recovery may work on the same spool at once."""
    directory = tmp_path_factory.mktemp("spool")
    spool = Spool.create(directory)
    base = store.audit_head().seq
    ingesters = [Ingester(store, None, checkpoint_every=0, max_batch=3) for _ in range(2)]
    tails = [ingester.follow(spool.path) for ingester in ingesters]
    written = 0
    for more, which, _ in plan:
        for entry in entries(more, written):
            spool.write(entry_line(entry))
        written += more
        ingesters[which].ingest(tails[which])
    for ingester, tail in zip(ingesters, tails, strict=True):
        ingester.ingest(tail)
        tail.close()
    spool.close(remove=True)
    linked = [r.payload["decision"]["decision_id"] for r in store.audit_records(base + 1, base + 1000)]
    assert linked == [f"dec-{i:06d}" for i in range(written)]


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
        dead.write(entry_line(entry))
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
    with raw(store_url) as conn:  # each rotated spool's final offset stays on record
        assert conn.execute(text("SELECT count(*) FROM audit_spools")).scalar() >= 6


def test_recovery_takes_a_dead_processes_rotated_spools_in_the_order_they_were_made(
        store: Store, signer: Signer, tmp_path: Path) -> None:
    made = []
    for start in (0, 3, 6):
        spool = Spool.create(tmp_path)
        for entry in entries(3, start):
            spool.write(entry_line(entry))
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


def test_an_ingester_that_dies_is_started_again_and_nothing_is_lost(store: Store, signer: Signer,
                                                                   tmp_path: Path) -> None:
    audit = SpooledAudit(store, signer, tmp_path / "spool", checkpoint_every=1000, gather_ms=5)

    async def body() -> int:
        for i in range(3):
            await audit.append("decision", decision(i), at=T0)
        assert await _until(lambda: store.audit_head().seq == 3)
        ingester = audit._ingester
        assert ingester is not None
        ingester.kill()  # what the OOM killer would do
        await ingester.wait()
        for i in range(3, 6):
            audit.append_later("decision", decision(i), at=T0)  # spooled meanwhile, whatever the ingester does
        assert await _until(lambda: audit.restarts == 1 and audit.healthy and store.audit_head().seq == 6)
        return audit.restarts

    assert _run(audit, body) == 1
    ids = [r.payload["decision"]["decision_id"] for r in store.audit_records(1, 100)]
    assert ids == [f"dec-{i:06d}" for i in range(6)]
    assert verify_store(store, signer.public_key).ok


def test_an_ingester_whose_parent_is_gone_links_what_is_spooled_and_removes_the_spools(
        store: Store, signer: Signer, tmp_path: Path) -> None:
    """A gateway process killed with SIGKILL cannot say goodbye: its ingester sees its input end."""
    import subprocess
    import sys

    from clearance.audit.ingest_protocol import IngesterSettings

    spools = [Spool.create(tmp_path) for _ in range(2)]
    for number, spool in enumerate(spools):
        for entry in entries(3, 3 * number):
            spool.write(entry_line(entry))
    child = subprocess.Popen([sys.executable, "-m", "clearance.audit.ingester_process"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    settings = IngesterSettings(store.url, signer.private_pem().decode(), checkpoint_every=1000, gather_ms=5,
                                max_batch=2)
    lines = [settings.to_line(), *(f"follow {spool.path}\n".encode() for spool in spools)]
    out, err = child.communicate(b"".join(lines), timeout=60)
    assert child.returncode == 0, err.decode()
    reports = out.decode().splitlines()
    assert f"removed {spools[0].name}" in reports and f"removed {spools[1].name}" in reports
    assert f"ingested {spools[1].name} {spools[1].written} 3" in reports
    assert not any(spool.path.exists() for spool in spools)
    ids = [r.payload["decision"]["decision_id"] for r in store.audit_records(1, 100)]
    assert ids == [f"dec-{i:06d}" for i in range(6)]
    report = verify_store(store, signer.public_key)
    assert report.ok and report.anchored_through == 6  # it signed a checkpoint on its way out


def test_a_stuck_ingester_takes_the_sink_out_and_is_replaced(store: Store, signer: Signer, tmp_path: Path) -> None:
    """Stuck, not failed: it says nothing, so the sink must notice that records wait and nothing moves."""
    import os
    import signal

    audit = SpooledAudit(store, signer, tmp_path / "spool", checkpoint_every=1000, gather_ms=5, stall_seconds=0.5)

    async def body() -> tuple[bool, int]:
        await audit.append("decision", decision(0), at=T0)
        assert await _until(lambda: store.audit_head().seq == 1)
        ingester = audit._ingester
        assert ingester is not None
        os.kill(ingester.pid, signal.SIGSTOP)  # a hung connection, as far as the sink can tell
        await audit.append("decision", decision(1), at=T0)
        assert await _until(lambda: not audit.healthy)
        went_out = not audit.healthy
        assert await _until(lambda: audit.healthy and store.audit_head().seq == 2)
        return went_out, audit.restarts

    went_out, restarts = _run(audit, body)
    assert went_out and restarts == 1
    ids = [r.payload["decision"]["decision_id"] for r in store.audit_records(1, 10)]
    assert ids == ["dec-000000", "dec-000001"]


@pytest.mark.parametrize(("previous", "gather", "linked", "expected"), [
    (0.05, 0.05, 10, 0.05),   # records came: gather again
    (0.4, 0.05, 1, 0.05),     # the first record after a quiet spell: back to gathering at once
    (0.05, 0.05, 0, 0.1),     # nothing: look half as often
    (0.2, 0.05, 0, 0.4),
    (0.4, 0.05, 0, 0.4),      # never less often than this
    (2.0, 0.05, 0, 0.4),      # after a failure's back-off
    (0.0, 0.0, 0, 0.01),      # no gathering configured: still no busy loop when idle
])
def test_an_idle_ingester_looks_less_often_and_a_busy_one_gathers(previous: float, gather: float, linked: int,
                                                                   expected: float) -> None:
    assert next_wait(previous, gather, linked) == pytest.approx(expected)


@given(waits=st.lists(st.integers(0, 5), max_size=30), gather=st.sampled_from([0.0, 0.01, 0.05, 0.2]))
def test_the_ingesters_wait_stays_between_its_bounds(waits: list[int], gather: float) -> None:
    wait = gather
    for linked in waits:
        wait = next_wait(wait, gather, linked)
        assert (wait == gather) if linked else (max(gather, 0.01) <= wait <= 0.4)
