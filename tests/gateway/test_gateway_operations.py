"""What an operator watches: health, readiness, metrics; and failing closed when the store goes away."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
from fake_upstream import FakeUpstream
from gateway_process import GatewayProcess, make_home, start_gateway
from sqlalchemy.engine import make_url

US = {"x-forwarded-for": "8.8.8.8"}


def chat(gateway: GatewayProcess, subject: str, model: str = "fable-5") -> tuple[int, dict[str, str], object]:
    return gateway.post("/v1/chat/completions", {"model": model, "messages": [{"role": "user", "content": "hi"}]},
                        {"authorization": f"Bearer {gateway.home.key_for(subject)}", **US})


def test_health_and_readiness(gateway: GatewayProcess) -> None:
    assert gateway.get("/healthz")[:1] == (200,)
    status, _, body = gateway.get("/readyz")
    assert status == 200
    assert body["ready"] is True and body["policy_version"] and body["store_revision"] > 0


def test_metrics_count_decisions_by_effect_and_directive(gateway: GatewayProcess) -> None:
    assert chat(gateway, "priya")[0] == 451
    assert chat(gateway, "alice")[0] == 200
    status, headers, text = gateway.get("/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert isinstance(text, str)
    lines = text.splitlines()
    assert any(line.startswith('clearance_decisions_total{directive="BIS-2026-AI-001",effect="deny",model="fable-5"}')
               for line in lines), text
    assert any(line.startswith('clearance_decisions_total{directive="",effect="allow",model="fable-5"}')
               for line in lines)
    assert any(line.startswith("clearance_gateway_overhead_seconds_count") for line in lines)
    assert any(line.startswith('clearance_requests_total{route="/v1/chat/completions",status="451"}')
               for line in lines)


@pytest.mark.postgres
def test_a_store_that_goes_away_fails_every_request_closed(fake: FakeUpstream, tmp_path: Path,
                                                          postgres_server: object) -> None:
    url = postgres_server.fresh_url()  # type: ignore[attr-defined]
    home = make_home(tmp_path / "home", url, openai_url=fake.openai_base_url, anthropic_url=fake.anthropic_base_url)
    home.key_for("alice")
    gateway = start_gateway(home, tmp_path)
    try:
        assert chat(gateway, "alice")[0] == 200
        fake.reset()
        with psycopg.connect(make_url(url).render_as_string(hide_password=False), autocommit=True) as conn:
            schema = conn.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        deadline = time.monotonic() + 15
        while gateway.get("/readyz")[0] != 503 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert gateway.get("/readyz")[0] == 503
        status, _, body = chat(gateway, "alice")
        assert status == 503, body
        assert body["error"]["type"] == "service_unavailable"  # type: ignore[index]
        assert fake.requests == []  # never forwarded without its audit record
    finally:
        gateway.stop()


def test_a_store_that_refuses_audit_records_takes_the_gateway_out_until_it_takes_them(
        fake: FakeUpstream, tmp_path: Path) -> None:
    """The spool could hold the records, but a gateway whose trail cannot grow must not keep answering."""
    import sqlite3

    database = tmp_path / "home" / "clearance.db"
    home = make_home(tmp_path / "home", f"sqlite:///{database}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url)
    home.key_for("alice")
    gateway = start_gateway(home, tmp_path)

    def alter(statement: str) -> None:
        with sqlite3.connect(database, timeout=30) as conn:
            conn.execute(statement)

    try:
        assert chat(gateway, "alice")[0] == 200
        alter("ALTER TABLE audit_spools RENAME TO audit_spools_away")  # every ingest now fails
        # Answered and kept if it is spooled before the ingest of the last completion fails, else refused.
        second = chat(gateway, "alice")[0]
        assert second in (200, 503)
        deadline = time.monotonic() + 30
        while gateway.get("/readyz")[0] != 503 and time.monotonic() < deadline:
            time.sleep(0.05)
        status, _, body = gateway.get("/readyz")
        assert status == 503 and body["audit"] == "failing"  # type: ignore[index]
        fake.reset()
        status, _, refusal = chat(gateway, "alice")
        assert status == 503 and refusal["error"]["type"] == "service_unavailable"  # type: ignore[index]
        assert fake.requests == []
        alter("ALTER TABLE audit_spools_away RENAME TO audit_spools")
        while gateway.get("/readyz")[0] != 200 and time.monotonic() < deadline + 30:
            time.sleep(0.05)
        assert chat(gateway, "alice")[0] == 200
    finally:
        gateway.stop()
    decisions = [line for line in home.cli("audit", "export", "--format", "jsonl").stdout.splitlines()
                 if '"kind":"decision"' in line.replace(" ", "")]
    assert len(decisions) == 2 + (second == 200)  # every answered request; a refused one has no decision
    assert home.cli("audit", "verify", check=False).returncode == 0


def test_a_gateway_that_cannot_start_says_why_in_one_line(fake: FakeUpstream, tmp_path: Path) -> None:
    """An operator's mistake at start-up (here: a file where the spool directory goes) is a message,
    not the server's traceback, and the process exits with uvicorn's start-up failure status."""
    import subprocess

    from gateway_process import CLEARANCE, free_port

    home = make_home(tmp_path / "home", f"sqlite:///{tmp_path / 'clearance.db'}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url, directives=())
    (home.path / "audit-spool").write_text("not a directory")
    done = subprocess.run([CLEARANCE, "serve", "--port", str(free_port())], env=home.env(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 3, done.stderr
    assert "the gateway cannot start: the audit spool directory" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_an_upstream_ca_file_that_cannot_be_read_stops_the_start_in_one_line(fake: FakeUpstream,
                                                                          tmp_path: Path) -> None:
    import subprocess

    from gateway_process import CLEARANCE, free_port

    home = make_home(tmp_path / "home", f"sqlite:///{tmp_path / 'clearance.db'}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url, directives=())
    settings = home.path / "clearance.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        f'base_url = "{fake.openai_base_url}"', 'base_url = "https://127.0.0.1:9/v1"\nca_file = "private-ca.pem"'),
        "utf-8")
    done = subprocess.run([CLEARANCE, "serve", "--port", str(free_port())], env=home.env(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 3, done.stderr
    assert 'the gateway cannot start: upstream "openai-fake": ca_file' in done.stderr
    assert "private-ca.pem cannot be used" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_metrics_count_every_workers_requests(fake: FakeUpstream, tmp_path: Path) -> None:
    """With `--workers 2` each request is answered by either worker; /metrics, whichever worker
    answers it, must count them all (prometheus_client's multiprocess mode)."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    home = make_home(tmp_path / "home", f"sqlite:///{tmp_path / 'clearance.db'}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url, directives=())
    home.key_for("alice")
    gateway = start_gateway(home, tmp_path, extra_args=("--workers", "2"))
    try:
        with ThreadPoolExecutor(16) as pool:  # at once, so that both workers take some
            statuses = list(pool.map(lambda _: chat(gateway, "alice")[0], range(64)))
        assert statuses == [200] * 64

        def scrape() -> float:
            text = gateway.get("/metrics")[2]
            assert isinstance(text, str)
            found = re.search(r'^clearance_requests_total\{route="/v1/chat/completions",status="200"\} (\S+)$',
                              text, re.MULTILINE)
            return float(found.group(1)) if found else 0.0

        # A request is counted just after its answer has gone out: let the last ones land first.
        deadline = time.monotonic() + 10
        while scrape() != 64.0 and time.monotonic() < deadline:
            time.sleep(0.05)
        counted = [scrape() for _ in range(8)]  # a new connection each time: both workers answer some
    finally:
        gateway.stop()
    assert counted == [64.0] * 8
