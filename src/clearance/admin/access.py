"""Operator tokens and roles for the admin API, and the one handler that turns errors into JSON."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from clearance.errors import ClearanceError, Conflict, DataError, NotFound, StoreUnavailable, UsageError
from clearance.gateway.exchange import header_map, json_response
from clearance.gateway.identity import Operator, Unauthenticated
from clearance.store.credentials import OperatorRole

if TYPE_CHECKING:
    from clearance.gateway.runtime import Runtime

# What each role may do includes everything the roles before it may.
_RANK = {OperatorRole.AUDITOR: 0, OperatorRole.COMPLIANCE: 1, OperatorRole.ADMIN: 2}

Handler = Callable[[Request, "Runtime", Operator], Awaitable[Any]]


# An error's `code` when nothing more specific is given: the same shape as the model APIs' errors
# (`type`, `message`, `code`, and `param` naming the field or query parameter at fault).
_CODES = {
    "invalid_request_error": "invalid_request",
    "authentication_error": "invalid_token",
    "permission_error": "insufficient_role",
    "not_found_error": "not_found",
    "conflict_error": "conflict",
    "service_unavailable": "store_unavailable",
    "api_error": "internal_error",
}


class AdminError(Exception):
    def __init__(self, status: int, kind: str, message: str, *, code: str | None = None,
                 param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.code, self.param = status, kind, message, code, param


def error_response(status: int, kind: str, message: str, *, code: str | None = None,
                   param: str | None = None) -> Response:
    error = {"type": kind, "message": message, "code": code or _CODES.get(kind, kind)}
    if param:
        error["param"] = param
    headers = {"www-authenticate": 'Bearer realm="clearance-admin"'} if status == 401 else None
    return Response(orjson.dumps({"error": error}), status_code=status, media_type="application/json",
                    headers=headers)


def operator_of(request: Request, runtime: Runtime) -> Operator:
    try:
        return runtime.authenticator.operator(header_map(request.scope))
    except Unauthenticated as exc:
        raise AdminError(401, "authentication_error", exc.message) from None


def requires(role: OperatorRole) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A route for operators of `role` or above; its result becomes JSON, its errors JSON errors."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            try:
                operator = operator_of(request, runtime)
                if _RANK[operator.role] < _RANK[role]:
                    raise AdminError(403, "permission_error",
                                     f"this needs the {role.value} role; the token presented is {operator.role.value}")
                result = await handler(request, runtime, operator)
            except AdminError as error:
                return error_response(error.status, error.kind, error.message, code=error.code, param=error.param)
            except ClearanceError as error:
                return _clearance_error(error)
            return result if isinstance(result, Response) else json_response(result)

        return endpoint

    return decorate


def _clearance_error(error: ClearanceError) -> Response:
    if isinstance(error, NotFound):
        return error_response(404, "not_found_error", error.message)
    if isinstance(error, Conflict):
        return error_response(409, "conflict_error", error.message)
    if isinstance(error, DataError):
        return error_response(400, "invalid_request_error", error.message, param=error.problem.field)
    if isinstance(error, UsageError):
        return error_response(400, "invalid_request_error", error.message)
    if isinstance(error, StoreUnavailable):
        return error_response(503, "service_unavailable", error.message)
    return error_response(500, "api_error", "an internal error; the server log has the details")


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise AdminError(400, "invalid_request_error", f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise AdminError(400, "invalid_request_error", "the request body must be a JSON object")
    return body
