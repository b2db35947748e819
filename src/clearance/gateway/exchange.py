"""One request's context on its way through the gateway, and the guard that fails it closed.

`guarded` is the only place a failure becomes a response: a GatewayError answers with its own
status in the caller's dialect; anything else (the store, the audit trail, a bug) is a 503 that
names no internals, and nothing has been forwarded, because forwarding is the last step.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from clearance.domain.countries import Place
from clearance.errors import ClearanceError
from clearance.gateway.identity import Caller, IssuerUnavailable, Unauthenticated
from clearance.gateway.location import ClientAddress
from clearance.gateway.problems import Dialect, GatewayError, PayloadTooLarge, Unauthorized, Unavailable
from clearance.gateway.records import RequestFacts
from clearance.policy.ids import new_decision_id

if TYPE_CHECKING:
    from clearance.gateway.runtime import Runtime

log = logging.getLogger("clearance.gateway")


def dialect_of(request: Request, headers: Mapping[str, str] | None = None) -> Dialect:
    """Anthropic's shape for /v1/messages and for anything an Anthropic SDK sends; OpenAI's otherwise."""
    if request.scope["path"] == "/v1/messages" or "anthropic-version" in (
            request.headers if headers is None else headers):
        return "anthropic"
    return "openai"


def header_map(scope: Scope) -> dict[str, str]:
    """A request's headers by lower-case name, the values of a repeated header joined with ", " in
    the order they came (RFC 9110, 5.3).

    Joined, not the first one only: a client that sends its own `X-Forwarded-For` line before the one
    our proxy adds must not have its line read as the whole chain.  And made once per request: each
    lookup in Starlette's `Headers` scans the whole header list again (several per request)."""
    found: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


@dataclass
class Exchange:
    request: Request
    runtime: Runtime
    api: str
    dialect: Dialect
    request_id: str
    headers: dict[str, str]
    caller: Caller | None = None
    address: ClientAddress | None = None
    failure: Response | None = field(default=None, repr=False)

    @classmethod
    def begin(cls, request: Request, runtime: Runtime, api: str) -> Exchange:
        headers = header_map(request.scope)
        return cls(request, runtime, api, dialect_of(request, headers), new_decision_id(), headers)

    @property
    def route(self) -> str:
        return str(self.request.scope["path"])  # not request.url: building the URL costs ~20 µs a request

    def client_address(self) -> ClientAddress:
        if self.address is None:
            client = self.request.scope.get("client")
            headers = self.headers
            self.address = self.runtime.resolver.resolve(
                client[0] if client else None, headers.get("forwarded"), headers.get("x-forwarded-for"))
        return self.address

    def locate(self) -> Place | None:
        """Where the caller is; None (unknown: each directive's `unknown` rule applies) when it cannot tell."""
        ip = self.client_address().ip
        if ip is None:
            return None
        try:
            return self.runtime.geolocator.locate(ip)
        except ValueError:
            return None

    def facts(self, caller: Caller | None) -> RequestFacts:
        return RequestFacts(self.request_id, self.route, self.api,
                            caller.credential_id if caller else None, self.client_address())

    def failure_response(self) -> Response:
        assert self.failure is not None, "guarded() left without a response or a failure"
        return self.failure

    def log_failure(self, what: str, ref: str) -> None:
        log.exception("%s %s (request %s)", what, ref, self.request_id)


@asynccontextmanager
async def guarded(exchange: Exchange) -> AsyncIterator[None]:
    """Turn every failure inside into the response the caller gets; see the module docstring."""
    try:
        yield
    except GatewayError as error:
        exchange.failure = _respond(exchange, error)
    except ClearanceError as error:
        log.error("request %s failed closed: %s", exchange.request_id, error)
        exchange.failure = _respond(exchange, Unavailable(
            "Clearance cannot decide this request right now, so it was not forwarded; try again shortly",
            code="decision_unavailable"))
    except Exception:
        log.exception("request %s failed closed", exchange.request_id)
        exchange.failure = _respond(exchange, Unavailable(
            "Clearance failed while deciding this request, so it was not forwarded", code="internal_error"))


def _respond(exchange: Exchange, error: GatewayError) -> Response:
    response = error.response(exchange.dialect)
    response.headers["x-request-id"] = exchange.request_id
    exchange.runtime.metrics.answered(exchange.route, error.status)
    return response


async def authenticate(exchange: Exchange) -> Caller:
    try:
        caller = await exchange.runtime.authenticator.authenticate(exchange.headers)
    except IssuerUnavailable as exc:  # we cannot tell whether the token is good: not the caller's fault
        raise Unavailable(exc.message, code="issuer_unavailable") from None
    except Unauthenticated as exc:
        raise Unauthorized(exc.message, code="invalid_api_key") from None
    exchange.caller = caller
    return caller


async def read_body(request: Request, limit: int, headers: Mapping[str, str]) -> bytes:
    """The body, or 413 as soon as it is known to be over `limit`; nothing over the limit is kept.

    A refused body is still read (and thrown away) up to DRAIN_FACTOR times the limit: closing a
    connection with unread data makes the kernel reset it, and the client would see "connection
    reset" instead of the 413 that says what to do.  Beyond that the connection is simply closed.
    """
    declared = headers.get("content-length")
    too_large = declared is not None and declared.isdigit() and int(declared) > limit
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            too_large = True
        if too_large:
            if size > limit * DRAIN_FACTOR:
                break
            continue
        chunks.append(chunk)
    if too_large:
        raise PayloadTooLarge(f"the request body is {declared or f'over {limit}'} bytes; this gateway accepts "
                              f"at most {limit} (gateway.max_body_bytes)")
    return b"".join(chunks)


DRAIN_FACTOR = 4
