"""Tampering straight in the database (SQLite and PostgreSQL), each kind caught at the right record."""

from __future__ import annotations

import itertools
import json

import pytest
from audit_samples import decision, fill, raw, sql
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from clearance.audit import Signer, verify_store
from clearance.audit.verify_pack import Report
from clearance.store import Store
from clearance.store.audit_chain import GENESIS, at_text, record_hash

COUNT = 30  # checkpoints every 10: at 10, 20, 30


def first_problem(report: Report) -> tuple[int, str]:
    assert not report.ok, "tampering went unnoticed"
    return report.problems[0]


@pytest.fixture
def filled(store: Store, signer: Signer) -> Store:
    fill(store, signer, COUNT)
    return store


def test_an_untouched_chain_verifies(filled: Store, signer: Signer) -> None:
    report = verify_store(filled, signer.public_key)
    assert report.ok, report.problems
    assert (report.first_seq, report.last_seq, report.records) == (1, COUNT, COUNT)
    assert report.checkpoints == 3
    assert report.anchored_through == COUNT


def test_records_link_in_seq_order_from_genesis(filled: Store) -> None:
    records = filled.audit_records(1, COUNT)
    assert [r.seq for r in records] == list(range(1, COUNT + 1))
    assert records[0].prev == GENESIS
    for before, after in itertools.pairwise(records):
        assert after.prev == before.hash
    for r in records:
        assert r.hash == record_hash(r.seq, r.prev, r.at_text, r.kind, r.payload_text)


