"""Running the packaged Alembic migrations from code: no alembic.ini on the user's machine.

Many gateway replicas may start at once against one PostgreSQL database and each try to migrate;
a transaction-scoped advisory lock lets one of them do it while the others wait and then find
nothing left to do.  On SQLite `BEGIN IMMEDIATE` plays the same part.  Within one process a lock
is needed as well, whatever the database: Alembic's `context` and `op` are process-wide proxies,
so two migrations running at once in two threads would run each other's steps.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from clearance.errors import StoreUnavailable
from clearance.store.engine import WRITE_OPTIONS

SCRIPTS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x636C_6561_7200  # any constant: one advisory lock per database, held while migrating
_IN_PROCESS = threading.Lock()  # one migration at a time in this process (see above)


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The schema revision this version of Clearance needs."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:  # pragma: no cover - the package always ships its migrations
        raise StoreUnavailable(f"no migrations found in {SCRIPTS}: the installation is incomplete")
    return revision


def current(connection: Connection) -> str | None:
    """The schema revision the database is at; None when Clearance never migrated it."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to `head()`, all steps in one transaction."""
    with _IN_PROCESS, engine.execution_options(**WRITE_OPTIONS).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        command.upgrade(_config(connection), "head")


def ensure_current(engine: Engine) -> None:
    """StoreUnavailable unless the schema is exactly what this version needs (for `migrate=False`)."""
    with engine.connect() as connection:
        found = current(connection)
    needed = head()
    if found is None:
        raise StoreUnavailable("the database is not initialised: run `clearance init`, "
                               "or open the store with migrations on")
    if found != needed:
        raise StoreUnavailable(f"the database schema is at revision {found}, this version of Clearance "
                               f"needs {needed}: run the migrations (open the store with migrations on)")
