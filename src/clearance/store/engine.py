"""Database URLs and engines: the one place that knows SQLite from PostgreSQL.

Clearance runs embedded on one SQLite file or as many replicas on one PostgreSQL database; the rest
of the store is written once against SQLAlchemy Core.  What differs is settled here:

* URLs: `postgresql://` (what users and hosting providers write) means psycopg 3; an SQLite path
  must be absolute, because "relative to what?" is the caller's question (the home directory),
  not ours.
* SQLite connections: WAL so readers never wait for the writer, foreign keys on (SQLite leaves
  them off), a busy timeout so a second writer waits instead of failing at once, and our own
  BEGIN so a write transaction can take the write lock up front (`BEGIN IMMEDIATE`): reading
  first and upgrading the lock later can fail with "database is locked" without waiting at all.
* Messages: a URL is shown without its password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from clearance.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another writer before giving up
POSTGRES_CONNECT_TIMEOUT_S = 10  # an unreachable server fails `Store.open` within this, not minutes
WRITE_OPTIONS = {"clearance_write": True}  # execution option marking a write transaction

_SCHEMES = "sqlite:////absolute/path/clearance.db or postgresql://user@host:5432/dbname"


def normalize_url(url: str) -> URL:
    """The URL SQLAlchemy should use for `url`; ConfigError says what a usable one looks like."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f'database_url "{url}" is not a database URL (write {_SCHEMES})') from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in {"postgresql", "postgres"}:
        if driver not in {"", "psycopg"}:
            raise ConfigError(f'database_url: driver "{driver}" is not supported; '
                              "write postgresql://… (Clearance uses psycopg 3)")
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if driver not in {"", "pysqlite"}:
            raise ConfigError(f'database_url: driver "{driver}" is not supported; write sqlite:///…')
        database = parsed.database or ""
        if database not in {"", ":memory:"} and not Path(database).is_absolute():
            raise ConfigError(f'database_url "{url}" names a relative SQLite path; '
                              "resolve it first (see resolve_sqlite_url)")
        return parsed.set(drivername="sqlite+pysqlite")
    raise ConfigError(f'database_url "{describe(parsed)}" is neither SQLite nor PostgreSQL (write {_SCHEMES})')


def resolve_sqlite_url(url: str, base: Path) -> str:
    """`url` with a relative SQLite path made absolute against `base` (the home); others unchanged.

    `sqlite:///clearance.db` in clearance.toml means the file beside clearance.toml, wherever the
    command happens to run from.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f'database_url "{url}" is not a database URL (write {_SCHEMES})') from None
    database = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or database in {"", ":memory:"}:
        return url
    if Path(database).is_absolute():
        return url
    return parsed.set(database=str((base / database).resolve())).render_as_string(hide_password=False)


def describe(url: URL) -> str:
    """The URL for a message: what it points at, never the password."""
    return url.render_as_string(hide_password=True)


def is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and (url.database or "") in {"", ":memory:"}


def build_engine(url: URL) -> Engine:
    """An engine for a normalized URL; no connection is made yet."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    if is_memory(url):
        # One shared connection, or every pooled connection would see its own empty database.
        options["poolclass"] = StaticPool
        options["connect_args"]["check_same_thread"] = False
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 would otherwise BEGIN only before DML (never before a SELECT): take over.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    write = connection.get_execution_options().get("clearance_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