def test_a_changed_payload_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    payload = json.loads(filled.audit_records(7, 7)[0].payload_text)
    payload["decision"]["effect"] = "allow"
    sql(store_url, "UPDATE audit_records SET payload = :p WHERE seq = 7",
        p=json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 7
    assert "changed after it was written" in problem


def test_a_changed_time_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    record = filled.audit_records(12, 12)[0]
    sql(store_url, "UPDATE audit_records SET at = :at WHERE seq = 12",
        at=record.at.replace(year=2025) if "sqlite" not in store_url else
        record.at.replace(year=2025, tzinfo=None).isoformat(sep=" "))
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 12
    assert "changed after it was written" in problem


def test_a_deleted_record_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    sql(store_url, "DELETE FROM audit_records WHERE seq = 15")
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 15
    assert "missing" in problem


def test_a_deleted_first_record_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    sql(store_url, "DELETE FROM audit_records WHERE seq = 1")
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 1
    assert "no signed checkpoint" in problem


def test_records_cut_off_the_end_are_named(filled: Store, signer: Signer, store_url: str) -> None:
    sql(store_url, "DELETE FROM audit_records WHERE seq > 27")
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 28
    assert "missing from the end" in problem


def test_a_forged_record_at_the_end_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    last = filled.audit_records(COUNT, COUNT)[0]
    forged = json.dumps(decision(999), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    at = at_text(last.at)
    digest = record_hash(COUNT + 1, last.hash, at, "decision", forged)  # a well-formed link: hashes are public
    sql(store_url, "INSERT INTO audit_records (seq, at, kind, prev, hash, payload, decision_id, subject, effect, "
                   "model, organization) VALUES (:seq, :at, 'decision', :prev, :hash, :payload, 'dec-000999', "
                   "'ravi', 'deny', 'fable-5', 'acme')",
        seq=COUNT + 1, at=last.at if "sqlite" not in store_url else last.at.replace(tzinfo=None).isoformat(sep=" "),
        prev=last.hash, hash=digest, payload=forged)
    sql(store_url, "INSERT INTO audit_directives (directive, seq) VALUES ('BIS-2026-AI-001', :seq)", seq=COUNT + 1)
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == COUNT + 1
    assert "added outside the log" in problem


def test_a_record_forged_into_the_middle_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    # Make room at 16 (move 16..30 up by one) and forge a record there linking to 15.
    with raw(store_url) as conn:
        for seq in range(COUNT, 15, -1):
            conn.execute(text("UPDATE audit_records SET seq = :new WHERE seq = :old"), {"new": seq + 1, "old": seq})
        fifteen = conn.execute(text("SELECT hash, at FROM audit_records WHERE seq = 15")).one()
        conn.execute(text("INSERT INTO audit_records (seq, at, kind, prev, hash, payload) "
                          "SELECT 16, at, kind, :prev, :hash, payload FROM audit_records WHERE seq = 15"),
                     {"prev": fifteen.hash, "hash": "f" * 64})
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 16
    assert "changed after it was written" in problem


def test_two_swapped_records_are_named(filled: Store, signer: Signer, store_url: str) -> None:
    with raw(store_url) as conn:
        conn.execute(text("UPDATE audit_records SET seq = -1 WHERE seq = 21"))
        conn.execute(text("UPDATE audit_records SET seq = 21 WHERE seq = 22"))
        conn.execute(text("UPDATE audit_records SET seq = 22 WHERE seq = -1"))
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 21
    assert "changed after it was written" in problem


def test_a_chain_rewritten_after_a_change_is_caught_by_the_next_checkpoint(
        filled: Store, signer: Signer, store_url: str) -> None:
    # The careful attacker: change record 13 and recompute every hash after it.  Only the signature
    # at 20, which they cannot redo, still holds the old chain.
    records = filled.audit_records(1, COUNT)
    prev = records[11].hash
    with raw(store_url) as conn:
        for r in records[12:]:
            payload = r.payload_text.replace('"effect":"deny"', '"effect":"allow"') if r.seq == 13 else r.payload_text
            digest = record_hash(r.seq, prev, r.at_text, r.kind, payload)
            conn.execute(text("UPDATE audit_records SET payload = :p, prev = :prev, hash = :h, "
                              "effect = CASE WHEN seq = 13 THEN 'allow' ELSE effect END WHERE seq = :s"),
                         {"p": payload, "prev": prev, "h": digest, "s": r.seq})
            prev = digest
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    assert '"effect":"deny"' in records[12].payload_text
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 20
    assert "rewritten" in problem and "after record 10" in problem


@pytest.mark.parametrize(("column", "value"), [
    ("signature", "AAAA"), ("hash", "0" * 64), ("at", None), ("key_id", "0123456789abcdef")])
def test_an_edited_checkpoint_is_named(filled: Store, signer: Signer, store_url: str, column: str,
                                       value: str | None) -> None:
    if column == "at":
        sql(store_url, "UPDATE audit_checkpoints SET at = :v WHERE seq = 20",
            v="2027-01-01 00:00:00.000000" if "sqlite" in store_url else "2027-01-01T00:00:00Z")
    else:
        sql(store_url, f"UPDATE audit_checkpoints SET {column} = :v WHERE seq = 20", v=value)
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 20
    assert "checkpoint at 20" in problem


def test_checkpoints_signed_by_another_key_fail(filled: Store) -> None:
    seq, problem = first_problem(verify_store(filled, Signer.generate().public_key))
    assert seq == 10
    assert "not by the given key" in problem


def test_an_edited_search_column_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    sql(store_url, "UPDATE audit_records SET subject = 'nobody' WHERE seq = 4")
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 4
    assert "search column subject" in problem


def test_a_removed_directive_index_entry_is_named(filled: Store, signer: Signer, store_url: str) -> None:
    sql(store_url, "DELETE FROM audit_directives WHERE seq = 5 AND directive = 'CRIMEA-2014'")
    seq, problem = first_problem(verify_store(filled, signer.public_key))
    assert seq == 5
    assert "search column directives" in problem


def test_a_range_verifies_alone_and_finds_what_is_in_it(filled: Store, signer: Signer, store_url: str) -> None:
    assert verify_store(filled, signer.public_key, first=11, last=19).ok
    sql(store_url, "DELETE FROM audit_records WHERE seq = 25")
    assert verify_store(filled, signer.public_key, first=11, last=19).ok
    seq, _ = first_problem(verify_store(filled, signer.public_key, first=21, last=29))
    assert seq == 25


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_change_to_a_stored_payload_is_detected(
        store: Store, signer: Signer, store_url: str, data: st.DataObject) -> None:
    if store.audit_head().seq == 0:
        fill(store, signer, 6, checkpoint_every=3)
    seq = data.draw(st.integers(1, 6), label="seq")
    original = store.audit_records(seq, seq)[0].payload_text
    raw_bytes = bytearray(original.encode("utf-8"))
    index = data.draw(st.integers(0, len(raw_bytes) - 1), label="byte")
    new = data.draw(st.integers(1, 255).filter(lambda b: b != raw_bytes[index]), label="value")
    raw_bytes[index] = new
    try:
        changed = raw_bytes.decode("utf-8")
    except UnicodeDecodeError:
        changed = ""
    assume(changed)  # the database keeps text; bytes that are not UTF-8 cannot be stored at all
    sql(store_url, "UPDATE audit_records SET payload = :p WHERE seq = :s", p=changed, s=seq)
    try:
        seq_found, _ = first_problem(verify_store(store, signer.public_key))
        assert seq_found == seq
    finally:
        sql(store_url, "UPDATE audit_records SET payload = :p WHERE seq = :s", p=original, s=seq)
    assert verify_store(store, signer.public_key).ok
