"""The fixtures the safeguards tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from clearance.safeguards import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The detector with the shipped model (immutable, so every test may share it)."""
    return Detector.load()


@pytest.fixture(scope="session")
def flagged(detector: Detector) -> Callable[[Iterable[str]], list[str]]:
    """Which of the given texts the shipped detector flags at its default threshold."""
    def flagged(texts: Iterable[str]) -> list[str]:
        return [text for text in texts if detector.score(text).score >= detector.threshold]
    return flagged
