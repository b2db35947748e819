"""A caller's request rewritten for an upstream that speaks the other API.

OpenAI chat → Anthropic messages: system and developer messages become ``system``, ``max_tokens``
(which Anthropic requires) defaults to DEFAULT_MAX_TOKENS, ``stop`` becomes ``stop_sequences``,
temperature is capped at Anthropic's 1.0, ``user`` becomes ``metadata.user_id``; text and image
parts are carried over.  OpenAI completions → Anthropic: the prompt as one user message.
Anthropic messages → OpenAI chat: the reverse, streaming with ``include_usage`` so the audit gets
token counts.

Out of scope, refused with a 400 rather than silently dropped: tools and tool calls, several
choices (``n`` > 1), a completions ``suffix`` and prompts that are lists of several prompts or of
tokens.  Sampling options one API has and the other does not (penalties, seed, ``top_k``) are
dropped: they change how an answer reads, never what the caller is allowed to get.
"""

from __future__ import annotations

from typing import Any

from clearance.gateway.upstreams.call import UpstreamFailure

__all__ = ["DEFAULT_MAX_TOKENS", "chat_to_messages", "completion_to_messages", "messages_to_chat"]

DEFAULT_MAX_TOKENS = 4096


def _refuse(message: str) -> UpstreamFailure:
    return UpstreamFailure(400, message)


def _untranslated(what: str, caller: str) -> UpstreamFailure:
    return _refuse(f"{what} cannot be translated from the {caller} API to this model's upstream, which "
                   f"speaks the other API; call this model through its own API")


def chat_to_messages(body: dict[str, Any], upstream_model: str) -> dict[str, Any]:
    for key in ("tools", "functions"):
        if body.get(key):
            raise _untranslated(f'"{key}"', "OpenAI chat")
    if body.get("n") not in (None, 1):
        raise _refuse('"n" must be 1 for this model: it answers through the Anthropic API, which gives one choice')
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _refuse('"messages" must be a non-empty list')
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for number, message in enumerate(messages):
        where = f"messages[{number}]"
        if not isinstance(message, dict):
            raise _refuse(f"{where} must be an object")
        role = message.get("role")
        if role in ("system", "developer"):
            system.append(_plain_text(message.get("content"), where))
        elif role in ("user", "assistant"):
            if message.get("tool_calls") or message.get("function_call"):
                raise _untranslated(f"{where}: tool calls", "OpenAI chat")
            turns.append({"role": role, "content": _anthropic_content(message.get("content"), where)})
        elif role in ("tool", "function"):
            raise _untranslated(f'{where}: a "{role}" message', "OpenAI chat")
        else:
            raise _refuse(f'{where}.role must be system, developer, user or assistant, not {role!r}')
    request = _sampling(body, upstream_model)
    request["messages"] = turns
    if system:
        request["system"] = "\n\n".join(system)
    return request


def completion_to_messages(body: dict[str, Any], upstream_model: str) -> dict[str, Any]:
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise _refuse('"prompt" must be one string for this model: it answers through the Anthropic API')
    if body.get("suffix"):
        raise _untranslated('"suffix"', "OpenAI completions")
    if body.get("n") not in (None, 1):
        raise _refuse('"n" must be 1 for this model: it answers through the Anthropic API, which gives one choice')
    request = _sampling(body, upstream_model)
    request["messages"] = [{"role": "user", "content": prompt}]
    return request


def _sampling(body: dict[str, Any], upstream_model: str) -> dict[str, Any]:
    limit = body.get("max_completion_tokens") or body.get("max_tokens") or DEFAULT_MAX_TOKENS
    request: dict[str, Any] = {"model": upstream_model, "max_tokens": limit}
    temperature = body.get("temperature")
    if isinstance(temperature, int | float):
        request["temperature"] = min(float(temperature), 1.0)
    if body.get("top_p") is not None:
        request["top_p"] = body["top_p"]
    stop = body.get("stop")
    if isinstance(stop, str):
        request["stop_sequences"] = [stop]
    elif isinstance(stop, list) and stop:
        request["stop_sequences"] = stop
    if isinstance(body.get("user"), str):
        request["metadata"] = {"user_id": body["user"]}
    if body.get("stream"):
        request["stream"] = True
    return request


def _plain_text(content: Any, where: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        if len(texts) == len(content) and all(isinstance(t, str) for t in texts):
            return "\n".join(t for t in texts if isinstance(t, str))
    raise _refuse(f"{where}.content must be text")


def _anthropic_content(content: Any, where: str) -> Any:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if not isinstance(content, list):
        raise _refuse(f"{where}.content must be a string or a list of parts")
    blocks = []
    for number, part in enumerate(content):
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str):
            blocks.append({"type": "text", "text": part["text"]})
        elif kind == "image_url":
            blocks.append(_anthropic_image(part.get("image_url"), f"{where}.content[{number}]"))
        else:
            raise _untranslated(f"{where}.content[{number}] (a {kind!r} part)", "OpenAI chat")
    return blocks


def _anthropic_image(image: Any, where: str) -> dict[str, Any]:
    url = image.get("url") if isinstance(image, dict) else image
    if not isinstance(url, str):
        raise _refuse(f"{where}.image_url.url must be a string")
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
    return {"type": "image", "source": {"type": "url", "url": url}}


def messages_to_chat(body: dict[str, Any], upstream_model: str) -> dict[str, Any]:
    if body.get("tools"):
        raise _untranslated('"tools"', "Anthropic messages")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _refuse("messages: must be a non-empty list")
    turns: list[dict[str, Any]] = []
    system = body.get("system")
    if system:
        turns.append({"role": "system", "content": _plain_text(system, "system")})
    for number, message in enumerate(messages):
        where = f"messages.{number}"
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise _refuse(f"{where}: must be an object whose role is user or assistant")
        turns.append({"role": message["role"], "content": _openai_content(message.get("content"), where)})
    request: dict[str, Any] = {"model": upstream_model, "messages": turns}
    if body.get("max_tokens") is not None:
        request["max_tokens"] = body["max_tokens"]
    for key in ("temperature", "top_p"):
        if body.get(key) is not None:
            request[key] = body[key]
    if body.get("stop_sequences"):
        request["stop"] = body["stop_sequences"]
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("user_id"), str):
        request["user"] = metadata["user_id"]
    if body.get("stream"):
        request["stream"] = True
        request["stream_options"] = {"include_usage": True}
    return request


def _openai_content(content: Any, where: str) -> Any:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise _refuse(f"{where}.content: must be a string or a list of content blocks")
    parts: list[dict[str, Any]] = []
    for number, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text" and isinstance(block.get("text"), str):
            parts.append({"type": "text", "text": block["text"]})
        elif kind == "image" and isinstance(block.get("source"), dict):
            source = block["source"]
            url = (f"data:{source.get('media_type')};base64,{source.get('data')}"
                   if source.get("type") == "base64" else source.get("url"))
            parts.append({"type": "image_url", "image_url": {"url": url}})
        else:
            raise _untranslated(f"{where}.content.{number} (a {kind!r} block)", "Anthropic messages")
    if all(part["type"] == "text" for part in parts):
        return "\n".join(part["text"] for part in parts)
    return parts
