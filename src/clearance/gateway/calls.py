"""A model-API request body, read once and checked before anything is decided or forwarded.

The model comes from the JSON body and nowhere else: not the query string, not a header, not the
path.  Other gateways were bypassed by exactly those (a `?model=` that the upstream honoured, a
header the router read and the policy did not), so the body is parsed here, strictly, and the
parsed object is what both the decision and the upstream call see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from clearance.gateway.problems import BadRequest, PayloadTooLarge
from clearance.safeguards.detector import content_texts, screened_messages

CallerApi = Literal["chat", "completions", "embeddings", "messages"]


@dataclass(frozen=True)
class ModelRequest:
    api: CallerApi
    body: dict[str, Any]
    model: str
    stream: bool


def parse_body(api: CallerApi, raw: bytes, *, limit: int) -> ModelRequest:
    if len(raw) > limit:
        raise PayloadTooLarge(f"the request body is {len(raw)} bytes; this gateway accepts at most {limit}")
    if not raw.strip():
        raise BadRequest("the request body is empty; send a JSON object with a \"model\"")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object, not {_kind(body)}")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise BadRequest('"model" must be given as a non-empty string', param="model")
    stream = body.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise BadRequest('"stream" must be true or false', param="stream")
    if stream and api == "embeddings":
        raise BadRequest("embeddings cannot be streamed", param="stream")
    return ModelRequest(api, body, model, stream)


def prompt_texts(request: ModelRequest) -> list[str]:
    """Every piece of text the model will read as instructions: what safeguards screen.

    Assistant turns are the model's own words and tool results are data; user, system and developer
    messages (and a completion's prompt, an embedding's input) are what a jailbreak arrives in.
    """
    return [text for _, text in prompt_messages(request)]


def prompt_messages(request: ModelRequest) -> list[tuple[str, str]]:
    """`prompt_texts` with the role each text came in (a completion's prompt or an embedding's input is "user").

    Safeguards need the roles: a user question aimed at what the system prompt protects is an attack
    that neither message shows alone.
    """
    body = request.body
    if request.api == "chat":
        return _messages(body.get("messages"))
    if request.api == "messages":
        system = [("system", text) for text in content_texts(body.get("system"))]
        return system + _messages(body.get("messages"))
    if request.api == "completions":
        return [("user", text) for text in _strings(body.get("prompt"))]
    return [("user", text) for text in _strings(body.get("input"))]


def _messages(messages: Any) -> list[tuple[str, str]]:
    """The screened (role, text) pairs of a chat's messages, tool results among them (`screened_messages`)."""
    if not isinstance(messages, list):
        return []
    return screened_messages(message for message in messages if isinstance(message, Mapping))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return [v for v in value if isinstance(v, str)]
    return []


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), "null")
