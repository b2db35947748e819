"""What each caller API becomes on each kind of upstream: the path, and how body and answer change.

One table, so that which API can reach which upstream, and through which translation, is read in
one place.  `request`/`answer` of None mean pass-through: the body goes as it came with only
``model`` replaced, and the answer comes back with only ``model`` replaced.  A caller API missing
from a kind's table cannot be served by it (embeddings on an Anthropic upstream).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clearance.gateway.upstreams import answers, requests
from clearance.gateway.upstreams.call import CallerApi, ModelCall
from clearance.gateway.upstreams.streams import AnthropicPassThrough, OpenAIPassThrough, StreamRewriter
from clearance.gateway.upstreams.translated_streams import AnthropicToOpenAI, OpenAIToAnthropic

__all__ = ["PLANS", "Plan"]

RequestRewrite = Callable[[dict[str, Any], str], dict[str, Any]]
AnswerRewrite = Callable[[dict[str, Any], str], answers.Answer]
StreamFactory = Callable[[ModelCall, str], StreamRewriter]


@dataclass(frozen=True, slots=True)
class Plan:
    path: str
    dialect: str  # "openai" or "anthropic": whose usage object and error shape the upstream uses
    request: RequestRewrite | None
    answer: AnswerRewrite | None
    stream: StreamFactory


def _wants_usage(call: ModelCall) -> bool:
    options = call.body.get("stream_options")
    return isinstance(options, dict) and bool(options.get("include_usage"))


def _openai_through(call: ModelCall, upstream_model: str) -> StreamRewriter:
    return OpenAIPassThrough(call.api, call.model_id, upstream_model, keep_usage=_wants_usage(call))


def _anthropic_through(call: ModelCall, upstream_model: str) -> StreamRewriter:
    return AnthropicPassThrough(call.api, call.model_id, upstream_model)


def _anthropic_to_openai(call: ModelCall, upstream_model: str) -> StreamRewriter:
    return AnthropicToOpenAI(call.api, call.model_id, upstream_model, include_usage=_wants_usage(call))


def _openai_to_anthropic(call: ModelCall, upstream_model: str) -> StreamRewriter:
    return OpenAIToAnthropic(call.model_id, upstream_model)


PLANS: dict[str, dict[CallerApi, Plan]] = {
    "openai": {
        "chat": Plan("chat/completions", "openai", None, None, _openai_through),
        "completions": Plan("completions", "openai", None, None, _openai_through),
        "embeddings": Plan("embeddings", "openai", None, None, _openai_through),
        "messages": Plan("chat/completions", "openai", requests.messages_to_chat, answers.chat_to_anthropic,
                         _openai_to_anthropic),
    },
    "anthropic": {
        "messages": Plan("messages", "anthropic", None, None, _anthropic_through),
        "chat": Plan("messages", "anthropic", requests.chat_to_messages, answers.anthropic_to_chat,
                     _anthropic_to_openai),
        "completions": Plan("messages", "anthropic", requests.completion_to_messages,
                            answers.anthropic_to_completion, _anthropic_to_openai),
    },
}
