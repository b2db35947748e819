"""The ``demo`` upstream: answers every API in-process, with no network, for a first run.

Streams are sent word by word in the caller's dialect, exactly as a real upstream's would be
relayed, so a new user sees streaming work too.  Its answers go through the same replies (and so
the same `on_complete`) as a real upstream's.
"""

from __future__ import annotations

import base64
import struct
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.responses import Response

from clearance.gateway.upstreams import anthropic_shapes, demo_model, openai_shapes
from clearance.gateway.upstreams.call import ModelCall, UpstreamFailure
from clearance.gateway.upstreams.replies import Completion, PlainReply, StreamReply

__all__ = ["DemoUpstream"]


class DemoUpstream:
    def __init__(self, name: str) -> None:
        self.name = name
        self.kind: str = "demo"

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def forward(self, call: ModelCall, upstream_model: str, completion: Completion) -> Response:
        if call.api == "embeddings":
            return self._embeddings(call, completion)
        pieces, cut = demo_model.reply_words(call.api, call.body, call.model_id)
        used = {"input_tokens": sum(demo_model.words(t) for t in demo_model.input_texts(call.api, call.body)),
                "output_tokens": len(pieces)}
        completion.usage = used
        if call.stream:
            return StreamReply(_stream(call, pieces, cut, used, completion), call.response_headers, completion)
        text = "".join(pieces)
        if call.api == "messages":
            answer = anthropic_shapes.message(f"msg_{call.request_id}", call.model_id, text,
                                              "max_tokens" if cut else "end_turn", used)
        elif call.api == "chat":
            answer = openai_shapes.chat_completion(f"chatcmpl-{call.request_id}", call.model_id, text,
                                                   "length" if cut else "stop", used)
        else:
            answer = openai_shapes.completion(f"cmpl-{call.request_id}", call.model_id, text,
                                              "length" if cut else "stop", used)
        return PlainReply(orjson.dumps(answer), 200, call.response_headers, completion)

    def _embeddings(self, call: ModelCall, completion: Completion) -> Response:
        texts = demo_model.input_texts("embeddings", call.body)
        if not texts:
            raise UpstreamFailure(400, '"input" must be a string or a non-empty list of strings')
        dimensions = call.body.get("dimensions", demo_model.DEFAULT_DIMENSIONS)
        if dimensions is None:
            dimensions = demo_model.DEFAULT_DIMENSIONS
        if (not isinstance(dimensions, int) or isinstance(dimensions, bool)
                or not 0 < dimensions <= demo_model.MAX_DIMENSIONS):
            raise UpstreamFailure(400, f'"dimensions" must be a whole number from 1 to {demo_model.MAX_DIMENSIONS}')
        as_base64 = call.body.get("encoding_format") == "base64"
        vectors: list[Any] = []
        for text in texts:
            vector = demo_model.embedding(text, dimensions)
            vectors.append(base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode() if as_base64
                           else vector)
        tokens = sum(demo_model.words(t) for t in texts)
        completion.usage = {"input_tokens": tokens, "output_tokens": 0}
        return PlainReply(orjson.dumps(openai_shapes.embeddings(call.model_id, vectors, tokens)), 200,
                          call.response_headers, completion)


async def _stream(call: ModelCall, pieces: list[str], cut: bool, used: dict[str, int],
                  completion: Completion) -> AsyncIterator[bytes]:
    if call.api == "messages":
        yield anthropic_shapes.stream_start(f"msg_{call.request_id}", call.model_id, used["input_tokens"])
        for piece in pieces:
            yield anthropic_shapes.text_delta(piece)
        yield anthropic_shapes.stream_end("max_tokens" if cut else "end_turn", used)
    else:
        chat = call.api == "chat"
        id_, created = (f"chatcmpl-{call.request_id}" if chat else f"cmpl-{call.request_id}"), int(time.time())
        finish = "length" if cut else "stop"
        if chat:
            yield _data(openai_shapes.chat_chunk(id_, created, call.model_id, {"role": "assistant", "content": ""},
                                                 None))
        for piece in pieces:
            yield _data(openai_shapes.chat_chunk(id_, created, call.model_id, {"content": piece}, None) if chat
                        else openai_shapes.completion_chunk(id_, created, call.model_id, piece, None))
        yield _data(openai_shapes.chat_chunk(id_, created, call.model_id, {}, finish) if chat
                    else openai_shapes.completion_chunk(id_, created, call.model_id, "", finish))
        options = call.body.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            yield _data(openai_shapes.usage_chunk(id_, created, call.model_id, chat, used))
        yield b"data: [DONE]\n\n"
    completion.ended = True


def _data(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"
