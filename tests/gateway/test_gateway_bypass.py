"""Ways other gateways' model allow-lists were bypassed, each tried here: none may reach the upstream.

Collected from public bug trackers of LLM proxies: a model named in the query string or a header,
odd spellings of model ids, the upstream's own model name, pass-through and unknown routes, other
methods, a fallback that lands on a restricted model, duplicate JSON keys, oversized and malformed
bodies, and forwarded headers from someone who is not our proxy.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fake_upstream import FakeUpstream
from gateway_process import GatewayHome, GatewayProcess, start_gateway

US = {"x-forwarded-for": "8.8.8.8"}
KP_IP = "175.45.176.1"


def chat(model: Any, **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": "hello"}], **extra}


def auth(gateway: GatewayProcess, subject: str) -> dict[str, str]:
    return {"authorization": f"Bearer {gateway.home.key_for(subject)}", **US}


def test_the_query_string_cannot_choose_the_model(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    for query in ("?model=fable-4", "?model=fable-4&api-version=2024-01-01", "?deployment=fable-4"):
        status, _, body = gateway.post("/v1/chat/completions" + query, chat("fable-5"), auth(gateway, "priya"))
        assert status == 451, body
    status, _, _ = gateway.post("/v1/chat/completions?model=fable-5", chat("fable-4"), auth(gateway, "priya"))
    assert status == 200
    assert [r.body["model"] for r in fake.requests] == ["internal-small-v4"]
    assert fake.requests[0].query == ""  # the caller's query string is not passed on


def test_headers_cannot_choose_the_model(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    tricks = {"x-model": "fable-4", "openai-model": "fable-4", "anthropic-model": "fable-4",
              "x-clearance-served-model": "fable-4", "x-clearance-decision": "allow"}
    status, _, _ = gateway.post("/v1/chat/completions", chat("fable-5"), {**auth(gateway, "priya"), **tricks})
    assert status == 451
    assert fake.requests == []


@pytest.mark.parametrize("model", [
    "FABLE-5", "Fable-5", " fable-5", "fable-5 ", "fable-5\n", "fable-5\u200b", "fable\u20115",
    "\uff46\uff41\uff42\uff4c\uff45-5",  # full-width
    "fable-5:latest", "fable-5/", "openai/fable-5", "fable-*", "*", "internal-large-v5", "family:fable",
    "tier:frontier",
])
def test_odd_spellings_of_a_model_are_unknown_models(gateway: GatewayProcess, fake: FakeUpstream, model: str) -> None:
    status, _, body = gateway.post("/v1/chat/completions", chat(model), auth(gateway, "priya"))
    assert status == 404, body
    assert body["error"]["code"] == "model_not_found"
    assert fake.requests == []


@pytest.mark.parametrize("model", [None, "", 5, ["fable-4"], {"id": "fable-4"}, True])
def test_a_model_that_is_not_a_string_is_a_bad_request(gateway: GatewayProcess, fake: FakeUpstream,
                                                       model: Any) -> None:
    status, _, body = gateway.post("/v1/chat/completions", chat(model), auth(gateway, "alice"))
    assert status == 400, body
    assert body["error"]["param"] == "model"
    assert fake.requests == []


def test_duplicate_model_keys_are_decided_as_they_are_forwarded(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    """Whatever key wins the parse is both decided and sent: the body is re-serialised, never passed raw."""
    raw = b'{"model": "fable-4", "model": "fable-5", "messages": [{"role": "user", "content": "hi"}]}'
    status, _, _ = gateway.post("/v1/chat/completions", raw, auth(gateway, "priya"))
    assert status == 451
    raw = b'{"model": "fable-5", "model": "fable-4", "messages": [{"role": "user", "content": "hi"}]}'
    status, _, _ = gateway.post("/v1/chat/completions", raw, auth(gateway, "priya"))
    assert status == 200
    assert [r.body["model"] for r in fake.requests] == ["internal-small-v4"]


@pytest.mark.parametrize(("method", "path", "status"), [
    ("POST", "/v1/responses", 404),
    ("POST", "/v1/files", 404),
    ("POST", "/v1/fine_tuning/jobs", 404),
    ("POST", "/v1/audio/speech", 404),
    ("POST", "/openai/deployments/fable-5/chat/completions", 404),
    ("POST", "/v1beta/models/fable-5:generateContent", 404),
    ("POST", "/v1/passthrough/v1/chat/completions", 404),
    ("POST", "/proxy/v1/chat/completions", 404),
    ("POST", "/v1//chat/completions", 404),
    ("POST", "/v1/chat/completions/../completions", 404),
    ("POST", "/V1/chat/completions", 404),
    ("GET", "/v1/chat/completions", 405),
    ("PUT", "/v1/chat/completions", 405),
    ("DELETE", "/v1/messages", 405),
    ("PATCH", "/v1/embeddings", 405),
    ("POST", "/v1/models", 405),
    ("GET", "/v1/models/fable-5", 404),
])
def test_unknown_routes_and_methods_never_reach_the_upstream(gateway: GatewayProcess, fake: FakeUpstream,
                                                             method: str, path: str, status: int) -> None:
    data = b'{"model": "fable-5", "messages": [{"role": "user", "content": "hi"}]}'
    got, _, body = gateway.request(method, path, data, {**auth(gateway, "priya"), "content-type": "application/json"})
    assert got == status, (path, body)
    assert isinstance(body, dict) and "error" in body
    assert fake.requests == []


def test_a_fallback_into_a_restricted_model_is_refused(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    # demo-1 degrades to fable-5 for foreign persons (TEST-FALLBACK-INTO-RESTRICTED); fable-5 is refused to priya
    status, _, body = gateway.post("/v1/chat/completions", chat("demo-1"), auth(gateway, "priya"))
    assert status == 451, body
    assert fake.requests == []
    # the same fallback works for a foreign person who may use fable-5 (ravi's license)
    status, headers, body = gateway.post("/v1/chat/completions", chat("demo-1"), auth(gateway, "ravi"))
    assert status == 200, body
    assert (body["model"], headers["x-clearance-served-model"]) == ("fable-5", "fable-5")
    assert [r.body["model"] for r in fake.requests] == ["internal-large-v5"]


def test_nothing_allowed_means_an_empty_model_list_and_no_calls(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    headers = {**auth(gateway, "alice"), "x-forwarded-for": KP_IP}
    status, _, body = gateway.get("/v1/models", headers)
    assert (status, body["data"]) == (200, [])
    for model in ("fable-4", "fable-5", "mythos-5", "demo-1"):
        assert gateway.post("/v1/chat/completions", chat(model), headers)[0] == 451
    assert fake.requests == []


@pytest.mark.parametrize(("raw", "status"), [
    (b"", 400),
    (b"{", 400),
    (b"[]", 400),
    (b'"fable-4"', 400),
    (b"null", 400),
    (b'{"model": "fable-5", "messages": []', 400),
    (b'{"model": "fable-5", "stream": "yes", "messages": []}', 400),
    (b"\xff\xfe{}", 400),
])
def test_malformed_bodies_are_400(gateway: GatewayProcess, fake: FakeUpstream, raw: bytes, status: int) -> None:
    got, _, body = gateway.post("/v1/chat/completions", raw, auth(gateway, "alice"))
    assert got == status, body
    assert body["error"]["type"] == "invalid_request_error"
    assert fake.requests == []


def test_an_oversized_body_is_413_and_not_forwarded(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    huge = chat("fable-4", padding="x" * (9 * 1024 * 1024))
    status, _, body = gateway.post("/v1/chat/completions", huge, auth(gateway, "alice"))
    assert status == 413, body
    assert body["error"]["type"] == "request_too_large"
    assert fake.requests == []


def test_errors_before_authentication_leak_nothing(gateway: GatewayProcess, fake: FakeUpstream) -> None:
    """No credential: 401 before the body is even read, whatever the body is."""
    status, _, _ = gateway.post("/v1/chat/completions", b"{not json", US)
    assert status == 401
    assert fake.requests == []


@pytest.fixture(scope="module")
def untrusting(gateway_home: GatewayHome, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    """The same home served by a gateway that trusts no proxy."""
    process = start_gateway(gateway_home, tmp_path_factory.mktemp("untrusting"),
                            env={"CLEARANCE_GATEWAY__TRUSTED_PROXIES": "[]"})
    yield process
    process.stop()


@pytest.mark.parametrize("header", [
    {"x-forwarded-for": KP_IP},
    {"forwarded": f"for={KP_IP}"},
    {"x-forwarded-for": f"8.8.8.8, {KP_IP}"},
])
def test_forwarded_headers_count_only_from_trusted_proxies(gateway: GatewayProcess, untrusting: GatewayProcess,
                                                           fake: FakeUpstream, header: dict[str, str]) -> None:
    key = {"authorization": f"Bearer {gateway.home.key_for('alice')}"}
    # Our proxy (127.0.0.1 is trusted) says the caller is in North Korea: refused.
    status, _, body = gateway.post("/v1/chat/completions", chat("fable-4"), {**key, **header})
    assert status == 451
    assert body["error"]["directive"] == "TEST-KP"
    # Nobody is trusted: the header is the caller's own claim and changes nothing (loopback is unknown: allowed).
    status, _, body = untrusting.post("/v1/chat/completions", chat("fable-4"), {**key, **header})
    assert status == 200, body


def test_a_forged_left_most_hop_cannot_move_a_caller_out_of_a_restricted_place(
        gateway: GatewayProcess, fake: FakeUpstream) -> None:
    key = {"authorization": f"Bearer {gateway.home.key_for('alice')}"}
    forged = {**key, "x-forwarded-for": f"8.8.8.8, {KP_IP}"}
    status, _, _ = gateway.post("/v1/chat/completions", chat("fable-4"), forged)
    assert status == 451
    assert fake.requests == []


def test_a_client_line_of_x_forwarded_for_before_our_proxys_cannot_relocate_the_caller(
        gateway: GatewayProcess, fake: FakeUpstream) -> None:
    """Two X-Forwarded-For lines: the client's own (claiming the US) and the one our proxy added (the
    address it saw). They are one list, in order (RFC 9110, 5.3), so the right-most untrusted hop is
    still the one our proxy saw; taking the first line alone would have believed the client."""
    host, port = gateway.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = json.dumps(chat("fable-4")).encode()
    connection.putrequest("POST", "/v1/chat/completions")
    for name, value in [("authorization", f"Bearer {gateway.home.key_for('alice')}"),
                        ("content-type", "application/json"), ("content-length", str(len(body))),
                        ("x-forwarded-for", "8.8.8.8"), ("x-forwarded-for", KP_IP)]:
        connection.putheader(name, value)
    connection.endheaders(body)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 451, answer
    assert answer["error"]["directive"] == "TEST-KP"
    assert fake.requests == []
