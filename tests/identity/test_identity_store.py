"""Credentials in the store: found by their secret and nothing else, never kept in clear, revocable."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, cast, or_, select

from clearance.domain.subjects import Subject
from clearance.errors import DataError, NotFound
from clearance.gateway.identity import Authenticator, KeyRing, Operator, Unauthenticated
from clearance.store import Store
from clearance.store.credentials import CredentialKind, OperatorRole, parse
from clearance.store.engine import build_engine, normalize_url
from clearance.store.tables import metadata


@pytest.fixture
def people(store: Store) -> Store:
    store.import_subjects([Subject("alice", name="Alice"), Subject("bob", name="Bob")], actor="hr")
    return store


def test_a_key_is_found_by_its_secret_and_names_its_subject(people: Store) -> None:
    issued = people.create_api_key("alice", label="laptop", actor="officer")
    ring = KeyRing.load(people)
    caller = ring.api_key(issued.secret)
    assert caller is not None
    assert (caller.subject_id, caller.credential_id, caller.method, caller.claimed) == (
        "alice", issued.credential.id, "api_key", None)
    assert issued.secret.startswith(f"clk_{issued.credential.id}_")
    assert parse(issued.secret) == (CredentialKind.API_KEY, issued.credential.id)
    assert issued.credential.secret_sha256 == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in repr(issued)


def test_wrong_secrets_find_nothing(people: Store) -> None:
    issued = people.create_api_key("alice", actor="officer")
    other = people.create_api_key("bob", actor="officer")
    ring = KeyRing.load(people)
    prefix, ident, secret = issued.secret.split("_", 2)
    flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    wrong = [
        f"{prefix}_{ident}_{flipped}",  # one character off
        f"{prefix}_{other.credential.id}_{secret}",  # right secret, another key's id
        f"{prefix}_{ident}_{other.secret.split('_', 2)[2]}",  # another key's secret under this id
        f"clt_{ident}_{secret}",  # the same secret presented as an operator token
        issued.secret.upper(), issued.secret + "x", issued.secret[:-1], "", issued.credential.secret_sha256,
    ]
    for candidate in wrong:
        assert ring.api_key(candidate) is None, candidate
        assert ring.operator(candidate) is None, candidate
    assert ring.api_key(other.secret) is not None


def _sample_ring() -> tuple[KeyRing, str, str]:
    from datetime import UTC, datetime

    from clearance.store.credentials import Credential, digest

    ident, secret_part = "0123456789ab", "S" * 43
    secret = f"clk_{ident}_{secret_part}"
    credential = Credential(id=ident, kind=CredentialKind.API_KEY, subject_id="alice", role=None, label="",
                            prefix=f"clk_{ident}", secret_sha256=digest(secret),
                            created_at=datetime.now(UTC), created_by="t")
    ring = KeyRing([credential])
    assert ring.api_key(secret) is not None
    return ring, ident, secret_part


_RING, _ID, _SECRET_PART = _sample_ring()
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(alphabet=_B64URL, min_size=43, max_size=43))
def test_no_made_up_string_is_a_key(anything: str, shaped: str) -> None:
    # Random text, and text shaped exactly like the stored key under its real id, never matches.
    assume(shaped != _SECRET_PART)
    for candidate in (anything, f"clk_{_ID}_{shaped}"):
        assert _RING.api_key(candidate) is None
        assert _RING.operator(candidate) is None


def test_the_database_never_holds_a_secret(people: Store, store_url: str) -> None:
    secrets = [people.create_api_key("alice", label="ci", actor="officer").secret,
               people.create_operator_token(OperatorRole.ADMIN, label="ops", actor="officer").secret]
    revoked = people.create_api_key("bob", actor="officer")
    people.revoke_credential(revoked.credential.id, reason="lost", actor="officer")
    secrets.append(revoked.secret)
    # Search every column of every table for each secret and for its random part alone.
    needles = [*secrets, *(s.split("_", 2)[2] for s in secrets)]
    engine = build_engine(normalize_url(store_url))
    try:
        with engine.connect() as conn:
            scanned = 0
            for table in metadata.sorted_tables:
                columns = [cast(c, String) if not isinstance(c.type, Text) else c for c in table.columns]
                for needle in needles:
                    hits = conn.execute(select(table).where(or_(*(col.contains(needle, autoescape=True)
                                                                  for col in columns)))).all()
                    assert hits == [], (table.name, hits)
                scanned += 1
            # the digests and the display prefixes are there: the scan was looking in the right place
            row = conn.execute(select(metadata.tables["credentials"]).where(
                metadata.tables["credentials"].c.id == revoked.credential.id)).one()
    finally:
        engine.dispose()
    assert scanned == len(metadata.sorted_tables) >= 6
    assert row.secret_sha256 == hashlib.sha256(revoked.secret.encode()).hexdigest()
    assert row.prefix == f"clk_{revoked.credential.id}" and row.revoked_by == "officer"


def test_revoking_takes_effect_in_a_newly_loaded_ring(people: Store) -> None:
    issued = people.create_api_key("alice", actor="officer")
    before = KeyRing.load(people)
    people.revoke_credential(issued.credential.id, kind=CredentialKind.API_KEY, reason="left", actor="officer")
    after = KeyRing.load(people)
    assert before.api_key(issued.secret) is not None  # a ring is immutable: the gateway swaps it
    assert after.api_key(issued.secret) is None
    assert after.revision == people.revision() > before.revision
    auth = Authenticator(before, []).with_keys(after)
    with pytest.raises(Unauthenticated, match=rf"API key clk_{issued.credential.id} is unknown or revoked"):
        asyncio.run(auth.authenticate({"authorization": f"Bearer {issued.secret}"}))


def test_writes_move_the_revision_and_log_without_the_secret(people: Store) -> None:
    start = people.revision()
    issued = people.create_api_key("alice", label="notebook", actor="officer")
    token = people.create_operator_token(OperatorRole.AUDITOR, actor="admin")
    people.revoke_credential(f"clk_{issued.credential.id}", reason="rotated", actor="officer")  # by prefix
    people.revoke_credential(issued.credential.id, actor="officer")  # again: nothing to write
    log = people.changes(since=start)
    assert [(c.revision, c.kind, c.ref, c.actor) for c in log] == [
        (start + 1, "credential.create", issued.credential.id, "officer"),
        (start + 2, "credential.create", token.credential.id, "admin"),
        (start + 3, "credential.revoke", issued.credential.id, "officer")]
    assert log[0].summary == f'API key clk_{issued.credential.id} "notebook" for subject "alice" created'
    assert log[1].summary == f"operator token clt_{token.credential.id} with role auditor created"
    assert log[2].summary.endswith("revoked: rotated")
    assert people.revision() == start + 3
    assert all(issued.secret not in c.summary and token.secret not in c.summary for c in log)


def test_operator_tokens_open_only_the_admin_api(people: Store) -> None:
    token = people.create_operator_token(OperatorRole.COMPLIANCE, label="officer", actor="admin")
    key = people.create_api_key("alice", actor="admin")
    ring = KeyRing.load(people)
    assert ring.operator(token.secret) == Operator(token.credential.id, OperatorRole.COMPLIANCE)
    assert ring.api_key(token.secret) is None
    assert ring.operator(key.secret) is None
    auth = Authenticator(ring, [])
    assert auth.operator({"x-api-key": token.secret}).role is OperatorRole.COMPLIANCE
    with pytest.raises(Unauthenticated, match="cannot open the admin API"):
        auth.operator({"authorization": f"Bearer {key.secret}"})
    with pytest.raises(Unauthenticated, match="opens only the admin API"):
        asyncio.run(auth.authenticate({"authorization": f"Bearer {token.secret}"}))


def test_an_unknown_subject_is_refused_unless_allowed(people: Store) -> None:
    with pytest.raises(NotFound, match=r'no subject "carol" in the store.*--allow-unknown'):
        people.create_api_key("carol", actor="officer")
    assert people.credentials() == []
    issued = people.create_api_key("carol", allow_unknown_subject=True, actor="officer")
    assert people.credential(issued.credential.id).subject_id == "carol"


def test_listing_filters_and_never_shows_secrets(people: Store) -> None:
    a = people.create_api_key("alice", actor="o")
    b = people.create_api_key("bob", actor="o")
    t = people.create_operator_token(OperatorRole.ADMIN, actor="o")
    people.revoke_credential(b.credential.id, actor="o")
    assert [c.id for c in people.credentials(kind=CredentialKind.API_KEY)] == [a.credential.id, b.credential.id]
    assert [c.id for c in people.credentials(kind=CredentialKind.API_KEY, active_only=True)] == [a.credential.id]
    assert [c.id for c in people.credentials(subject_id="bob")] == [b.credential.id]
    assert [c.id for c in people.credentials(role=OperatorRole.ADMIN)] == [t.credential.id]
    listed = str([c.to_json() for c in people.credentials()])
    assert all(s.secret not in listed and s.credential.secret_sha256 not in listed for s in (a, b, t))
    assert people.credential(b.credential.id).to_json()["status"] == "revoked"


@pytest.mark.parametrize(("label", "message"), [
    ("x" * 201, "label: 201 characters; at most 200"),
    ("two\nlines", "label: control characters"),
])
def test_bad_labels_are_data_errors(people: Store, label: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        people.create_api_key("alice", label=label, actor="o")
    assert people.credentials() == []


def test_revoking_something_else_is_not_found(people: Store) -> None:
    token = people.create_operator_token(OperatorRole.ADMIN, actor="o")
    with pytest.raises(NotFound, match=rf'no API key "{token.credential.id}".*clearance keys list'):
        people.revoke_credential(token.credential.id, kind=CredentialKind.API_KEY, actor="o")
    with pytest.raises(NotFound, match='no operator token "nope"'):
        people.revoke_credential("nope", kind=CredentialKind.OPERATOR_TOKEN, actor="o")
    assert people.credential(token.credential.id).active
