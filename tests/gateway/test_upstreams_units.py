"""The pieces without a network: SSE cutting, usage, error shapes and request translation, table by table."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.gateway.upstreams import UpstreamFailure, anthropic_shapes, usage
from clearance.gateway.upstreams.answers import FINISH_FOR_STOP, STOP_FOR_FINISH
from clearance.gateway.upstreams.errors import error_message, error_object, stream_error
from clearance.gateway.upstreams.requests import chat_to_messages, completion_to_messages, messages_to_chat
from clearance.gateway.upstreams.sse import EventSplitter
from clearance.gateway.upstreams.streams import AnthropicPassThrough, OpenAIPassThrough
from clearance.gateway.upstreams.translated_streams import AnthropicToOpenAI, OpenAIToAnthropic

_names = st.one_of(st.none(), st.sampled_from([b"message_start", b"content_block_delta", b"ping"]))
_data = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40).map(
    lambda text: orjson.dumps({"text": text}))


@given(events=st.lists(st.tuples(_names, _data), max_size=8), newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
       cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12), comment=st.booleans())
def test_events_come_out_whole_however_the_bytes_are_cut(events: list[tuple[bytes | None, bytes]], newline: bytes,
                                                         cuts: list[int], comment: bool) -> None:
    wire = b""
    for name, data in events:
        if comment:
            wire += b": keep-alive" + newline + newline
        wire += (b"event: " + name + newline if name else b"") + b"data: " + data + newline + newline
    splitter = EventSplitter()
    seen = []
    start = 0
    for cut in [*sorted({min(c, len(wire)) for c in cuts}), len(wire)]:
        seen += splitter.feed(wire[start:cut])
        start = cut
    seen += splitter.flush()
    assert seen == events


def test_multi_line_data_and_an_unterminated_last_event() -> None:
    splitter = EventSplitter()
    assert splitter.feed(b"data: a\ndata: b\n\ndata:c") == [(None, b"a\nb")]
    assert splitter.flush() == [(None, b"c")]
    assert splitter.flush() == []


@pytest.mark.parametrize(("given", "expected"), [
    ({"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}, {"input_tokens": 5, "output_tokens": 2}),
    ({"prompt_tokens": 5}, {"input_tokens": 5, "output_tokens": 0}),
    ({"prompt_tokens": -1, "completion_tokens": True}, {"input_tokens": 0, "output_tokens": 0}),
    (None, None), ("5", None),
])
def test_openai_usage(given: Any, expected: dict[str, int] | None) -> None:
    assert usage.from_openai(given) == expected


def test_anthropic_usage_counts_cache_as_input_and_merges_deltas() -> None:
    start = usage.from_anthropic({"input_tokens": 3, "cache_read_input_tokens": 10, "cache_creation_input_tokens": 2,
                                  "output_tokens": 1})
    assert start == {"input_tokens": 15, "output_tokens": 1}
    assert usage.merge_anthropic(start, {"output_tokens": 9}) == {"input_tokens": 15, "output_tokens": 9}
    assert usage.merge_anthropic(start, {"output_tokens": 9, "input_tokens": 4}) == {"input_tokens": 4,
                                                                                    "output_tokens": 9}
    assert usage.merge_anthropic(None, {"output_tokens": 2}) == {"input_tokens": 0, "output_tokens": 2}
    assert usage.merge_anthropic(start, None) == start
    assert usage.to_openai(start) == {"prompt_tokens": 15, "completion_tokens": 1, "total_tokens": 16}


@pytest.mark.parametrize(("raw", "expected"), [
    (b'{"error": {"message": "bad model x", "type": "invalid_request_error", "code": "model_not_found"}}',
     ("bad model x", "model_not_found")),
    (b'{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}', ("Overloaded", None)),
    (b'{"error": "plain string"}', ("plain string", None)),
    (b'{"detail": "Not Found"}', ("Not Found", None)),
    (b"<html>502 Bad Gateway</html>", ("<html>502 Bad Gateway</html>", None)),
    (b"", ("no message", None)),
])
def test_the_message_of_an_upstream_error_whatever_its_shape(raw: bytes, expected: tuple[str, str | None]) -> None:
    assert error_message(raw) == expected


@pytest.mark.parametrize(("status", "openai_type", "anthropic_type"), [
    (400, "invalid_request_error", "invalid_request_error"), (401, "authentication_error", "authentication_error"),
    (404, "not_found_error", "not_found_error"), (413, "invalid_request_error", "request_too_large"),
    (429, "rate_limit_error", "rate_limit_error"), (500, "server_error", "api_error"),
    (502, "server_error", "api_error"), (504, "server_error", "timeout_error"),
    (529, "server_error", "overloaded_error"),
])
def test_error_types_follow_each_apis_documentation(status: int, openai_type: str, anthropic_type: str) -> None:
    assert error_object("chat", status, "m") == {"error": {"message": "m", "type": openai_type, "param": None,
                                                           "code": None}}
    assert error_object("messages", status, "m") == {"type": "error", "error": {"type": anthropic_type,
                                                                                "message": "m"}}
    assert stream_error("messages", status, "m").startswith(b"event: error\ndata: ")
    assert stream_error("chat", status, "m").startswith(b'data: {"error":')


def test_chat_images_and_options_to_anthropic() -> None:
    request = chat_to_messages({"model": "fable-5", "max_tokens": 9, "stop": ["a", "b"], "top_p": 0.5,
                                "presence_penalty": 1, "stream": True, "messages": [
                                    {"role": "user", "content": [
                                        {"type": "text", "text": "see"},
                                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                                        {"type": "image_url", "image_url": {"url": "https://example.org/x.png"}}]}]},
                               "claude-x")
    assert request == {"model": "claude-x", "max_tokens": 9, "top_p": 0.5, "stop_sequences": ["a", "b"],
                       "stream": True, "messages": [{"role": "user", "content": [
                           {"type": "text", "text": "see"},
                           {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                           {"type": "image", "source": {"type": "url", "url": "https://example.org/x.png"}}]}]}


def test_anthropic_images_and_stream_to_openai() -> None:
    request = messages_to_chat({"model": "fable-5", "max_tokens": 5, "stream": True, "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "see"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "BBBB"}}]}]}, "gpt-x")
    assert request == {"model": "gpt-x", "max_tokens": 5, "stream": True, "stream_options": {"include_usage": True},
                       "messages": [{"role": "user", "content": [
                           {"type": "text", "text": "see"},
                           {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,BBBB"}}]}]}


@pytest.mark.parametrize(("translate", "body", "words"), [
    (completion_to_messages, {"prompt": ["a", "b"]}, '"prompt" must be one string'),
    (completion_to_messages, {"prompt": [1, 2]}, '"prompt" must be one string'),
    (completion_to_messages, {"prompt": "a", "suffix": "z"}, '"suffix" cannot be translated'),
    (chat_to_messages, {"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role must be"),
    (chat_to_messages, {"messages": ["x"]}, "messages[0] must be an object"),
    (chat_to_messages, {"messages": [{"role": "system", "content": [{"type": "image_url"}]}]},
     "messages[0].content must be text"),
    (messages_to_chat, {"messages": [{"role": "user", "content": [{"type": "tool_result"}]}]},
     "'tool_result' block"),
    (messages_to_chat, {"messages": [{"role": "system", "content": "x"}]}, "role is user or assistant"),
    (messages_to_chat, {"messages": "x"}, "must be a non-empty list"),
])
def test_untranslatable_requests_say_what_and_where(translate: Any, body: dict[str, Any], words: str) -> None:
    with pytest.raises(UpstreamFailure) as refused:
        translate({"model": "m", **body}, "upstream-m")
    assert refused.value.status == 400
    assert words in refused.value.message


def test_a_multi_line_anthropic_event_is_passed_on_as_valid_sse() -> None:
    rewriter = AnthropicPassThrough("messages", "mythos-5", "claude-internal-9")
    data = b'{"type": "content_block_delta",\n "index": 0, "delta": {"type": "text_delta", "text": "hi"}}'
    out = rewriter.event(b"content_block_delta", data)
    assert out == b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,' \
                  b'"delta":{"type":"text_delta","text":"hi"}}\n\n'
    start = rewriter.event(b"message_start", b'{"type": "message_start", "message": {"model": "claude-internal-9", '
                                             b'"usage": {"input_tokens": 4, "output_tokens": 1}}}')
    assert b"claude-internal-9" not in start and b'"model":"mythos-5"' in start
    assert rewriter.usage == {"input_tokens": 4, "output_tokens": 1}


def test_an_openai_chunk_that_is_not_json_is_not_passed_on() -> None:
    rewriter = OpenAIPassThrough("chat", "fable-5", "gpt-internal-7", keep_usage=False)
    assert rewriter.event(None, b"gpt-internal-7 says hi") == b""
    assert rewriter.event(None, b"[DONE]") == b"data: [DONE]\n\n" and rewriter.complete


_pieces = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10), max_size=8)


def _events(wire: bytes) -> list[tuple[bytes | None, bytes]]:
    splitter = EventSplitter()
    return splitter.feed(wire) + splitter.flush()


@given(pieces=_pieces, stop=st.sampled_from(["end_turn", "max_tokens", "stop_sequence", "refusal"]),
       api=st.sampled_from(["chat", "completions"]), include_usage=st.booleans())
def test_an_anthropic_stream_becomes_an_openai_stream_with_the_same_text_stop_and_usage(
        pieces: list[str], stop: str, api: Any, include_usage: bool) -> None:
    used = {"input_tokens": 7, "output_tokens": len(pieces)}
    wire = (anthropic_shapes.stream_start("msg_1", "claude-x", 7) + b"".join(map(anthropic_shapes.text_delta, pieces))
            + anthropic_shapes.stream_end(stop, used))
    rewriter = AnthropicToOpenAI(api, "fable-5", "claude-x", include_usage=include_usage)
    out = b"".join(rewriter.event(name, data) for name, data in _events(wire))
    events = _events(out)
    assert events[-1] == (None, b"[DONE]") and rewriter.complete and rewriter.usage == used
    chunks = [orjson.loads(data) for _, data in events[:-1]]
    assert {c["model"] for c in chunks} == {"fable-5"} and b"claude-x" not in out
    choices = [c["choices"][0] for c in chunks if c["choices"]]
    text = "".join(c["delta"].get("content", "") if api == "chat" else c["text"] for c in choices)
    assert text == "".join(pieces)
    assert [c["finish_reason"] for c in choices if c["finish_reason"]] == [FINISH_FOR_STOP[stop]]
    usage_chunks = [c for c in chunks if not c["choices"]]
    assert usage_chunks == ([{**usage_chunks[0], "usage": {"prompt_tokens": 7, "completion_tokens": len(pieces),
                                                            "total_tokens": 7 + len(pieces)}}]
                            if include_usage else [])


@given(pieces=_pieces, finish=st.sampled_from(["stop", "length", "content_filter"]), usage_chunk=st.booleans())
def test_an_openai_stream_becomes_an_anthropic_stream_with_the_same_text_stop_and_usage(
        pieces: list[str], finish: str, usage_chunk: bool) -> None:
    def chunk(payload: dict[str, Any]) -> bytes:
        return b"data: " + orjson.dumps({"id": "c1", "object": "chat.completion.chunk", "model": "gpt-x",
                                         **payload}) + b"\n\n"

    wire = chunk({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
    wire += b"".join(chunk({"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]})
                     for p in pieces)
    wire += chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    if usage_chunk:
        wire += chunk({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": len(pieces)}})
    wire += b"data: [DONE]\n\n"
    rewriter = OpenAIToAnthropic("fable-5", "gpt-x")
    out = b"".join(rewriter.event(name, data) for name, data in _events(wire))
    events = [(name, orjson.loads(data)) for name, data in _events(out)]
    assert [name for name, _ in events] == [b"message_start", b"content_block_start",
                                            *[b"content_block_delta"] * len(pieces),
                                            b"content_block_stop", b"message_delta", b"message_stop"]
    assert all(data["type"] == name.decode() for name, data in events if name)
    assert events[0][1]["message"]["model"] == "fable-5" and b"gpt-x" not in out
    assert "".join(data["delta"]["text"] for name, data in events if name == b"content_block_delta") == "".join(pieces)
    assert events[-2][1]["delta"]["stop_reason"] == STOP_FOR_FINISH[finish]
    expected = {"input_tokens": 3, "output_tokens": len(pieces)} if usage_chunk else None
    assert rewriter.usage == expected and rewriter.complete
