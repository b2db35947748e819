"""Licenses: exact round trips with aware UTC instants, ids issued once, status changes with reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from store_samples import license_, rich_license

from clearance.domain.licenses import Holder, HolderKind, LicenseStatus
from clearance.errors import Conflict, DataError, NotFound
from clearance.store import Store
from clearance.store.engine import build_engine, normalize_url
from clearance.store.tables import licenses as licenses_table


def test_round_trips_every_field(store: Store) -> None:
    plain, rich = license_(), rich_license()
    store.add_licenses([rich, plain], actor="officer")
    assert store.licenses() == [plain, rich]  # ordered by id
    assert store.license(rich.id) == rich
    assert store.license(rich.id).to_json() == rich.to_json()
    assert store.license(plain.id).valid_until is None


def test_columns_hold_the_holder_status_and_aware_utc_validity(store: Store, store_url: str) -> None:
    rich = rich_license()  # valid_from written as 09:00 at UTC-5
    store.add_licenses([rich], actor="officer")
    engine = build_engine(normalize_url(store_url))
    try:
        with engine.connect() as conn:
            row = conn.execute(select(licenses_table)).one()
    finally:
        engine.dispose()
    assert (row.holder_kind, row.holder_id, row.status) == ("organization", "acme", "suspended")
    assert row.valid_from == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert row.valid_from.tzinfo is UTC and row.valid_until.tzinfo is UTC
    assert row.valid_until == datetime(2027, 11, 20, tzinfo=UTC)
    assert (row.created_by, row.updated_by) == ("officer", "officer")
    assert row.created_at.tzinfo is UTC


def test_filters_by_status_and_holder(store: Store) -> None:
    store.add_licenses([license_("L-1"), license_("L-2", holder="subject:bob"), rich_license(),
                        license_("L-3", status="revoked")], actor="officer")
    assert [lic.id for lic in store.licenses(status=LicenseStatus.ACTIVE)] == ["L-1", "L-2"]
    assert [lic.id for lic in store.licenses(status=LicenseStatus.REVOKED)] == ["L-3"]
    alice = Holder(kind=HolderKind.SUBJECT, id="alice")
    assert [lic.id for lic in store.licenses(holder=alice)] == ["L-1", "L-3"]
    assert [lic.id for lic in store.licenses(holder=alice, status=LicenseStatus.ACTIVE)] == ["L-1"]
    assert store.licenses(holder=Holder(kind=HolderKind.ORGANIZATION, id="alice")) == []


def test_logs_each_added_license(store: Store) -> None:
    store.add_licenses([license_("L-1"), rich_license()], actor="officer")
    entries = store.changes()
    assert [(c.kind, c.ref, c.actor, c.revision) for c in entries] == [
        ("license.add", "L-1", "officer", 1), ("license.add", "D-7654321", "officer", 1)]
    assert entries[1].summary == "granted to organization:acme (suspended)"


def test_an_id_already_stored_is_a_conflict_naming_it_and_nothing_is_added(store: Store) -> None:
    store.add_licenses([license_("L-1")], actor="officer")
    with pytest.raises(Conflict, match=r'license "L-1" already exists; a license number is issued once'):
        store.add_licenses([license_("L-0"), license_("L-1", holder="subject:bob"), license_("L-2")],
                           actor="officer")
    assert [lic.id for lic in store.licenses()] == ["L-1"]
    assert store.license("L-1").holder.id == "alice"
    assert store.revision() == 1


def test_a_repeated_id_in_one_batch_is_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict, match=r'license "L-1" appears more than once in the batch'):
        store.add_licenses([license_("L-1"), license_("L-2"), license_("L-1")], actor="officer")
    assert store.licenses() == []
    assert store.revision() == 0


def test_revoking_keeps_the_reason_and_actor(store: Store) -> None:
    store.add_licenses([license_("L-1"), license_("L-2")], actor="officer")
    revoked = store.set_license_status("L-1", LicenseStatus.REVOKED, reason="End user diverted access.",
                                       actor="chief")
    assert revoked.status is LicenseStatus.REVOKED
    assert store.license("L-1") == revoked
    assert revoked == license_("L-1", status="revoked")
    assert [lic.id for lic in store.licenses(status=LicenseStatus.REVOKED)] == ["L-1"]
    assert store.revision() == 2
    (entry,) = store.changes(since=1)
    assert (entry.kind, entry.ref, entry.actor, entry.revision) == ("license.status", "L-1", "chief", 2)
    assert entry.summary == "active → revoked: End user diverted access."
    assert [c.kind for c in store.changes(ref="L-1")] == ["license.add", "license.status"]


def test_setting_the_status_it_already_has_writes_nothing(store: Store) -> None:
    store.add_licenses([license_("L-1")], actor="officer")
    same = store.set_license_status("L-1", LicenseStatus.ACTIVE, reason="Confirmed.", actor="chief")
    assert same == license_("L-1")
    assert store.revision() == 1


def test_a_status_change_needs_a_reason(store: Store) -> None:
    store.add_licenses([license_("L-1")], actor="officer")
    with pytest.raises(DataError, match="reason"):
        store.set_license_status("L-1", LicenseStatus.SUSPENDED, reason="  ", actor="chief")
    assert store.license("L-1").status is LicenseStatus.ACTIVE
    assert store.revision() == 1


def test_an_unknown_license_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match='no license "L-404" in the store'):
        store.license("L-404")
    with pytest.raises(NotFound, match='no license "L-404"'):
        store.set_license_status("L-404", LicenseStatus.REVOKED, reason="Gone.", actor="chief")
    assert store.revision() == 0
