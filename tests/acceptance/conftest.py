"""Homes for the acceptance tests, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import EXAMPLES, Cli


def _url(backend: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'clearance.db'}"
    return str(request.getfixturevalue("postgres_server").fresh_url())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Cli:
    """A new, initialised home on each backend."""
    runner = Cli(tmp_path / "home", _url(request.param, request, tmp_path))
    assert runner("init").code == 0
    return runner


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def news_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """A home loaded with the news story: its directives, cast and licenses (shared by a module)."""
    tmp = tmp_path_factory.mktemp("news")
    runner = Cli(tmp / "home", _url(request.param, request, tmp))
    for args in (
        ("init",),
        ("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml"),
         str(EXAMPLES / "directives" / "crimea.yaml")),
        ("subjects", "import", str(EXAMPLES / "subjects.csv")),
        ("licenses", "import", str(EXAMPLES / "licenses.yaml")),
    ):
        result = runner(*args)
        assert result.code == 0, (args, result.stderr)
    yield runner
