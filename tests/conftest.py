"""Database fixtures shared by every test that needs a store, on SQLite and on PostgreSQL.

    store_url   a fresh, empty database URL; parametrized over both backends
    store       a Store opened (and migrated) on `store_url`, closed afterwards

PostgreSQL: one throwaway database per test run (per xdist worker), dropped at the end; each test
gets its own schema in it, selected through `search_path` in the URL, which is much faster than a
database per test.  The server is expected at 127.0.0.1:5432 (user postgres, trust auth), or
wherever CLEARANCE_TEST_POSTGRES points.  When it cannot be reached the PostgreSQL variants fail,
loudly: skipping them would let a PostgreSQL-only bug pass unseen.  Run `pytest -m "not postgres"`
to leave them out on purpose.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from clearance.store import Store

POSTGRES_ADMIN_URL = os.environ.get("CLEARANCE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


class PostgresServer:
    """The throwaway database of this test run, handing out one empty schema per test."""

    def __init__(self, admin_url: str) -> None:
        try:
            self._admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            pytest.fail(f"PostgreSQL is not reachable at {admin_url}: {exc}\n"
                        "The postgres tests need it: start the server (CI does), point "
                        'CLEARANCE_TEST_POSTGRES at one, or deselect them with -m "not postgres".',
                        pytrace=False)
        self.database = f"clearance_test_{os.getpid()}_{secrets.token_hex(4)}"
        self._admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        self._url = make_url(admin_url).set(database=self.database)
        self._conn = psycopg.connect(self._url.render_as_string(hide_password=False), autocommit=True)

    def fresh_url(self) -> str:
        """The URL of a new empty schema, first on the search path of every connection made with it."""
        schema = f"t_{secrets.token_hex(6)}"
        self._conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        return self._url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)

    def drop(self) -> None:
        self._conn.close()
        self._admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (self.database,))
        self._admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(self.database)))
        self._admin.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(POSTGRES_ADMIN_URL)
    yield server
    server.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend: nothing created in it yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'clearance.db'}"
    # Looked up only here, so a run without the postgres tests never connects to the server.
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.fresh_url()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    opened = Store.open(store_url)
    yield opened
    opened.close()
