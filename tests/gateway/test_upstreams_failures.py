"""When the upstream fails: its errors in the caller's shape, 502/504 before the first byte, error events after.

Every failure is also reported once to `on_complete`, with the status and error the audit records,
and no message shows the upstream's internal model name or address.
"""

from __future__ import annotations

import asyncio
import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import anthropic
import openai
import orjson
import pytest
from upstreams_harness import Stack, post, settings_for, stack

from clearance.gateway.upstreams import ModelCall, Outcome, Upstreams


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # Half a second between two pieces of an answer: the "slow" behaviours below wait longer.
    with stack(tmp_path_factory.mktemp("home"), read_timeout=0.5) as running:
        yield running


@pytest.fixture
def s(shared: Stack) -> Stack:
    return shared.fresh()


def _openai(s: Stack) -> openai.OpenAI:
    return openai.OpenAI(base_url=s.url + "/v1", api_key="caller-key", max_retries=0)


def _anthropic(s: Stack) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=s.url, api_key="caller-key", max_retries=0)


CHAT = {"messages": [{"role": "user", "content": "x"}]}
MESSAGES = {"max_tokens": 10, "messages": [{"role": "user", "content": "x"}]}


@pytest.mark.parametrize(("status", "error"), [
    (400, openai.BadRequestError), (404, openai.NotFoundError), (429, openai.RateLimitError),
    (500, openai.InternalServerError), (503, openai.InternalServerError)])
def test_an_upstream_error_comes_back_with_its_status_in_the_openai_shape(
        s: Stack, status: int, error: type[openai.APIStatusError]) -> None:
    s.fake.behave("gpt-internal-7", status=status)
    with pytest.raises(error) as raised:
        _openai(s).chat.completions.create(model="fable-5", **CHAT)  # type: ignore[call-overload]
    assert raised.value.status_code == status
    assert raised.value.message.endswith(f"The model `fable-5` failed on purpose ({status}).")  # renamed
    assert "gpt-internal-7" not in str(raised.value.body)
    [outcome] = s.outcomes.wait()
    assert (outcome.status, outcome.usage) == (status, None)
    assert outcome.error == f"The model `fable-5` failed on purpose ({status})."


def test_an_anthropic_upstream_error_in_the_anthropic_shape(s: Stack) -> None:
    s.fake.behave("claude-internal-9", status=529)
    response = post(s.url + "/v1/messages", {"model": "mythos-5", **MESSAGES})
    assert response.status == 529
    assert response.json() == {"type": "error", "error": {
        "type": "overloaded_error", "message": "The model mythos-5 failed on purpose (529)."}}
    with pytest.raises(anthropic.BadRequestError):
        s.fake.behave("claude-internal-9", status=400)
        _anthropic(s).messages.create(model="mythos-5", **MESSAGES)  # type: ignore[call-overload]


def test_an_error_from_the_other_api_is_reshaped_for_the_caller(s: Stack) -> None:
    s.fake.behave("claude-internal-9", status=500)
    openai_caller = post(s.url + "/v1/chat/completions", {"model": "mythos-5", **CHAT})
    assert (openai_caller.status, openai_caller.json()["error"]["type"]) == (500, "server_error")
    assert openai_caller.json()["error"]["message"] == "The model mythos-5 failed on purpose (500)."
    s.fake.behave("gpt-internal-7", status=400)
    anthropic_caller = post(s.url + "/v1/messages", {"model": "fable-5", **MESSAGES})
    assert anthropic_caller.status == 400
    assert anthropic_caller.json()["error"] == {"type": "invalid_request_error",
                                                "message": "The model `fable-5` failed on purpose (400)."}


