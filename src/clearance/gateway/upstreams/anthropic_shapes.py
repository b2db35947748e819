"""Anthropic message bodies and stream events, built for translated and demo answers.

The event sequence is the one the Messages API documents and the anthropic SDK's accumulator
expects: message_start, content_block_start, content_block_delta…, content_block_stop,
message_delta (stop reason and usage), message_stop; each with its ``event:`` line, because the
SDK skips events without one.
"""

from __future__ import annotations

from typing import Any

import orjson

from clearance.gateway.upstreams import usage as usage_of

__all__ = ["event", "message", "stream_end", "stream_start", "text_delta"]


def message(id_: str, model: str, text: str, stop: str, usage: dict[str, int] | None) -> dict[str, Any]:
    return {"id": id_, "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": stop, "stop_sequence": None,
            "usage": usage_of.to_anthropic(usage)}


def event(name: bytes, data: dict[str, Any]) -> bytes:
    return b"event: " + name + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def stream_start(id_: str, model: str, input_tokens: int) -> bytes:
    start = {"type": "message_start", "message": {
        "id": id_, "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": 0}}}
    block = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    return event(b"message_start", start) + event(b"content_block_start", block)


def text_delta(text: str) -> bytes:
    return event(b"content_block_delta",
                 {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}})


def stream_end(stop: str, usage: dict[str, int] | None) -> bytes:
    used = usage_of.to_anthropic(usage)
    return (event(b"content_block_stop", {"type": "content_block_stop", "index": 0})
            + event(b"message_delta", {"type": "message_delta",
                                       "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": used})
            + event(b"message_stop", {"type": "message_stop"}))
