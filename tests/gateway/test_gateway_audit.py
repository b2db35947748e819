"""Every answer a caller saw is in the audit trail, even when the gateway is killed with SIGKILL mid-run.

A client sends hundreds of requests at once, allowed and refused, through a real gateway on each
backend; the gateway is killed at a random moment; afterwards every decision id any caller received
(in a response header or a refusal body) must be in the trail, and the trail must verify.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fake_upstream import FakeUpstream
from gateway_process import GatewayHome, GatewayProcess, make_home, start_gateway

US = {"x-forwarded-for": "8.8.8.8"}


def _database(backend: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'home' / 'clearance.db'}"
    return str(request.getfixturevalue("postgres_server").fresh_url())


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def home(request: pytest.FixtureRequest, fake: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> GatewayHome:
    """One home per backend, shared by the runs: each run checks its own answers against the whole trail."""
    tmp_path = tmp_path_factory.mktemp("sigkill")
    made = make_home(tmp_path / "home", _database(request.param, request, tmp_path),
                     openai_url=fake.openai_base_url, anthropic_url=fake.anthropic_base_url)
    for subject in ("alice", "priya"):
        made.key_for(subject)
    return made


def _send(gateway: GatewayProcess, subject: str, stop: threading.Event) -> str | None:
    """One request; the decision id the caller saw, or None when it saw no answer."""
    if stop.is_set():
        return None
    body = json.dumps({"model": "fable-5", "messages": [{"role": "user", "content": "hi"}]}).encode()
    headers = {"authorization": f"Bearer {gateway.home.key_for(subject)}", "content-type": "application/json", **US}
    request = urllib.request.Request(gateway.url + "/v1/chat/completions", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.headers["x-clearance-decision-id"]
    except urllib.error.HTTPError as error:
        refusal = error
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError):
        return None  # the gateway died before the answer was whole: the caller saw none
    try:
        payload = json.loads(refusal.read())
    except (http.client.HTTPException, ConnectionError, OSError, json.JSONDecodeError):
        return None
    assert refusal.code == 451, payload
    return str(payload["error"]["decision_id"])


def _recorded_decisions(home: GatewayHome) -> set[str]:
    exported = home.cli("audit", "export", "--format", "jsonl").stdout
    ids = set()
    for line in exported.splitlines():
        record = json.loads(line)
        decision = record.get("payload", {}).get("decision") if isinstance(record.get("payload"), dict) else None
        if decision:
            ids.add(decision["decision_id"])
    return ids


@pytest.mark.parametrize("workers", [1, 2])
def test_every_answer_survives_a_sigkill(home: GatewayHome, tmp_path: Path, workers: int) -> None:
    """24 clients send without pause until the gateway is SIGKILLed under them, so requests are in flight.

    With two workers, two processes append to one chain at once: it must still be one verifiable order.
    """
    gateway = start_gateway(home, tmp_path, extra_args=("--workers", str(workers)))
    stop = threading.Event()
    seen: list[str | None] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        subject = ("alice", "priya")[number % 2]
        while not stop.is_set():
            answer = _send(gateway, subject, stop)
            with lock:
                seen.append(answer)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(seen) < 200 and time.monotonic() < deadline:  # well under way, however fast the machine
        time.sleep(0.05)
    time.sleep(random.Random(11).uniform(0.0, 0.3))
    gateway.kill()  # SIGKILL to every process: no flush, no shutdown hook
    stop.set()
    for thread in threads:
        thread.join()
    answered = {decision for decision in seen if decision}
    assert len(answered) >= 200, "too few answers before the kill for the test to mean anything"
    assert None in seen, "no request was in flight when the gateway was killed; the test proved nothing"
    missing = answered - _recorded_decisions(home)
    assert not missing, f"{len(missing)} answers a caller saw are not in the audit trail"
    verified = home.cli("audit", "verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
