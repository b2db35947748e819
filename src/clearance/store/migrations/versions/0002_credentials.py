"""Schema step 0002: API keys and operator tokens, stored hashed.

One table for both kinds of credential: an API key belongs to a subject (`subject_id`), an
operator token carries an admin-API role (`role`).  Only the SHA-256 digest of a secret is kept:
the secrets are 256-bit random strings, so a fast hash cannot be brute-forced and lets the gateway
check a key without a slow KDF on every request.  Revocation sets `revoked_at`/`revoked_by` and
keeps the row, because who could call when is evidence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.Text()),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("secret_sha256", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_credentials"),
    )
    op.create_index("ix_credentials_subject_id", "credentials", ["subject_id"])


def downgrade() -> None:
    op.drop_table("credentials")
