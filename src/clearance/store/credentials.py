"""API keys and operator tokens in the store: issued once, kept only as a digest, revoked in place.

A secret reads `clk_<id>_<secret>` (API key) or `clt_<id>_<secret>` (operator token):

* the tag says at a glance which door it opens (a model-API key never opens the admin API) and lets
  secret scanners recognise a leaked one;
* `<id>` (12 hex digits) is the row's primary key, so a key can be named in logs, `keys list` and
  `keys revoke` without anyone ever seeing the secret, and the gateway finds the row by id and then
  compares digests in constant time;
* `<secret>` is 256 random bits (43 base64url characters).  Guessing one is hopeless, so a fast
  SHA-256 of the whole string is the right thing to keep: a slow password hash would only cost every
  request time without making a 256-bit secret any harder to find.

Creating and revoking bump the store revision and the change log, like every other write, so
every gateway replica reloads its key ring; a revoked row stays as evidence of who could call when.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, select

from clearance.domain.timeutil import iso
from clearance.errors import DataError, NotFound
from clearance.store import tables
from clearance.store.changelog import Writer

CREATED = "credential.create"
REVOKED = "credential.revoke"

_ID_HEX = 12
SECRET_LENGTH = 4 + _ID_HEX + 1 + 43  # "clk_" + id + "_" + 256 bits in base64url
ID_SLICE = slice(4, 4 + _ID_HEX)  # where the id sits in a secret
_SECRET = re.compile(r"^(clk|clt)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_LABEL_LIMIT = 200


class CredentialKind(StrEnum):
    API_KEY = "api_key"  # a caller of the model APIs, acting as one subject
    OPERATOR_TOKEN = "operator_token"  # an operator of the admin API, with a role

    @property
    def tag(self) -> str:
        return "clk" if self is CredentialKind.API_KEY else "clt"

    @property
    def noun(self) -> str:
        return "API key" if self is CredentialKind.API_KEY else "operator token"


class OperatorRole(StrEnum):
    """What an operator token may do in the admin API (DESIGN.md): read, decide reviews and licenses, or all."""

    ADMIN = "admin"
    COMPLIANCE = "compliance"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Credential:
    """A stored API key or operator token: everything but the secret, which is never kept."""

    id: str
    kind: CredentialKind
    subject_id: str | None  # API keys
    role: OperatorRole | None  # operator tokens
    label: str
    prefix: str  # "clk_<id>": the non-secret start of the secret
    secret_sha256: str  # hex digest of the whole secret string
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, Any]:
        """For listings: no digest (it is not a secret, but nobody reading a listing needs it)."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind.value}
        if self.kind is CredentialKind.API_KEY:
            out["subject"] = self.subject_id
        else:
            out["role"] = self.role.value if self.role else None
        return out | {
            "label": self.label, "prefix": self.prefix, "status": "active" if self.active else "revoked",
            "created_at": iso(self.created_at), "created_by": self.created_by,
            "revoked_at": iso(self.revoked_at) if self.revoked_at else None, "revoked_by": self.revoked_by,
        }


@dataclass(frozen=True)
class IssuedCredential:
    """A credential just created, with its secret: the only time the secret exists outside the caller."""

    credential: Credential
    secret: str

    def __repr__(self) -> str:  # never print the secret by accident (logs, tracebacks)
        return f"IssuedCredential({self.credential.prefix}_…)"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def parse(secret: str) -> tuple[CredentialKind, str] | None:
    """(kind, id) of a string shaped like a Clearance secret; None for anything else."""
    found = _SECRET.match(secret)
    if found is None:
        return None
    kind = CredentialKind.API_KEY if found.group(1) == "clk" else CredentialKind.OPERATOR_TOKEN
    return kind, found.group(2)


