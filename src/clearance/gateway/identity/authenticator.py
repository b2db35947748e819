"""From a request's headers to a Caller: an API key from the key ring, or a JWT from an OIDC issuer.

The credential comes from `Authorization: Bearer X` (what OpenAI's SDKs send) or `x-api-key: X`
(what Anthropic's send); a request carrying both must carry the same one, so that no proxy or
middlebox can be confused about who is calling.  X shaped like a JWT (three base64url parts) goes
to the issuer its `iss` names; anything else is looked up in the key ring.

Verified tokens are remembered until they expire (a bounded LRU keyed by the token itself), since
SDKs send the same token with every request and a signature check costs tens of microseconds
where a dict lookup costs well under one.  A remembered verdict belongs to the issuer's key set it
was checked against: when the issuer's keys change, it is checked again.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from clearance.gateway.identity.caller import Caller, Operator, Unauthenticated
from clearance.gateway.identity.keyring import KeyRing
from clearance.gateway.identity.oidc import OidcIssuer, shown
from clearance.store.credentials import CredentialKind, parse

_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_HOW = "send Authorization: Bearer <API key or token>, or x-api-key: <API key>"


class TokenCache:
    """Verified tokens → (caller, valid until, issuer, key generation), least recently used evicted first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Caller, float, OidcIssuer, int]] = OrderedDict()

    def get(self, token: str, now: float) -> Caller | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        caller, until, issuer, generation = entry
        if now >= until or generation != issuer.keys.generation:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return caller

    def put(self, token: str, caller: Caller, until: float, issuer: OidcIssuer) -> None:
        if self.size <= 0:
            return
        self._entries[token] = (caller, until, issuer, issuer.keys.generation)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class Authenticator:
    """Who is calling, for the model APIs (`authenticate`) and the admin API (`operator`)."""

    def __init__(self, keys: KeyRing, issuers: Sequence[OidcIssuer], *, token_cache_size: int = 10_000,
                 _cache: TokenCache | None = None) -> None:
        self.keys = keys
        self.issuers = tuple(issuers)
        self._by_issuer = {issuer.issuer: issuer for issuer in self.issuers}
        self._cache = _cache if _cache is not None else TokenCache(token_cache_size)

    def with_keys(self, keys: KeyRing) -> Authenticator:
        """The same issuers (and remembered tokens) with a newly loaded key ring."""
        return Authenticator(keys, self.issuers, _cache=self._cache)

    async def authenticate(self, headers: Mapping[str, str]) -> Caller:
        """The caller of a model-API request; Unauthenticated (401) saying what is wrong."""
        credential = presented(headers)
        if credential.count(".") == 2 and _JWT.match(credential):
            return await self._token(credential)
        caller = self.keys.api_key(credential)
        if caller is None:
            raise Unauthenticated(_not_a_key(credential, CredentialKind.API_KEY))
        return caller

    def operator(self, headers: Mapping[str, str]) -> Operator:
        """The operator of an admin-API request: only operator tokens open it, never API keys or JWTs."""
        credential = presented(headers)
        found = self.keys.operator(credential)
        if found is None:
            raise Unauthenticated(_not_a_key(credential, CredentialKind.OPERATOR_TOKEN))
        return found

    async def _token(self, token: str) -> Caller:
        now = time.time()
        cached = self._cache.get(token, now)
        if cached is not None:
            return cached
        header, payload = _unverified(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            raise Unauthenticated("unsigned token (alg: none) refused")
        if not self.issuers:
            raise Unauthenticated("this gateway accepts no JWTs (no [[oidc]] issuer is configured): use an API key")
        iss = payload.get("iss")
        issuer = self._by_issuer.get(iss) if isinstance(iss, str) else None
        if issuer is None:
            trusted = ", ".join(sorted(self._by_issuer))
            raise Unauthenticated(f'token issuer "{shown(iss)}" is not one this gateway trusts (trusted: {trusted})')
        caller, until = await issuer.verify(token, header)
        self._cache.put(token, caller, until, issuer)
        return caller


def presented(headers: Mapping[str, str]) -> str:
    """The one credential a request carries, from Authorization: Bearer or x-api-key.

    Header names are looked up lower-case, as ASGI gives them (Starlette's Headers match any case);
    a plain dict with neither is searched ignoring case, for scripts and tests.
    """
    authorization = headers.get("authorization")
    api_key = headers.get("x-api-key")
    if authorization is None and api_key is None and type(headers) is dict:
        lowered = {name.lower(): value for name, value in headers.items()}
        authorization, api_key = lowered.get("authorization"), lowered.get("x-api-key")
    bearer = None
    if authorization is not None:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated(f'the Authorization header must read "Bearer <credential>": {_HOW}')
        bearer = value.strip()
    if api_key is not None:
        api_key = api_key.strip()
        if not api_key:
            raise Unauthenticated(f"x-api-key is empty: {_HOW}")
    if bearer is not None and api_key is not None and bearer != api_key:
        raise Unauthenticated("Authorization and x-api-key carry different credentials: send one of them")
    credential = bearer if bearer is not None else api_key
    if credential is None:
        raise Unauthenticated(f"no credentials: {_HOW}")
    return credential


def _not_a_key(credential: str, wanted: CredentialKind) -> str:
    parsed = parse(credential)
    if parsed is None:
        if wanted is CredentialKind.OPERATOR_TOKEN:
            return "the admin API needs an operator token (clt_…, made by `clearance tokens create`)"
        return "not a Clearance API key (clk_…, made by `clearance keys create`) nor a JWT"
    kind, ident = parsed
    if kind is not wanted:
        if wanted is CredentialKind.OPERATOR_TOKEN:
            return f"API key {kind.tag}_{ident} cannot open the admin API: it needs an operator token"
        return f"operator token {kind.tag}_{ident} opens only the admin API: the model APIs need an API key"
    return f"{kind.noun} {kind.tag}_{ident} is unknown or revoked"


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of a token before any check, only to route it to its issuer."""
    parts = token.split(".")
    decoded: list[dict[str, Any]] = []
    for name, part in zip(("header", "payload"), parts[:2], strict=True):
        try:
            value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except (binascii.Error, ValueError):
            raise Unauthenticated(f"token is malformed: its {name} is not base64url-encoded JSON") from None
        if not isinstance(value, dict):
            raise Unauthenticated(f"token is malformed: its {name} is not a JSON object")
        decoded.append(value)
    return decoded[0], decoded[1]
