"""Schema step 0005: how far into each gateway process's audit spool the store has ingested.

The offset moves in the same transaction as the records it covers, so a spool recovered after a
crash is ingested from exactly where its owner stopped: no record twice, none lost.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_spools",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ingested", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_audit_spools"),
    )


def downgrade() -> None:
    op.drop_table("audit_spools")
