"""Streams translated event by event between the OpenAI and Anthropic dialects.

Anthropic → OpenAI (chat or completions): message_start opens the chat with the assistant role,
each text delta becomes a chunk, message_delta brings the finish reason, message_stop the usage
chunk (when the caller asked for ``include_usage``) and ``[DONE]``.  OpenAI → Anthropic: the first
chunk opens message_start and a text block, content becomes text_delta events, ``[DONE]`` closes
the block and sends message_delta with the stop reason and usage, then message_stop.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from clearance.gateway.upstreams import anthropic_shapes, openai_shapes
from clearance.gateway.upstreams import usage as usage_of
from clearance.gateway.upstreams.answers import FINISH_FOR_STOP, STOP_FOR_FINISH
from clearance.gateway.upstreams.call import CallerApi
from clearance.gateway.upstreams.streams import DONE, upstream_error

__all__ = ["AnthropicToOpenAI", "OpenAIToAnthropic"]


def _chunk(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _loads(data: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


class AnthropicToOpenAI:
    __slots__ = ("_created", "_id", "api", "complete", "error", "include_usage", "model_id", "upstream_model",
                 "usage")

    def __init__(self, api: CallerApi, model_id: str, upstream_model: str, include_usage: bool) -> None:
        self.api = api
        self.model_id = model_id
        self.upstream_model = upstream_model
        self.include_usage = include_usage
        self.usage: dict[str, int] | None = None
        self.complete = False
        self.error: str | None = None
        self._id = "chatcmpl-clearance" if api == "chat" else "cmpl-clearance"
        self._created = int(time.time())

    def _piece(self, delta: dict[str, Any], finish: str | None) -> bytes:
        if self.api == "chat":
            return _chunk(openai_shapes.chat_chunk(self._id, self._created, self.model_id, delta, finish))
        return _chunk(openai_shapes.completion_chunk(self._id, self._created, self.model_id,
                                                     delta.get("content", ""), finish))

    def event(self, name: bytes | None, data: bytes) -> bytes:
        parsed = _loads(data)
        if parsed is None:
            return b""
        kind = parsed.get("type")
        if kind == "content_block_delta":
            delta = parsed.get("delta")
            if isinstance(delta, dict) and delta.get("type") == "text_delta" and isinstance(delta.get("text"), str):
                return self._piece({"content": delta["text"]}, None)
            return b""
        if kind == "message_start":
            message = _mapping(parsed.get("message"))
            if isinstance(message.get("id"), str):
                self._id = ("chatcmpl-" if self.api == "chat" else "cmpl-") + message["id"]
            self.usage = usage_of.from_anthropic(message.get("usage"))
            return self._piece({"role": "assistant", "content": ""}, None) if self.api == "chat" else b""
        if kind == "message_delta":
            self.usage = usage_of.merge_anthropic(self.usage, parsed.get("usage"))
            stop = _mapping(parsed.get("delta")).get("stop_reason")
            return self._piece({}, FINISH_FOR_STOP.get(stop, "stop")) if stop else b""
        if kind == "message_stop":
            self.complete = True
            tail = (_chunk(openai_shapes.usage_chunk(self._id, self._created, self.model_id, self.api == "chat",
                                                     self.usage)) if self.include_usage else b"")
            return tail + DONE
        if kind == "error":
            self.error, out = upstream_error(self.api, parsed, self.model_id, self.upstream_model)
            return out
        return b""  # ping, content_block_start/stop: nothing an OpenAI caller would see


class OpenAIToAnthropic:
    __slots__ = ("_finish", "_started", "complete", "error", "model_id", "upstream_model", "usage")

    def __init__(self, model_id: str, upstream_model: str) -> None:
        self.model_id = model_id
        self.upstream_model = upstream_model
        self.usage: dict[str, int] | None = None
        self.complete = False
        self.error: str | None = None
        self._started = False
        self._finish: str | None = None

    def _start(self, chunk: dict[str, Any]) -> bytes:
        self._started = True
        id_ = chunk.get("id")
        return anthropic_shapes.stream_start(f"msg_{id_}" if isinstance(id_, str) else "msg_clearance",
                                             self.model_id, 0)

    def event(self, name: bytes | None, data: bytes) -> bytes:
        if data == b"[DONE]":
            self.complete = True
            head = b"" if self._started else self._start({})
            return head + anthropic_shapes.stream_end(STOP_FOR_FINISH.get(self._finish or "stop", "end_turn"),
                                                      self.usage)
        chunk = _loads(data)
        if chunk is None:
            return b""
        if "error" in chunk:
            self.error, out = upstream_error("messages", chunk, self.model_id, self.upstream_model)
            return out
        out = b"" if self._started else self._start(chunk)
        if chunk.get("usage"):
            self.usage = usage_of.from_openai(chunk["usage"])
        choices = chunk.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            choice = choices[0]
            delta = choice.get("delta")
            if isinstance(delta, dict) and isinstance(delta.get("content"), str) and delta["content"]:
                out += anthropic_shapes.text_delta(delta["content"])
            if choice.get("finish_reason"):
                self._finish = choice["finish_reason"]
        return out
