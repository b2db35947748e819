"""Who may call: API keys, JWTs from a configured issuer, operator tokens for the decision API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import openai
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fake_upstream import FakeUpstream
from gateway_process import CAST, GatewayHome, GatewayProcess, make_home, start_gateway

from clearance.store import Store

ISSUER = "https://idp.clearance.test"
AUDIENCE = "clearance-gateway"
CHAT = {"model": "fable-5", "messages": [{"role": "user", "content": "hello"}]}
US = {"x-forwarded-for": "8.8.8.8"}

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_PUBLIC_PEM = _KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key()))
    return {"keys": [{**jwk, "kid": "test-key", "use": "sig", "alg": "RS256"}]}


def token(sub: str, *, key: Any = _KEY, kid: str = "test-key", algorithm: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 600, **claims}
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def _b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def hs256_with_public_key() -> str:
    """The algorithm-confusion token: HMAC keyed with the issuer's public key, which anyone can fetch.

    Built by hand because PyJWT itself refuses to make it.
    """
    now = int(time.time())
    signing_input = (_b64({"alg": "HS256", "typ": "JWT", "kid": "test-key"}) + "."
                     + _b64({"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": now, "exp": now + 600}))
    signature = hmac.new(_PUBLIC_PEM, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


OIDC = f'''
[[oidc]]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
jwks_file = "jwks.json"
algorithms = ["RS256"]

[oidc.claims]
citizenships = "nationality"
organization = "org"
'''


@pytest.fixture(scope="module")
def gateway_home(fake: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> GatewayHome:
    tmp = tmp_path_factory.mktemp("identity")
    home = make_home(tmp / "home", f"sqlite:///{tmp / 'home' / 'clearance.db'}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url, extra=OIDC)
    (tmp / "home" / "jwks.json").write_text(json.dumps(_jwks()), encoding="utf-8")
    for subject in CAST:
        home.key_for(subject)
    return home


@pytest.fixture(scope="module")
def operator_token(gateway_home: GatewayHome) -> str:
    created = json.loads(gateway_home.cli("tokens", "create", "--role", "auditor", "--json").stdout)
    return str(created["token"])


@pytest.fixture(scope="module")
def gateway(gateway_home: GatewayHome, operator_token: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    process = start_gateway(gateway_home, tmp_path_factory.mktemp("identity-log"))
    yield process
    process.stop()


def _chat(gateway: GatewayProcess, headers: dict[str, str]) -> tuple[int, Any]:
    status, _, body = gateway.post("/v1/chat/completions", CHAT, {**US, **headers})
    return status, body


@pytest.mark.parametrize(("headers", "why"), [
    ({}, "no credential"),
    ({"authorization": "Bearer clk_000000000000_notarealsecret"}, "unknown key"),
    ({"authorization": "Basic YWxpY2U6c2VjcmV0"}, "wrong scheme"),
    ({"x-api-key": "sk-something-else"}, "not ours"),
])
def test_no_usable_credential_is_401(gateway: GatewayProcess, fake: FakeUpstream, headers: dict[str, str],
                                     why: str) -> None:
    status, body = _chat(gateway, headers)
    assert status == 401, why
    assert body["error"]["type"] == "authentication_error"
    assert fake.requests == []


def test_two_different_credentials_are_refused(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    home = gateway.home
    status, _ = _chat(gateway, {"authorization": f"Bearer {home.key_for('alice')}", "x-api-key": home.key_for("priya")})
    assert status == 401
    assert fake.requests == []


def test_a_key_works_as_bearer_or_x_api_key(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    key = gateway.home.key_for("alice")
    assert _chat(gateway, {"authorization": f"Bearer {key}"})[0] == 200
    assert _chat(gateway, {"x-api-key": key})[0] == 200
    assert len(fake.requests) == 2


def test_keys_made_and_revoked_while_serving_take_effect_at_the_next_refresh(gateway: GatewayProcess) -> None:
    store = Store.open(gateway.home.database_url)
    try:
        before = gateway.revision()
        issued = store.create_api_key("camille", label="to revoke", actor="tests")
        gateway.wait_for_revision_change(before)
        assert _chat(gateway, {"authorization": f"Bearer {issued.secret}"})[0] == 200
        before = gateway.revision()
        store.revoke_credential(issued.credential.id, reason="left the company", actor="tests")
        gateway.wait_for_revision_change(before)
    finally:
        store.close()
    status, body = _chat(gateway, {"authorization": f"Bearer {issued.secret}"})
    assert status == 401, body


def test_a_valid_jwt_for_a_stored_subject(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=token("alice"), max_retries=0, default_headers=US)
    assert client.chat.completions.create(**CHAT).model == "fable-5"  # type: ignore[call-overload]
    assert len(fake.requests) == 1


def test_a_jwt_for_an_unstored_subject_is_decided_on_its_claims(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    status, body = _chat(gateway, {"authorization": f"Bearer {token('zed', nationality='CN')}"})
    assert status == 451
    assert body["error"]["code"] == "DEEMED_EXPORT"
    status, _ = _chat(gateway, {"authorization": f"Bearer {token('zoe', nationality='US')}"})
    assert status == 200
    assert len(fake.requests) == 1


def test_a_bad_claim_value_is_401_naming_the_claim(gateway: GatewayProcess) -> None:
    status, body = _chat(gateway, {"authorization": f"Bearer {token('zed', nationality='Narnia')}"})
    assert status == 401
    assert "nationality" in body["error"]["message"]


@pytest.mark.parametrize(("make", "why"), [
    (lambda: token("alice", exp=int(time.time()) - 60), "expired"),
    (lambda: token("alice", nbf=int(time.time()) + 3600), "not yet valid"),
    (lambda: token("alice", aud="another-service"), "wrong audience"),
    (lambda: token("alice", iss="https://evil.example"), "wrong issuer"),
    (lambda: token("alice", key=_OTHER_KEY), "signed by another key"),
    (lambda: token("alice", kid="unknown-kid"), "unknown kid"),
    (hs256_with_public_key, "HS256 with the public key as secret"),
    (lambda: _b64({"alg": "none", "typ": "JWT", "kid": "test-key"}) + "."
     + _b64({"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": int(time.time()) + 600}) + ".", "alg none"),
    (lambda: ".".join([*token("alice").split(".")[:1], _b64({"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory",
                                                           "exp": int(time.time()) + 600}),
                       token("alice").split(".")[2]]), "payload swapped"),
])
def test_bad_tokens_are_401(gateway: GatewayProcess, fake: FakeUpstream, make: Any, why: str) -> None:
    credential = make()
    status, body = _chat(gateway, {"authorization": f"Bearer {credential}"})
    assert status == 401, (why, body)
    assert fake.requests == []


def test_the_decision_api_needs_an_operator_token(gateway: GatewayProcess, operator_token: str) -> None:
    ask = {"subject_id": "priya", "model": "fable-5", "ip": "8.8.8.8"}
    status, _, body = gateway.post("/v1/decisions", ask, {"authorization": f"Bearer {operator_token}"})
    assert status == 200, body
    assert body["effect"] == "deny"
    assert body["reasons"][0]["code"] == "DEEMED_EXPORT"
    assert body["destinations"]
    status, _, _ = gateway.post("/v1/decisions", ask, {"authorization": f"Bearer {gateway.home.key_for('alice')}"})
    assert status == 401  # a model-API key is not an operator token
    status, _, body = gateway.post("/v1/decisions", {"subject": {"id": "x", "citizenships": "US"}, "model": "fable-5"},
                                   {"authorization": f"Bearer {operator_token}"})
    assert (status, body["effect"]) == (200, "allow")


@pytest.mark.parametrize(("ask", "param"), [
    ({"model": "fable-5"}, None),
    ({"subject_id": "priya", "model": "fable-5", "ip": "999.1.1.1"}, "ip"),
    ({"subject_id": "priya", "model": "fable-5", "colour": "blue"}, "colour"),
    ({"subject": {"id": "x", "citizenships": "Narnia"}, "model": "fable-5"}, "subject"),
    ({"subject_id": "priya", "model": "fable-5", "capabilities": ["telepathy"]}, "capabilities"),
    ({"subject_id": "priya", "model": "fable-5", "at": "yesterday"}, "at"),
])
def test_the_decision_api_explains_bad_requests(gateway: GatewayProcess, operator_token: str,
                                                ask: dict[str, Any], param: str | None) -> None:
    status, _, body = gateway.post("/v1/decisions", ask, {"authorization": f"Bearer {operator_token}"})
    assert status == 400, body
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["message"]
    if param:
        assert body["error"]["param"] == param
