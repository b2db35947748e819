"""Alembic's entry point, reached only through `clearance.store.migrate` (no alembic.ini).

The caller hands over an open connection in a transaction, so a whole upgrade commits or rolls
back as one (PostgreSQL and SQLite both have transactional DDL) under the caller's lock.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from clearance.store.tables import metadata

connection = context.config.attributes.get("connection")
if context.is_offline_mode() or not isinstance(connection, Connection):
    raise RuntimeError("Clearance migrations run through clearance.store.migrate, with an open connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
