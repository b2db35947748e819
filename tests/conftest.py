"""Database fixtures shared by every test that needs a store, on SQLite and on PostgreSQL.

    store_url         a database URL of its own for the test; parametrized over both backends.
                      Empty (nothing created in it) unless the test also uses `store`, in which
                      case it is the migrated database that `store` is open on.
    store             a Store opened (and migrated) on `store_url`, closed afterwards
    postgres_server   the run's throwaway PostgreSQL database; `fresh_url()` gives a new schema

PostgreSQL: one throwaway database per test run (per xdist worker), dropped at the end; each test
gets a schema of its own in it, selected through `search_path` in the URL, which is much faster
than a database per test.  Creating the tables is most of a test's setup, so a migrated schema is
emptied after its test and handed to the next; SQLite tests copy a migrated template
file.  The server is expected at 127.0.0.1:5432 (user postgres, trust auth), or wherever
CLEARANCE_TEST_POSTGRES points.  When it cannot be reached the PostgreSQL variants fail, loudly:
skipping them would let a PostgreSQL-only bug pass unseen.  Run `pytest -m "not postgres"` to
leave them out on purpose.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from clearance.store import Store, migrate, tables

POSTGRES_ADMIN_URL = os.environ.get("CLEARANCE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


class PostgresServer:
    """The throwaway database of this test run, handing out one schema per test."""

    def __init__(self, admin_url: str) -> None:
        try:
            self._admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            unreachable = str(exc)
        else:
            unreachable = ""
        if unreachable:
            pytest.fail(f"PostgreSQL is not reachable at {admin_url}: {unreachable}\n"
                        "The postgres tests need it: start the server (CI does), point "
                        'CLEARANCE_TEST_POSTGRES at one, or deselect them with -m "not postgres".',
                        pytrace=False)
        self.database = f"clearance_test_{os.getpid()}_{secrets.token_hex(4)}"
        self._admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        self._url = make_url(admin_url).set(database=self.database)
        self._conn = psycopg.connect(self._url.render_as_string(hide_password=False), autocommit=True)
        self._schemas: dict[str, str] = {}  # url -> schema
        self._clean: list[str] = []  # migrated, empty schemas ready for the next test

    def fresh_url(self) -> str:
        """The URL of a new empty schema, first on the search path of every connection made with it."""
        schema = f"t_{secrets.token_hex(6)}"
        self._conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        url = self._url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
        self._schemas[url] = schema
        return url

    def migrated_url(self) -> str:
        """A migrated, empty schema: one emptied after an earlier test when there is one."""
        if self._clean:
            return self._clean.pop()
        url = self.fresh_url()
        Store.open(url).close()
        return url

    def recycle(self, url: str) -> None:
        """Empty a migrated schema for another test; one still in use or altered is left alone."""
        name = self._schemas[url]
        schema = sql.Identifier(name)
        try:
            with self._conn.transaction():
                self._conn.execute("SET LOCAL lock_timeout = '2s'")  # a test left a connection open
                version = self._conn.execute(sql.SQL("SELECT version_num FROM {}.alembic_version")
                                             .format(schema)).fetchone()
                if version is None or version[0] != migrate.head():
                    return
                for table in tables.metadata.sorted_tables:  # DELETE: TRUNCATE is slower on tables this small
                    self._conn.execute(sql.SQL("DELETE FROM {}.{}").format(schema, sql.Identifier(table.name)))
                self._conn.execute(sql.SQL("INSERT INTO {}.store_state (id, revision) VALUES (1, 0)").format(schema))
                self._conn.execute("SELECT setval(pg_get_serial_sequence(%s, 'seq'), 1, false)",
                                   (f"{name}.changes",))
        except psycopg.Error:
            return
        self._clean.append(url)

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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database to copy (its WAL checkpointed away when the store closed)."""
    path = tmp_path_factory.mktemp("template") / "clearance.db"
    Store.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own on each backend (migrated only when the test uses `store`)."""
    migrated = "store" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "clearance.db"
        if migrated:
            template: Path = request.getfixturevalue("sqlite_template")
            for sidecar in template.parent.glob(template.name + "*"):
                shutil.copyfile(sidecar, path.with_name(sidecar.name))
        yield f"sqlite:///{path}"
        return
    # Looked up only here, so a run without the postgres tests never connects to the server.
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if not migrated:
        yield server.fresh_url()
        return
    url = server.migrated_url()
    yield url
    server.recycle(url)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    opened = Store.open(store_url)
    yield opened
    opened.close()
