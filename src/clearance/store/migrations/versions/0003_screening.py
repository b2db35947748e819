"""Schema step 0003: restricted-party lists, screening results and reviews.

Written out column by column rather than from `tables.metadata`, so this step stays what it was
when later migrations change the tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_counter = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _instant(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "screening_lists",
        _text("name"), _text("format"), _text("source"), _text("version", nullable=True),
        sa.Column("entries", _counter, nullable=False),
        _text("digest"), _instant("imported_at"), _text("imported_by"),
        sa.PrimaryKeyConstraint("name", name="pk_screening_lists"),
    )
    op.create_table(
        "screening_entries",
        _text("list_name"), _text("entry_id"), _text("name"), _text("detail"),
        sa.PrimaryKeyConstraint("list_name", "entry_id", name="pk_screening_entries"),
    )
    op.create_table(
        "screening_parties",
        _text("kind"), _text("id"), _text("name"), _instant("screened_at"),
        sa.PrimaryKeyConstraint("kind", "id", name="pk_screening_parties"),
    )
    op.create_table(
        "screening_results",
        sa.Column("id", _counter, autoincrement=True),
        _text("party_kind"), _text("party_id"), _text("party_name"), _text("list_name"), _text("entry_id"),
        _text("entry_name"), _text("entry_digest"), _text("matched_name"),
        sa.Column("score", sa.Float(), nullable=False),
        _text("explanation"), _text("status"), _instant("screened_at"),
        _text("reviewed_by", nullable=True), _instant("reviewed_at", nullable=True),
        _text("review_reason", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_screening_results"),
    )
    op.create_index("ix_screening_results_status", "screening_results", ["status"])
    op.create_index("ix_screening_results_party", "screening_results",
                    ["party_kind", "party_id", "list_name", "entry_id"], unique=True)
    op.create_table(
        "screening_reviews",
        sa.Column("seq", _counter, autoincrement=True),
        sa.Column("result_id", _counter, nullable=False),
        _text("party_kind"), _text("party_id"), _text("party_name"), _text("list_name"), _text("entry_id"),
        _text("entry_digest"), _text("before"), _text("after"), _text("reviewer"), _text("reason"),
        _instant("at"),
        sa.PrimaryKeyConstraint("seq", name="pk_screening_reviews"),
    )
    op.create_index("ix_screening_reviews_result_id", "screening_reviews", ["result_id"])


def downgrade() -> None:
    for table in ("screening_reviews", "screening_results", "screening_parties", "screening_entries",
                  "screening_lists"):
        op.drop_table(table)
