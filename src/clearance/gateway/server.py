"""Running the gateway on uvicorn, in one process or several workers.

uvicorn's workers import the application by name, so the settings travel in the environment
(`CLEARANCE_HOME`, `CLEARANCE_DATABASE_URL`) and each worker builds its app from them with
`app_from_environment`; every worker then opens its own store connection, upstream sessions and
audit writer, and they share the store (the audit chain keeps one order across all of them).
"""

from __future__ import annotations

import os
import tempfile

import uvicorn
from starlette.applications import Starlette

from clearance.gateway.app import create_app
from clearance.gateway.metrics import METRICS_DIRECTORY
from clearance.settings import Settings, load_settings, resolve_home

_NO_AUDIT = "CLEARANCE_SERVE_NO_AUDIT"  # benchmarks only: measure the audit trail's cost


def app_from_environment() -> Starlette:
    settings = load_settings(resolve_home(None), database_url=os.environ.get("CLEARANCE_DATABASE_URL") or None)
    return create_app(settings, record=os.environ.get(_NO_AUDIT) != "1")


def serve(settings: Settings, *, host: str, port: int, workers: int = 1, record: bool = True,
          log_level: str = "warning") -> None:
    os.environ["CLEARANCE_HOME"] = str(settings.home)
    os.environ["CLEARANCE_DATABASE_URL"] = settings.database_url
    if not record:
        os.environ[_NO_AUDIT] = "1"
    if workers == 1:
        _run(host, port, workers, log_level)
        return
    # Several workers: each keeps its metrics in files of this directory (prometheus_client's
    # multiprocess mode, chosen when a worker imports it), and /metrics, whichever worker answers,
    # adds them all up.  A fresh directory per run: files left by an earlier run would be counted.
    with tempfile.TemporaryDirectory(prefix="clearance-metrics-") as shared:
        os.environ[METRICS_DIRECTORY] = shared
        try:
            _run(host, port, workers, log_level)
        finally:
            del os.environ[METRICS_DIRECTORY]


def _run(host: str, port: int, workers: int, log_level: str) -> None:
    uvicorn.run(
        "clearance.gateway.server:app_from_environment", factory=True, host=host, port=port, workers=workers,
        loop="uvloop", http="httptools", log_level=log_level, access_log=False, server_header=False,
        timeout_graceful_shutdown=10,
        # uvicorn would otherwise rewrite the client address from X-Forwarded-For itself, trusting
        # 127.0.0.1; only our AddressResolver, with gateway.trusted_proxies, may read those headers.
        proxy_headers=False, forwarded_allow_ips="")
