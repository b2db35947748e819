"""What the gateway hands an upstream, and what it gets back for the audit record.

A call is decided before it gets here: `model_id` is the model that was allowed to serve it (a
degrade fallback included), so nothing below ever chooses a model.  A failure that happens before
any byte has reached the caller is raised as UpstreamFailure, so the gateway answers it in its own
words; everything after the first byte can only end the stream with an error event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CallerApi", "ModelCall", "OnComplete", "Outcome", "UpstreamFailure"]

CallerApi = Literal["chat", "completions", "embeddings", "messages"]
"""The API shape a caller used and expects back: OpenAI chat/completions/embeddings, Anthropic messages."""


@dataclass(frozen=True, slots=True)
class ModelCall:
    api: CallerApi
    body: dict[str, Any]  # the caller's JSON body; "model" (str) and "stream" (bool) already checked
    model_id: str  # the Clearance model that serves it (already decided; may be a degrade fallback)
    stream: bool
    request_id: str
    response_headers: Mapping[str, str]  # what the gateway wants on the response (decision id, …)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a call ended, for the audit record that closes the request.

    `status` is the HTTP status the caller saw, except for a stream that broke after it started
    (the caller saw 200 and then an error event): there it is the failure's status (502, 504), and
    499 when the caller went away before the end.  `usage` is ``{"input_tokens", "output_tokens"}``
    whichever API was used, or None when the upstream did not say.
    """

    status: int
    usage: dict[str, int] | None
    duration_ms: float
    error: str | None


OnComplete = Callable[[Outcome], Awaitable[None] | None]


class UpstreamFailure(Exception):
    """No answer can be given, and nothing has been sent to the caller yet.

    502: the upstream is unreachable or answered with something that is not an answer;
    504: it did not answer in time; 400: the model cannot serve this API (embeddings from an
    Anthropic upstream, tool calls across API shapes).  `on_complete` has already been called.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message
