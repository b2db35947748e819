"""An issuer's public keys (a JWKS), from a file or fetched from a URL, looked up by `kid`.

Identity providers rotate keys: a new `kid` appears in their JWKS shortly before tokens signed with
it do.  So a fetched JWKS is kept for `jwks_cache_seconds` and refetched at once when a token names
a `kid` it does not hold, but at most once per `jwks_refetch_seconds`, or a stream of tokens with
made-up kids would turn the gateway into a load generator against the identity provider.  When a
refetch fails the keys already known stay in use (the provider being down does not make them
wrong); with no keys at all, tokens are refused as IssuerUnavailable.  Fetching uses aiohttp, so
it never blocks the event loop, and concurrent requests wait for one fetch instead of each starting
their own.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from clearance.errors import ConfigError
from clearance.gateway.identity.caller import IssuerUnavailable

_MAX_JWKS_BYTES = 1 << 20  # a JWKS is a few kB; more is not a key set
_FETCH_TIMEOUT_S = 10.0


class KeySet:
    """One parsed JWKS: keys by kid, each turned into a verifier for one algorithm on first use."""

    def __init__(self, data: Any, *, source: str) -> None:
        keys = data.get("keys") if isinstance(data, Mapping) else None
        if not isinstance(keys, list):
            raise ValueError(f'{source}: not a JWKS (a JSON object with a "keys" list)')
        self._by_kid: dict[str, Mapping[str, Any]] = {}
        self._unnamed: list[Mapping[str, Any]] = []
        for key in keys:
            if not isinstance(key, Mapping) or key.get("use", "sig") != "sig":
                continue  # encryption keys never verify a signature
            kid = key.get("kid")
            if isinstance(kid, str):
                self._by_kid[kid] = key
            else:
                self._unnamed.append(key)
        self._verifiers: dict[tuple[str | None, str], PyJWK | None] = {}
        self.source = source

    def __len__(self) -> int:
        return len(self._by_kid) + len(self._unnamed)

    def knows(self, kid: str | None) -> bool:
        return kid in self._by_kid if kid is not None else len(self) == 1

    def verifier(self, kid: str | None, alg: str) -> PyJWK | None:
        """The key for `kid`, bound to `alg`; None when there is no such key or it is not a key for `alg`.

        A token without a kid is accepted only when the set holds exactly one key: guessing among
        several would let the token choose the key.
        """
        memo = (kid, alg)
        if memo in self._verifiers:
            return self._verifiers[memo]
        if kid is not None:
            jwk = self._by_kid.get(kid)
        else:
            only = [*self._by_kid.values(), *self._unnamed]
            jwk = only[0] if len(only) == 1 else None
        verifier: PyJWK | None = None
        if jwk is not None and jwk.get("alg", alg) == alg:
            try:
                verifier = PyJWK(dict(jwk), algorithm=alg)  # refuses a key of the wrong type for alg
            except (PyJWKError, ValueError, TypeError):
                verifier = None
        self._verifiers[memo] = verifier
        return verifier


def read_key_file(path: Path, *, issuer: str) -> KeySet:
    """The JWKS in a file, read once at start-up; ConfigError naming the file when it is unusable."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"oidc: issuer {issuer}: jwks_file {path}: cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"oidc: issuer {issuer}: jwks_file {path}: not JSON ({exc})") from exc
    try:
        keys = KeySet(data, source=str(path))
    except ValueError as exc:
        raise ConfigError(f"oidc: issuer {issuer}: jwks_file {exc}") from exc
    if not len(keys):
        raise ConfigError(f"oidc: issuer {issuer}: jwks_file {path}: holds no signing keys")
    return keys


class StaticKeys:
    """Keys from a file: they change when the gateway restarts."""

    def __init__(self, keys: KeySet) -> None:
        self._keys = keys
        self.generation = 0

    async def verifier(self, kid: str | None, alg: str) -> PyJWK | None:
        return self._keys.verifier(kid, alg)


class FetchedKeys:
    """Keys from a URL: fetched on first use, kept for a while, refetched for an unknown kid (rate-limited)."""

    def __init__(self, url: str, *, issuer: str, cache_seconds: float, refetch_seconds: float) -> None:
        self._url = url
        self._issuer = issuer
        self._cache_seconds = cache_seconds
        self._refetch_seconds = refetch_seconds
        self._keys: KeySet | None = None
        self._raw: Any = None
        self._fetched_at = 0.0  # monotonic time of the last successful fetch
        self._tried_at = float("-inf")  # monotonic time of the last attempt, successful or not
        self._done_at = float("-inf")  # when the last attempt ended
        self._failure = f"the keys of issuer {issuer} have not been fetched yet"
        self._lock: asyncio.Lock | None = None
        self.generation = 0  # moves whenever the set of keys changes: cached verdicts are then void
        self.fetches = 0  # attempts so far, for metrics and tests

    async def verifier(self, kid: str | None, alg: str) -> PyJWK | None:
        now = time.monotonic()
        keys = self._keys
        if keys is not None and now - self._fetched_at < self._cache_seconds and keys.knows(kid):
            return keys.verifier(kid, alg)  # the hot path
        fetching = self._lock is not None and self._lock.locked()
        if keys is None or fetching or now - self._tried_at >= self._refetch_seconds:
            keys = await self._refresh(due=now)  # stale, or perhaps a key the provider has just rotated in
        if keys is None:
            raise IssuerUnavailable(self._failure)
        return keys.verifier(kid, alg)

    async def _refresh(self, *, due: float) -> KeySet | None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._done_at >= due:
                return self._keys  # another request fetched while this one waited
            if time.monotonic() - self._tried_at < self._refetch_seconds:
                return self._keys  # tried a moment ago: not again yet (None: still unavailable)
            self._tried_at = time.monotonic()
            self.fetches += 1
            try:
                raw = await self._fetch()
                fresh = KeySet(raw, source=self._url)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                # Keep the keys we have (the provider being down does not make them wrong); try
                # again after jwks_refetch_seconds.
                self._failure = (f"the keys of issuer {self._issuer} cannot be fetched from {self._url} "
                                 f"({_reason(exc)}): no token of it can be checked")
                return self._keys
            finally:
                self._done_at = time.monotonic()
            self._fetched_at = self._done_at
            if raw != self._raw:
                self._raw, self._keys = raw, fresh
                self.generation += 1
            return self._keys

    async def _fetch(self) -> Any:
        timeout = aiohttp.ClientTimeout(total=_FETCH_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
                self._url, headers={"accept": "application/json"}, allow_redirects=False) as response:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            body = bytearray()
            async for chunk in response.content.iter_chunked(1 << 16):
                body += chunk
                if len(body) > _MAX_JWKS_BYTES:
                    raise ValueError(f"larger than {_MAX_JWKS_BYTES} bytes")
            return json.loads(body)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {_FETCH_TIMEOUT_S:g} s"
    return str(exc) or type(exc).__name__
