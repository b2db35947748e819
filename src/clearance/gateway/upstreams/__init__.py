"""The gateway's upstream side: sending a decided call to the model server that serves it.

    Upstreams.from_settings(settings)   model id → upstream (openai, anthropic or the built-in demo)
    await upstreams.forward(call, on_complete) → a Starlette Response in the caller's API shape

Callers only ever see Clearance model ids: ``model`` is rewritten in every answer, chunk and event.
When the caller's API differs from the upstream's, requests, answers and streams are translated
(OpenAI chat/completions ↔ Anthropic messages; tool calls are out of scope and refused with 400).
"""

from clearance.gateway.upstreams.call import CallerApi, ModelCall, OnComplete, Outcome, UpstreamFailure
from clearance.gateway.upstreams.registry import Upstreams

__all__ = ["CallerApi", "ModelCall", "OnComplete", "Outcome", "UpstreamFailure", "Upstreams"]