def test_retry_after_is_passed_on(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", status=429, retry_after="7")
    response = post(s.url + "/v1/chat/completions", {"model": "fable-5", **CHAT})
    assert (response.status, response.headers["retry-after"]) == (429, "7")
    assert response.headers["x-clearance-decision"] == "dec-1"


def test_an_upstream_refusing_the_gateways_key_is_a_502_not_the_callers_401(s: Stack) -> None:
    response = post(s.url + "/v1/chat/completions", {"model": "keyless-1", **CHAT})
    assert response.status == 502
    assert 'upstream "keyless" refused the gateway (401)' in response.json()["error"]["message"]
    assert s.fake.requests[0].headers.get("authorization") is None
    assert s.outcomes.wait()[0].status == 502


def test_an_unreachable_upstream_is_a_502_that_does_not_reveal_its_address(s: Stack) -> None:
    response = post(s.url + "/v1/chat/completions", {"model": "lost-1", **CHAT})
    assert response.status == 502
    message = response.json()["error"]["message"]
    assert message == 'the model\'s upstream "gone" cannot be reached'
    [outcome] = s.outcomes.wait()
    assert (outcome.status, outcome.error) == (502, message)


def test_a_silent_upstream_is_a_504(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", delay=3)
    response = post(s.url + "/v1/chat/completions", {"model": "fable-5", **CHAT})
    assert response.status == 504
    assert response.json()["error"]["message"] == 'the model\'s upstream "oa" did not answer in time'
    assert s.outcomes.wait()[0].status == 504
    s.fake.behave("claude-internal-9", delay=3)
    stream = post(s.url + "/v1/messages", {"model": "mythos-5", "stream": True, **MESSAGES})
    assert (stream.status, stream.json()["error"]["type"]) == (504, "timeout_error")


def test_an_answer_that_is_not_json_is_a_502(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", raw=b"<html>gateway of some proxy</html>")
    response = post(s.url + "/v1/chat/completions", {"model": "fable-5", **CHAT})
    assert response.status == 502
    assert "not JSON" in response.json()["error"]["message"]


def test_a_stream_asked_for_and_answered_plainly_is_a_502(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", raw=b'{"id": "x", "model": "gpt-internal-7"}')
    response = post(s.url + "/v1/chat/completions", {"model": "fable-5", "stream": True, **CHAT})
    assert response.status == 502
    assert response.json()["error"]["message"] == ('the model\'s upstream "oa" answered a streamed request '
                                                   "with a plain answer")
    assert b"gpt-internal-7" not in response.body


def test_a_chat_stream_that_breaks_ends_with_an_error_chunk(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", drop_after=3)
    received = []
    with pytest.raises(openai.APIError) as raised:
        for chunk in _openai(s).chat.completions.create(model="fable-5", stream=True,
                                                        messages=[{"role": "user", "content": "a b c d e"}]):
            received.append(chunk)
    assert len(received) == 3  # what came before the break was passed on as it came
    assert raised.value.message == "the upstream's connection broke in the middle of the answer"
    [outcome] = s.outcomes.wait()
    assert (outcome.status, outcome.error) == (502, "the upstream's connection broke in the middle of the answer")


def test_a_messages_stream_that_stalls_ends_with_an_error_event(s: Stack) -> None:
    s.fake.behave("claude-internal-9", stall_after=4, stall=3)
    with pytest.raises(anthropic.APIStatusError) as raised, _anthropic(s).messages.stream(
            model="mythos-5", **MESSAGES) as stream:  # type: ignore[call-overload]
        "".join(stream.text_stream)
    assert "sent nothing for 0.5 s" in str(raised.value)
    assert s.outcomes.wait()[0].status == 504


def test_a_stream_that_ends_unfinished_is_reported_as_such(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", end_after=2)
    raw = post(s.url + "/v1/chat/completions", {"model": "fable-5", "stream": True, **CHAT}).body
    last = [e for e in raw.split(b"\n\n") if e][-1]
    assert orjson.loads(last[6:])["error"]["message"] == "the upstream ended the answer before it was complete"
    assert b"[DONE]" not in raw
    assert s.outcomes.wait()[0].status == 502


def test_a_translated_stream_that_breaks_ends_in_the_callers_dialect(s: Stack) -> None:
    s.fake.behave("claude-internal-9", drop_after=4)
    raw = post(s.url + "/v1/chat/completions", {"model": "mythos-5", "stream": True, **CHAT}).body
    last = [e for e in raw.split(b"\n\n") if e][-1]
    assert last.startswith(b"data: {\"error\"")
    s.fake.behave("gpt-internal-7", drop_after=2)
    raw = post(s.url + "/v1/messages", {"model": "fable-5", "stream": True, **MESSAGES}).body
    assert [e for e in raw.split(b"\n\n") if e][-1].startswith(b"event: error\ndata: {\"type\":\"error\"")


def test_a_caller_that_leaves_mid_stream_is_recorded_as_gone(s: Stack) -> None:
    s.fake.behave("gpt-internal-7", stall_after=3, stall=0.4)
    where = urlsplit(s.url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port)
    connection.request("POST", "/v1/chat/completions", orjson.dumps({"model": "fable-5", "stream": True, **CHAT}),
                       {"content-type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.read1(64)  # the first chunk has come
    connection.close()
    [outcome] = s.outcomes.wait()
    assert outcome.status == 499
    assert outcome.error == "the caller went away before the answer ended"


def test_a_call_the_gateway_gives_up_on_is_still_reported_once(s: Stack, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_OPENAI_KEY", "sk-fake-openai")
    upstreams = Upstreams.from_settings(settings_for(s.fake, tmp_path))
    s.fake.behave("gpt-internal-7", delay=2)
    reported: list[Outcome] = []

    async def run() -> None:
        await upstreams.start()
        call = ModelCall("chat", {"model": "fable-5", **CHAT}, "fable-5", False, "r1", {})
        task = asyncio.create_task(upstreams.forward(call, reported.append))
        while not s.fake.requests:  # cancelled while the upstream is thinking
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await upstreams.close()

    asyncio.run(run())
    assert [(o.status, o.error) for o in reported] == [(499, "the caller went away before the answer started")]
