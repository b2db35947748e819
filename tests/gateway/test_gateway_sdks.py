"""The gateway end to end, through the real `openai` and `anthropic` SDKs, as callers will use it.

Each test checks what the caller got *and* what reached (or never reached) the model server.
"""

from __future__ import annotations

from typing import Any

import anthropic
import openai
import pytest
from fake_upstream import FakeUpstream
from gateway_process import UPSTREAM_ANTHROPIC_KEY, UPSTREAM_OPENAI_KEY, GatewayProcess

CHAT = [{"role": "user", "content": "What is the capital of Norway?"}]
KP_IP = "175.45.176.1"  # North Korea in the bundled GeoLite2 build
CN_IP = "1.2.4.8"
US_IP = "8.8.8.8"


def oa(gateway: GatewayProcess, subject: str, **headers: str) -> openai.OpenAI:
    """A caller in the US (as our trusted proxy on 127.0.0.1 reports) unless headers say otherwise."""
    return openai.OpenAI(base_url=gateway.url + "/v1", api_key=gateway.home.key_for(subject), max_retries=0,
                         default_headers={"x-forwarded-for": US_IP, **headers})


def an(gateway: GatewayProcess, subject: str, **headers: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=gateway.url, api_key=gateway.home.key_for(subject), max_retries=0,
                               default_headers={"x-forwarded-for": US_IP, **headers})


def _body(error: openai.APIStatusError | anthropic.APIStatusError) -> Any:
    return error.response.json()


