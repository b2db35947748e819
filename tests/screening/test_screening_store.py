"""Lists in the store and the screening they trigger, on SQLite and PostgreSQL.

Counts of the real files are taken independently of the parsers (lines, csv rows, JSON records).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from screening_data import DATA, HERE
from workflow_helpers import CAST, PARTIES, subject, write_ftm

from clearance.domain.screening import ScreeningStatus
from clearance.errors import Conflict, DataError, NotFound
from clearance.screening import load_list
from clearance.screening.ftm import PARTY_SCHEMAS
from clearance.store import Store
from clearance.store import screening as screening_rows


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().rstrip(b"\x1a").splitlines() if line.strip())


def _csv_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def _ftm_parties(path: Path) -> int:
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("id") and record.get("schema") in PARTY_SCHEMAS \
                and (record.get("properties") or {}).get("name"):
            count += 1
    return count


SDN_2021 = DATA / "ofac_sdn_legacy_2021-07-07" / "sdn.csv"
REAL_FILES = [
    pytest.param(SDN_2021, "sdn", lambda: _lines(SDN_2021), id="ofac-sdn-with-alt-add"),
    pytest.param(DATA / "ofac_sdn_2024-05-03" / "sdn.csv", "sdn",
                 lambda: _lines(DATA / "ofac_sdn_2024-05-03" / "sdn.csv"), id="ofac-sdn-alone"),
    pytest.param(DATA / "ofac_consolidated_nonsdn_2025-12-19" / "cons_prim.csv", "sdn",
                 lambda: _lines(DATA / "ofac_consolidated_nonsdn_2025-12-19" / "cons_prim.csv"), id="ofac-cons"),
    pytest.param(DATA / "csl_samples" / "csl_consolidated_sample_2025-06-25.csv", "csl",
                 lambda: _csv_rows(DATA / "csl_samples" / "csl_consolidated_sample_2025-06-25.csv"), id="csl-2025"),
    pytest.param(DATA / "csl_samples" / "csl_sample_2019-12-03.csv", "csl",
                 lambda: _csv_rows(DATA / "csl_samples" / "csl_sample_2019-12-03.csv"), id="csl-2019"),
    pytest.param(DATA / "csl_derived_2026-07-31" / "screening-list.json", "csl",
                 lambda: len(json.loads((DATA / "csl_derived_2026-07-31" / "screening-list.json")
                                        .read_text(encoding="utf-8"))["entries"]), id="csl-json"),
    pytest.param(DATA / "bis_dpl_2022-09-07" / "dpl.txt", "dpl",
                 lambda: _lines(DATA / "bis_dpl_2022-09-07" / "dpl.txt") - 1, id="dpl"),
    pytest.param(HERE / "ftm_sample.jsonl", "ftm", lambda: _ftm_parties(HERE / "ftm_sample.jsonl"), id="ftm"),
]


@pytest.mark.parametrize(("path", "fmt", "count"), REAL_FILES)
def test_each_real_format_is_stored_whole(store: Store, path: Path, fmt: str, count: object) -> None:
    expected = count()  # type: ignore[operator]
    parsed = load_list(path, fmt)
    result = store.import_list(parsed, name="L", list_format=fmt, actor="test")
    assert result.list.entries == expected and not result.replaced
    [stored] = store.lists()
    assert (stored.name, stored.format, stored.entries, stored.version) == ("L", fmt, expected, parsed.info.version)
    entries = store.list_entries()["L"]
    assert len(entries) == expected
    assert set(entries) == set(parsed.entries)  # every field of every entry comes back as it went in
    if path == SDN_2021:
        assert sum(len(e.aliases) for e in entries) == _lines(path.with_name("alt.csv"))


def test_reimport_replaces_the_list_and_a_failed_one_leaves_it_intact(store: Store, tmp_path: Path) -> None:
    first = load_list(write_ftm(tmp_path / "v1.jsonl"), "ftm")
    store.import_list(first, name="Test", list_format="ftm", actor="a")
    second = load_list(write_ftm(tmp_path / "v2.jsonl", PARTIES[:2]), "ftm")
    result = store.import_list(second, name="Test", list_format="ftm", actor="a")
    assert result.replaced and result.list.entries == 2
    assert {e.entry_id for e in store.list_entries()["Test"]} == {"ftm:P-ivan", "ftm:P-rosneft"}
    before = (store.revision(), store.lists(), store.list_entries())
    twice = load_list(write_ftm(tmp_path / "bad.jsonl", (PARTIES[0], PARTIES[0], PARTIES[2])), "ftm")
    with pytest.raises(Conflict, match=r'"ftm:P-ivan" appears more than once.*"Test" was left as it was'):
        store.import_list(twice, name="Test", list_format="ftm", actor="a")
    assert (store.revision(), store.lists(), store.list_entries()) == before


def test_subjects_are_screened_when_imported_and_again_when_a_list_changes(store: Store, tmp_path: Path) -> None:
    store.import_subjects(CAST[:1], actor="hr")
    assert store.screening_results() == []  # no list yet: nothing to screen against
    result = store.import_list(load_list(write_ftm(tmp_path / "l.jsonl"), "ftm"), name="Test", list_format="ftm",
                               actor="a")
    assert (result.screening.parties, result.screening.new, result.screening.potential) == (1, 1, 1)
    store.import_subjects(CAST, actor="hr")  # olga's organisation and carol arrive
    found = {(r.party, r.entry_id, r.status) for r in store.screening_results()}
    assert found == {("subject:ivan", "ftm:P-ivan", ScreeningStatus.POTENTIAL),
                     ("organization:Rosneft Trading LLC", "ftm:P-rosneft", ScreeningStatus.POTENTIAL)}
    hit = next(r for r in store.screening_results() if r.party == "subject:ivan")
    assert hit.list_name == "Test" and hit.entry_name == "Ivan Sergeyevich Petrovsky" and 0.84 <= hit.score <= 1
    assert hit.explanation["shared_tokens"] == ["ivan", "petrovsky"] and hit.explanation["source_list"] == "test_list"
    store.import_list(load_list(write_ftm(tmp_path / "l2.jsonl", PARTIES[1:]), "ftm"), name="Test",
                      list_format="ftm", actor="a")  # Ivan delisted
    assert {r.party for r in store.screening_results()} == {"organization:Rosneft Trading LLC"}
    removed = store.remove_list("Test", actor="a")
    assert (removed.removed, removed.potential) == (1, 0) and store.screening_results() == []
    with pytest.raises(NotFound, match='no list "Test"'):
        store.remove_list("Test", actor="a")


def test_a_dismissal_survives_reimport_and_a_changed_entry_reopens_it(store: Store, tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "l.jsonl")
    store.import_subjects(CAST, actor="hr")
    store.import_list(load_list(path, "ftm"), name="Test", list_format="ftm", actor="a")
    ivan = next(r for r in store.screening_results() if r.party == "subject:ivan")
    dismissed = store.review_result(ivan.id, ScreeningStatus.DISMISSED, reviewer="jo", reason="other DOB")
    assert (dismissed.status, dismissed.reviewed_by, dismissed.review_reason) == (ScreeningStatus.DISMISSED, "jo",
                                                                                   "other DOB")
    assert dismissed.reviewed_at is not None
    store.import_list(load_list(path, "ftm"), name="Test", list_format="ftm", actor="a")  # same entry again
    assert store.screening_result(ivan.id).status is ScreeningStatus.DISMISSED
    changed = (("P-ivan", "Person", ("Ivan Sergeyevich Petrovsky", "Ivan Petrovskiy")), *PARTIES[1:])
    again = store.import_list(load_list(write_ftm(tmp_path / "l2.jsonl", changed), "ftm"), name="Test",
                              list_format="ftm", actor="a")
    assert again.screening.reopened == 1
    reopened = store.screening_result(ivan.id)
    assert reopened.status is ScreeningStatus.POTENTIAL and reopened.id == ivan.id


def test_a_renamed_subject_reopens_a_dismissal_but_a_confirmation_holds(store: Store, tmp_path: Path) -> None:
    store.import_subjects(CAST, actor="hr")
    store.import_list(load_list(write_ftm(tmp_path / "l.jsonl"), "ftm"), name="Test", list_format="ftm", actor="a")
    results = {r.party: r for r in store.screening_results()}
    ivan, org = results["subject:ivan"], results["organization:Rosneft Trading LLC"]
    store.review_result(ivan.id, ScreeningStatus.DISMISSED, reviewer="jo", reason="namesake")
    store.review_result(org.id, ScreeningStatus.CONFIRMED, reviewer="jo", reason="same registry number")
    store.import_subjects([subject("ivan", "Ivan Sergeevich Petrovsky"), *CAST[1:]], actor="hr")
    assert store.screening_result(ivan.id).status is ScreeningStatus.POTENTIAL
    store.import_list(load_list(write_ftm(tmp_path / "l.jsonl"), "ftm"), name="Test", list_format="ftm", actor="a")
    assert store.screening_result(org.id).status is ScreeningStatus.CONFIRMED


def test_reviews_are_logged_and_move_the_revision(store: Store, tmp_path: Path) -> None:
    store.import_subjects(CAST, actor="hr")
    store.import_list(load_list(write_ftm(tmp_path / "l.jsonl"), "ftm"), name="Test", list_format="ftm", actor="a")
    kinds = [c.kind for c in store.changes()]
    assert kinds[-2:] == [screening_rows.LIST_IMPORT, screening_rows.RESULTS]
    ivan = next(r for r in store.screening_results() if r.party == "subject:ivan")
    before = store.revision()
    store.review_result(ivan.id, ScreeningStatus.CONFIRMED, reviewer="jo", reason="passport matches")
    assert store.revision() == before + 1
    [change] = store.changes(before)
    assert (change.kind, change.ref, change.actor) == (screening_rows.REVIEW, str(ivan.id), "jo")
    assert "potential → confirmed by jo: passport matches" in change.summary
    with pytest.raises(DataError, match="reason"):
        store.review_result(ivan.id, ScreeningStatus.DISMISSED, reviewer="jo", reason="  ")
    with pytest.raises(DataError, match="reviewer"):
        store.review_result(ivan.id, ScreeningStatus.DISMISSED, reviewer="", reason="x")
    with pytest.raises(NotFound, match="no screening result 999"):
        store.review_result(999, ScreeningStatus.DISMISSED, reviewer="jo", reason="x")
    assert store.revision() == before + 1


def test_reimporting_the_same_subjects_screens_nothing_again(store: Store, tmp_path: Path) -> None:
    store.import_list(load_list(write_ftm(tmp_path / "l.jsonl"), "ftm"), name="Test", list_format="ftm", actor="a")
    store.import_subjects(CAST, actor="hr")
    revision = store.revision()
    result = store.import_subjects(CAST, actor="hr")
    assert not result.changed and store.revision() == revision
