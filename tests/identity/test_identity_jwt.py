"""JWTs from configured issuers: every check PyJWT is asked to make, and the ones it must never skip.

Keys are generated per run; the JWKS comes from a file in the home (as `clearance.toml` names it)
or from a real HTTP server on loopback.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from identity_helpers import (
    AUDIENCE,
    ISSUER,
    SigningKey,
    assemble,
    claims,
    hmac_with_public_key,
    jwks,
    serve_jwks,
    tamper,
    unsigned,
    write_jwks,
)

from clearance.documents.subject_row import read_row
from clearance.domain.subjects import Nationality, Subject, UsPersonStatus
from clearance.gateway.identity import Authenticator, Caller, IssuerUnavailable, KeyRing, Unauthenticated
from clearance.gateway.identity.authenticator import TokenCache
from clearance.gateway.identity.oidc import OidcIssuer, issuers_from_settings
from clearance.settings import load_settings


def configure(home: Path, **entry: Any) -> Authenticator:
    """An authenticator for the [[oidc]] entry written to home/clearance.toml, read the way `serve` reads it."""
    lines = ["[[oidc]]"]
    tables: list[str] = []
    for key, value in {"issuer": ISSUER, "audience": AUDIENCE, **entry}.items():
        if isinstance(value, dict):
            tables += [f"[oidc.{key}]", *(f'{k} = "{v}"' for k, v in value.items())]
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
        else:
            lines.append(f"{key} = {value}")
    (home / "clearance.toml").write_text("\n".join([*lines, *tables]) + "\n", "utf-8")
    return Authenticator(KeyRing.empty(), issuers_from_settings(load_settings(home)))


def authenticate(auth: Authenticator, token: str) -> Caller:
    return asyncio.run(auth.authenticate({"authorization": f"Bearer {token}"}))


def refused(auth: Authenticator, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        authenticate(auth, token)
    message = caught.value.message
    assert (token not in message and token.split(".")[2][:20] not in message) or not token.split(".")[2]
    return message


@pytest.fixture
def both_keys(tmp_path: Path, rsa_key: SigningKey, ec_key: SigningKey) -> Authenticator:
    return configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key, ec_key))


@pytest.mark.parametrize("which", ["rsa_key", "ec_key"])
def test_a_good_token_names_its_subject(both_keys: Authenticator, which: str, request: pytest.FixtureRequest) -> None:
    key: SigningKey = request.getfixturevalue(which)
    caller = authenticate(both_keys, key.sign(claims(sub="alice", jti="abc-123")))
    assert caller == Caller("alice", f"jwt:{ISSUER}#abc-123", "jwt", None)


def test_without_jti_the_credential_is_named_by_subject(both_keys: Authenticator, rsa_key: SigningKey) -> None:
    assert authenticate(both_keys, rsa_key.sign(claims(jti=None))).credential_id == f"jwt:{ISSUER}#alice"


def test_x_api_key_carries_a_jwt_too(both_keys: Authenticator, ec_key: SigningKey) -> None:
    token = ec_key.sign(claims())
    assert asyncio.run(both_keys.authenticate({"x-api-key": token})).subject_id == "alice"


def _now() -> int:
    return int(time.time())


Forge = Callable[[SigningKey, SigningKey, SigningKey], str]
REFUSALS: list[tuple[str, Forge, str]] = [
    ("expired", lambda r, e, s: r.sign(claims(exp=_now() - 60, iat=_now() - 3600, nbf=_now() - 3600)),
     r"token has expired \(exp\)"),
    ("expired EC", lambda r, e, s: e.sign(claims(exp=_now() - 1)), r"expired"),
    ("not yet valid", lambda r, e, s: r.sign(claims(nbf=_now() + 600)), r"not valid yet \(nbf is in the future\)"),
    ("issued in the future", lambda r, e, s: r.sign(claims(iat=_now() + 600, nbf=None)),
     r"not valid yet \(iat is in the future\)"),
    ("wrong audience", lambda r, e, s: r.sign(claims(aud="another-service")),
     rf"not for this gateway: aud must name {AUDIENCE}"),
    ("no audience", lambda r, e, s: r.sign(claims(aud=None)), r'lacks the "aud" claim'),
    ("wrong issuer", lambda r, e, s: r.sign(claims(iss="https://evil.example/")),
     r'issuer "https://evil.example/" is not one this gateway trusts'),
    ("issuer not exactly", lambda r, e, s: r.sign(claims(iss=ISSUER.rstrip("/"))), r"is not one this gateway trusts"),
    ("no issuer", lambda r, e, s: r.sign(claims(iss=None)), r'issuer "None" is not one this gateway trusts'),
    ("alg none", lambda r, e, s: unsigned(claims()), r"unsigned token \(alg: none\) refused"),
    ("alg None", lambda r, e, s: assemble({"alg": "None", "kid": "rsa-1"}, claims()), r"unsigned token"),
    ("HS256 keyed with the public key", lambda r, e, s: hmac_with_public_key(r, claims()),
     r'algorithm "HS256" is not accepted for issuer'),
    ("unknown kid", lambda r, e, s: SigningKey(kid="rsa-9", alg="RS256", private=s.private).sign(claims()),
     r'names key "rsa-9" that issuer .* does not publish'),
    ("another key under a known kid", lambda r, e, s: s.sign(claims()), r"signature does not verify"),
    ("a key offered in the header (jwk)", lambda r, e, s: s.sign(claims(), header={"jwk": s.jwk()}),
     r"signature does not verify"),
    ("keys offered by URL (jku)", lambda r, e, s: s.sign(claims(), header={"jku": "http://127.0.0.1:9/evil.json"}),
     r"signature does not verify"),
    ("tampered payload", lambda r, e, s: tamper(r.sign(claims()), sub="mallory"), r"signature does not verify"),
    ("tampered expiry", lambda r, e, s: tamper(r.sign(claims(exp=_now() - 5)), exp=_now() + 3600),
     r"signature does not verify"),
    ("EC algorithm on the RSA key", lambda r, e, s: SigningKey(kid="rsa-1", alg="ES256", private=e.private).sign(
        claims()), r'names key "rsa-1" that issuer .* does not publish for ES256'),
    ("no expiry", lambda r, e, s: r.sign(claims(exp=None)), r'lacks the "exp" claim'),
    ("no subject", lambda r, e, s: r.sign(claims(sub=None)), r'has no subject: claim "sub" must be non-empty text'),
    ("numeric subject", lambda r, e, s: r.sign(claims(sub=42)), r"has no subject|Subject must be a string"),
    ("malformed", lambda r, e, s: "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", r"payload is not base64url-encoded JSON"),
    ("header not an object", lambda r, e, s: assemble([1], claims(), lambda d: b"x"),  # type: ignore[arg-type]
     r"header is not a JSON object"),
]


@pytest.mark.parametrize(("forge", "message"), [(f, m) for _, f, m in REFUSALS], ids=[n for n, _, _ in REFUSALS])
def test_bad_tokens_are_refused_saying_why(both_keys: Authenticator, rsa_key: SigningKey, ec_key: SigningKey,
                                           stranger_key: SigningKey, forge: Forge, message: str) -> None:
    assert re.search(message, refused(both_keys, forge(rsa_key, ec_key, stranger_key)))


def test_the_algorithm_allow_list_is_per_issuer(tmp_path: Path, rsa_key: SigningKey, ec_key: SigningKey) -> None:
    auth = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key, ec_key), algorithms=["ES256"])
    assert authenticate(auth, ec_key.sign(claims())).subject_id == "alice"
    assert 'algorithm "RS256" is not accepted for issuer' in refused(auth, rsa_key.sign(claims()))


def test_leeway_allows_that_much_clock_skew(tmp_path: Path, rsa_key: SigningKey) -> None:
    auth = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key), leeway_seconds=120)
    assert authenticate(auth, rsa_key.sign(claims(exp=_now() - 30))).subject_id == "alice"
    assert authenticate(auth, rsa_key.sign(claims(nbf=_now() + 30))).subject_id == "alice"
    assert "expired" in refused(auth, rsa_key.sign(claims(exp=_now() - 600)))


def test_another_subject_claim(tmp_path: Path, rsa_key: SigningKey) -> None:
    auth = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key), subject_claim="employee_id")
    assert authenticate(auth, rsa_key.sign(claims(employee_id=" E-1001 "))).subject_id == "E-1001"
    assert 'claim "employee_id" must be non-empty text' in refused(auth, rsa_key.sign(claims()))


def test_a_token_without_kid_needs_an_issuer_with_one_key(tmp_path: Path, rsa_key: SigningKey,
                                                          ec_key: SigningKey) -> None:
    import jwt

    token = jwt.encode(claims(), rsa_key.private, algorithm="RS256")  # no kid in the header
    one = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key))
    assert authenticate(one, token).subject_id == "alice"
    several = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key, ec_key))
    assert "names a kid (and the issuer has several keys)" in refused(several, token)


def test_jwts_are_refused_when_no_issuer_is_configured(rsa_key: SigningKey) -> None:
    auth = Authenticator(KeyRing.empty(), [])
    assert "accepts no JWTs (no [[oidc]] issuer is configured)" in refused(auth, rsa_key.sign(claims()))


# Claims mapped to subject attributes

MAPPING = {"name": "name", "organization": "org", "citizenships": "nationalities",
           "permanent_residence": "residence", "us_person": "us_person"}


@pytest.fixture
def mapped(tmp_path: Path, rsa_key: SigningKey) -> Authenticator:
    return configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key), claims=MAPPING)


def test_claims_make_the_same_subject_as_the_csv(mapped: Authenticator, rsa_key: SigningKey) -> None:
    token = rsa_key.sign(claims(sub="ravi", name="Ravi Kumar", org="acme", nationalities=["IN@2001-05-01", "CA"],
                                residence="CA@2019-02-11"))
    caller = authenticate(mapped, token)
    expected = Subject("ravi", name="Ravi Kumar", organization="acme",
                       citizenships=(Nationality("IN", date(2001, 5, 1)), Nationality("CA")),
                       permanent_residence=Nationality("CA", date(2019, 2, 11)))
    assert caller.claimed == expected
    csv_row = {"id": "ravi", "name": "Ravi Kumar", "organization": "acme", "citizenships": "IN@2001-05-01;CA",
               "permanent_residence": "CA@2019-02-11", "us_person": ""}
    assert read_row(csv_row, line=2, source="subjects.csv", home_country="US") == caller.claimed
    # text in the CSV's own form works as well as a list
    text = authenticate(mapped, rsa_key.sign(claims(sub="ravi", name="Ravi Kumar", org="acme",
                                                    nationalities="IN@2001-05-01;CA", residence="CA@2019-02-11")))
    assert text.claimed == expected


def test_missing_attribute_claims_mean_unknown_not_domestic(mapped: Authenticator, rsa_key: SigningKey) -> None:
    caller = authenticate(mapped, rsa_key.sign(claims(sub="x")))
    assert caller.claimed == Subject("x")
    us = authenticate(mapped, rsa_key.sign(claims(sub="y", nationalities=["US"], us_person="citizen")))
    assert us.claimed is not None and us.claimed.us_person is UsPersonStatus.CITIZEN


@pytest.mark.parametrize(("extra", "message"), [
    ({"nationalities": ["XX"]}, r'claim "nationalities" \(citizenships\): .*XX'),
    ({"nationalities": "IN;IN"}, r'claim "nationalities" \(citizenships\): IN is listed twice'),
    ({"nationalities": ["IN;CA"]}, r'claim "nationalities" \(citizenships\): list items must be single countries'),
    ({"nationalities": 7}, r'claim "nationalities" \(citizenships\): expected a list of text, got a number'),
    ({"residence": ["CA", "IN"]}, r'claim "residence" \(permanent_residence\): expected text, got a list'),
    ({"us_person": True}, r'claim "us_person" \(us_person\): expected text, got true/false'),
    ({"us_person": "yes"}, r'claim "us_person" \(us_person\): unknown value "yes"'),
    ({"us_person": "citizen", "nationalities": ["IN"]}, r"citizen, but the citizenships on file \(IN\)"),
])
def test_bad_attribute_claims_are_refused_naming_the_claim(mapped: Authenticator, rsa_key: SigningKey,
                                                           extra: dict[str, Any], message: str) -> None:
    assert re.search(message, refused(mapped, rsa_key.sign(claims(**extra))))


# JWKS fetched over HTTP

def test_jwks_from_a_url_is_fetched_once_and_cached(tmp_path: Path, rsa_key: SigningKey, ec_key: SigningKey) -> None:
    with serve_jwks(jwks(rsa_key, ec_key)) as server:
        auth = configure(tmp_path, jwks_url=server.url)
        assert server.hits == 0  # nothing is fetched until a token needs it

        async def calls() -> list[str]:
            tokens = [rsa_key.sign(claims(sub=f"s{i}")) for i in range(5)] + [ec_key.sign(claims(sub="e"))]
            return [(await auth.authenticate({"authorization": f"Bearer {t}"})).subject_id for t in tokens]

        assert asyncio.run(calls()) == ["s0", "s1", "s2", "s3", "s4", "e"]
        assert server.hits == 1


def test_a_jwks_arriving_in_pieces_is_read_whole(tmp_path: Path, rsa_key: SigningKey) -> None:
    # Several keys arriving in pieces, as over a slow network: the whole body is read before parsing.
    others = [SigningKey.ec(f"other-{i}").jwk() for i in range(3)]
    with serve_jwks({"keys": [*others, rsa_key.jwk()]}) as server:
        server.piece = 200
        auth = configure(tmp_path, jwks_url=server.url)
        assert authenticate(auth, rsa_key.sign(claims())).subject_id == "alice"


def test_concurrent_requests_share_one_fetch(tmp_path: Path, rsa_key: SigningKey) -> None:
    with serve_jwks(jwks(rsa_key)) as server:
        auth = configure(tmp_path, jwks_url=server.url)

        async def calls() -> list[Caller]:
            tokens = [rsa_key.sign(claims(sub=f"s{i}")) for i in range(20)]
            return await asyncio.gather(*(auth.authenticate({"x-api-key": t}) for t in tokens))

        assert len(asyncio.run(calls())) == 20
        assert server.hits == 1


def test_a_rotated_key_is_fetched_when_a_token_names_it(tmp_path: Path, rsa_key: SigningKey) -> None:
    rotated = SigningKey.ec("ec-2026-12")
    with serve_jwks(jwks(rsa_key)) as server:
        auth = configure(tmp_path, jwks_url=server.url, jwks_refetch_seconds=0)
        old_token = rsa_key.sign(claims())
        assert authenticate(auth, old_token).subject_id == "alice"
        assert 'names key "ec-2026-12"' in refused(auth, rotated.sign(claims()))
        assert server.hits == 2  # looked again for the unknown kid, found nothing
        server.document = jwks(rotated)  # the provider rotates: the old key is withdrawn
        assert authenticate(auth, rotated.sign(claims(sub="bob"))).subject_id == "bob"
        assert server.hits == 3
        # The token verified (and remembered) under the withdrawn key is checked again, and refused.
        assert 'names key "rsa-1"' in refused(auth, old_token)


def test_refetching_for_unknown_kids_is_rate_limited(tmp_path: Path, rsa_key: SigningKey) -> None:
    with serve_jwks(jwks(rsa_key)) as server:
        auth = configure(tmp_path, jwks_url=server.url, jwks_refetch_seconds=3600)
        assert authenticate(auth, rsa_key.sign(claims())).subject_id == "alice"
        for i in range(10):
            made_up = SigningKey(kid=f"made-up-{i}", alg="RS256", private=rsa_key.private)
            assert f'names key "made-up-{i}"' in refused(auth, made_up.sign(claims()))
        assert server.hits == 1


def test_an_unreachable_jwks_fails_closed_and_known_keys_survive_an_outage(tmp_path: Path,
                                                                           rsa_key: SigningKey) -> None:
    with serve_jwks(jwks(rsa_key)) as server:
        server.status = 500
        auth = configure(tmp_path, jwks_url=server.url, jwks_refetch_seconds=0, jwks_cache_seconds=0.001)
        with pytest.raises(IssuerUnavailable, match=rf"keys of issuer {ISSUER} cannot be fetched from .*HTTP 500"):
            authenticate(auth, rsa_key.sign(claims()))
        server.status = 200
        assert authenticate(auth, rsa_key.sign(claims(sub="a"))).subject_id == "a"
        server.status = 500  # the provider goes down: the keys already fetched stay in use
        time.sleep(0.01)  # past the 1 ms cache, so the next token makes a fetch (which fails); not a timing assertion
        assert authenticate(auth, rsa_key.sign(claims(sub="b"))).subject_id == "b"
        assert server.hits >= 3


def test_a_closed_port_fails_closed(tmp_path: Path, rsa_key: SigningKey) -> None:
    with serve_jwks(jwks(rsa_key)) as server:
        url = server.url
    auth = configure(tmp_path, jwks_url=url)  # the server is gone: nothing listens there any more
    with pytest.raises(IssuerUnavailable, match="cannot be fetched"):
        authenticate(auth, rsa_key.sign(claims()))


# The cache of verified tokens

def test_cached_verdicts_end_at_expiry_and_the_cache_is_bounded(tmp_path: Path, rsa_key: SigningKey) -> None:
    auth = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key))
    issuer: OidcIssuer = auth.issuers[0]
    cache = TokenCache(2)
    caller = Caller("alice", "jwt:x#1", "jwt")
    cache.put("t1", caller, 100.0, issuer)
    assert cache.get("t1", 99.9) == caller
    assert cache.get("t1", 100.0) is None  # expired: dropped
    assert len(cache) == 0
    for name in ("a", "b", "c"):
        cache.put(name, caller, 1e12, issuer)
    assert len(cache) == 2 and cache.get("a", 0) is None and cache.get("c", 0) == caller


def test_a_remembered_token_still_expires(tmp_path: Path, rsa_key: SigningKey) -> None:
    auth = configure(tmp_path, jwks_file=write_jwks(tmp_path, rsa_key))
    token = rsa_key.sign(claims(exp=_now() + 1))
    assert authenticate(auth, token).subject_id == "alice"
    assert authenticate(auth, token).subject_id == "alice"  # from the cache
    time.sleep(1.5)  # correctness of expiry, not a timing assertion: exp has a one-second resolution
    assert "expired" in refused(auth, token)
