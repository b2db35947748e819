"""The revision counter and change log replicas rely on, and the store under concurrent use."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

from store_samples import directive, license_, subject

from clearance.domain.licenses import LicenseStatus
from clearance.store import Store


def test_every_write_moves_the_revision_and_no_op_writes_do_not(store: Store) -> None:
    seen = [store.revision()]

    def step(write: Callable[[], object], moves: bool) -> None:
        write()
        seen.append(store.revision())
        assert (seen[-1] > seen[-2]) is moves, write

    step(lambda: store.apply_directives([directive()], source="a.yaml", source_text="", actor="o"), True)
    step(lambda: store.apply_directives([directive()], source="a.yaml", source_text="", actor="o"), False)
    step(lambda: store.apply_directives([directive(mode="shadow")], source="a.yaml", source_text="",
                                        actor="o"), True)
    step(lambda: store.import_subjects([subject("alice")], actor="o"), True)
    step(lambda: store.import_subjects([subject("alice")], actor="o"), False)
    step(lambda: store.import_subjects([], actor="o"), False)
    step(lambda: store.import_subjects([subject("alice", name="Alice B.")], actor="o"), True)
    step(lambda: store.add_licenses([license_("L-1")], actor="o"), True)
    step(lambda: store.add_licenses([], actor="o"), False)
    step(lambda: store.set_license_status("L-1", LicenseStatus.SUSPENDED, reason="Review.", actor="o"), True)
    step(lambda: store.set_license_status("L-1", LicenseStatus.SUSPENDED, reason="Review.", actor="o"), False)
    assert seen == [0, 1, 1, 2, 3, 3, 3, 4, 5, 5, 6, 6]


def test_the_change_log_after_a_revision(store: Store) -> None:
    store.apply_directives([directive("A-1"), directive("A-2")], source="a.yaml", source_text="", actor="o")
    store.import_subjects([subject("alice")], actor="hr")
    store.add_licenses([license_("L-1")], actor="officer")
    everything = store.changes()
    assert [(c.revision, c.kind, c.ref) for c in everything] == [
        (1, "directive.apply", "A-1"), (1, "directive.apply", "A-2"), (2, "subjects.import", None),
        (3, "license.add", "L-1")]
    assert store.changes(since=1) == everything[2:]
    assert store.changes(since=3) == []
    assert all(c.at.tzinfo is UTC for c in everything)
    assert everything[0].at == everything[1].at  # one transaction, one instant
    assert everything[1].at <= everything[2].at <= everything[3].at


def test_a_second_store_on_the_same_database_sees_each_write(store: Store, store_url: str) -> None:
    replica = Store.open(store_url, migrate=False)
    try:
        assert replica.revision() == 0
        store.apply_directives([directive()], source="a.yaml", source_text="", actor="o")
        assert replica.revision() == 1
        assert replica.directives() == [directive()]
    finally:
        replica.close()


def test_readers_never_see_half_an_import(store: Store) -> None:
    batch, batches = 200, 10
    stop = threading.Event()
    counts: list[int] = []

    def read() -> None:
        while not stop.is_set():
            revision = store.revision()
            count = store.count_subjects()
            assert count % batch == 0, count
            assert revision >= 0
            counts.append(count)

    with ThreadPoolExecutor(max_workers=4) as pool:
        readers = [pool.submit(read) for _ in range(3)]
        for n in range(batches):
            store.import_subjects([subject(f"s{n:02d}-{i:04d}") for i in range(batch)], actor="hr")
        stop.set()
        for reader in readers:
            reader.result()
    assert counts, "the readers never ran"
    assert store.count_subjects() == batch * batches


def test_concurrent_writers_get_distinct_revisions_in_commit_order(store: Store) -> None:
    def write(worker: int) -> list[int]:
        return [store.import_subjects([subject(f"w{worker}-{n}")], actor=f"worker-{worker}").revision
                for n in range(5)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        revisions = [r for rs in pool.map(write, range(4)) for r in rs]
    assert sorted(revisions) == list(range(1, 21))
    assert store.revision() == 20
    assert [c.revision for c in store.changes()] == list(range(1, 21))
    assert store.count_subjects() == 20