def test_allowed_chat_is_forwarded_under_the_upstream_name_and_key(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    reply = oa(gateway, "alice").chat.completions.with_raw_response.create(model="fable-5", messages=CHAT)
    completion = reply.parse()
    assert completion.model == "fable-5"  # never the upstream's internal name
    assert "capital of Norway" in (completion.choices[0].message.content or "")
    assert reply.headers["x-clearance-decision"] == "allow"
    assert reply.headers["x-clearance-served-model"] == "fable-5"
    [seen] = fake.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "internal-large-v5"
    assert seen.headers["authorization"] == f"Bearer {UPSTREAM_OPENAI_KEY}"  # ours, not the caller's
    assert gateway.home.key_for("alice") not in str(seen.headers)


def test_a_foreign_person_is_refused_with_451_in_openai_shape(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    with pytest.raises(openai.APIStatusError) as caught:
        oa(gateway, "priya").chat.completions.create(model="fable-5", messages=CHAT)
    assert caught.value.status_code == 451
    error = _body(caught.value)["error"]
    assert error["type"] == "export_restricted"
    assert error["code"] == "DEEMED_EXPORT"
    assert error["directive"] == "BIS-2026-AI-001"
    assert error["message"] == "Access to this model is restricted by export-control directive BIS-2026-AI-001."
    assert error["decision_id"] and error["request_clearance"]
    assert caught.value.response.headers["link"].endswith('rel="blocked-by"')
    assert fake.requests == []


def test_a_foreign_person_is_refused_with_451_in_anthropic_shape(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    with pytest.raises(anthropic.APIStatusError) as caught:
        an(gateway, "priya").messages.create(model="mythos-5", max_tokens=50, messages=CHAT)  # type: ignore[arg-type]
    assert caught.value.status_code == 451
    body = _body(caught.value)
    assert body["type"] == "error"
    assert body["error"]["type"] == "export_restricted"
    assert body["error"]["directive"] == "BIS-2026-AI-001"
    assert body["error"]["decision_id"]
    assert fake.requests == []


def test_anthropic_sdk_to_an_anthropic_upstream(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    message = an(gateway, "alice").messages.create(model="mythos-5", max_tokens=50, messages=CHAT)  # type: ignore[arg-type]
    assert message.model == "mythos-5"
    assert "capital of Norway" in message.content[0].text  # type: ignore[union-attr]
    [seen] = fake.requests
    assert seen.path == "/v1/messages"
    assert seen.body["model"] == "internal-mythos-v5"
    assert seen.headers["x-api-key"] == UPSTREAM_ANTHROPIC_KEY


def test_anthropic_sdk_to_an_openai_upstream_is_translated(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    message = an(gateway, "alice").messages.create(model="fable-5", max_tokens=50, messages=CHAT)  # type: ignore[arg-type]
    assert message.model == "fable-5"
    assert message.usage.output_tokens > 0
    [seen] = fake.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "internal-large-v5"


def test_openai_streaming_passes_chunks_and_hides_the_upstream_name(gateway: GatewayProcess,
                                                                     fake: FakeUpstream) -> None:
    stream = oa(gateway, "alice").chat.completions.create(model="fable-5", messages=CHAT, stream=True)
    chunks = list(stream)
    assert len(chunks) > 2
    assert {c.model for c in chunks} == {"fable-5"}
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "capital of Norway" in text
    assert fake.requests[0].body["stream"] is True


def test_anthropic_streaming_both_ways(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    client = an(gateway, "alice")
    for model, path in (("mythos-5", "/v1/messages"), ("fable-5", "/v1/chat/completions")):
        fake.reset()
        with client.messages.stream(model=model, max_tokens=50, messages=CHAT) as stream:  # type: ignore[arg-type]
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
        assert "capital of Norway" in text
        assert final.model == model
        assert [r.path for r in fake.requests] == [path]


def test_openai_sdk_streaming_from_an_anthropic_upstream(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    chunks = list(oa(gateway, "alice").chat.completions.create(model="mythos-5", messages=CHAT, stream=True))
    assert {c.model for c in chunks} == {"mythos-5"}
    assert "capital of Norway" in "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert [r.path for r in fake.requests] == ["/v1/messages"]


def test_a_refused_stream_is_refused_before_any_chunk(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    with pytest.raises(openai.APIStatusError) as caught:
        list(oa(gateway, "priya").chat.completions.create(model="fable-5", messages=CHAT, stream=True))
    assert caught.value.status_code == 451
    assert fake.requests == []


def test_degrade_serves_the_fallback_and_says_so(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    client = oa(gateway, "alice", **{"x-forwarded-for": CN_IP})  # through our trusted proxy, from China
    reply = client.chat.completions.with_raw_response.create(model="mythos-5", messages=CHAT)
    assert reply.parse().model == "fable-4"
    assert reply.headers["x-clearance-decision"] == "degrade"
    assert reply.headers["x-clearance-served-model"] == "fable-4"
    [seen] = fake.requests
    assert (seen.path, seen.body["model"]) == ("/v1/chat/completions", "internal-small-v4")


def test_degrade_while_streaming(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    client = an(gateway, "alice", **{"x-forwarded-for": CN_IP})
    with client.messages.stream(model="mythos-5", max_tokens=50, messages=CHAT) as stream:  # type: ignore[arg-type]
        assert stream.get_final_message().model == "fable-4"
    assert [r.body["model"] for r in fake.requests] == ["internal-small-v4"]


def test_models_lists_only_what_this_caller_may_use(gateway: GatewayProcess) -> None:
    assert sorted(m.id for m in oa(gateway, "alice").models.list()) == ["demo-1", "fable-4", "fable-5", "mythos-5"]
    # priya: the frontier models are refused; demo-1 degrades into fable-5, which she may not use either
    assert sorted(m.id for m in oa(gateway, "priya").models.list()) == ["fable-4"]
    assert list(oa(gateway, "alice", **{"x-forwarded-for": KP_IP}).models.list()) == []  # nothing from KP
    assert sorted(m.id for m in an(gateway, "priya").models.list()) == ["fable-4"]


def test_licensed_foreign_person_is_let_through(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    # ravi holds LIC-2026-0002 for fable-5 to his deemed destination, India
    completion = oa(gateway, "ravi").chat.completions.create(model="fable-5", messages=CHAT)
    assert completion.model == "fable-5"
    assert len(fake.requests) == 1


@pytest.mark.parametrize("subject", ["alice", "priya"])
def test_embeddings_and_completions_go_through_the_same_decision(
        gateway: GatewayProcess, fake: FakeUpstream, subject: str) -> None:
    client = oa(gateway, subject)
    if subject == "alice":
        assert client.embeddings.create(model="fable-5", input="hello").model == "fable-5"
        assert client.completions.create(model="fable-5", prompt="hello").model == "fable-5"
        assert [r.path for r in fake.requests] == ["/v1/embeddings", "/v1/completions"]
        return
    for call in (lambda: client.embeddings.create(model="fable-5", input="hello"),
                 lambda: client.completions.create(model="fable-5", prompt="hello")):
        with pytest.raises(openai.APIStatusError) as caught:
            call()
        assert caught.value.status_code == 451
    assert fake.requests == []