def create(writer: Writer, kind: CredentialKind, *, subject_id: str | None = None,
           role: OperatorRole | None = None, label: str = "", allow_unknown_subject: bool = False) -> IssuedCredential:
    label = _check_label(label)
    if kind is CredentialKind.API_KEY:
        if not subject_id or not subject_id.strip():
            raise DataError("an API key belongs to a subject: give its id", field="subject")
        if not allow_unknown_subject and not _subject_exists(writer.conn, subject_id):
            raise NotFound(f'no subject "{subject_id}" in the store: import it first (`clearance subjects '
                           "import`), or pass --allow-unknown to issue a key whose caller is treated as "
                           "unknown until the subject is imported")
        role = None
    else:
        if role is None:
            raise DataError("an operator token needs a role (admin, compliance or auditor)", field="role")
        subject_id = None
    while True:
        ident = secrets.token_hex(_ID_HEX // 2)
        if writer.conn.execute(select(tables.credentials.c.id).where(tables.credentials.c.id == ident)).first() is None:
            break  # 48 random bits: a repeat is astronomically rare, but the id is a primary key
    secret = f"{kind.tag}_{ident}_{secrets.token_urlsafe(32)}"
    credential = Credential(id=ident, kind=kind, subject_id=subject_id, role=role, label=label,
                            prefix=f"{kind.tag}_{ident}", secret_sha256=digest(secret),
                            created_at=writer.at, created_by=writer.actor)
    writer.conn.execute(tables.credentials.insert().values(
        id=ident, kind=kind.value, subject_id=subject_id, role=role.value if role else None, label=label,
        secret_sha256=credential.secret_sha256, prefix=credential.prefix, created_at=writer.at,
        created_by=writer.actor))
    writer.record(CREATED, ident, f"{_describe(credential)} created")
    return IssuedCredential(credential, secret)


def revoke(writer: Writer, credential_id: str, kind: CredentialKind | None, reason: str) -> Credential:
    current = load(writer.conn, credential_id, kind)
    if not current.active:
        return current  # already revoked: nothing to write, nothing for replicas to reload
    table = tables.credentials
    writer.conn.execute(table.update().where(table.c.id == current.id).values(
        revoked_at=writer.at, revoked_by=writer.actor))
    why = f": {reason.strip()}" if reason.strip() else ""
    writer.record(REVOKED, current.id, f"{_describe(current)} revoked{why}")
    return replace(current, revoked_at=writer.at, revoked_by=writer.actor)


def load(conn: Connection, credential_id: str, kind: CredentialKind | None = None) -> Credential:
    table = tables.credentials
    row = conn.execute(select(table).where(table.c.id == _bare_id(credential_id))).first()
    if row is None or (kind is not None and row.kind != kind.value):
        noun = kind.noun if kind else "API key or operator token"
        listing = "tokens" if kind is CredentialKind.OPERATOR_TOKEN else "keys"
        raise NotFound(f'no {noun} "{credential_id}" in the store (list them with `clearance {listing} list`)')
    return _decode(row)


def load_all(conn: Connection, kind: CredentialKind | None, subject_id: str | None, role: OperatorRole | None,
             active_only: bool) -> list[Credential]:
    table = tables.credentials
    query = select(table).order_by(table.c.created_at, table.c.id)
    if kind is not None:
        query = query.where(table.c.kind == kind.value)
    if subject_id is not None:
        query = query.where(table.c.subject_id == subject_id)
    if role is not None:
        query = query.where(table.c.role == role.value)
    if active_only:
        query = query.where(table.c.revoked_at.is_(None))
    return [_decode(row) for row in conn.execute(query)]


def _bare_id(text: str) -> str:
    """Accept the id, or the displayed prefix ("clk_<id>"), wherever an id is asked for."""
    tag, sep, rest = text.strip().partition("_")
    return rest if sep and tag in {"clk", "clt"} and re.fullmatch(r"[0-9a-f]{12}", rest) else text.strip()


def _subject_exists(conn: Connection, subject_id: str) -> bool:
    return conn.execute(select(tables.subjects.c.id).where(tables.subjects.c.id == subject_id)).first() is not None


def _check_label(label: str) -> str:
    label = label.strip()
    if len(label) > _LABEL_LIMIT:
        raise DataError(f"{len(label)} characters; at most {_LABEL_LIMIT}", field="label")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
        raise DataError("control characters (line breaks, tabs) are not allowed", field="label")
    return label


def _describe(credential: Credential) -> str:
    whose = (f'for subject "{credential.subject_id}"' if credential.kind is CredentialKind.API_KEY
             else f"with role {credential.role.value if credential.role else '?'}")
    label = f' "{credential.label}"' if credential.label else ""
    return f"{credential.kind.noun} {credential.prefix}{label} {whose}"


def _decode(row: Row[Any]) -> Credential:
    return Credential(
        id=row.id, kind=CredentialKind(row.kind), subject_id=row.subject_id,
        role=OperatorRole(row.role) if row.role else None, label=row.label, prefix=row.prefix,
        secret_sha256=row.secret_sha256, created_at=row.created_at, created_by=row.created_by,
        revoked_at=row.revoked_at, revoked_by=row.revoked_by)
