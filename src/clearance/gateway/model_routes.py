"""The model APIs (OpenAI and Anthropic shapes): every one goes through `_dispatch`, which decides.

There is deliberately no pass-through route: a path that is not listed here is a 404, a method that
is not listed is a 405, and both are answered without contacting any upstream.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clearance.audit.records import prompt_evidence
from clearance.domain.decisions import Effect
from clearance.domain.subjects import Subject
from clearance.gateway.calls import CallerApi, ModelRequest, parse_body
from clearance.gateway.enforcement import Screening
from clearance.gateway.exchange import (
    Exchange,
    authenticate,
    guarded,
    json_response,
    read_body,
)
from clearance.gateway.problems import (
    BadRequest,
    GatewayError,
    NotFoundError,
    Refused,
    SafeguardBlocked,
    UpstreamError,
)
from clearance.gateway.records import completion_payload, decision_payload
from clearance.gateway.runtime import Runtime
from clearance.gateway.upstreams import ModelCall, Outcome, UpstreamFailure


async def _dispatch(request: Request, api: CallerApi) -> Response:
    runtime: Runtime = request.app.state.runtime
    started = time.perf_counter()
    exchange = Exchange.begin(request, runtime, api)
    async with guarded(exchange):
        runtime.ensure_recording()
        caller = await authenticate(exchange)
        raw = await read_body(request, runtime.settings.gateway.max_body_bytes, exchange.headers)
        call = parse_body(api, raw, limit=runtime.settings.gateway.max_body_bytes)
        subject = await runtime.subject_of(caller)
        place = exchange.locate()
        now = datetime.now(UTC)
        if call.model not in runtime.enforcer.decider.snapshot.catalog:
            await _record_refusal(exchange, runtime.enforcer.decide(subject, call.model, place, now), subject,
                                  "not_found")
            raise NotFoundError(f'the model "{call.model}" does not exist or you do not have access to it',
                                code="model_not_found", param="model")
        screening = Screening(runtime.detector, call,
                              runtime.settings.safeguards.capability_threshold)
        try:
            admission = runtime.enforcer.admit(subject, call.model, place, now, screening)
        except (Refused, SafeguardBlocked) as refusal:
            await _record_refusal(exchange, refusal, subject, "refused" if isinstance(refusal, Refused) else "blocked",
                                  prompt=screening.texts)
            raise
        decision = admission.decision
        runtime.metrics.decided(decision)
        # Durable before anything leaves: an answer the caller saw always has its record.
        await runtime.audit.append("decision", decision_payload(
            decision, exchange.facts(caller), subject, served_model=admission.served_model, outcome="forwarded",
            detail=_screening_detail(admission.assessment)), at=now)
        runtime.metrics.overhead.observe(time.perf_counter() - started)
        return await _forward(runtime, exchange, call, admission.served_model,
                              {**admission.headers(), "x-request-id": exchange.request_id}, decision.decision_id)
    return exchange.failure_response()


async def _forward(runtime: Runtime, exchange: Exchange, call: ModelRequest, served: str,
                   headers: dict[str, str], decision_id: str) -> Response:
    def completed(outcome: Outcome) -> None:
        runtime.metrics.upstream_took(served, outcome.duration_ms / 1000)
        if outcome.status >= 400:
            runtime.metrics.upstream_errors.labels(served, str(outcome.status)).inc()
        runtime.metrics.answered(exchange.route, outcome.status)
        try:  # nobody waits on it: the answer has gone out already (AuditSink.append_later)
            runtime.audit.append_later("completion", completion_payload(
                decision_id, exchange.request_id, status=outcome.status, usage=outcome.usage,
                duration_ms=outcome.duration_ms, error=outcome.error), at=datetime.now(UTC))
        except Exception:  # the answer is already on its way; the decision record stands
            exchange.log_failure("could not record the completion of", decision_id)

    model_call = ModelCall(api=call.api, body=call.body, model_id=served, stream=call.stream,
                           request_id=exchange.request_id, response_headers=headers)
    try:
        return await runtime.upstreams.forward(model_call, completed)
    except UpstreamFailure as failure:  # nothing reached the caller yet: answer in our own words
        if failure.status == 400:
            raise BadRequest(failure.message, code="unsupported_by_model", headers=headers) from None
        raise UpstreamError(failure.status, failure.message, code="upstream_failed", headers=headers) from None


async def _record_refusal(exchange: Exchange, refusal: GatewayError | Any, subject: Subject, outcome: str, *,
                          prompt: Sequence[str] = ()) -> None:
    """The record of a request that was not forwarded; the refusal is only sent once it is durable.

    Prompts are never recorded, except for a safeguard block when `audit.keep_prompts` asks for the
    text or its SHA-256 (evidence of what was blocked, without keeping everyone's conversations).
    """
    decision = refusal.decision if isinstance(refusal, GatewayError) else refusal
    if decision is None:
        return
    runtime = exchange.runtime
    runtime.metrics.decided(decision)
    detail = None
    if isinstance(refusal, SafeguardBlocked):
        runtime.metrics.safeguard_blocks.labels(refusal.code or "blocked").inc()
        detail = {"blocked": refusal.code, **{k: v for k, v in refusal.extra.items() if k != "decision_id"}}
        detail.update(prompt_evidence("\n\n".join(prompt), runtime.settings.audit.keep_prompts,
                                      safeguard_hit=True) or {})
    await runtime.audit.append("decision", decision_payload(
        decision, exchange.facts(exchange.caller), subject, served_model=None, outcome=outcome, detail=detail),
        at=decision.at)


def _screening_detail(assessment: Any) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {"screened": True, "score": assessment.score, "signals": list(assessment.signals),
            "categories": dict(assessment.categories)}


async def chat_completions(request: Request) -> Response:
    return await _dispatch(request, "chat")


async def completions(request: Request) -> Response:
    return await _dispatch(request, "completions")


async def embeddings(request: Request) -> Response:
    return await _dispatch(request, "embeddings")


async def messages(request: Request) -> Response:
    return await _dispatch(request, "messages")


async def list_models(request: Request) -> Response:
    """Only the models this caller may use from where it is now (a degraded one is usable: it answers)."""
    runtime: Runtime = request.app.state.runtime
    exchange = Exchange.begin(request, runtime, "models")
    async with guarded(exchange):
        caller = await authenticate(exchange)
        subject = await runtime.subject_of(caller)
        place = exchange.locate()
        now = datetime.now(UTC)
        usable = [model for model in sorted(runtime.enforcer.decider.snapshot.catalog.models)
                  if runtime.enforcer.decide(subject, model, place, now).effect is not Effect.DENY]
        if exchange.dialect == "anthropic":
            data = [{"type": "model", "id": m, "display_name": m, "created_at": "2026-01-01T00:00:00Z"} for m in usable]
            return json_response({"data": data, "has_more": False, "first_id": usable[0] if usable else None,
                                  "last_id": usable[-1] if usable else None})
        return json_response({"object": "list", "data": [
            {"id": m, "object": "model", "created": 0, "owned_by": "clearance"} for m in usable]})
    return exchange.failure_response()


# The model APIs (POST); `Gateway` calls these directly, and the routes below answer the rest
# (another method on the same path: 405).
post_endpoints = {
    "/v1/chat/completions": chat_completions,
    "/v1/completions": completions,
    "/v1/embeddings": embeddings,
    "/v1/messages": messages,
}

routes = [
    *(Route(path, endpoint, methods=["POST"]) for path, endpoint in post_endpoints.items()),
    Route("/v1/models", list_models, methods=["GET"]),
]
