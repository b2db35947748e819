"""The second half of `clearance demo`: the gateway, live on loopback, answering the cast.

It serves the demo home on a free port for a few seconds, sends each caller's request over real
HTTP exactly as an SDK would, and reports what came back; then it stops, and the audit trail those
requests left behind is verified.  A new user sees the whole path (key → decision → model or 451 →
audit) without configuring anything.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import uvicorn

from clearance.gateway import create_app
from clearance.settings import Settings

CALLS = (("alice", "fable-5"), ("priya", "fable-5"), ("ravi", "fable-5"), ("oliver", "mythos-5"),
         ("sam", "fable-5"))


@dataclass(frozen=True)
class Exchange:
    subject: str
    model: str
    status: int
    decision: str
    detail: str


def run_live(settings: Settings, keys: dict[str, str], *, client_ip: str) -> list[Exchange]:
    """Serve `settings` on a free loopback port and send each of CALLS through it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="error", lifespan="on",
                                           proxy_headers=False, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the demo gateway did not start")
            time.sleep(0.02)
        return [_call(port, subject, model, keys[subject], client_ip) for subject, model in CALLS if subject in keys]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def _call(port: int, subject: str, model: str, key: str, client_ip: str) -> Exchange:
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "Hello from the demo"}]}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/chat/completions", data=body,
        headers={"authorization": f"Bearer {key}", "content-type": "application/json",
                 "x-forwarded-for": client_ip})  # as our trusted proxy on 127.0.0.1 would say
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
            text = answer["choices"][0]["message"]["content"]
            return Exchange(subject, model, response.status, response.headers["x-clearance-decision"],
                            f'{answer["model"]}: {_short(text)}')
    except urllib.error.HTTPError as error:
        refusal = json.loads(error.read())["error"]
        return Exchange(subject, model, error.code, refusal.get("code") or refusal["type"],
                        f'{refusal.get("directive") or ""}: {_short(refusal["message"])}')


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
