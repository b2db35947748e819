"""An upstream's plain (not streamed) answer rewritten into the caller's API.

Each function takes the upstream's parsed body and returns the caller's body and the usage for
the audit.  Stop reasons are mapped both ways (FINISH_FOR_STOP, STOP_FOR_FINISH), ids keep the
upstream's with the caller API's prefix, and ``model`` is always the Clearance model id.
"""

from __future__ import annotations

from typing import Any

from clearance.gateway.upstreams import anthropic_shapes, openai_shapes
from clearance.gateway.upstreams import usage as usage_of

__all__ = ["FINISH_FOR_STOP", "STOP_FOR_FINISH", "Answer", "anthropic_to_chat", "anthropic_to_completion",
           "chat_to_anthropic"]

FINISH_FOR_STOP = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
                   "refusal": "content_filter", "pause_turn": "stop", "model_context_window_exceeded": "length"}
STOP_FOR_FINISH = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use",
                   "function_call": "tool_use", "content_filter": "refusal"}

Answer = tuple[dict[str, Any], dict[str, int] | None]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _anthropic_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if not isinstance(content, list):
        return ""
    return "".join(block["text"] for block in content
                   if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str))


def _id(upstream: dict[str, Any], prefix: str) -> str:
    id_ = upstream.get("id")
    return f"{prefix}{id_}" if isinstance(id_, str) else prefix + "clearance"


def anthropic_to_chat(message: dict[str, Any], model_id: str) -> Answer:
    used = usage_of.from_anthropic(message.get("usage"))
    finish = FINISH_FOR_STOP.get(message.get("stop_reason") or "end_turn", "stop")
    return openai_shapes.chat_completion(_id(message, "chatcmpl-"), model_id, _anthropic_text(message), finish,
                                         used), used


def anthropic_to_completion(message: dict[str, Any], model_id: str) -> Answer:
    used = usage_of.from_anthropic(message.get("usage"))
    finish = FINISH_FOR_STOP.get(message.get("stop_reason") or "end_turn", "stop")
    return openai_shapes.completion(_id(message, "cmpl-"), model_id, _anthropic_text(message), finish, used), used


def chat_to_anthropic(chat: dict[str, Any], model_id: str) -> Answer:
    used = usage_of.from_openai(chat.get("usage"))
    choices = chat.get("choices")
    choice = _mapping(choices[0]) if isinstance(choices, list) and choices else {}
    content = _mapping(choice.get("message")).get("content")
    text = content if isinstance(content, str) else ""
    stop = STOP_FOR_FINISH.get(choice.get("finish_reason") or "stop", "end_turn")
    return anthropic_shapes.message(_id(chat, "msg_"), model_id, text, stop, used), used
