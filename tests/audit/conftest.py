"""Fixtures of the audit tests: a signing key, and a store with records in it."""

from __future__ import annotations

import pytest

from clearance.audit import Signer


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.generate()
