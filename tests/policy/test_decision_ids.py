"""Decision ids: valid UUIDv7, unique within a process and across forked workers, in time order."""

from __future__ import annotations

import multiprocessing
import uuid

from clearance.policy.ids import new_decision_id


def _ids(count: int) -> list[str]:
    return [new_decision_id() for _ in range(count)]


def test_ids_are_uuid7_unique_and_in_order() -> None:
    ids = _ids(50_000)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    parsed = [uuid.UUID(i) for i in ids[:: 997]]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)


def test_forked_workers_do_not_repeat_each_other() -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        batches = pool.map(_ids, [20_000, 20_000])
    mine = _ids(20_000)
    everything = [*batches[0], *batches[1], *mine]
    assert len(set(everything)) == len(everything)
