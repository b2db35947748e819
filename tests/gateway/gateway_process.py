"""`clearance serve` as a real process on loopback, in a home the test prepares with the real CLI.

The gateway under test is the installed command, started the way a user starts it; the only fake
is the model server behind it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearance.store import Store

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CLEARANCE = shutil.which("clearance", path=str(Path(sys.executable).parent)) or "clearance"
UPSTREAM_OPENAI_KEY = "sk-upstream-openai"  # what the gateway sends the fake upstreams
UPSTREAM_ANTHROPIC_KEY = "sk-upstream-anthropic"
CAST = ("alice", "ravi", "oliver", "mei", "yusuf", "camille", "priya", "sam", "ingrid")  # examples/subjects.csv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class GatewayHome:
    """A Clearance home for gateway tests: settings pointing at the fake upstreams, the news story loaded."""

    path: Path
    database_url: str
    keys: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {**os.environ, "CLEARANCE_HOME": str(self.path), "NO_COLOR": "1", "COLUMNS": "200",
               "CLEARANCE_DATABASE_URL": self.database_url}
        env.pop("CLEARANCE_DEBUG", None)
        return env

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([CLEARANCE, *args], capture_output=True, text=True, env=self.env(), timeout=120,
                              check=False)
        assert "Traceback" not in done.stderr, done.stderr
        if check:
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    def key_for(self, subject: str) -> str:
        """An API key for `subject`, made once (in-process: `clearance keys create` has tests of its own)."""
        if subject not in self.keys:
            store = Store.open(self.database_url)
            try:
                self.keys[subject] = store.create_api_key(subject, label="test", actor="tests").secret
            finally:
                store.close()
        return self.keys[subject]


def settings_toml(openai_url: str, anthropic_url: str, extra: str = "") -> str:
    return f'''
home_country = "US"

[gateway]
refresh_seconds = 0.2
trusted_proxies = ["127.0.0.1/32"]

[[upstreams]]
name = "openai-fake"
kind = "openai"
base_url = "{openai_url}"
api_key_env = "FAKE_OPENAI_KEY"

[[upstreams]]
name = "anthropic-fake"
kind = "anthropic"
base_url = "{anthropic_url}"
api_key_env = "FAKE_ANTHROPIC_KEY"

[[upstreams]]
name = "demo"
kind = "demo"

[[models]]
id = "fable-5"
upstream = "openai-fake"
upstream_model = "internal-large-v5"
family = "fable"
tier = "frontier"

[[models]]
id = "mythos-5"
upstream = "anthropic-fake"
upstream_model = "internal-mythos-v5"
family = "mythos"
tier = "frontier"

[[models]]
id = "fable-4"
upstream = "openai-fake"
upstream_model = "internal-small-v4"
family = "fable"
tier = "standard"

[[models]]
id = "demo-1"
upstream = "demo"
family = "demo"
tier = "standard"
{extra}
'''


def make_home(path: Path, database_url: str, *, openai_url: str, anthropic_url: str, extra: str = "",
              directives: tuple[str, ...] = ("bis-2026-ai-001.yaml", "crimea.yaml")) -> GatewayHome:
    home = GatewayHome(path, database_url)
    home.cli("init")
    (path / "clearance.toml").write_text(settings_toml(openai_url, anthropic_url, extra), encoding="utf-8")
    if directives:
        home.cli("directives", "apply", *(str(EXAMPLES / "directives" / name) for name in directives))
    home.cli("subjects", "import", str(EXAMPLES / "subjects.csv"))
    if directives:  # the licenses are granted under the news story's directive
        home.cli("licenses", "import", str(EXAMPLES / "licenses.yaml"))
    return home


@dataclass
class GatewayProcess:
    home: GatewayHome
    port: int
    process: subprocess.Popen[str]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._signal(signal.SIGKILL)  # any worker left behind

    def kill(self) -> None:
        """SIGKILL to the gateway and all its workers at once: no flush, no shutdown hook anywhere."""
        self._signal(signal.SIGKILL)
        self.process.wait()

    def _signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, number)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        return self.request("GET", path, None, headers)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request("POST", path, data, {"content-type": "application/json", **(headers or {})})

    def request(self, method: str, path: str, data: bytes | None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, got, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, got, raw = error.code, dict(error.headers), error.read()
        lowered = {k.lower(): v for k, v in got.items()}
        try:
            return status, lowered, json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return status, lowered, raw.decode("utf-8", "replace")

    def wait_for_revision_change(self, before: int, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, body = self.get("/readyz")
            if status == 200 and body["store_revision"] != before:
                return int(body["store_revision"])
            time.sleep(0.05)
        raise AssertionError("the gateway did not pick up the store change")

    def revision(self) -> int:
        return int(self.get("/readyz")[2]["store_revision"])


def start_gateway(home: GatewayHome, tmp: Path, *, extra_args: tuple[str, ...] = (),
                  env: dict[str, str] | None = None) -> GatewayProcess:
    port = free_port()
    log = tmp / f"gateway-{port}.log"
    handle = log.open("w")
    process = subprocess.Popen([CLEARANCE, "serve", "--port", str(port), *extra_args], env={
        **home.env(), "FAKE_OPENAI_KEY": UPSTREAM_OPENAI_KEY, "FAKE_ANTHROPIC_KEY": UPSTREAM_ANTHROPIC_KEY,
        **(env or {})}, stdout=handle, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    gateway = GatewayProcess(home, port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"clearance serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if gateway.get("/readyz")[0] == 200:
                return gateway
        except (ConnectionError, urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    gateway.kill()
    raise AssertionError(f"clearance serve did not become ready:\n{log.read_text()}")
