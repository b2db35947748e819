"""Signing keys for the identity tests, made once per session (RSA key generation is slow)."""

from __future__ import annotations

import pytest
from identity_helpers import SigningKey


@pytest.fixture(scope="session")
def rsa_key() -> SigningKey:
    return SigningKey.rsa("rsa-1")


@pytest.fixture(scope="session")
def ec_key() -> SigningKey:
    return SigningKey.ec("ec-1")


@pytest.fixture(scope="session")
def stranger_key() -> SigningKey:
    """A key nobody configured, under the same kid as the real RSA key."""
    return SigningKey.rsa("rsa-1")
