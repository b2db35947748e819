"""A running gateway (the installed `clearance serve`) in front of a fake model server, per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_upstream import FakeUpstream
from gateway_process import (
    CAST,
    UPSTREAM_ANTHROPIC_KEY,
    UPSTREAM_OPENAI_KEY,
    GatewayHome,
    GatewayProcess,
    make_home,
    start_gateway,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeUpstream]:
    with FakeUpstream(api_key=UPSTREAM_OPENAI_KEY, anthropic_api_key=UPSTREAM_ANTHROPIC_KEY) as upstream:
        yield upstream


@pytest.fixture(autouse=True)
def _fresh_fake(request: pytest.FixtureRequest) -> None:
    if "fake" in request.fixturenames:
        request.getfixturevalue("fake").reset()


@pytest.fixture(scope="module")
def gateway_home(fake: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> GatewayHome:
    tmp = tmp_path_factory.mktemp("gateway")
    home = make_home(tmp / "home", f"sqlite:///{tmp / 'home' / 'clearance.db'}",
                     openai_url=fake.openai_base_url, anthropic_url=fake.anthropic_base_url)
    home.cli("directives", "apply", str(DATA / "test-directives.yaml"))
    for subject in CAST:  # before the gateway starts, so its first key ring has them
        home.key_for(subject)
    return home


@pytest.fixture(scope="module")
def gateway(gateway_home: GatewayHome, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    process = start_gateway(gateway_home, tmp_path_factory.mktemp("gateway-log"))
    yield process
    process.stop()
