"""Schema step 0004: the audit trail: hash-chained records and signed checkpoints.

The chain-head row is not inserted here: the first append creates it, so an emptied audit
(tables wiped by an operator, or a test) starts a new chain instead of failing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_counter = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", _counter, autoincrement=False),
        sa.Column("seq", _counter, nullable=False),
        _text("hash"),
        sa.Column("checkpoint_seq", _counter, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.create_table(
        "audit_records",
        sa.Column("seq", _counter, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _text("kind"),
        _text("prev"),
        _text("hash"),
        _text("payload"),
        _text("decision_id", nullable=True),
        _text("subject", nullable=True),
        _text("organization", nullable=True),
        _text("effect", nullable=True),
        _text("model", nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_records"),
    )
    op.create_index("ix_audit_records_at", "audit_records", ["at"])
    op.create_index("ix_audit_records_decision_id", "audit_records", ["decision_id"])
    for column in ("subject", "organization", "effect", "model"):
        op.create_index(f"ix_audit_records_{column}_seq", "audit_records", [column, "seq"])
    op.create_table(
        "audit_directives",
        _text("directive"),
        sa.Column("seq", _counter, nullable=False),
        sa.PrimaryKeyConstraint("directive", "seq", name="pk_audit_directives"),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", _counter, autoincrement=False),
        _text("hash"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _text("key_id"),
        _text("signature"),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_checkpoints"),
    )


def downgrade() -> None:
    for table in ("audit_checkpoints", "audit_directives", "audit_records", "audit_head"):
        op.drop_table(table)
