"""Liveness, readiness and metrics: open without credentials, and telling nothing about callers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clearance.gateway.exchange import json_response
from clearance.gateway.metrics import CONTENT_TYPE
from clearance.gateway.runtime import Runtime


async def healthz(request: Request) -> Response:
    return json_response({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Ready when the store answered the last refresh and takes the audit records: a stale policy or a
    trail that cannot grow must take a replica out of rotation."""
    runtime: Runtime = request.app.state.runtime
    body = {"ready": runtime.serving, "policy_version": runtime.enforcer.decider.snapshot.version,
            "store_revision": runtime.revision, "audit": "ok" if runtime.audit.healthy else "failing"}
    return json_response(body, status=200 if runtime.serving else 503)


async def metrics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
