"""Same API on both sides: bodies pass with only the model renamed, both ways, plain and streamed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anthropic
import openai
import orjson
import pytest
from fake_upstream import FakeUpstream
from upstreams_harness import ANTHROPIC_KEY, DECISION_HEADER, OPENAI_KEY, Outcomes, gateway, post, settings_for


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeUpstream]:
    with FakeUpstream(api_key=OPENAI_KEY, anthropic_api_key=ANTHROPIC_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def served(fake: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Outcomes]]:
    with gateway(settings_for(fake, tmp_path_factory.mktemp("home"))) as running:
        yield running


@pytest.fixture
def url(served: tuple[str, Outcomes], fake: FakeUpstream) -> str:
    fake.reset()
    served[1].clear()
    return served[0]


@pytest.fixture
def outcomes(served: tuple[str, Outcomes]) -> Outcomes:
    return served[1]


def _openai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)


def _anthropic(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key="caller-key", max_retries=0)


def test_chat_reaches_the_upstream_under_its_own_name_and_comes_back_under_ours(
        url: str, fake: FakeUpstream, outcomes: Outcomes) -> None:
    answer = _openai(url).chat.completions.create(
        model="fable-5", messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi there"}],
        temperature=0.3, seed=7)
    assert answer.model == "fable-5"
    assert answer.choices[0].message.content == "Echo: hi there"
    assert answer.usage is not None and (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (4, 3)
    [seen] = fake.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "gpt-internal-7"
    assert seen.body["temperature"] == 0.3 and seen.body["seed"] == 7  # everything else as the caller sent it
    assert seen.headers["authorization"] == f"Bearer {OPENAI_KEY}"  # the upstream's key, not the caller's
    assert "caller-key" not in str(seen.headers)
    [outcome] = outcomes.wait()
    assert (outcome.status, outcome.usage, outcome.error) == (200, {"input_tokens": 4, "output_tokens": 3}, None)
    assert outcome.duration_ms > 0


def test_the_raw_answer_carries_the_gateways_headers_and_no_upstream_name(url: str) -> None:
    response = post(url + "/v1/chat/completions", {"model": "fable-5", "messages": [{"role": "user", "content": "x"}]})
    assert response.status == 200
    assert response.headers[DECISION_HEADER] == "dec-1"
    assert response.headers["content-type"] == "application/json"
    assert b"gpt-internal-7" not in response.body
    assert response.json()["system_fingerprint"] == "fp_fake"  # the rest of the body as the upstream sent it


def test_the_served_model_is_named_even_when_the_caller_asked_for_another(url: str, fake: FakeUpstream) -> None:
    response = post(url + "/v1/chat/completions", {"model": "fable-5", "messages": [{"role": "user", "content": "x"}]},
                    {"x-serve-as": "mythos-5"})
    assert response.json()["model"] == "mythos-5"  # a degrade: the fallback's id
    assert fake.requests[0].body["model"] == "claude-internal-9"


def test_completions_and_embeddings_pass_through(url: str, fake: FakeUpstream, outcomes: Outcomes) -> None:
    client = _openai(url)
    text = client.completions.create(model="fable-5", prompt="say something", max_tokens=2)
    assert (text.model, text.choices[0].text, text.choices[0].finish_reason) == ("fable-5", "Echo: say", "length")
    vectors = client.embeddings.create(model="fable-5", input=["one", "two words"])  # the SDK asks for base64
    assert vectors.model == "fable-5"
    assert [len(v.embedding) for v in vectors.data] == [8, 8]
    assert [r.body["model"] for r in fake.requests] == ["gpt-internal-7", "gpt-internal-7"]
    assert [r.path for r in fake.requests] == ["/v1/completions", "/v1/embeddings"]
    assert [o.usage for o in outcomes.wait(2)] == [{"input_tokens": 2, "output_tokens": 2},
                                                  {"input_tokens": 3, "output_tokens": 0}]


def test_messages_pass_through_with_the_anthropic_headers(url: str, fake: FakeUpstream, outcomes: Outcomes) -> None:
    answer = _anthropic(url).messages.create(model="mythos-5", max_tokens=100, system="terse",
                                             messages=[{"role": "user", "content": "hello you"}])
    assert answer.model == "mythos-5"
    assert answer.content[0].type == "text" and answer.content[0].text == "Echo: hello you"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (3, 3)
    [seen] = fake.requests
    assert (seen.path, seen.body["model"], seen.body["system"]) == ("/v1/messages", "claude-internal-9", "terse")
    assert seen.headers["x-api-key"] == ANTHROPIC_KEY and seen.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in seen.headers
    assert outcomes.wait()[0].usage == {"input_tokens": 3, "output_tokens": 3}


def test_a_chat_stream_is_relayed_chunk_by_chunk_under_our_name(url: str, fake: FakeUpstream,
                                                                outcomes: Outcomes) -> None:
    chunks = list(_openai(url).chat.completions.create(
        model="fable-5", messages=[{"role": "user", "content": "one two three"}], stream=True))
    assert {c.model for c in chunks} == {"fable-5"}
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: one two three"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)  # the caller did not ask for usage: none shown
    assert fake.requests[0].body["stream_options"] == {"include_usage": True}  # but the audit gets it
    assert outcomes.wait()[0].usage == {"input_tokens": 3, "output_tokens": 4}


def test_a_stream_that_asked_for_usage_gets_the_usage_chunk(url: str, outcomes: Outcomes) -> None:
    chunks = list(_openai(url).chat.completions.create(
        model="fable-5", messages=[{"role": "user", "content": "a b"}], stream=True,
        stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (2, 3)
    assert chunks[-1].model == "fable-5"
    assert outcomes.wait()[0].usage == {"input_tokens": 2, "output_tokens": 3}


def test_the_raw_chat_stream_never_names_the_upstream_model(url: str) -> None:
    response = post(url + "/v1/chat/completions",
                    {"model": "fable-5", "stream": True, "messages": [{"role": "user", "content": "x y z"}]})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers[DECISION_HEADER] == "dec-1"
    raw = response.body
    assert b"gpt-internal-7" not in raw
    events = [e for e in raw.split(b"\n\n") if e]
    assert events[-1] == b"data: [DONE]"
    assert all(orjson.loads(e[6:])["model"] == "fable-5" for e in events[:-1])


def test_a_messages_stream_is_relayed_event_by_event(url: str, fake: FakeUpstream, outcomes: Outcomes) -> None:
    with _anthropic(url).messages.stream(model="mythos-5", max_tokens=50,
                                         messages=[{"role": "user", "content": "stream me"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: stream me"
    assert final.model == "mythos-5" and final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (2, 3)
    assert outcomes.wait()[0].usage == {"input_tokens": 2, "output_tokens": 3}
    raw = post(url + "/v1/messages", {"model": "mythos-5", "max_tokens": 5, "stream": True,
                                      "messages": [{"role": "user", "content": "x"}]}).body
    assert b"claude-internal-9" not in raw and b'"model":"mythos-5"' in raw
    assert b"event: ping" in raw  # events the caller's SDK knows pass as they are


def test_on_complete_is_called_once_per_call(url: str, outcomes: Outcomes) -> None:
    client = _openai(url)
    for _ in range(3):
        client.chat.completions.create(model="fable-5", messages=[{"role": "user", "content": "x"}])
        list(client.chat.completions.create(model="fable-5", messages=[{"role": "user", "content": "x"}],
                                            stream=True))
    assert [o.status for o in outcomes.wait(6)] == [200] * 6
    assert len(outcomes.items) == 6


def test_the_upstream_settings_path_can_be_written_either_way(fake: FakeUpstream, tmp_path: Path) -> None:
    fake.reset()
    settings = settings_for(fake, tmp_path).model_copy(update={"upstreams": [
        u.model_copy(update={"base_url": fake.url + "/v1/"}) if u.name == "an" else u
        for u in settings_for(fake, tmp_path).upstreams]})
    with gateway(settings) as (url, _):
        answer = _anthropic(url).messages.create(model="mythos-5", max_tokens=10,
                                                 messages=[{"role": "user", "content": "x"}])
    assert answer.model == "mythos-5"
    assert fake.requests[0].path == "/v1/messages"


def test_connections_to_the_upstream_are_kept_alive_and_reused(url: str, fake: FakeUpstream) -> None:
    client = _openai(url)
    for _ in range(5):
        client.chat.completions.create(model="fable-5", messages=[{"role": "user", "content": "x"}])
    assert len(fake.requests) == 5
    assert len({r.client_port for r in fake.requests}) == 1  # one pooled connection for sequential calls
    fake.reset()
    for _ in range(5):  # a stream's connection goes back to the pool when the upstream's last byte is read,
        list(client.chat.completions.create(  # which may be just after the caller has its [DONE]
            model="fable-5", messages=[{"role": "user", "content": "x"}], stream=True))
    assert len({r.client_port for r in fake.requests}) < 5
