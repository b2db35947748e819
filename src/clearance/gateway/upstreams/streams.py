"""Streams passed through in the caller's own dialect, with the model's name rewritten.

A rewriter sees one upstream event at a time and returns the bytes for the caller; it also keeps
the usage for the audit and whether the upstream finished properly (``[DONE]``, ``message_stop``).
Every chunk of an OpenAI stream names the model, so each is parsed and re-serialised (orjson:
a few microseconds); Anthropic names it only in message_start, so its text deltas pass untouched.
"""

from __future__ import annotations

from typing import Any, Protocol

import orjson

from clearance.gateway.upstreams import usage as usage_of
from clearance.gateway.upstreams.call import CallerApi
from clearance.gateway.upstreams.errors import stream_error

__all__ = ["AnthropicPassThrough", "OpenAIPassThrough", "StreamRewriter", "upstream_error"]

DONE = b"data: [DONE]\n\n"


class StreamRewriter(Protocol):
    usage: dict[str, int] | None
    complete: bool  # the upstream said its stream was over
    error: str | None  # the upstream sent an error event

    def event(self, name: bytes | None, data: bytes) -> bytes: ...


def upstream_error(api: CallerApi, data: Any, model_id: str, upstream_model: str) -> tuple[str, bytes]:
    """An error event the upstream sent mid-stream, in the caller's dialect, with its model name hidden."""
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    text = message if isinstance(message, str) else "the upstream reported an error in the middle of the answer"
    if upstream_model:
        text = text.replace(upstream_model, model_id)
    return text, stream_error(api, 502, text)


class _Rewriter:
    __slots__ = ("api", "complete", "error", "model_id", "upstream_model", "usage")

    def __init__(self, api: CallerApi, model_id: str, upstream_model: str) -> None:
        self.api = api
        self.model_id = model_id
        self.upstream_model = upstream_model
        self.usage: dict[str, int] | None = None
        self.complete = False
        self.error: str | None = None

    def _failed(self, data: Any) -> bytes:
        self.error, out = upstream_error(self.api, data, self.model_id, self.upstream_model)
        return out


class OpenAIPassThrough(_Rewriter):
    """Chat and completion chunks as they come; the usage chunk kept only if the caller asked for it.

    The upstream is always asked for usage (``stream_options.include_usage``) because the audit
    needs it; a caller that did not ask gets the stream it would have had without it.
    """

    __slots__ = ("keep_usage",)

    def __init__(self, api: CallerApi, model_id: str, upstream_model: str, keep_usage: bool) -> None:
        super().__init__(api, model_id, upstream_model)
        self.keep_usage = keep_usage

    def event(self, name: bytes | None, data: bytes) -> bytes:
        if data == b"[DONE]":
            self.complete = True
            return DONE
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            return b""  # not an answer's chunk; never passed on unread
        if not isinstance(chunk, dict):
            return b""
        if "error" in chunk:
            return self._failed(chunk)
        if "model" in chunk:
            chunk["model"] = self.model_id
        used = chunk.get("usage")
        if used:
            self.usage = usage_of.from_openai(used)
        if not self.keep_usage and "usage" in chunk:
            if used and not chunk.get("choices"):
                return b""
            del chunk["usage"]
        return b"data: " + orjson.dumps(chunk) + b"\n\n"


class AnthropicPassThrough(_Rewriter):
    __slots__ = ()

    def event(self, name: bytes | None, data: bytes) -> bytes:
        if (name == b"content_block_delta" or name == b"ping") and b"\n" not in data:
            return b"event: " + name + b"\ndata: " + data + b"\n\n"
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return b""
        if not isinstance(parsed, dict):
            return b""
        kind = parsed.get("type")
        if kind == "message_start" and isinstance(parsed.get("message"), dict):
            message = parsed["message"]
            message["model"] = self.model_id
            self.usage = usage_of.from_anthropic(message.get("usage"))
        elif kind == "message_delta":
            self.usage = usage_of.merge_anthropic(self.usage, parsed.get("usage"))
        elif kind == "message_stop":
            self.complete = True
        elif kind == "error":
            return self._failed(parsed)
        return b"event: " + (name or str(kind).encode()) + b"\ndata: " + orjson.dumps(parsed) + b"\n\n"
