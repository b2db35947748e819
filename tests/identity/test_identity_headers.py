"""Which header carries the credential: Bearer or x-api-key, one credential per request, clear 401s."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.gateway.identity import Authenticator, Caller, KeyRing, Unauthenticated
from clearance.store.credentials import Credential, CredentialKind, digest

KEY = "clk_00000000abcd_" + "k" * 43
OTHER = "clk_00000000beef_" + "o" * 43


def _credential(secret: str, subject: str) -> Credential:
    ident = secret.split("_")[1]
    return Credential(id=ident, kind=CredentialKind.API_KEY, subject_id=subject, role=None, label="",
                      prefix=f"clk_{ident}", secret_sha256=digest(secret), created_at=datetime.now(UTC),
                      created_by="test")


AUTH = Authenticator(KeyRing([_credential(KEY, "alice"), _credential(OTHER, "bob")]), [])


def authenticate(headers: Mapping[str, str]) -> Caller:
    return asyncio.run(AUTH.authenticate(headers))


@pytest.mark.parametrize("headers", [
    {"authorization": f"Bearer {KEY}"},
    {"authorization": f"bearer {KEY}"},
    {"authorization": f"  Bearer   {KEY}  "},
    {"Authorization": f"Bearer {KEY}"},
    {"x-api-key": KEY},
    {"X-Api-Key": f" {KEY} "},
    {"authorization": f"Bearer {KEY}", "x-api-key": KEY},  # both, the same: fine
])
def test_the_key_is_read_from_either_header(headers: dict[str, str]) -> None:
    assert authenticate(headers) == Caller("alice", "00000000abcd", "api_key", None)


@pytest.mark.parametrize(("headers", "message"), [
    ({}, "no credentials: send Authorization: Bearer <API key or token>, or x-api-key"),
    ({"authorization": f"Bearer {KEY}", "x-api-key": OTHER}, "Authorization and x-api-key carry different credentials"),
    ({"authorization": f"Basic {KEY}"}, 'the Authorization header must read "Bearer <credential>"'),
    ({"authorization": KEY}, 'must read "Bearer <credential>"'),
    ({"authorization": "Bearer "}, 'must read "Bearer <credential>"'),
    ({"x-api-key": "  "}, "x-api-key is empty"),
    ({"x-api-key": "sk-proj-abcdef"}, "not a Clearance API key (clk_…, made by `clearance keys create`) nor a JWT"),
    ({"x-api-key": "clk_00000000ffff_" + "k" * 43}, "API key clk_00000000ffff is unknown or revoked"),
    ({"x-api-key": "clk_00000000abcd_" + "x" * 43}, "API key clk_00000000abcd is unknown or revoked"),
    ({"x-api-key": "clt_00000000abcd_" + "k" * 43}, "operator token clt_00000000abcd opens only the admin API"),
    ({"x-api-key": "a.b.c"}, "token is malformed"),
])
def test_what_is_wrong_is_said_without_the_secret(headers: dict[str, str], message: str) -> None:
    with pytest.raises(Unauthenticated) as caught:
        authenticate(headers)
    assert message in caught.value.message
    assert "k" * 43 not in caught.value.message and "x" * 43 not in caught.value.message
    assert str(caught.value) == caught.value.message


def test_a_new_key_ring_replaces_the_old_one() -> None:
    newer = AUTH.with_keys(KeyRing([_credential(OTHER, "bob")]))
    assert asyncio.run(newer.authenticate({"x-api-key": OTHER})).subject_id == "bob"
    with pytest.raises(Unauthenticated, match="unknown or revoked"):
        asyncio.run(newer.authenticate({"x-api-key": KEY}))
    assert authenticate({"x-api-key": KEY}).subject_id == "alice"  # the old authenticator is unchanged


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["authorization", "x-api-key", "Authorization", "X-Api-Key", "cookie"]),
                       st.text(max_size=120)))
def test_arbitrary_headers_authenticate_only_with_the_key(headers: dict[str, str]) -> None:
    try:
        caller = authenticate(headers)
    except Unauthenticated as exc:
        assert exc.message  # a reason, never an exception of another kind
    else:
        assert caller.subject_id in {"alice", "bob"}
        assert any(KEY in v or OTHER in v for v in headers.values())
