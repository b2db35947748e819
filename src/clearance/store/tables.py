"""The schema as SQLAlchemy Core tables: what the repositories query.

The migrations in `migrations/versions/` create the same schema step by step; a test compares
the migrated database with these tables so the two cannot drift apart.

Domain objects are kept whole as JSON (`document`), rebuilt with pydantic on the way out, and
the columns beside the JSON are the ones queries filter on.  Subjects are the exception: there
may be hundreds of thousands, so they are flat columns that bulk-insert fast.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, MetaData, PrimaryKeyConstraint, Table, Text

from clearance.store.columns import Counter, Document, UTCDateTime

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
})

# One row (id = 1): the change counter.  Every write transaction locks this row first, so writes
# are serialized and revisions become visible in the order they were given out.
store_state = Table(
    "store_state", metadata,
    Column("id", Counter, primary_key=True, autoincrement=False),
    Column("revision", Counter, nullable=False),
)

changes = Table(
    "changes", metadata,
    Column("seq", Counter, primary_key=True, autoincrement=True),
    Column("revision", Counter, nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("ref", Text, nullable=True, index=True),
    Column("summary", Text, nullable=False),
)

directives = Table(
    "directives", metadata,
    Column("id", Text, primary_key=True),
    Column("mode", Text, nullable=False),
    Column("document", Document, nullable=False),  # Directive.to_json()
    Column("source", Text, nullable=False),  # the file (or other origin) it was applied from
    Column("source_text", Text, nullable=False),  # that file as written, comments and all
    Column("applied_at", UTCDateTime, nullable=False),
    Column("applied_by", Text, nullable=False),
)

subjects = Table(
    "subjects", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("organization", Text, nullable=True, index=True),
    Column("citizenships", Text, nullable=False),  # "IN@2001-05-01;CA@2019-02-11", "" for none
    Column("permanent_residence", Text, nullable=True),  # "CA" or "CA@2019-02-11"
    Column("us_person", Text, nullable=True),
    Column("email", Text, nullable=True),
    Column("fingerprint", Text, nullable=False),  # Subject.fingerprint: keys the decision cache
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", Text, nullable=False),
)

licenses = Table(
    "licenses", metadata,
    Column("id", Text, primary_key=True),
    Column("holder_kind", Text, nullable=False),
    Column("holder_id", Text, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("valid_from", UTCDateTime, nullable=False),
    Column("valid_until", UTCDateTime, nullable=True),
    Column("document", Document, nullable=False),  # License.to_json(), status included
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", Text, nullable=False),
)
# The gateway looks licenses up by holder ("subject:alice", "organization:acme").
Index("ix_licenses_holder", licenses.c.holder_id, licenses.c.holder_kind)

# API keys (kind "api_key", owned by a subject) and operator tokens (kind "operator_token", carrying
# an admin-API role), see store/credentials.py.  Only a SHA-256 digest of each secret is kept;
# `prefix` is the non-secret start of the secret ("clk_<id>"), for people matching a key to a row.
credentials = Table(
    "credentials", metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("subject_id", Text, nullable=True, index=True),
    Column("role", Text, nullable=True),
    Column("label", Text, nullable=False),
    Column("secret_sha256", Text, nullable=False),
    Column("prefix", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("revoked_by", Text, nullable=True),
)

# The audit trail (see store/audit.py).  One row (id = 1), created by the first append and locked
# by every append: the chain's last seq and hash, so concurrent writers take turns and each
# record links the one before it.  `checkpoint_seq` is the last signed checkpoint.
audit_head = Table(
    "audit_head", metadata,
    Column("id", Counter, primary_key=True, autoincrement=False),
    Column("seq", Counter, nullable=False),
    Column("hash", Text, nullable=False),
    Column("checkpoint_seq", Counter, nullable=False),
)

# Append-only: a row is never updated.  `payload` is the canonical JSON text that was hashed, kept
# as text (not JSONB, which would re-encode it); the columns after it are copied out of the
# payload for search, and verification checks they still agree with it.
audit_records = Table(
    "audit_records", metadata,
    Column("seq", Counter, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("prev", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("decision_id", Text, nullable=True, index=True),
    Column("subject", Text, nullable=True),
    Column("organization", Text, nullable=True),
    Column("effect", Text, nullable=True),
    Column("model", Text, nullable=True),
)
# Search shows the newest records first: (value, seq) serves "WHERE value = ? ORDER BY seq DESC LIMIT n".
Index("ix_audit_records_subject_seq", audit_records.c.subject, audit_records.c.seq)
Index("ix_audit_records_organization_seq", audit_records.c.organization, audit_records.c.seq)
Index("ix_audit_records_effect_seq", audit_records.c.effect, audit_records.c.seq)
Index("ix_audit_records_model_seq", audit_records.c.model, audit_records.c.seq)

# The directives a decision names (its reasons and shadow hits): many per record, so a table of
# its own whose primary key is the index `--directive X` looks up.
audit_directives = Table(
    "audit_directives", metadata,
    Column("directive", Text, nullable=False),
    Column("seq", Counter, nullable=False),
    PrimaryKeyConstraint("directive", "seq"),
)

# How far into each gateway process's audit spool (audit/spool.py) the records are in the chain:
# moved in the same transaction as those records, and only from where the previous batch ended
# (audit/ingest.py).  Kept after the spool is deleted, so a late ingester cannot start it over.
audit_spools = Table(
    "audit_spools", metadata,
    Column("name", Text, primary_key=True),
    Column("ingested", Counter, nullable=False),
)

# Ed25519 signatures over (seq, hash, at, key): every `checkpoint_every` records, on close, and at
# a prune boundary, where it anchors the oldest record that remains.
audit_checkpoints = Table(
    "audit_checkpoints", metadata,
    Column("seq", Counter, primary_key=True, autoincrement=False),
    Column("hash", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("key_id", Text, nullable=False),
    Column("signature", Text, nullable=False),
)

# Restricted-party screening (see store/screening.py).  A list is what one `clearance lists import`
# loaded under one name; re-importing it replaces its entries in one transaction.
screening_lists = Table(
    "screening_lists", metadata,
    Column("name", Text, primary_key=True),
    Column("format", Text, nullable=False),  # sdn | csl | dpl | ftm
    Column("source", Text, nullable=False),  # the file it was imported from
    Column("version", Text, nullable=True),  # the list's edition date, YYYY-MM-DD (screening.listfile)
    Column("entries", Counter, nullable=False),
    Column("digest", Text, nullable=False),  # of the entries: the screener is rebuilt only when it moves
    Column("imported_at", UTCDateTime, nullable=False),
    Column("imported_by", Text, nullable=False),
)

screening_entries = Table(
    "screening_entries", metadata,
    Column("list_name", Text, nullable=False),
    Column("entry_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("detail", Text, nullable=False),  # JSON text: aliases, type, countries, birth dates, programs...
    PrimaryKeyConstraint("list_name", "entry_id", name="pk_screening_entries"),
)

# The parties screened against the current lists, under the name they were screened by: a subject
# whose name changed since is screened again; a stored party's verdict needs no matcher.
screening_parties = Table(
    "screening_parties", metadata,
    Column("kind", Text, nullable=False),  # subject | organization
    Column("id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("screened_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("kind", "id", name="pk_screening_parties"),
)

# One row per (party, list entry) that matched; its status is what a reviewer decided.
screening_results = Table(
    "screening_results", metadata,
    Column("id", Counter, primary_key=True, autoincrement=True),
    Column("party_kind", Text, nullable=False),
    Column("party_id", Text, nullable=False),
    Column("party_name", Text, nullable=False),
    Column("list_name", Text, nullable=False),
    Column("entry_id", Text, nullable=False),
    Column("entry_name", Text, nullable=False),
    Column("entry_digest", Text, nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON text: shared tokens, the score's parts
    Column("status", Text, nullable=False, index=True),  # potential | confirmed | dismissed
    Column("screened_at", UTCDateTime, nullable=False),
    Column("reviewed_by", Text, nullable=True),
    Column("reviewed_at", UTCDateTime, nullable=True),
    Column("review_reason", Text, nullable=True),
)
Index("ix_screening_results_party", screening_results.c.party_kind, screening_results.c.party_id,
      screening_results.c.list_name, screening_results.c.entry_id, unique=True)

# Every review, kept even after its result is gone (the entry was delisted): evidence.
screening_reviews = Table(
    "screening_reviews", metadata,
    Column("seq", Counter, primary_key=True, autoincrement=True),
    Column("result_id", Counter, nullable=False, index=True),
    Column("party_kind", Text, nullable=False),
    Column("party_id", Text, nullable=False),
    Column("party_name", Text, nullable=False),
    Column("list_name", Text, nullable=False),
    Column("entry_id", Text, nullable=False),
    Column("entry_digest", Text, nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
