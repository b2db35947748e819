"""The fixtures the safeguards tests share."""

from __future__ import annotations

import pytest

from clearance.safeguards import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The detector with the shipped model (immutable, so every test may share it)."""
    return Detector.load()
