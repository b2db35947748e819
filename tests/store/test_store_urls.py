"""Database URLs and connection failures: clear errors, never a driver traceback or a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from clearance.errors import ConfigError, StoreUnavailable
from clearance.store import Store, resolve_sqlite_url
from clearance.store.engine import build_engine, normalize_url


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://u@db:5432/clearance", "postgresql+psycopg://u@db:5432/clearance"),
    ("postgres://u@db/clearance", "postgresql+psycopg://u@db/clearance"),
    ("postgresql+psycopg://u@db/clearance", "postgresql+psycopg://u@db/clearance"),
    ("sqlite:////var/lib/clearance/clearance.db", "sqlite+pysqlite:////var/lib/clearance/clearance.db"),
    ("sqlite://", "sqlite+pysqlite://"),
])
def test_normalizes_urls(url: str, expected: str) -> None:
    assert normalize_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(("url", "message"), [
    ("sqlite:///clearance.db", "relative SQLite path"),
    ("mysql://u@db/clearance", "neither SQLite nor PostgreSQL"),
    ("postgresql+psycopg2://u@db/clearance", 'driver "psycopg2" is not supported'),
    ("not a url", "is not a database URL"),
])
def test_refuses_urls_it_cannot_use(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Store(url)


def test_resolves_a_relative_sqlite_path_against_the_home(tmp_path: Path) -> None:
    assert resolve_sqlite_url("sqlite:///clearance.db", tmp_path) == f"sqlite:///{tmp_path}/clearance.db"
    assert resolve_sqlite_url("sqlite:////abs/c.db", tmp_path) == "sqlite:////abs/c.db"
    assert resolve_sqlite_url("postgresql://u@db/c", tmp_path) == "postgresql://u@db/c"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = build_engine(normalize_url(f"sqlite:///{tmp_path / 'c.db'}"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    finally:
        engine.dispose()


def test_an_in_memory_sqlite_store_works(tmp_path: Path) -> None:
    store = Store.open("sqlite://")
    try:
        assert store.revision() == 0
        assert store.count_subjects() == 0
    finally:
        store.close()


@pytest.mark.parametrize("url", [
    pytest.param("postgresql://clearance:s3cret@127.0.0.1:1/clearance", marks=pytest.mark.postgres),
    "sqlite:////nonexistent-directory/clearance.db",
])
def test_an_unreachable_database_is_unavailable_without_its_password(url: str) -> None:
    store = Store(url)  # no I/O yet: a gateway can start, then report the store as not ready
    with pytest.raises(StoreUnavailable, match="cannot use the database") as raised:
        store.revision()
    store.close()
    assert "s3cret" not in str(raised.value)
    with pytest.raises(StoreUnavailable) as raised:
        Store.open(url)
    assert "s3cret" not in str(raised.value)
    assert raised.value.exit_code == 69
