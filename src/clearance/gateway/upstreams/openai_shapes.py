"""OpenAI response bodies and stream chunks, built for translated and demo answers.

Only what a translated or demo answer needs; the shapes follow the OpenAI API reference (and what
the openai SDK parses), so that a caller cannot tell a translated answer from a native one.
"""

from __future__ import annotations

import time
from typing import Any

from clearance.gateway.upstreams import usage as usage_of

__all__ = ["chat_chunk", "chat_completion", "completion", "completion_chunk", "embeddings", "usage_chunk"]


def chat_completion(id_: str, model: str, text: str, finish: str, usage: dict[str, int] | None) -> dict[str, Any]:
    return {"id": id_, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                         "logprobs": None, "finish_reason": finish}],
            "usage": usage_of.to_openai(usage)}


def completion(id_: str, model: str, text: str, finish: str, usage: dict[str, int] | None) -> dict[str, Any]:
    return {"id": id_, "object": "text_completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}],
            "usage": usage_of.to_openai(usage)}


def chat_chunk(id_: str, created: int, model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {"id": id_, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}


def completion_chunk(id_: str, created: int, model: str, text: str, finish: str | None) -> dict[str, Any]:
    return {"id": id_, "object": "text_completion", "created": created, "model": model,
            "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}]}


def usage_chunk(id_: str, created: int, model: str, chat: bool, usage: dict[str, int] | None) -> dict[str, Any]:
    """The last chunk of a stream asked for with ``stream_options: {"include_usage": true}``."""
    return {"id": id_, "object": "chat.completion.chunk" if chat else "text_completion", "created": created,
            "model": model, "choices": [], "usage": usage_of.to_openai(usage)}


def embeddings(model: str, vectors: list[Any], input_tokens: int) -> dict[str, Any]:
    return {"object": "list", "model": model,
            "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": input_tokens, "total_tokens": input_tokens}}
