"""How long `Authenticator.authenticate` takes, run by hand (not a test):

    .venv/bin/python benchmarks/identity.py

API keys with 10,000 in the ring, and JWTs (RS256, ES256) verified every time (token cache off) or
remembered (100 distinct tokens cycling through a cache of 10,000), all with Starlette's Headers as
the gateway passes them.  Prints the best of seven rounds, in µs per call: on a shared machine the
best round is the one least disturbed by other work.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "identity"))  # the tests' key helpers

from identity_helpers import AUDIENCE, ISSUER, SigningKey, claims, write_jwks
from starlette.datastructures import Headers

from clearance.gateway.identity import Authenticator, KeyRing
from clearance.gateway.identity.oidc import OidcIssuer
from clearance.settings import OidcSettings
from clearance.store.credentials import Credential, CredentialKind, digest


def key_ring(size: int) -> tuple[KeyRing, list[str]]:
    credentials, keys = [], []
    for i in range(size):
        ident = f"{i:012x}"
        key = f"clk_{ident}_{secrets.token_urlsafe(32)}"
        credentials.append(Credential(ident, CredentialKind.API_KEY, f"subject-{i}", None, "", f"clk_{ident}",
                                      digest(key), datetime.now(UTC), "bench"))
        keys.append(key)
    return KeyRing(credentials), keys


def best(run: Callable[[int], float], calls: int, rounds: int = 7) -> float:
    return min(run(calls) / calls * 1e6 for _ in range(rounds))


def timed(auth: Authenticator, headers: Sequence[Headers]) -> Callable[[int], float]:
    async def loop(calls: int) -> float:
        start = time.perf_counter()
        for i in range(calls):
            await auth.authenticate(headers[i % len(headers)])
        return time.perf_counter() - start

    return lambda calls: asyncio.run(loop(calls))


def main() -> None:
    ring, keys = key_ring(10_000)
    home = Path(tempfile.mkdtemp())
    rsa, ec = SigningKey.rsa(), SigningKey.ec()
    issuer = OidcIssuer(OidcSettings(issuer=ISSUER, audience=AUDIENCE, jwks_file=write_jwks(home, rsa, ec)),
                        home=home)
    cached = Authenticator(ring, [issuer])
    uncached = Authenticator(ring, [issuer], token_cache_size=0)

    def ring_only(calls: int) -> float:
        start = time.perf_counter()
        for i in range(calls):
            ring.api_key(keys[i % 1000])
        return time.perf_counter() - start

    print(f"KeyRing.api_key                      {best(ring_only, 100_000):8.2f} µs")
    with_key = [Headers({"authorization": f"Bearer {key}"}) for key in keys[:1000]]
    print(f"authenticate, API key                {best(timed(cached, with_key), 50_000):8.2f} µs")
    for key in (rsa, ec):
        tokens = [Headers({"authorization": f"Bearer {key.sign(claims(sub=f's{i}', jti=f'j{i}'))}"})
                  for i in range(100)]
        print(f"authenticate, JWT {key.alg}, verified   {best(timed(uncached, tokens), 1_000):8.2f} µs")
        print(f"authenticate, JWT {key.alg}, remembered {best(timed(cached, tokens), 50_000):8.2f} µs")


if __name__ == "__main__":
    main()
