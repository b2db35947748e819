"""`create_app(settings)`: the gateway as an ASGI application.

The runtime (store, policy, upstream sessions, audit writer) is opened in the lifespan, so one app
object can be built, served by uvicorn in any number of workers, and each worker opens its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from clearance import admin
from clearance.gateway import decision_routes, health_routes, model_routes
from clearance.gateway.audit_sink import AuditSink
from clearance.gateway.exchange import dialect_of
from clearance.gateway.problems import GatewayError, MethodNotAllowed, NotFoundError
from clearance.gateway.runtime import Runtime
from clearance.settings import Settings


def create_app(settings: Settings, *, audit: AuditSink | None = None, record: bool = True) -> Starlette:
    """The gateway for `settings`; `record=False` only for measuring what the audit trail costs."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime = await Runtime.start(settings, audit=audit, record=record)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.close()

    return Starlette(
        routes=[*model_routes.routes, *decision_routes.routes, *health_routes.routes, *admin.routes],
        exception_handlers={HTTPException: _http_error},
        lifespan=lifespan,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown routes and methods, answered in the caller's error shape; no upstream is ever asked."""
    assert isinstance(exc, HTTPException)
    error: GatewayError
    if exc.status_code == 405:
        error = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}",
                                 headers=dict(exc.headers or {}))
    elif exc.status_code == 404:
        error = NotFoundError(f"there is no route {request.url.path} on this gateway", code="unknown_route")
    else:
        error = GatewayError(str(exc.detail))
        error.status = exc.status_code
    return error.response(dialect_of(request))
