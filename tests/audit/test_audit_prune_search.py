"""Retention (prune keeps verify green, anchored by a signed checkpoint) and search."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from audit_samples import T0, decision, fill, sql
from sqlalchemy import text

from clearance.audit import AuditLog, Signer, verify_store, write_pack
from clearance.audit.verify_pack import verify_pack
from clearance.errors import ConfigError
from clearance.store import Store
from clearance.store.audit_values import AuditQuery


def test_prune_keeps_the_rest_verifiable(store: Store, signer: Signer, tmp_path: Path) -> None:
    fill(store, signer, 40, checkpoint_every=10)
    result = store.prune_audit(T0 + timedelta(minutes=17), signer=signer)
    assert result.deleted == 17
    assert result.first_seq == 18
    assert result.anchor is not None and result.anchor.seq == 17
    assert store.audit_bounds() == (18, 40)
    assert [c.seq for c in store.audit_checkpoints(0, 100)] == [17, 20, 30, 40]
    report = verify_store(store, signer.public_key)
    assert report.ok, report.problems
    assert report.first_seq == 18
    # and the trail goes on
    AuditLog(store, signer).append("decision", decision(99), at=T0 + timedelta(days=1))
    assert verify_store(store, signer.public_key).ok
    write_pack(store, signer, tmp_path / "after.zip")
    assert verify_pack(tmp_path / "after.zip").ok


def test_prune_at_an_existing_checkpoint_reuses_it(store: Store, signer: Signer) -> None:
    fill(store, signer, 25, checkpoint_every=10)
    result = store.prune_audit(T0 + timedelta(minutes=10), signer=None)  # boundary 10 is signed already
    assert result.deleted == 10 and result.anchor is not None and result.anchor.seq == 10
    assert verify_store(store, signer.public_key).ok


def test_prune_everything_leaves_a_verifiable_empty_log(store: Store, signer: Signer) -> None:
    fill(store, signer, 12, checkpoint_every=10)
    result = store.prune_audit(T0 + timedelta(days=1), signer=signer)
    assert result.deleted == 12 and result.first_seq is None
    assert store.audit_bounds() is None
    assert verify_store(store, signer.public_key).ok
    AuditLog(store, signer).append("decision", decision(1), at=T0 + timedelta(days=2))
    assert store.audit_bounds() == (13, 13)
    assert verify_store(store, signer.public_key).ok


def test_prune_needs_the_key_where_no_checkpoint_is(store: Store, signer: Signer) -> None:
    fill(store, signer, 25, checkpoint_every=10)
    with pytest.raises(ConfigError, match="needs its signing key"):
        store.prune_audit(T0 + timedelta(minutes=15), signer=None)
    assert store.audit_bounds() == (1, 25)  # nothing deleted


def test_prune_with_nothing_old_deletes_nothing(store: Store, signer: Signer) -> None:
    fill(store, signer, 5)
    assert store.prune_audit(T0, signer=signer).deleted == 0
    assert store.audit_bounds() == (1, 5)


def test_deleting_old_records_without_a_prune_is_caught(store: Store, signer: Signer, store_url: str) -> None:
    fill(store, signer, 25, checkpoint_every=10)
    sql(store_url, "DELETE FROM audit_records WHERE seq <= 14")  # no checkpoint at 14 anchors 15
    report = verify_store(store, signer.public_key)
    assert not report.ok and report.problems[0][0] == 14


# Search


@pytest.fixture
def searchable(store: Store, signer: Signer) -> Store:
    fill(store, signer, 60, checkpoint_every=20)
    return store


def seqs(store: Store, **filters: object) -> list[int]:
    return [r.seq for r in store.search_audit(AuditQuery(**filters))]  # type: ignore[arg-type]


def expected(predicate: object, count: int = 60) -> list[int]:
    """Seqs (newest first) of the decisions `fill` wrote whose payload matches."""
    out = []
    for i in range(count):
        if i % 3 != 2 and predicate(decision(i)):  # type: ignore[operator]
            out.append(i + 1)
    return sorted(out, reverse=True)


@pytest.mark.parametrize(("filters", "predicate"), [
    ({"subject": "alice"}, lambda p: p["decision"]["subject"] == "alice"),
    ({"organization": "acme"}, lambda p: p["request"]["organization"] == "acme"),
    ({"effect": "deny"}, lambda p: p["decision"]["effect"] == "deny"),
    ({"model": "mythos-5"}, lambda p: p["decision"]["model"] == "mythos-5"),
    ({"directive": "CRIMEA-2014"}, lambda p: any(r["directive"] == "CRIMEA-2014" for r in p["decision"]["reasons"])),
    ({"directive": "BIS-2026-AI-001", "subject": "ravi"}, lambda p: p["decision"]["subject"] == "ravi"),
    ({"organization": "acme", "effect": "deny", "model": "mythos-5"},
     lambda p: p["request"]["organization"] == "acme" and p["decision"]["effect"] == "deny"
     and p["decision"]["model"] == "mythos-5"),
    ({"subject": "nobody"}, lambda p: False),
], ids=["subject", "organization", "effect", "model", "directive", "directive+subject", "three", "none"])
def test_search_filters(searchable: Store, filters: dict[str, object], predicate: object) -> None:
    assert seqs(searchable, limit=1000, **filters) == expected(predicate)


def test_search_by_time_kind_and_decision(searchable: Store) -> None:
    found = seqs(searchable, since=T0 + timedelta(minutes=10), until=T0 + timedelta(minutes=20), limit=100)
    assert found == list(range(20, 10, -1))
    assert seqs(searchable, kind="completion", limit=5) == [60, 57, 54, 51, 48]
    assert seqs(searchable, decision_id="dec-000004") == [6, 5]  # the decision and its completion


def test_search_pages_newest_first(searchable: Store) -> None:
    first = seqs(searchable, subject="alice", limit=5)
    second = seqs(searchable, subject="alice", limit=5, before_seq=first[-1])
    assert first + second == expected(lambda p: p["decision"]["subject"] == "alice")[:10]


def test_search_uses_the_indexes(searchable: Store, store_url: str) -> None:
    """The query plan walks an index, never the whole table, for every filter."""
    from audit_samples import raw

    from clearance.store import audit as audit_rows

    for filters in ({"subject": "x"}, {"organization": "x"}, {"effect": "deny"}, {"model": "x"},
                    {"directive": "x"}, {"decision_id": "x"}):
        with raw(store_url) as conn:
            query = audit_rows.search_statement(AuditQuery(**filters))  # type: ignore[arg-type]
            compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
            if conn.dialect.name == "sqlite":
                plan = " ".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert "USING" in plan and "SCAN audit_records" not in plan, (filters, plan)
            else:
                conn.execute(text("SET LOCAL enable_seqscan = off"))  # the table is tiny: ask what it would use
                plan = " ".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
                assert "Index" in plan and "Seq Scan" not in plan, (filters, plan)
