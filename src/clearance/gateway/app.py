"""`create_app(settings)`: the gateway as an ASGI application.

The runtime (store, policy, upstream sessions, audit writer) is opened in the lifespan, so one app
object can be built, served by uvicorn in any number of workers, and each worker opens its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from clearance import admin
from clearance.errors import ClearanceError
from clearance.gateway import decision_routes, health_routes, model_routes
from clearance.gateway.audit_sink import AuditSink
from clearance.gateway.exchange import dialect_of
from clearance.gateway.problems import GatewayError, MethodNotAllowed, NotFoundError
from clearance.gateway.runtime import Runtime
from clearance.settings import Settings


def create_app(settings: Settings, *, audit: AuditSink | None = None, record: bool = True) -> Starlette:
    """The gateway for `settings`; `record=False` only for measuring what the audit trail costs."""

    async def start() -> Runtime:
        return await Runtime.start(settings, audit=audit, record=record)

    return Gateway(
        start,
        direct=model_routes.post_endpoints,
        routes=[*model_routes.routes, *decision_routes.routes, *health_routes.routes, *admin.routes],
        exception_handlers={HTTPException: _http_error},
    )


class Gateway(Starlette):
    """Starlette, with a lifespan of its own that opens the runtime (`app.state.runtime`) and closes it.

    Starlette reports a lifespan that fails with the whole traceback; an operator whose store cannot
    be reached, or whose spool directory cannot be written, should read one line that says so.  A
    Clearance error at start-up is therefore sent to the server as `lifespan.startup.failed` with its
    message (uvicorn prints it and exits with status 3); anything else is a bug and keeps its traceback.

    The model APIs' POSTs (`direct`) are called without Starlette's middleware and router: their
    endpoints turn every failure into a response themselves (`exchange.guarded`), so the error
    middlewares had nothing to do on them, and passing through the three layers and the route
    table was about 5% of the gateway's CPU per request.  Every other request, and any other
    method on those paths, goes through Starlette as before.
    """

    def __init__(self, start: Callable[[], Awaitable[Runtime]], *,
                 direct: Mapping[str, Callable[[Request], Awaitable[Response]]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._start = start
        self._direct = dict(direct)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self._direct.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if endpoint is not None:
            scope["app"] = self
            response = await endpoint(Request(scope, receive, send))
            await response(scope, receive, send)
            return
        if scope["type"] != "lifespan":
            await super().__call__(scope, receive, send)
            return
        await receive()  # lifespan.startup
        try:
            runtime = await self._start()
        except ClearanceError as error:
            await send({"type": "lifespan.startup.failed", "message": f"the gateway cannot start: {error}"})
            return
        self.state.runtime = runtime
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        try:
            await runtime.close()
        except ClearanceError as error:
            await send({"type": "lifespan.shutdown.failed", "message": f"the gateway did not stop cleanly: {error}"})
            return
        await send({"type": "lifespan.shutdown.complete"})


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
