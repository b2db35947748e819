"""The audit signing key: an Ed25519 key pair kept in the home, and its public half for verifiers.

The private key is written once by `clearance init` (PKCS#8 PEM, mode 0600, never overwritten);
whoever verifies a trail or an evidence pack needs only the public key (`clearance audit
public-key`).  A key is named by its id, the first 16 hex digits of SHA-256 of the raw public key,
so a checkpoint says which key signed it.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from clearance.errors import ConfigError, DataError, NotFound
from clearance.store.audit_chain import key_id as raw_key_id


def public_key_id(public_key: Ed25519PublicKey) -> str:
    return raw_key_id(public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_key(data: bytes, *, source: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise DataError("not a PEM public key", source=source) from None
    if not isinstance(key, Ed25519PublicKey):
        raise DataError("not an Ed25519 public key", source=source)
    return key


def verifies(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


class Signer:
    """Signs checkpoints (it satisfies the store's CheckpointSigner)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self._id = public_key_id(self.public_key)

    @property
    def key_id(self) -> str:
        return self._id

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def public_pem(self) -> str:
        return public_pem(self.public_key)

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, path: Path) -> Signer:
        """The key at `path`; NotFound when there is none, ConfigError when it is not an Ed25519 key."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"{path}: no audit signing key (run `clearance init` to create one, or set "
                           "audit.signing_key in clearance.toml)") from None
        except OSError as exc:
            raise ConfigError(f"{path}: audit signing key cannot be read ({exc.strerror})") from None
        return cls.from_pem(data, source=str(path))

    @classmethod
    def from_pem(cls, data: bytes, *, source: str = "audit signing key") -> Signer:
        """The key in PEM `data`; ConfigError (naming `source`) when it is not an unencrypted Ed25519 key."""
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise ConfigError(f"{source}: not an unencrypted PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"{source}: the audit signing key must be Ed25519")
        return cls(key)

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM: for a file only its owner reads, or a pipe to a child."""
        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())

    def save(self, path: Path) -> None:
        """Write the private key to a new file only its owner can read; an existing file is kept."""
        pem = self.private_pem()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        path.chmod(0o600)  # whatever the umask


def ensure_signing_key(path: Path) -> tuple[Signer, bool]:
    """The key at `path`, created when missing; and whether it was created now."""
    if path.exists():
        return Signer.load(path), False
    signer = Signer.generate()
    try:
        signer.save(path)
    except FileExistsError:  # another `init` made it meanwhile: use theirs
        return Signer.load(path), False
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the audit signing key ({exc.strerror})") from None
    return signer, True
