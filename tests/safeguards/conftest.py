"""The fixtures the safeguards tests share."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

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


SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_script(name: str) -> ModuleType:
    """`scripts/<name>.py`, which is run by hand and is no package, imported once for the tests that call into it."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def scripts() -> Callable[[str], ModuleType]:
    """A loader of the scripts under `scripts/` (`load_script`)."""
    return load_script
