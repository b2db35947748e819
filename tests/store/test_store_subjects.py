"""Subjects: exact round trips, all-or-nothing imports, nothing written when nothing changed."""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from store_samples import subject

from clearance.domain.subjects import Nationality, Subject, UsPersonStatus
from clearance.errors import Conflict, NotFound
from clearance.store import Store
from clearance.store.engine import build_engine, normalize_url
from clearance.store.tables import subjects as subjects_table

VARIETY = [
    subject("alice"),
    subject("bob", name="Bøb Ünïcode 鮑勃", organization=None, citizenships=(), permanent_residence=None,
            us_person=None, email=None),
    subject("carol", citizenships=(Nationality("CN"),), permanent_residence=Nationality("CA", date(2020, 1, 31)),
            us_person=None),
    subject("dave", organization="", name="", citizenships=(Nationality("US"),),
            us_person=UsPersonStatus.CITIZEN),
    subject("erin", citizenships=(Nationality("RU", date(1990, 12, 31)), Nationality("IL"),
                                  Nationality("DE", date(2024, 2, 29))),
            us_person=UsPersonStatus.PROTECTED),
]


def test_round_trips_every_field(store: Store) -> None:
    store.import_subjects(VARIETY, actor="hr-sync")
    assert store.subjects() == sorted(VARIETY, key=lambda s: s.id)
    for expected in VARIETY:
        assert store.subject(expected.id) == expected


def test_updates_round_trip_every_field(store: Store) -> None:
    store.import_subjects(VARIETY, actor="hr-sync")
    ids = [s.id for s in VARIETY]
    swapped = [dataclasses.replace(s, id=ids[(n + 1) % len(ids)]) for n, s in enumerate(VARIETY)]
    result = store.import_subjects(swapped, actor="hr-sync")
    assert (result.created, result.updated, result.unchanged) == (0, 5, 0)
    assert store.subjects() == sorted(swapped, key=lambda s: s.id)


def test_stores_the_fingerprint_of_each_version(store: Store, store_url: str) -> None:
    store.import_subjects(VARIETY[:3], actor="hr-sync")
    store.import_subjects([*VARIETY[2:], subject("alice", us_person=None)], actor="hr-sync")
    engine = build_engine(normalize_url(store_url))
    try:
        with engine.connect() as conn:
            rows = {row.id: row.fingerprint for row in conn.execute(select(subjects_table))}
    finally:
        engine.dispose()
    assert rows == {s.id: s.fingerprint for s in [*VARIETY[1:], subject("alice", us_person=None)]}


def test_counts_created_updated_and_unchanged(store: Store) -> None:
    first = store.import_subjects(VARIETY, actor="hr-sync")
    assert (first.created, first.updated, first.unchanged, first.revision) == (5, 0, 0, 1)

    changed = [subject("alice", email="alice@new.example"), subject("carol", citizenships=(Nationality("CN"),),
               permanent_residence=Nationality("US"), us_person=UsPersonStatus.LPR), subject("frank")]
    second = store.import_subjects([*changed, VARIETY[1]], actor="hr-sync")
    assert (second.created, second.updated, second.unchanged, second.total) == (1, 2, 1, 4)
    assert second.revision == store.revision() == 2
    assert store.subject("alice").email == "alice@new.example"
    assert store.subject("carol").permanent_residence == Nationality("US")
    assert store.count_subjects() == 6


def test_a_reimport_of_the_same_subjects_writes_nothing(store: Store) -> None:
    store.import_subjects(VARIETY, actor="hr-sync")
    again = store.import_subjects(list(reversed(VARIETY)), actor="hr-sync")
    assert (again.created, again.updated, again.unchanged, again.changed) == (0, 0, 5, False)
    assert again.revision == store.revision() == 1
    assert len(store.changes()) == 1


def test_logs_one_entry_per_import(store: Store) -> None:
    store.import_subjects(VARIETY, actor="hr-sync")
    (entry,) = store.changes()
    assert (entry.kind, entry.ref, entry.actor, entry.revision) == ("subjects.import", None, "hr-sync", 1)
    assert entry.summary == "5 subjects: 5 created, 0 updated, 0 unchanged"


def test_a_repeated_id_is_a_conflict_and_imports_nothing(store: Store) -> None:
    with pytest.raises(Conflict, match=r'subject id "bob" appears more than once in the import; nothing'):
        store.import_subjects([*VARIETY, subject("bob")], actor="hr-sync")
    assert store.count_subjects() == 0
    assert store.revision() == 0


def test_a_failing_import_leaves_the_store_unchanged(store: Store) -> None:
    store.import_subjects(VARIETY[:2], actor="hr-sync")
    broken: Any = None  # a subject without an id: the database refuses it after others were written
    batch = [subject("alice", email="changed@example.com"), subject("zoe"), Subject(id=broken)]
    with pytest.raises(Conflict, match="contradicts what is stored"):
        store.import_subjects(batch, actor="hr-sync")
    assert store.subjects() == sorted(VARIETY[:2], key=lambda s: s.id)
    assert store.revision() == 1
    assert len(store.changes()) == 1


def test_subjects_by_id_returns_those_that_exist(store: Store) -> None:
    store.import_subjects(VARIETY, actor="hr-sync")
    assert [s.id for s in store.subjects(["erin", "nobody", "alice", "alice"])] == ["alice", "erin"]
    assert store.subjects([]) == []


def test_an_unknown_subject_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match='no subject "nobody" in the store'):
        store.subject("nobody")


def test_a_large_import_and_reimport(store: Store) -> None:
    people = [subject(f"s{i:06d}", name=f"Person {i}", email=f"p{i}@example.com",
                      organization=f"org-{i % 50}",
                      citizenships=(Nationality("IN", date(2000, 1, 1 + i % 28)),))
              for i in range(20_000)]
    started = time.perf_counter()
    result = store.import_subjects(people, actor="hr-sync")
    imported = time.perf_counter() - started
    assert (result.created, result.revision) == (20_000, 1)
    assert store.count_subjects() == 20_000

    people[123] = subject("s000123", email="moved@example.com")
    again = store.import_subjects(people, actor="hr-sync")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 19_999)
    assert store.subject("s000123").email == "moved@example.com"
    assert len(store.subjects(p.id for p in people[:5_000])) == 5_000  # more ids than one IN (…) chunk
    print(f"imported 20,000 subjects in {imported:.2f}s")
