"""The packaged migrations: from an empty database to the schema the code queries, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from clearance.errors import StoreUnavailable
from clearance.store import Store, migrate
from clearance.store.engine import build_engine, normalize_url
from clearance.store.tables import metadata


@pytest.fixture
def raw(store_url: str) -> Iterator[Engine]:
    """A plain engine on the test database, to look at it from outside the store."""
    engine = build_engine(normalize_url(store_url))
    yield engine
    engine.dispose()


def test_migrates_an_empty_database_to_head(store_url: str, raw: Engine) -> None:
    with raw.connect() as conn:
        assert migrate.current(conn) is None
    store = Store.open(store_url)
    try:
        with raw.connect() as conn:
            assert migrate.current(conn) == migrate.head() == "0005"
        assert set(inspect(raw).get_table_names()) >= {"store_state", "changes", "directives", "subjects",
                                                       "licenses", "alembic_version"}
        assert store.revision() == 0
        assert store.changes() == []
        assert store.count_subjects() == 0
    finally:
        store.close()


def test_migrating_again_changes_nothing(store: Store) -> None:
    store.migrate()
    store.migrate()
    assert store.revision() == 0


def test_replicas_starting_at_once_migrate_once(store_url: str) -> None:
    def start(_: int) -> int:
        replica = Store.open(store_url)
        try:
            return replica.revision()
        finally:
            replica.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(start, range(4))) == [0, 0, 0, 0]


def test_migrated_schema_matches_the_tables_the_code_queries(store: Store, raw: Engine) -> None:
    with raw.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_holder_lookup_is_indexed(store: Store, raw: Engine) -> None:
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(raw).get_indexes("licenses")}
    assert indexes["ix_licenses_holder"] == ["holder_id", "holder_kind"]


def test_open_without_migrating_refuses_an_uninitialised_database(store_url: str) -> None:
    with pytest.raises(StoreUnavailable, match="not initialised"):
        Store.open(store_url, migrate=False)


def test_open_without_migrating_accepts_a_current_database(store_url: str) -> None:
    Store.open(store_url).close()
    store = Store.open(store_url, migrate=False)
    try:
        assert store.revision() == 0
    finally:
        store.close()


def test_open_without_migrating_names_an_outdated_schema(store_url: str, raw: Engine) -> None:
    Store.open(store_url).close()
    with raw.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(StoreUnavailable, match=r"revision 0000.*needs 0005"):
        Store.open(store_url, migrate=False)


def test_an_unmigrated_database_fails_as_unavailable_not_with_a_traceback(store_url: str) -> None:
    store = Store(store_url)
    try:
        with pytest.raises(StoreUnavailable, match="database initialised"):
            store.count_subjects()
    finally:
        store.close()


def test_the_package_ships_its_migration_scripts(store_url: str) -> None:
    # store_url only to run once per backend like every store test; the files are the same.
    assert (migrate.SCRIPTS / "env.py").is_file()
    assert (migrate.SCRIPTS / "script.py.mako").is_file()
    assert (migrate.SCRIPTS / "versions" / "0001_initial.py").is_file()
