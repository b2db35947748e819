"""Errors in the caller's own shape, plain and inside a stream.

A caller's SDK turns these into its usual exceptions (openai's APIStatusError subclasses,
anthropic's), so the type names follow the status the way each API's documentation does; an
OpenAI SDK raises on a ``data: {"error": …}`` chunk and an Anthropic SDK on an ``event: error``.
"""

from __future__ import annotations

from typing import Any

import orjson

from clearance.gateway.upstreams.call import CallerApi

__all__ = ["error_body", "error_message", "error_object", "stream_error"]

_OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "not_found_error", 409: "conflict_error", 413: "invalid_request_error",
                 422: "invalid_request_error", 429: "rate_limit_error"}
_ANTHROPIC_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
                    504: "timeout_error", 529: "overloaded_error"}


def _type(api: CallerApi, status: int) -> str:
    if api == "messages":
        return _ANTHROPIC_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
    return _OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")


def error_object(api: CallerApi, status: int, message: str, code: str | None = None) -> dict[str, Any]:
    if api == "messages":
        return {"type": "error", "error": {"type": _type(api, status), "message": message}}
    return {"error": {"message": message, "type": _type(api, status), "param": None, "code": code}}


def error_body(api: CallerApi, status: int, message: str, code: str | None = None) -> bytes:
    """A plain error response body, e.g. for an upstream's 4xx passed back to the caller."""
    return orjson.dumps(error_object(api, status, message, code))


def stream_error(api: CallerApi, status: int, message: str) -> bytes:
    """The last event of a stream that broke after it had started."""
    data = orjson.dumps(error_object(api, status, message))
    if api == "messages":
        return b"event: error\ndata: " + data + b"\n\n"
    return b"data: " + data + b"\n\n"


def error_message(raw: bytes) -> tuple[str, str | None]:
    """The message (and OpenAI code) of an upstream's error body, whichever shape it is in, or its text."""
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        parsed = None
    if isinstance(parsed, dict):
        error = parsed.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            code = error.get("code")
            return error["message"], code if isinstance(code, str) else None
        if isinstance(error, str):
            return error, None
        if isinstance(parsed.get("message"), str):
            return parsed["message"], None
        if isinstance(parsed.get("detail"), str):
            return parsed["detail"], None
    text = raw[:500].decode("utf-8", "replace").strip()
    return text or "no message", None
