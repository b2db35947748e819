"""Audit trail throughput and search, on SQLite and PostgreSQL.

Measured per backend:
- single appends: `AuditLog.append`, one record per transaction (what `decide --record` does);
- group commit: `AuditWriter` under 1, 16, 64 and 256 concurrent callers: records/s, records per
  transaction, and each append's latency until its commit (p50, p99);
- spooled: `SpooledAudit` (the gateway's sink) under 1 and 16 callers: each append's latency until
  its spool line is written, and records/s until every record is in the chain;
- verify: records/s checked by `clearance audit verify` (hash chain, checkpoints, search columns);
- search on a large log (default 1,000,000 records, bulk-loaded by `Store.append_audit` in big
  transactions): median and worst of 20 queries per filter, newest 50 first.

Run by hand:  .venv/bin/python benchmarks/audit.py [--quick] [--search-records N] [--postgres URL]
PostgreSQL: a throwaway database is created on the server (trust auth, user postgres) and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from clearance.audit import AuditLog, AuditWriter, Signer, SpooledAudit, verify_store
from clearance.store import Store
from clearance.store.audit_values import AuditEntry, AuditQuery

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DIRECTIVES = [f"DIR-{i:03d}" for i in range(100)]
EFFECTS = ["allow"] * 6 + ["deny"] * 2 + ["degrade", "safeguard"]
MODELS = ["fable-5", "mythos-5", "fable-4", "saga-2", "saga-3"]


def payload(rng: random.Random, i: int, subjects: int) -> dict[str, Any]:
    """A decision as the gateway records it, about 1 KB of canonical JSON."""
    subject = f"subject-{rng.randrange(subjects):06d}"
    effect = rng.choice(EFFECTS)
    named = rng.sample(DIRECTIVES, rng.choice((0, 1, 1, 2)))
    reasons = [{"code": "DEEMED_EXPORT", "directive": d, "license": None, "detail": "deemed export to IN",
                "attribute": "citizenship:IN", "effect": effect} for d in named] or [
        {"code": "NOT_RESTRICTED", "directive": None, "license": None, "detail": "", "attribute": None,
         "effect": None}]
    model = rng.choice(MODELS)
    return {
        "decision": {"decision_id": f"{i:012x}-{rng.getrandbits(64):016x}", "effect": effect, "model": model,
                     "served_model": model if effect != "deny" else None, "subject": subject,
                     "destinations": ["deemed:IN"], "reasons": reasons, "obligations": {}, "shadow": [],
                     "policy_version": "pv-abc123", "at": "2026-01-01T00:00:00Z"},
        "request": {"request_id": f"req-{i}", "route": "/v1/chat/completions", "api": "openai",
                    "subject": subject, "organization": f"org-{hash(subject) % 1000:03d}", "model": model,
                    "served_model": model, "destinations": ["deemed:IN"], "peer": "10.0.0.7",
                    "forwarded_for": ["203.0.113.9"], "credential_id": "key-0042"},
        "policy_version": "pv-abc123",
    }


@contextmanager
def backend(name: str, postgres: str) -> Iterator[str]:
    if name == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'audit.db'}"
        return
    database = f"clearance_bench_audit_{random.getrandbits(32):08x}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        try:
            yield make_url(postgres).set(database=database).render_as_string(hide_password=False)
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))


def single_appends(url: str, count: int) -> float:
    store = Store.open(url)
    try:
        log = AuditLog(store, Signer.generate())
        rng = random.Random(1)
        started = time.perf_counter()
        for i in range(count):
            log.append("decision", payload(rng, i, 1000), at=datetime.now(UTC))
        return count / (time.perf_counter() - started)
    finally:
        store.close()


def appends(url: str, callers: int, count: int, *, spooled: bool) -> tuple[float, float, float, float]:
    """(records/s until all are in the chain, records per transaction, append p50 ms, p99 ms) with
    `callers` appending at once: through `AuditWriter` (an append returns after its commit) or, with
    `spooled`, through `SpooledAudit` (after its spool line)."""
    store = Store.open(url)
    rng = random.Random(3 if spooled else 2)
    payloads = [payload(rng, i, 1000) for i in range(count)]
    latencies: list[float] = []

    async def caller(sink: AuditWriter | SpooledAudit, mine: list[dict[str, Any]]) -> None:
        for item in mine:
            started = time.perf_counter()
            await sink.append("decision", item, at=datetime.now(UTC))
            latencies.append(time.perf_counter() - started)
            if spooled:
                await asyncio.sleep(0)  # as a request would, between its records (a spooled append never yields)

    async def measured(sink: AuditWriter | SpooledAudit) -> float:
        await sink.start()
        first = store.audit_head().seq
        started = time.perf_counter()
        await asyncio.gather(*(caller(sink, payloads[n::callers]) for n in range(callers)))
        while store.audit_head().seq < first + count:  # spooled: until the last record is in the chain
            await asyncio.sleep(0.001)
        elapsed = time.perf_counter() - started
        await sink.close()
        return elapsed

    async def main() -> tuple[float, AuditWriter | SpooledAudit]:
        if not spooled:
            writer = AuditWriter(store, Signer.generate())
            return await measured(writer), writer
        with tempfile.TemporaryDirectory() as directory:
            sink = SpooledAudit(store, Signer.generate(), Path(directory), checkpoint_every=1000)
            return await measured(sink), sink

    try:
        elapsed, sink = asyncio.run(main())
    finally:
        store.close()
    latencies.sort()
    per_transaction = (sink.records / max(sink.reports, 1) if isinstance(sink, SpooledAudit)
                       else sink.records / max(sink.batches, 1))
    return (count / elapsed, per_transaction, 1000 * statistics.median(latencies),
            1000 * latencies[int(len(latencies) * 0.99)])


def verify_rate(url: str, signer: Signer) -> tuple[int, float]:
    store = Store.open(url)
    try:
        started = time.perf_counter()
        report = verify_store(store, signer.public_key)
        elapsed = time.perf_counter() - started
        assert report.ok, report.problems[:3]
        return report.records, report.records / elapsed
    finally:
        store.close()


def bulk_load(url: str, count: int, subjects: int, signer: Signer) -> float:
    """`count` records through the ordinary append path in transactions of 20,000; records/s."""
    store = Store.open(url)
    rng = random.Random(3)
    try:
        started = time.perf_counter()
        batch = 20_000
        for start in range(0, count, batch):
            entries = [AuditEntry.of("decision", payload(rng, i, subjects), at=T0 + timedelta(seconds=i))
                       for i in range(start, min(count, start + batch))]
            store.append_audit(entries, signer=signer, checkpoint_every=10_000)
            print(f"\r  loaded {min(count, start + batch):,} / {count:,}", end="", flush=True)
        elapsed = time.perf_counter() - started
        print()
        if url.startswith("postgresql"):
            with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
                conn.execute("ANALYZE")
        return count / elapsed
    finally:
        store.close()


def hour(start: datetime) -> AuditQuery:
    return AuditQuery(since=start, until=start + timedelta(hours=1))


def search_times(url: str, count: int, subjects: int) -> list[tuple[str, float, float, float]]:
    """(filter, median ms, max ms, mean hits) over 20 queries each."""
    store = Store.open(url)
    rng = random.Random(4)
    window = timedelta(seconds=count)
    queries: dict[str, Callable[[], AuditQuery]] = {
        "--subject": lambda: AuditQuery(subject=f"subject-{rng.randrange(subjects):06d}"),
        "--organization": lambda: AuditQuery(organization=f"org-{rng.randrange(1000):03d}"),
        "--directive": lambda: AuditQuery(directive=rng.choice(DIRECTIVES)),
        "--effect deny": lambda: AuditQuery(effect="deny"),
        "--model --effect": lambda: AuditQuery(model=rng.choice(MODELS), effect="degrade"),
        "--directive --effect": lambda: AuditQuery(directive=rng.choice(DIRECTIVES), effect="safeguard"),
        "--since/--until (1 h)": lambda: hour(T0 + window * rng.random()),
        "--subject --since": lambda: AuditQuery(subject=f"subject-{rng.randrange(subjects):06d}",
                                                since=T0 + window / 2),
    }
    out = []
    try:
        for name, make in queries.items():
            times, hits = [], []
            for _ in range(20):
                query = make()
                started = time.perf_counter()
                found = store.search_audit(query)
                times.append(1000 * (time.perf_counter() - started))
                hits.append(len(found))
            out.append((name, statistics.median(times), max(times), statistics.mean(hits)))
    finally:
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer records everywhere (a smoke run)")
    parser.add_argument("--search-records", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    single_n, group_n = (100, 1_000) if args.quick else (500, 10_000)
    search_n = 20_000 if args.quick else args.search_records
    subjects = max(100, search_n // 20)

    throughput: list[tuple[str, str, float, str, str]] = []
    searches: dict[str, list[tuple[str, float, float, float]]] = {}
    loads: dict[str, tuple[float, int, float]] = {}
    for name in args.backends.split(","):
        print(f"== {name}")
        with backend(name, args.postgres) as url:
            rate = single_appends(url, single_n)
            throughput.append((name, "single appends (1 per transaction)", rate, "1", ""))
            for callers in (1, 16, 64, 256):
                rate, per_tx, p50, p99 = appends(url, callers, group_n, spooled=False)
                throughput.append((name, f"group commit, {callers} callers", rate, f"{per_tx:.1f}",
                                   f"{p50:.2f} / {p99:.2f}"))
            for callers in (1, 16):
                rate, per_tx, p50, p99 = appends(url, callers, group_n, spooled=True)
                throughput.append((name, f"spooled (gateway), {callers} callers", rate, f"{per_tx:.1f}",
                                   f"{p50:.3f} / {p99:.3f}"))
        with backend(name, args.postgres) as url:
            signer = Signer.generate()
            load = bulk_load(url, search_n, subjects, signer)
            records, verify = verify_rate(url, signer)
            loads[name] = (load, records, verify)
            searches[name] = search_times(url, search_n, subjects)

    print("\nAppend throughput (group commit: an append returns after its commit; spooled: after its spool line)")
    print(f"{'backend':<11}{'mode':<38}{'records/s':>11}{'per tx':>9}   append p50 / p99 ms")
    for name, mode, records_per_s, per_transaction, lat in throughput:
        print(f"{name:<11}{mode:<38}{records_per_s:>11,.0f}{per_transaction:>9}   {lat}")
    print(f"\nLarge log: {search_n:,} records, {subjects:,} subjects")
    for name, (load, records, verify) in loads.items():
        print(f"{name:<11}bulk load {load:>9,.0f} records/s   verify {verify:>9,.0f} records/s ({records:,})")
    print("\nSearch (newest 50; 20 queries each): median / max ms, mean hits")
    print(f"{'filter':<24}" + "".join(f"{name:>28}" for name in searches))
    names = [row[0] for row in next(iter(searches.values()))]
    for index, label in enumerate(names):
        cells = "".join(f"{rows[index][1]:>12.2f} / {rows[index][2]:>6.1f} ({rows[index][3]:>4.0f})"
                        for rows in searches.values())
        print(f"{label:<24}{cells}")


if __name__ == "__main__":
    main()
