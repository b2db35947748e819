"""Errors the gateway answers with, each carrying its HTTP status, in the caller's own API shape.

Like yente's errors, each knows its status; one handler (`app.py`) renders every one of them, so a
route never builds an error body by hand.  OpenAI clients expect `{"error": {...}}`; Anthropic
clients expect `{"type": "error", "error": {...}}`; an SDK shows the `message` of either, so the
message is written for the person reading it in their terminal.

    GatewayError                 any status; type and message given
    ├── Unauthorized              401 authentication_error
    ├── BadRequest                400 invalid_request_error
    ├── NotFoundError             404 not_found_error
    ├── PayloadTooLarge           413 request_too_large
    ├── Refused                   451 export_restricted (RFC 7725), with the decision
    ├── SafeguardBlocked          403 safeguard_blocked, with the signals
    └── Unavailable               503 service_unavailable: a dependency failed; nothing was forwarded
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from starlette.responses import Response

from clearance.domain.decisions import Decision

Dialect = Literal["openai", "anthropic"]


class GatewayError(Exception):
    status = 500
    type = "api_error"

    def __init__(self, message: str, *, code: str | None = None, headers: dict[str, str] | None = None,
                 decision: Decision | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.headers = headers or {}
        self.decision = decision  # the decision behind a refusal or block, for the audit record
        self.extra = extra

    def body(self, dialect: Dialect) -> dict[str, Any]:
        if dialect == "anthropic":
            return {"type": "error", "error": {"type": self.type, "message": self.message, **self._fields()}}
        return {"error": {"message": self.message, "type": self.type, "code": self.code, **self._fields()}}

    def _fields(self) -> dict[str, Any]:
        fields = dict(self.extra)
        if self.code is not None:
            fields.setdefault("code", self.code)
        return fields

    def response(self, dialect: Dialect) -> Response:
        return Response(orjson.dumps(self.body(dialect)), status_code=self.status,
                        media_type="application/json", headers=self.headers)


class Unauthorized(GatewayError):
    status = 401
    type = "authentication_error"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message, headers={"www-authenticate": 'Bearer realm="clearance"'}, **extra)


class BadRequest(GatewayError):
    status = 400
    type = "invalid_request_error"


class NotFoundError(GatewayError):
    status = 404
    type = "not_found_error"


class MethodNotAllowed(GatewayError):
    status = 405
    type = "invalid_request_error"


class PayloadTooLarge(GatewayError):
    status = 413
    type = "request_too_large"


class Forbidden(GatewayError):
    status = 403
    type = "permission_error"


class Refused(GatewayError):
    """RFC 7725: unavailable for legal reasons.  The body names the directive and how to ask for clearance."""

    status = 451
    type = "export_restricted"


class SafeguardBlocked(GatewayError):
    status = 403
    type = "safeguard_blocked"


class Unavailable(GatewayError):
    status = 503
    type = "service_unavailable"


class UpstreamError(GatewayError):
    """The model server failed (502) or did not answer in time (504); set per instance."""

    type = "upstream_error"

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message, code=code, headers=headers, **extra)
        self.status = status
