"""The API keys and operator tokens in force, held in memory so a request never waits on the store.

A key ring is immutable and belongs to one store revision: when the revision moves (a key created
or revoked anywhere), the gateway loads a new ring and swaps it in whole, so a request sees either
the old set or the new one, never half of each.  Looking a secret up costs one length-and-prefix
check, one SHA-256 and one dict lookup by the credential id written in the secret; the digests are
then compared in constant time, so response timing says nothing about how close a guess came.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from clearance.gateway.identity.caller import Caller, Operator
from clearance.store import Store
from clearance.store.credentials import ID_SLICE, SECRET_LENGTH, Credential, CredentialKind


class KeyRing:
    """Active credentials by id, with the digest each secret must hash to."""

    __slots__ = ("_keys", "_tokens", "revision")

    def __init__(self, credentials: Iterable[Credential], *, revision: int = 0) -> None:
        keys: dict[str, tuple[bytes, Caller]] = {}
        tokens: dict[str, tuple[bytes, Operator]] = {}
        for credential in credentials:
            if not credential.active:
                continue
            stored = bytes.fromhex(credential.secret_sha256)
            if credential.kind is CredentialKind.API_KEY and credential.subject_id is not None:
                keys[credential.id] = (stored, Caller(credential.subject_id, credential.id, "api_key"))
            elif credential.kind is CredentialKind.OPERATOR_TOKEN and credential.role is not None:
                tokens[credential.id] = (stored, Operator(credential.id, credential.role))
        self._keys = keys
        self._tokens = tokens
        self.revision = revision  # the store revision this ring was loaded at (or after)

    @classmethod
    def load(cls, store: Store) -> KeyRing:
        """The active credentials in `store`.

        The revision is read first: a write landing in between makes the ring newer than its
        revision says, and the next poll reloads it again, which is harmless; the other order could
        leave a ring older than its revision, missing a revocation until the next change.
        """
        revision = store.revision()
        return cls(store.credentials(active_only=True), revision=revision)

    @classmethod
    def empty(cls) -> KeyRing:
        return cls(())

    def api_key(self, secret: str) -> Caller | None:
        """The caller an API key stands for; None when it is not an active key of this store.

        The id is taken by position and the secret's shape is not checked further: only a string
        whose SHA-256 is the stored digest gets past the comparison, whatever its characters.
        """
        if len(secret) != SECRET_LENGTH or not secret.startswith("clk_"):
            return None
        entry = self._keys.get(secret[ID_SLICE])
        if entry is None:
            return None
        return entry[1] if hmac.compare_digest(entry[0], _digest(secret)) else None

    def operator(self, secret: str) -> Operator | None:
        """The operator an admin-API token stands for; an API key never opens the admin API."""
        if len(secret) != SECRET_LENGTH or not secret.startswith("clt_"):
            return None
        entry = self._tokens.get(secret[ID_SLICE])
        if entry is None:
            return None
        return entry[1] if hmac.compare_digest(entry[0], _digest(secret)) else None

    def __len__(self) -> int:
        return len(self._keys) + len(self._tokens)

    def __repr__(self) -> str:
        return f"KeyRing({len(self._keys)} API keys, {len(self._tokens)} operator tokens, revision {self.revision})"


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()
