"""Verifying a JWT from one configured OIDC issuer, with PyJWT.

What a token must pass, in order: its header names an algorithm on this issuer's allow-list (never
"none", never HS*: settings refuse those outright, so the issuer's public key can never be used as
an HMAC secret); its `kid` names a key of the issuer's JWKS whose type fits that algorithm; the
signature verifies with that key; `iss` is the issuer exactly; `aud` names a configured audience;
`exp` is in the future and `nbf`/`iat` (when present) are not, within `leeway_seconds`; the subject
claim is non-empty text; and mapped attribute claims read as a valid subject.  Each failure is a
401 that says which check failed, without echoing the token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jwt
from jwt import PyJWK
from jwt import exceptions as jwt_errors

from clearance.gateway.identity.caller import Caller, Unauthenticated
from clearance.gateway.identity.claims import claimed_subject
from clearance.gateway.identity.jwks import FetchedKeys, StaticKeys, read_key_file
from clearance.settings import OidcSettings

if TYPE_CHECKING:
    from clearance.settings import Settings


class _Keys(Protocol):
    generation: int

    async def verifier(self, kid: str | None, alg: str) -> PyJWK | None: ...


class OidcIssuer:
    """One identity provider the gateway trusts, with its keys and what its tokens must say."""

    def __init__(self, settings: OidcSettings, *, home: Path, home_country: str = "US") -> None:
        self.settings = settings
        self.issuer = settings.issuer
        self.algorithms = frozenset(settings.algorithms)
        self.leeway = settings.leeway_seconds
        self._audiences = settings.audiences
        self._home_country = home_country
        self._decoder = jwt.PyJWT(options={"require": ["exp", "iss", "aud"], "verify_signature": True})
        self.keys: _Keys
        if settings.jwks_file:
            self.keys = StaticKeys(read_key_file(home / settings.jwks_file, issuer=settings.issuer))
        else:
            self.keys = FetchedKeys(settings.jwks_url, issuer=settings.issuer,
                                    cache_seconds=settings.jwks_cache_seconds,
                                    refetch_seconds=settings.jwks_refetch_seconds)

    def __repr__(self) -> str:
        return f"OidcIssuer({self.issuer!r})"

    async def verify(self, token: str, header: Mapping[str, Any]) -> tuple[Caller, float]:
        """The caller a token names and the instant (epoch seconds) after which it no longer may.

        `header` is the token's unverified header, already read by the caller to route the token here.
        """
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.algorithms:
            accepted = ", ".join(sorted(self.algorithms))
            raise Unauthenticated(f'token algorithm "{shown(alg)}" is not accepted for issuer {self.issuer} '
                                  f"(accepted: {accepted})")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise Unauthenticated("token header: kid is not text")
        key = await self.keys.verifier(kid, alg)
        if key is None:
            which = f'key "{shown(kid)}"' if kid is not None else "a kid (and the issuer has several keys)"
            raise Unauthenticated(f"token names {which} that issuer {self.issuer} does not publish for {alg}")
        try:
            payload = self._decoder.decode(token, key, algorithms=[alg], audience=self._audiences,
                                           issuer=self.issuer, leeway=self.leeway)
        except jwt_errors.PyJWTError as exc:
            raise Unauthenticated(_explain(exc, self.issuer, self._audiences)) from None
        claim = self.settings.subject_claim
        subject_id = payload.get(claim)
        if not isinstance(subject_id, str) or not subject_id.strip():
            raise Unauthenticated(f'token from {self.issuer} has no subject: claim "{claim}" must be non-empty text')
        subject_id = subject_id.strip()
        claimed = claimed_subject(payload, subject_id, self.settings.claims, issuer=self.issuer,
                                  home_country=self._home_country)
        jti = payload.get("jti")
        credential = f"jwt:{self.issuer}#{jti if isinstance(jti, str) and jti else subject_id}"
        return Caller(subject_id, credential, "jwt", claimed), float(payload["exp"]) + self.leeway


def issuers_from_settings(settings: Settings) -> list[OidcIssuer]:
    """The configured issuers, their key files read now: a bad file stops the start with a ConfigError."""
    return [OidcIssuer(entry, home=settings.home, home_country=settings.home_country) for entry in settings.oidc]


def _explain(exc: jwt_errors.PyJWTError, issuer: str, audiences: Sequence[str]) -> str:
    if isinstance(exc, jwt_errors.ExpiredSignatureError):
        return "token has expired (exp)"
    if isinstance(exc, jwt_errors.ImmatureSignatureError):
        which = "iat" if "iat" in str(exc) else "nbf"
        return f"token is not valid yet ({which} is in the future)"
    if isinstance(exc, jwt_errors.InvalidAudienceError):
        return f"token is not for this gateway: aud must name {' or '.join(audiences)}"
    if isinstance(exc, jwt_errors.InvalidIssuerError):
        return f"token issuer does not match {issuer} exactly"
    if isinstance(exc, jwt_errors.MissingRequiredClaimError):
        return f'token lacks the "{exc.claim}" claim'
    if isinstance(exc, jwt_errors.InvalidSignatureError):
        return f"token signature does not verify with the key issuer {issuer} publishes"
    if isinstance(exc, jwt_errors.InvalidAlgorithmError):
        return f"token algorithm refused: {exc}"
    if isinstance(exc, jwt_errors.DecodeError):
        return f"token is malformed: {exc}"
    return f"token refused: {exc}"


def shown(value: object) -> str:
    """A value from an unverified token, safe to put in a message: short and printable."""
    text = str(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 80 else text[:77] + "..."
