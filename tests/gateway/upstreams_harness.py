"""A tiny gateway stand-in for the upstream tests: Starlette routes that hand every call to `forward`.

The model-API routes parse the body, build the ModelCall the real gateway would (the served model
is the body's, or the ``x-serve-as`` header's to play a degrade), and answer an UpstreamFailure as
the gateway would.  Outcomes are collected from the server's thread and waited for, because
`on_complete` runs after the caller already has the last byte.
"""

from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from fake_upstream import FakeUpstream, ServerThread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clearance.gateway.upstreams import CallerApi, ModelCall, Outcome, UpstreamFailure, Upstreams
from clearance.gateway.upstreams.errors import error_body
from clearance.settings import Settings

OPENAI_KEY = "sk-fake-openai"
ANTHROPIC_KEY = "sk-ant-fake"
DECISION_HEADER = "x-clearance-decision"


@dataclass(frozen=True)
class Raw:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Raw:
    """A raw POST, for what an SDK would hide: bytes on the wire, headers, error bodies."""
    request = urllib.request.Request(url, data=orjson.dumps(body), method="POST",
                                     headers={"content-type": "application/json", **(headers or {})})
    try:
        with _NO_PROXY.open(request, timeout=60) as response:
            return Raw(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Raw(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


class Outcomes:
    """Every Outcome reported, in order, safe to read from the test's thread."""

    def __init__(self) -> None:
        self.items: list[Outcome] = []
        self._changed = threading.Condition()
        self._in_flight = 0  # calls forwarded whose outcome has not come yet

    def started(self) -> None:
        with self._changed:
            self._in_flight += 1

    def __call__(self, outcome: Outcome) -> None:
        with self._changed:
            self.items.append(outcome)
            self._in_flight -= 1
            self._changed.notify_all()

    def wait(self, count: int = 1) -> list[Outcome]:
        """The first `count` outcomes, once there are that many (a hang guard, not a speed limit)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.items) >= count, timeout=60)
            return list(self.items)

    def clear(self) -> None:
        """Forget what was reported, once every earlier call has reported: a stream's outcome comes after
        its last byte, so a test that moves on at once would otherwise find it in the next test's list."""
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight <= 0, timeout=60)
            self.items.clear()


def settings_for(fake: FakeUpstream, home: Path, *, unreachable_port: int = 9) -> Settings:
    """Models on every kind of upstream: the fake as OpenAI and as Anthropic, the demo, and nowhere."""
    return Settings(home=home, upstreams=[
        {"name": "oa", "kind": "openai", "base_url": fake.openai_base_url, "api_key_env": "FAKE_OPENAI_KEY"},
        {"name": "an", "kind": "anthropic", "base_url": fake.anthropic_base_url, "api_key_env": "FAKE_ANTHROPIC_KEY"},
        {"name": "demo", "kind": "demo"},
        {"name": "gone", "kind": "openai", "base_url": f"http://127.0.0.1:{unreachable_port}/v1"},
        {"name": "keyless", "kind": "openai", "base_url": fake.openai_base_url},
    ], models=[
        {"id": "fable-5", "upstream": "oa", "upstream_model": "gpt-internal-7", "family": "fable", "tier": "frontier"},
        {"id": "mythos-5", "upstream": "an", "upstream_model": "claude-internal-9", "family": "mythos"},
        {"id": "fable-4", "upstream": "demo", "family": "fable", "tier": "standard"},
        {"id": "lost-1", "upstream": "gone", "upstream_model": "gone-internal"},
        {"id": "keyless-1", "upstream": "keyless", "upstream_model": "gpt-internal-7"},
    ])


def forwarding_app(upstreams: Upstreams, outcomes: Outcomes) -> Starlette:
    def route(path: str, api: CallerApi) -> Route:
        async def handle(request: Request) -> Response:
            body: dict[str, Any] = orjson.loads(await request.body())
            call = ModelCall(api=api, body=body, model_id=request.headers.get("x-serve-as", body["model"]),
                             stream=bool(body.get("stream")), request_id="req-1",
                             response_headers={DECISION_HEADER: "dec-1"})
            outcomes.started()
            try:
                return await upstreams.forward(call, outcomes)
            except UpstreamFailure as failure:
                return Response(error_body(api, failure.status, failure.message), failure.status,
                                media_type="application/json")
        return Route(path, handle, methods=["POST"])

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await upstreams.start()
        yield
        await upstreams.close()

    return Starlette(routes=[route("/v1/chat/completions", "chat"), route("/v1/completions", "completions"),
                             route("/v1/embeddings", "embeddings"), route("/v1/messages", "messages")],
                     lifespan=lifespan)


@contextmanager
def gateway(settings: Settings, *, read_timeout: float | None = None) -> Iterator[tuple[str, Outcomes]]:
    """The stand-in gateway's URL and its outcomes, keys for the fake in the environment meanwhile."""
    saved = {name: os.environ.get(name) for name in ("FAKE_OPENAI_KEY", "FAKE_ANTHROPIC_KEY")}
    os.environ["FAKE_OPENAI_KEY"], os.environ["FAKE_ANTHROPIC_KEY"] = OPENAI_KEY, ANTHROPIC_KEY
    try:
        outcomes = Outcomes()
        upstreams = Upstreams.from_settings(settings, read_timeout=read_timeout)
        with ServerThread(forwarding_app(upstreams, outcomes)) as server:
            yield server.url, outcomes
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Stack:
    """The fake upstream and the stand-in gateway in front of it, shared by a module's tests."""

    fake: FakeUpstream
    url: str
    outcomes: Outcomes

    def fresh(self) -> Stack:
        self.fake.reset()
        self.outcomes.clear()
        return self


@contextmanager
def stack(home: Path, *, read_timeout: float | None = None) -> Iterator[Stack]:
    with FakeUpstream(api_key=OPENAI_KEY, anthropic_api_key=ANTHROPIC_KEY) as fake, \
            gateway(settings_for(fake, home), read_timeout=read_timeout) as (url, outcomes):
        yield Stack(fake, url, outcomes)
