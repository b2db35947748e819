"""The built-in demo model: every API, plain and streamed, with no network, through the real SDKs."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from upstreams_harness import Outcomes, gateway, post

from clearance.gateway.upstreams import ModelCall, Outcome, Upstreams
from clearance.settings import Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Outcomes]]:
    with gateway(Settings(home=tmp_path_factory.mktemp("home"))) as running:  # no [[models]]: the demo catalog
        yield running


@pytest.fixture
def url(demo: tuple[str, Outcomes]) -> str:
    demo[1].clear()
    return demo[0]


@pytest.fixture
def outcomes(demo: tuple[str, Outcomes]) -> Outcomes:
    return demo[1]


def _openai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)


def _anthropic(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key="caller-key", max_retries=0)


EXPECTED = "This is fable-5, Clearance's built-in demo model, answering locally. You said: \"what is export control\""


def test_with_no_models_configured_the_demo_catalog_is_served(tmp_path: Path) -> None:
    upstreams = Upstreams.from_settings(Settings(home=tmp_path))
    assert [m for m in ("fable-5", "mythos-5", "fable-4") if upstreams.serves(m)] == ["fable-5", "mythos-5", "fable-4"]
    assert not upstreams.serves("gpt-4o") and not upstreams.serves("")
    assert (upstreams.upstream_of("mythos-5"), upstreams.upstream_of("gpt-4o")) == ("demo", None)


def test_demo_chat_plain_and_streamed(url: str, outcomes: Outcomes) -> None:
    client = _openai(url)
    messages: Any = [{"role": "system", "content": "be kind"}, {"role": "user", "content": "what is export control"}]
    answer = client.chat.completions.create(model="fable-5", messages=messages)
    assert (answer.model, answer.choices[0].message.content) == ("fable-5", EXPECTED)
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (6, 15)
    chunks = list(client.chat.completions.create(model="fable-5", messages=messages, stream=True,
                                                 stream_options={"include_usage": True}))
    words = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(words) == 15 and "".join(words) == EXPECTED  # word by word
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 15
    assert [o.usage for o in outcomes.wait(2)] == [{"input_tokens": 6, "output_tokens": 15}] * 2


def test_demo_completions_plain_and_streamed(url: str) -> None:
    client = _openai(url)
    text = client.completions.create(model="mythos-5", prompt="hello world", max_tokens=3)
    assert (text.model, text.choices[0].text, text.choices[0].finish_reason) == ("mythos-5", "This is mythos-5,",
                                                                                 "length")
    pieces = list(client.completions.create(model="mythos-5", prompt="hello world", stream=True))
    assert "".join(p.choices[0].text for p in pieces).endswith('You said: "hello world"')


def test_demo_messages_plain_and_streamed(url: str, outcomes: Outcomes) -> None:
    client = _anthropic(url)
    answer = client.messages.create(model="fable-4", max_tokens=100, system="sys",
                                    messages=[{"role": "user", "content": [{"type": "text", "text": "hi"}]}])
    assert answer.model == "fable-4" and answer.stop_reason == "end_turn"
    assert answer.content[0].type == "text" and answer.content[0].text.startswith("This is fable-4,")
    with client.messages.stream(model="fable-4", max_tokens=4, messages=[{"role": "user", "content": "hi"}]) as s:
        text = "".join(s.text_stream)
        final = s.get_final_message()
    assert text == "This is fable-4, Clearance's"
    assert final.stop_reason == "max_tokens" and (final.usage.input_tokens, final.usage.output_tokens) == (1, 4)
    assert outcomes.wait(2)[1].usage == {"input_tokens": 1, "output_tokens": 4}


def test_demo_embeddings_are_deterministic_unit_vectors(url: str) -> None:
    client = _openai(url)
    first = client.embeddings.create(model="fable-5", input=["alpha", "beta"])  # base64, decoded by the SDK
    again = client.embeddings.create(model="fable-5", input="alpha", encoding_format="float", dimensions=256)
    assert first.model == "fable-5" and len(first.data) == 2
    alpha, beta = first.data[0].embedding, first.data[1].embedding
    assert len(alpha) == 256
    assert again.data[0].embedding == pytest.approx(alpha, abs=1e-6)  # float32 on the wire as base64
    assert alpha != beta
    assert math.fsum(v * v for v in again.data[0].embedding) == pytest.approx(1.0)
    small = client.embeddings.create(model="fable-5", input="alpha", dimensions=8, encoding_format="float")
    assert len(small.data[0].embedding) == 8
    assert first.usage.prompt_tokens == 2


@pytest.mark.parametrize(("body", "message"), [
    ({"input": []}, '"input" must be a string or a non-empty list of strings'),
    ({"input": "x", "dimensions": 0}, '"dimensions" must be a whole number from 1 to 4096'),
])
def test_demo_embeddings_refuse_bad_input_clearly(url: str, body: dict[str, Any], message: str) -> None:
    response = post(url + "/v1/embeddings", {"model": "fable-5", **body})
    assert (response.status, response.json()["error"]["message"]) == (400, message)


def test_a_degraded_call_names_the_fallback(url: str) -> None:
    response = post(url + "/v1/chat/completions", {"model": "fable-5", "messages": [{"role": "user", "content": "q"}]},
                    {"x-serve-as": "fable-4"})
    assert response.json()["model"] == "fable-4"
    assert response.json()["choices"][0]["message"]["content"].startswith("This is fable-4,")


def test_an_async_on_complete_is_awaited_once_after_the_last_byte(tmp_path: Path) -> None:
    upstreams = Upstreams.from_settings(Settings(home=tmp_path))
    log: list[Any] = []

    async def on_complete(outcome: Outcome) -> None:
        await asyncio.sleep(0)
        log.append(outcome)

    async def send(message: dict[str, Any]) -> None:
        last = message["type"] == "http.response.body" and not message.get("more_body")
        log.append(message["type"] + (" (last)" if last else ""))

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()  # the caller never leaves
        return {"type": "http.disconnect"}

    async def run() -> None:
        await upstreams.start()
        for stream in (False, True):
            call = ModelCall("chat", {"model": "fable-5", "messages": [{"role": "user", "content": "a"}]}, "fable-5",
                             stream, "r1", {})
            response = await upstreams.forward(call, on_complete)
            await response({"type": "http", "asgi": {"spec_version": "2.3"}}, receive, send)
        await upstreams.close()

    asyncio.run(run())
    plain, streamed = log[:3], log[3:]
    assert plain[:2] == ["http.response.start", "http.response.body (last)"]
    assert streamed[-2] == "http.response.body (last)"
    outcomes = [entry for entry in log if isinstance(entry, Outcome)]
    assert [log.index(o) for o in outcomes] == [2, len(log) - 1]
    assert [o.usage for o in outcomes] == [{"input_tokens": 1, "output_tokens": 12}] * 2
