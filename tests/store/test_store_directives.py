"""Directives: upsert by id in one transaction, exact round trips, the source file kept beside them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_samples import DIRECTIVE_TEXT, directive, rich_directive

from clearance.errors import Conflict, NotFound
from clearance.store import Store
from clearance.store.changelog import Writer


def test_round_trips_every_field(store: Store) -> None:
    plain, rich = directive(), rich_directive()
    store.apply_directives([rich, plain], source="bis.yaml", source_text=DIRECTIVE_TEXT, actor="officer")
    assert store.directives() == [plain, rich]  # ordered by id
    assert store.directive(rich.id) == rich
    assert store.directive(rich.id).to_json() == rich.to_json()
    assert store.directive(rich.id).effective.tzinfo is UTC


def test_keeps_the_source_file_as_written_and_who_applied_it(store: Store) -> None:
    before = datetime.now(UTC)
    store.apply_directives([directive()], source="directives/bis.yaml", source_text=DIRECTIVE_TEXT,
                           actor="officer@example.com")
    kept = store.directive_source("BIS-2026-AI-001")
    assert kept.source == "directives/bis.yaml"
    assert kept.text == DIRECTIVE_TEXT
    assert kept.applied_by == "officer@example.com"
    assert kept.applied_at.tzinfo is UTC
    assert before - timedelta(seconds=1) <= kept.applied_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_reports_created_updated_and_unchanged(store: Store) -> None:
    first = store.apply_directives([directive("A-1"), directive("A-2")], source="a.yaml", source_text="",
                                   actor="officer")
    assert (first.created, first.updated, first.unchanged) == (("A-1", "A-2"), (), ())
    assert first.changed and first.revision == store.revision() == 1

    second = store.apply_directives([directive("A-1"), directive("A-2", mode="shadow"), directive("A-3")],
                                    source="a.yaml", source_text="", actor="officer")
    assert (second.created, second.updated, second.unchanged) == (("A-3",), ("A-2",), ("A-1",))
    assert second.revision == store.revision() == 2
    assert store.directive("A-2").mode.value == "shadow"


def test_a_reapply_of_identical_directives_changes_nothing(store: Store) -> None:
    store.apply_directives([directive(), rich_directive()], source="bis.yaml", source_text=DIRECTIVE_TEXT,
                           actor="officer")
    applied = store.directive_source("BIS-2026-AI-001")
    again = store.apply_directives([rich_directive(), directive()], source="moved.yaml",
                                   source_text="# reformatted\n", actor="someone-else")
    assert not again.changed
    assert again.unchanged == ("BIS-2026-AI-002", "BIS-2026-AI-001")
    assert again.revision == store.revision() == 1
    assert store.directive_source("BIS-2026-AI-001") == applied
    assert len(store.changes()) == 2


def test_logs_each_created_and_updated_directive(store: Store) -> None:
    store.apply_directives([directive("A-1")], source="a.yaml", source_text="", actor="officer")
    store.apply_directives([directive("A-1", mode="revoked", message="Lifted.")], source="b.yaml",
                           source_text="", actor="chief")
    created, updated = store.changes()
    assert (created.kind, created.ref, created.actor, created.revision) == ("directive.apply", "A-1", "officer", 1)
    assert created.summary == "created from a.yaml (mode enforce)"
    assert (updated.ref, updated.actor, updated.revision) == ("A-1", "chief", 2)
    assert updated.summary == "updated from b.yaml: message, mode enforce → revoked"


def test_a_repeated_id_in_one_apply_is_a_conflict_and_writes_nothing(store: Store) -> None:
    with pytest.raises(Conflict, match=r'bis.yaml: directive id "A-1" appears more than once; nothing'):
        store.apply_directives([directive("A-1"), directive("A-2"), directive("A-1", mode="shadow")],
                               source="bis.yaml", source_text="", actor="officer")
    assert store.directives() == []
    assert store.revision() == 0


def test_an_apply_that_fails_midway_leaves_the_store_as_it_was(store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store.apply_directives([directive("A-1")], source="a.yaml", source_text="", actor="officer")
    record = Writer.record
    calls = []

    def fail_on_second(self: Writer, kind: str, ref: str | None, summary: str) -> None:
        calls.append(ref)
        if len(calls) == 2:
            raise RuntimeError("the disk filled up")
        record(self, kind, ref, summary)

    monkeypatch.setattr(Writer, "record", fail_on_second)
    with pytest.raises(RuntimeError):
        store.apply_directives([directive("A-1", mode="shadow"), directive("A-2")], source="b.yaml",
                               source_text="", actor="officer")
    monkeypatch.undo()
    assert store.directives() == [directive("A-1")]
    assert store.revision() == 1
    assert len(store.changes()) == 1


def test_an_unknown_directive_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match='no directive "NOPE-1" in the store'):
        store.directive("NOPE-1")
    with pytest.raises(NotFound, match='no directive "NOPE-1"'):
        store.directive_source("NOPE-1")


def test_an_empty_apply_is_a_no_op(store: Store) -> None:
    result = store.apply_directives([], source="empty.yaml", source_text="", actor="officer")
    assert (result.created, result.updated, result.unchanged, result.revision) == ((), (), (), 0)
