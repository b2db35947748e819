"""Gateway throughput and added latency, measured with wrk on loopback, all rows in one run.

    python benchmarks/gateway/run.py [--seconds 10] [--database postgresql://…]

Rows: the upstream called directly; the thinnest Starlette + aiohttp pass-through; Clearance with
enforcement and the audit trail on; Clearance with the audit off (to show what the audit costs).
Each at 1 and 16 connections.  Budgets (DESIGN.md): Clearance at least 0.5 times the pass-through's requests/s
at 16 connections, and at most 0.6 ms added p50 over the direct call at 1 connection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PYTHON = sys.executable
CLEARANCE = shutil.which("clearance", path=str(Path(sys.executable).parent)) or "clearance"
BODY = json.dumps({"model": "fable-5", "messages": [{"role": "user", "content": "Say ok."}]})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def clearance(home: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([CLEARANCE, *args], env={**env, "CLEARANCE_HOME": str(home)}, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"clearance {' '.join(args)}: {done.stderr}")
    return done.stdout


def prepare_home(root: Path, upstream: int, database: str | None) -> tuple[Path, str, dict[str, str]]:
    home = root / "home"
    env = dict(os.environ)
    if database:
        env["CLEARANCE_DATABASE_URL"] = database
    clearance(home, env, "init")
    (home / "clearance.toml").write_text(f'''
database_url = "sqlite:///clearance.db"
[gateway]
refresh_seconds = 5
[[upstreams]]
name = "bench"
kind = "openai"
base_url = "http://127.0.0.1:{upstream}/v1"
[[models]]
id = "fable-5"
upstream = "bench"
upstream_model = "bench-upstream"
family = "fable"
tier = "frontier"
[[models]]
id = "fable-4"
upstream = "bench"
family = "fable"
tier = "standard"
''', encoding="utf-8")
    clearance(home, env, "directives", "apply", str(REPO / "examples" / "directives" / "bis-2026-ai-001.yaml"))
    clearance(home, env, "subjects", "import", str(REPO / "examples" / "subjects.csv"))
    key = json.loads(clearance(home, env, "keys", "create", "--subject", "alice", "--json"))["key"]
    return home, key, env


def require_wrk() -> None:
    """Stop with what to install before any server starts: wrk is a system tool, not a Python dependency."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed; install it first (Debian: apt-get install wrk)")


def wrk(url: str, connections: int, seconds: int, key: str | None) -> tuple[float, float]:
    script = HERE / "post.lua"
    env = {**os.environ, "WRK_BODY": BODY, "WRK_KEY": key or ""}
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
                          capture_output=True, text=True, env=env, check=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", done.stdout)
    assert p50 is not None, done.stdout
    value = float(p50.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} failed responses\n{done.stdout}")
    return rps, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database", default=None, help="PostgreSQL URL for the store (default: SQLite)")
    args = parser.parse_args()
    require_wrk()
    up, thin, gate, gate_off = (free_port() for _ in range(4))
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            processes.append(subprocess.Popen([PYTHON, str(HERE / "upstream.py"), str(up)]))
            processes.append(subprocess.Popen([PYTHON, str(HERE / "passthrough.py"), str(thin),
                                               f"http://127.0.0.1:{up}"]))
            home, key, env = prepare_home(Path(tmp), up, args.database)
            serve_env = {**env, "CLEARANCE_HOME": str(home)}
            processes.append(subprocess.Popen([CLEARANCE, "serve", "--port", str(gate)], env=serve_env))
            processes.append(subprocess.Popen([CLEARANCE, "serve", "--port", str(gate_off), "--no-audit"],
                                              env=serve_env))
            for port in (gate, gate_off):
                wait_ready(f"http://127.0.0.1:{port}/readyz")
            time.sleep(0.5)
            rows = [
                ("upstream, direct", f"http://127.0.0.1:{up}/v1/chat/completions", None),
                ("thin pass-through (Starlette+aiohttp)", f"http://127.0.0.1:{thin}/v1/chat/completions", None),
                ("Clearance, enforcement + audit", f"http://127.0.0.1:{gate}/v1/chat/completions", key),
                ("Clearance, enforcement, audit off", f"http://127.0.0.1:{gate_off}/v1/chat/completions", key),
            ]
            results: dict[tuple[str, int], tuple[float, float]] = {}
            for name, url, credential in rows:
                wrk(url, 4, 2, credential)  # warm up connections, caches, JIT-free but page-cache-full
                for connections in (1, 16):
                    results[(name, connections)] = wrk(url, connections, args.seconds, credential)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=15)
    store = "PostgreSQL" if args.database else "SQLite"
    print(f"\nGateway benchmark: wrk -t1, {args.seconds} s per cell, store {store}, loopback upstream\n")
    print(f"{'row':<40} {'req/s c=1':>10} {'p50 ms c=1':>11} {'req/s c=16':>11} {'p50 ms c=16':>12}")
    for name, _, _ in rows:
        r1, p1 = results[(name, 1)]
        r16, p16 = results[(name, 16)]
        print(f"{name:<40} {r1:>10.0f} {p1:>11.3f} {r16:>11.0f} {p16:>12.3f}")
    direct_p50 = results[(rows[0][0], 1)][1]
    thin_rps = results[(rows[1][0], 16)][0]
    for name, _, _ in rows[2:]:
        added = results[(name, 1)][1] - direct_p50
        ratio = results[(name, 16)][0] / thin_rps
        print(f"{name}: added p50 at c=1 {added:.3f} ms (budget 0.6); "
              f"req/s at c=16 = {ratio:.2f}x the pass-through (budget >= 0.5)")


if __name__ == "__main__":
    main()
