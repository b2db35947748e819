"""Keys, tokens and a JWKS server for the identity tests: everything generated here, nothing mocked.

Tokens are signed with RSA and EC keys made by `cryptography` for each test run; forged tokens
(`alg: none`, HS256 keyed with the public key) are assembled by hand, since PyJWT rightly refuses
to make them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://id.example.test/"
AUDIENCE = "clearance-gateway"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: str
    private: PrivateKey

    @classmethod
    def rsa(cls, kid: str = "rsa-1") -> SigningKey:
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str = "ec-1") -> SigningKey:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            data = RSAAlgorithm.to_jwk(public, as_dict=True)
        else:
            data = ECAlgorithm.to_jwk(public, as_dict=True)
        return {**data, "kid": self.kid, "use": "sig", "alg": self.alg}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, claims: Mapping[str, Any], *, header: Mapping[str, Any] | None = None) -> str:
        headers = {"kid": self.kid, **(header or {})}
        return jwt.encode(dict(claims), self.private, algorithm=self.alg, headers=headers)


def jwks(*keys: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk() for key in keys]}


def claims(**overrides: Any) -> dict[str, Any]:
    """A valid payload for ISSUER/AUDIENCE, for one hour from now; None values drop the claim."""
    now = int(time.time())
    base: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "iat": now, "nbf": now,
                            "exp": now + 3600, "jti": "token-1"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assemble(header: Mapping[str, Any], payload: Mapping[str, Any], sign: Any = None) -> str:
    """A token written by hand: `sign(signing_input) -> bytes`, or no signature at all."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = b64(sign(signing_input.encode())) if sign is not None else ""
    return f"{signing_input}.{signature}"


def unsigned(payload: Mapping[str, Any], kid: str = "rsa-1") -> str:
    return assemble({"alg": "none", "typ": "JWT", "kid": kid}, payload)


def hmac_with_public_key(key: SigningKey, payload: Mapping[str, Any]) -> str:
    """The classic confusion: HS256 'signed' with the issuer's public key as the shared secret."""
    secret = key.public_pem()
    return assemble({"alg": "HS256", "typ": "JWT", "kid": key.kid}, payload,
                    lambda data: hmac.new(secret, data, hashlib.sha256).digest())


def tamper(token: str, **changes: Any) -> str:
    """The same header and signature over a payload with `changes` applied."""
    head, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(changes)
    return f"{head}.{b64(json.dumps(payload).encode())}.{signature}"


def write_jwks(directory: Path, *keys: SigningKey, name: str = "jwks.json") -> str:
    (directory / name).write_text(json.dumps(jwks(*keys)), "utf-8")
    return name


@dataclass
class JwksServer:
    """A real HTTP server on loopback serving a JWKS the test can change, counting requests."""

    document: dict[str, Any]
    status: int = 200
    piece: int = 0  # > 0: send the body in pieces of this many bytes, as a slow network would
    hits: int = 0
    url: str = ""
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)


@contextmanager
def serve_jwks(document: dict[str, Any]) -> Iterator[JwksServer]:
    state = JwksServer(document)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits += 1
            body = json.dumps(state.document).encode()
            self.send_response(state.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            step = state.piece or len(body)
            for start in range(0, len(body), step):
                self.wfile.write(body[start:start + step])
                self.wfile.flush()
                if state.piece:
                    time.sleep(0.002)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    state._server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
