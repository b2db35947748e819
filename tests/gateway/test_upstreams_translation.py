"""A caller's API unlike the upstream's: requests, answers and streams translated both ways.

Each direction is checked twice: through the caller's real SDK (the shapes parse, the text, stop
reason, usage and model come out right) and at the fake upstream (what the translated request
looked like when it arrived).
"""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import openai
import orjson
import pytest
from upstreams_harness import Stack, post, stack


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with stack(tmp_path_factory.mktemp("home")) as running:
        yield running


@pytest.fixture
def s(shared: Stack) -> Stack:
    return shared.fresh()


def _openai(s: Stack) -> openai.OpenAI:
    return openai.OpenAI(base_url=s.url + "/v1", api_key="caller-key", max_retries=0)


def _anthropic(s: Stack) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=s.url, api_key="caller-key", max_retries=0)


# --- OpenAI chat caller, Anthropic upstream -----------------------------------------------------

def test_chat_to_an_anthropic_upstream(s: Stack) -> None:
    answer = _openai(s).chat.completions.create(
        model="mythos-5", temperature=1.7, stop="END", user="u-42", seed=3,
        messages=[{"role": "system", "content": "be brief"}, {"role": "developer", "content": "no jokes"},
                  {"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
                  {"role": "user", "content": [{"type": "text", "text": "second question"}]}])
    assert answer.model == "mythos-5" and answer.object == "chat.completion"
    assert answer.id.startswith("chatcmpl-")
    assert answer.choices[0].message.content == "Echo: second question"
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens, answer.usage.total_tokens) == (8, 3, 11)
    [seen] = s.fake.requests
    assert seen.path == "/v1/messages"
    assert seen.body == {
        "model": "claude-internal-9", "max_tokens": 4096, "temperature": 1.0, "stop_sequences": ["END"],
        "metadata": {"user_id": "u-42"}, "system": "be brief\n\nno jokes",
        "messages": [{"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
                     {"role": "user", "content": [{"type": "text", "text": "second question"}]}]}
    assert s.outcomes.wait()[0].usage == {"input_tokens": 8, "output_tokens": 3}


def test_chat_max_tokens_to_anthropic_and_the_length_stop(s: Stack) -> None:
    answer = _openai(s).chat.completions.create(model="mythos-5", max_completion_tokens=2,
                                                messages=[{"role": "user", "content": "a b c"}])
    assert answer.choices[0].finish_reason == "length"
    assert answer.choices[0].message.content == "Echo: a"
    assert s.fake.requests[0].body["max_tokens"] == 2


def test_chat_stream_from_an_anthropic_upstream(s: Stack) -> None:
    chunks = list(_openai(s).chat.completions.create(
        model="mythos-5", messages=[{"role": "user", "content": "stream this please"}], stream=True,
        stream_options={"include_usage": True}))
    assert {c.model for c in chunks} == {"mythos-5"}
    assert {c.object for c in chunks} == {"chat.completion.chunk"}
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: stream this please"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (3, 4)
    assert s.fake.requests[0].body["stream"] is True
    assert s.outcomes.wait()[0].usage == {"input_tokens": 3, "output_tokens": 4}


def test_chat_stream_from_anthropic_without_usage_asked_ends_with_done(s: Stack) -> None:
    raw = post(s.url + "/v1/chat/completions", {"model": "mythos-5", "stream": True,
                                                "messages": [{"role": "user", "content": "x"}]}).body
    events = [e for e in raw.split(b"\n\n") if e]
    assert events[-1] == b"data: [DONE]"
    assert all(orjson.loads(e[6:])["choices"] for e in events[:-1])  # no usage-only chunk
    assert b"claude-internal-9" not in raw and b"msg_fake" in raw  # the upstream's id kept, its model not
    assert s.outcomes.wait()[0].usage == {"input_tokens": 1, "output_tokens": 2}


def test_completions_to_an_anthropic_upstream(s: Stack) -> None:
    client = _openai(s)
    text = client.completions.create(model="mythos-5", prompt="complete me", max_tokens=10)
    assert (text.model, text.object, text.choices[0].text) == ("mythos-5", "text_completion", "Echo: complete me")
    assert text.usage is not None and text.usage.completion_tokens == 3
    assert s.fake.requests[0].body["messages"] == [{"role": "user", "content": "complete me"}]
    pieces = list(client.completions.create(model="mythos-5", prompt=["go on"], stream=True))
    assert "".join(p.choices[0].text for p in pieces if p.choices) == "Echo: go on"
    assert {p.model for p in pieces} == {"mythos-5"}
    assert [o.usage for o in s.outcomes.wait(2)] == [{"input_tokens": 2, "output_tokens": 3},
                                                    {"input_tokens": 2, "output_tokens": 3}]


def test_embeddings_cannot_be_served_by_an_anthropic_upstream(s: Stack) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        _openai(s).embeddings.create(model="mythos-5", input="x")
    assert refused.value.status_code == 400
    assert "Anthropic API, which has no embeddings" in refused.value.message
    assert s.fake.requests == []
    [outcome] = s.outcomes.wait()
    assert (outcome.status, outcome.usage) == (400, None) and "no embeddings" in (outcome.error or "")


@pytest.mark.parametrize(("body", "words"), [
    ({"tools": [{"type": "function", "function": {"name": "f"}}]}, '"tools" cannot be translated'),
    ({"messages": [{"role": "tool", "content": "x", "tool_call_id": "1"}]}, 'a "tool" message cannot'),
    ({"messages": [{"role": "assistant", "tool_calls": [{"id": "1"}]}]}, "tool calls cannot be translated"),
    ({"n": 3}, '"n" must be 1'),
    ({"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}, "'input_audio' part"),
    ({"messages": []}, '"messages" must be a non-empty list'),
])
def test_what_chat_to_anthropic_does_not_translate_is_refused_before_it_leaves(
        s: Stack, body: dict[str, object], words: str) -> None:
    response = post(s.url + "/v1/chat/completions",
                    {"model": "mythos-5", "messages": [{"role": "user", "content": "x"}], **body})
    assert response.status == 400
    assert words in response.json()["error"]["message"]
    assert s.fake.requests == []


# --- Anthropic messages caller, OpenAI upstream -------------------------------------------------

def test_messages_to_an_openai_upstream(s: Stack) -> None:
    answer = _anthropic(s).messages.create(
        model="fable-5", max_tokens=64, system=[{"type": "text", "text": "be brief"}], stop_sequences=["END"],
        metadata={"user_id": "u-7"}, extra_body={"temperature": 0.5, "top_k": 5},
        messages=[{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"},
                  {"role": "user", "content": [{"type": "text", "text": "what now"}]}])
    assert answer.model == "fable-5" and answer.type == "message" and answer.role == "assistant"
    assert answer.id.startswith("msg_")
    assert answer.content[0].type == "text" and answer.content[0].text == "Echo: what now"
    assert answer.stop_reason == "end_turn"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (6, 3)
    [seen] = s.fake.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == "Bearer sk-fake-openai"
    assert seen.body == {
        "model": "gpt-internal-7", "max_tokens": 64, "temperature": 0.5, "stop": ["END"], "user": "u-7",
        "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello"},
                     {"role": "assistant", "content": "hi"}, {"role": "user", "content": "what now"}]}


def test_messages_stream_from_an_openai_upstream(s: Stack) -> None:
    with _anthropic(s).messages.stream(model="fable-5", max_tokens=50,
                                       messages=[{"role": "user", "content": "tell me more"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: tell me more"
    assert final.model == "fable-5" and final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (3, 4)
    assert s.fake.requests[0].body["stream_options"] == {"include_usage": True}
    assert s.outcomes.wait()[0].usage == {"input_tokens": 3, "output_tokens": 4}


def test_messages_stream_from_openai_cut_by_max_tokens(s: Stack) -> None:
    raw = post(s.url + "/v1/messages", {"model": "fable-5", "max_tokens": 2, "stream": True,
                                        "messages": [{"role": "user", "content": "a b c"}]}).body
    names = [e.split(b"\n")[0] for e in raw.split(b"\n\n") if e]
    assert names == [b"event: message_start", b"event: content_block_start", *[b"event: content_block_delta"] * 2,
                     b"event: content_block_stop", b"event: message_delta", b"event: message_stop"]
    assert b'"stop_reason":"max_tokens"' in raw
    assert b"gpt-internal-7" not in raw


def test_messages_with_tools_are_refused_for_an_openai_upstream(s: Stack) -> None:
    with pytest.raises(anthropic.BadRequestError) as refused:
        _anthropic(s).messages.create(model="fable-5", max_tokens=5, messages=[{"role": "user", "content": "x"}],
                                      tools=[{"name": "f", "input_schema": {"type": "object"}}])
    assert "cannot be translated" in str(refused.value)
    assert s.fake.requests == []
