"""A fake model server speaking the OpenAI and Anthropic APIs, on loopback, recording what reached it.

    with FakeUpstream(api_key="sk-fake") as fake:
        fake.openai_base_url      # http://127.0.0.1:PORT/v1   (an OpenAI SDK's base_url)
        fake.anthropic_base_url   # http://127.0.0.1:PORT      (an Anthropic SDK's base_url)
        fake.behave("gpt-x", status=500)          # per model name it receives: failures, delays, drops
        ... send requests ...
        fake.requests             # every request: path, headers (lower-case names), JSON body

Answers follow the real APIs' shapes closely enough for the real SDKs to parse them, plain and
streamed (OpenAI chunks with ``[DONE]`` and the ``include_usage`` chunk; Anthropic's full event
sequence with ``ping``).  The answer text is ``Echo: <last user text>`` unless a behaviour sets it;
tokens are counted as words.  Each answer names the model the fake received, so a test can check
that the gateway hid it.  Errors are in the API's own shape and name the received model too.

`ServerThread` runs any ASGI app under uvicorn in a background thread on 127.0.0.1, port 0.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import socket
import struct
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp

__all__ = ["Behaviour", "FakeUpstream", "Recorded", "ServerThread"]


class ServerThread:
    """An ASGI app served by uvicorn on a free loopback port, in a thread, for the length of a `with`."""

    def __init__(self, app: ASGIApp) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="critical", timeout_graceful_shutdown=2, lifespan="auto")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> ServerThread:
        self._thread.start()
        for _ in range(2000):
            if self._server.started or not self._thread.is_alive():
                break
            time.sleep(0.01)
        if not self._server.started:
            raise RuntimeError(f"the test server on {self.url} did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(30)
        self._socket.close()


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any  # the parsed JSON, or None when the body was not JSON
    client_port: int = 0  # the connection it came on: equal ports, a reused connection


@dataclass
class Behaviour:
    status: int = 200  # another status: an error in the API's shape, naming the model received
    delay: float = 0.0  # seconds before the answer (or a stream's headers) is sent
    reply: str | None = None  # the answer's text; default "Echo: <last user text>"
    drop_after: int | None = None  # streams: events sent before the connection is dropped
    stall_after: int | None = None  # streams: events sent before going silent for `stall` seconds
    stall: float = 0.0
    end_after: int | None = None  # streams: events sent before the stream ends cleanly, unfinished
    raw: bytes | None = None  # sent as the whole answer, status 200, instead of JSON
    retry_after: str | None = None  # a Retry-After header on an error


class _Dropped(Exception):
    """Raised inside a stream so that uvicorn drops the connection mid-answer."""


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


@dataclass
class _Answer:
    model: str
    pieces: list[str]
    cut: bool
    input_tokens: int

    @property
    def text(self) -> str:
        return "".join(self.pieces)


class FakeUpstream:
    def __init__(self, *, api_key: str | None = None, anthropic_api_key: str | None = None) -> None:
        self.api_key = api_key  # when set, OpenAI routes want "Authorization: Bearer <it>"
        self.anthropic_api_key = anthropic_api_key or api_key  # and /v1/messages "x-api-key: <it>"
        self.requests: list[Recorded] = []
        self.behaviours: dict[str, Behaviour] = {}
        self.default = Behaviour()
        self._lock = threading.Lock()
        self._server = ServerThread(Starlette(routes=[
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/completions", self._completions, methods=["POST"]),
            Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            Route("/v1/messages", self._messages, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ]))
        self.url = self._server.url
        self.openai_base_url = self.url + "/v1"
        self.anthropic_base_url = self.url

    def __enter__(self) -> FakeUpstream:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    def behave(self, model: str, **settings: Any) -> None:
        """How the fake answers requests for `model` (the name it receives) from now on."""
        self.behaviours[model] = Behaviour(**settings)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
        self.behaviours.clear()
        self.default = Behaviour()

    def bodies(self, path: str) -> list[Any]:
        return [r.body for r in self.requests if r.path == path]

    # --- plumbing -------------------------------------------------------------------------------

    async def _record(self, request: Request) -> Any:
        raw = await request.body()
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        with self._lock:
            self.requests.append(Recorded(request.method, request.url.path, request.url.query,
                                          {k.lower(): v for k, v in request.headers.items()}, body,
                                          request.client.port if request.client else 0))
        return body

    def _behaviour(self, body: Any) -> Behaviour:
        model = body.get("model") if isinstance(body, dict) else None
        return self.behaviours.get(model, self.default) if isinstance(model, str) else self.default

    def _answer(self, body: dict[str, Any], texts: list[str], last: str, behaviour: Behaviour) -> _Answer:
        text = behaviour.reply if behaviour.reply is not None else f"Echo: {last}"
        words = text.split(" ")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        cut = isinstance(limit, int) and 0 < limit < len(words)
        if cut:
            words = words[:limit]
        return _Answer(body["model"], [words[0], *(" " + w for w in words[1:])], cut, _words(texts))

    @staticmethod
    def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return Response(orjson.dumps(payload), status, headers, media_type="application/json")

    def _openai_error(self, status: int, message: str, kind: str, code: str | None = None,
                      behaviour: Behaviour | None = None) -> Response:
        headers = {"retry-after": behaviour.retry_after} if behaviour and behaviour.retry_after else None
        return self._json({"error": {"message": message, "type": kind, "param": None, "code": code}}, status, headers)

    def _anthropic_error(self, status: int, message: str, kind: str, behaviour: Behaviour | None = None) -> Response:
        headers = {"retry-after": behaviour.retry_after} if behaviour and behaviour.retry_after else None
        return self._json({"type": "error", "error": {"type": kind, "message": message},
                           "request_id": "req_fake"}, status, headers)

    async def _openai_prelude(self, request: Request, required: str) -> tuple[Any, Behaviour, Response | None]:
        body = await self._record(request)
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return body, self.default, self._openai_error(401, "Incorrect API key provided.",
                                                          "invalid_request_error", "invalid_api_key")
        if not isinstance(body, dict) or not isinstance(body.get("model"), str) or required not in body:
            return body, self.default, self._openai_error(
                400, f"you must provide a model parameter and '{required}'", "invalid_request_error")
        behaviour = self._behaviour(body)
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.raw is not None:
            return body, behaviour, Response(behaviour.raw, 200, media_type="application/json")
        if behaviour.status != 200:
            kind = "server_error" if behaviour.status >= 500 else "invalid_request_error"
            return body, behaviour, self._openai_error(
                behaviour.status, f"The model `{body['model']}` failed on purpose ({behaviour.status}).", kind,
                behaviour=behaviour)
        return body, behaviour, None

    # --- OpenAI ---------------------------------------------------------------------------------

    async def _chat(self, request: Request) -> Response:
        body, behaviour, refusal = await self._openai_prelude(request, "messages")
        if refusal is not None:
            return refusal
        messages = [m for m in body["messages"] if isinstance(m, dict)]
        texts = [_text(m.get("content")) for m in messages]
        last = next((_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), "")
        answer = self._answer(body, texts, last, behaviour)
        finish = "length" if answer.cut else "stop"
        if body.get("stream"):
            return self._openai_stream(body, answer, behaviour, chat=True)
        return self._json({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": answer.model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text, "refusal": None},
                         "logprobs": None, "finish_reason": finish}],
            "usage": _openai_usage(answer)})

    async def _completions(self, request: Request) -> Response:
        body, behaviour, refusal = await self._openai_prelude(request, "prompt")
        if refusal is not None:
            return refusal
        prompt = body["prompt"]
        texts = [prompt] if isinstance(prompt, str) else [p for p in prompt if isinstance(p, str)]
        answer = self._answer(body, texts, texts[-1] if texts else "", behaviour)
        if body.get("stream"):
            return self._openai_stream(body, answer, behaviour, chat=False)
        return self._json({
            "id": "cmpl-fake", "object": "text_completion", "created": int(time.time()), "model": answer.model,
            "choices": [{"index": 0, "text": answer.text, "logprobs": None,
                         "finish_reason": "length" if answer.cut else "stop"}],
            "usage": _openai_usage(answer)})

    async def _embeddings(self, request: Request) -> Response:
        body, _, refusal = await self._openai_prelude(request, "input")
        if refusal is not None:
            return refusal
        given = body["input"]
        texts = [given] if isinstance(given, str) else [str(item) for item in given]
        dimensions = body.get("dimensions") or 8
        data = []
        for index, text in enumerate(texts):
            seed = hashlib.sha256(text.encode()).digest()
            vector = [seed[i % len(seed)] / 255.0 for i in range(dimensions)]  # the same text, the same vector
            embedding: Any = (base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode()
                              if body.get("encoding_format") == "base64" else vector)
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        tokens = _words(texts)
        return self._json({"object": "list", "data": data, "model": body["model"],
                           "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    async def _models(self, request: Request) -> Response:
        await self._record(request)
        return self._json({"object": "list", "data": []})

    def _openai_stream(self, body: dict[str, Any], answer: _Answer, behaviour: Behaviour, *, chat: bool) -> Response:
        options = body.get("stream_options")
        include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
        created = int(time.time())

        def chunk(delta: dict[str, Any] | str, finish: str | None) -> bytes:
            choice: dict[str, Any] = ({"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                                      if chat else {"index": 0, "text": delta, "logprobs": None,
                                                    "finish_reason": finish})
            payload: dict[str, Any] = {"id": "chatcmpl-fake" if chat else "cmpl-fake",
                                       "object": "chat.completion.chunk" if chat else "text_completion",
                                       "created": created, "model": answer.model, "system_fingerprint": "fp_fake",
                                       "choices": [choice]}
            if include_usage:
                payload["usage"] = None
            return b"data: " + orjson.dumps(payload) + b"\n\n"

        events = [chunk({"role": "assistant", "content": ""}, None)] if chat else []
        events += [chunk({"content": piece} if chat else piece, None) for piece in answer.pieces]
        events.append(chunk({} if chat else "", "length" if answer.cut else "stop"))
        if include_usage:
            events.append(b"data: " + orjson.dumps({
                "id": "chatcmpl-fake" if chat else "cmpl-fake",
                "object": "chat.completion.chunk" if chat else "text_completion", "created": created,
                "model": answer.model, "choices": [], "usage": _openai_usage(answer)}) + b"\n\n")
        events.append(b"data: [DONE]\n\n")
        return StreamingResponse(_play(events, behaviour), media_type="text/event-stream")

    # --- Anthropic ------------------------------------------------------------------------------

    async def _messages(self, request: Request) -> Response:
        body = await self._record(request)
        if self.anthropic_api_key is not None and request.headers.get("x-api-key") != self.anthropic_api_key:
            return self._anthropic_error(401, "invalid x-api-key", "authentication_error")
        if not request.headers.get("anthropic-version"):
            return self._anthropic_error(400, "anthropic-version: header is required", "invalid_request_error")
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return self._anthropic_error(400, "model: Field required", "invalid_request_error")
        for key in ("messages", "max_tokens"):
            if key not in body:
                return self._anthropic_error(400, f"{key}: Field required", "invalid_request_error")
        if not isinstance(body.get("system", ""), str | list):
            return self._anthropic_error(400, "system: Input should be a valid string", "invalid_request_error")
        if any(m.get("role") not in ("user", "assistant") for m in body["messages"]):
            return self._anthropic_error(400, "messages: roles must be user or assistant", "invalid_request_error")
        behaviour = self._behaviour(body)
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.status != 200:
            kind = "api_error" if behaviour.status >= 500 else "invalid_request_error"
            return self._anthropic_error(behaviour.status, f"The model {body['model']} failed on purpose "
                                         f"({behaviour.status}).", kind, behaviour)
        texts = [_text(body.get("system"))] + [_text(m.get("content")) for m in body["messages"]]
        last = next((_text(m.get("content")) for m in reversed(body["messages"]) if m.get("role") == "user"), "")
        answer = self._answer(body, texts, last, behaviour)
        stop = "max_tokens" if answer.cut else "end_turn"
        if body.get("stream"):
            return self._anthropic_stream(answer, stop, behaviour)
        return self._json({
            "id": "msg_fake", "type": "message", "role": "assistant", "model": answer.model,
            "content": [{"type": "text", "text": answer.text}], "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": answer.input_tokens, "output_tokens": len(answer.pieces),
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}})

    def _anthropic_stream(self, answer: _Answer, stop: str, behaviour: Behaviour) -> Response:
        def event(name: str, data: dict[str, Any]) -> bytes:
            return f"event: {name}\ndata: ".encode() + orjson.dumps({"type": name, **data}) + b"\n\n"

        events = [
            event("message_start", {"message": {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": answer.model, "content": [],
                "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": answer.input_tokens, "output_tokens": 1,
                          "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}}),
            event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
            event("ping", {}),
        ]
        events += [event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": piece}})
                   for piece in answer.pieces]
        events += [
            event("content_block_stop", {"index": 0}),
            event("message_delta", {"delta": {"stop_reason": stop, "stop_sequence": None},
                                    "usage": {"output_tokens": len(answer.pieces)}}),
            event("message_stop", {}),
        ]
        return StreamingResponse(_play(events, behaviour), media_type="text/event-stream")


def _openai_usage(answer: _Answer) -> dict[str, Any]:
    return {"prompt_tokens": answer.input_tokens, "completion_tokens": len(answer.pieces),
            "total_tokens": answer.input_tokens + len(answer.pieces),
            "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}}


async def _play(events: list[bytes], behaviour: Behaviour) -> AsyncIterator[bytes]:
    for number, chunk in enumerate(events):
        if behaviour.end_after is not None and number == behaviour.end_after:
            return
        if behaviour.drop_after is not None and number == behaviour.drop_after:
            raise _Dropped("connection dropped on purpose")
        if behaviour.stall_after is not None and number == behaviour.stall_after:
            await asyncio.sleep(behaviour.stall)
        yield chunk
        await asyncio.sleep(0)

