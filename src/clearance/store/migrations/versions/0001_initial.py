"""The first schema: revision counter, change log, directives, subjects, licenses.

Written out column by column rather than from `tables.metadata`, so this step stays what it was
when later migrations change the tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_counter = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _instant(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    store_state = op.create_table(
        "store_state",
        sa.Column("id", _counter, primary_key=True, autoincrement=False),
        sa.Column("revision", _counter, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_state"),
    )
    op.bulk_insert(store_state, [{"id": 1, "revision": 0}])

    op.create_table(
        "changes",
        sa.Column("seq", _counter, autoincrement=True),
        sa.Column("revision", _counter, nullable=False),
        _instant("at"),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_changes"),
    )
    op.create_index("ix_changes_revision", "changes", ["revision"])
    op.create_index("ix_changes_ref", "changes", ["ref"])

    op.create_table(
        "directives",
        sa.Column("id", sa.Text()),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("document", _document, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        _instant("applied_at"),
        sa.Column("applied_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_directives"),
    )

    op.create_table(
        "subjects",
        sa.Column("id", sa.Text()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("citizenships", sa.Text(), nullable=False),
        sa.Column("permanent_residence", sa.Text(), nullable=True),
        sa.Column("us_person", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        _instant("updated_at"),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subjects"),
    )
    op.create_index("ix_subjects_organization", "subjects", ["organization"])

    op.create_table(
        "licenses",
        sa.Column("id", sa.Text()),
        sa.Column("holder_kind", sa.Text(), nullable=False),
        sa.Column("holder_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _instant("valid_from"),
        _instant("valid_until", nullable=True),
        sa.Column("document", _document, nullable=False),
        _instant("created_at"),
        sa.Column("created_by", sa.Text(), nullable=False),
        _instant("updated_at"),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_licenses"),
    )
    op.create_index("ix_licenses_status", "licenses", ["status"])
    op.create_index("ix_licenses_holder", "licenses", ["holder_id", "holder_kind"])


def downgrade() -> None:
    for table in ("licenses", "subjects", "directives", "changes", "store_state"):
        op.drop_table(table)
