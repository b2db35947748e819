"""`POST /v1/decisions`: the decision service, for gateways that enforce elsewhere.

It answers what the proxy would decide, with the same JSON as `clearance decide --json`, and
records it in the audit trail like any other decision.  Only operator tokens may ask: a model-API
key lets a caller use models, not probe the policy about other people.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clearance.documents.subject_json import subject_from_json
from clearance.domain.capabilities import CAPABILITIES
from clearance.domain.countries import Place
from clearance.domain.subjects import Subject
from clearance.domain.timeutil import as_instant
from clearance.errors import DataError
from clearance.gateway.exchange import Exchange, guarded, json_response, read_body
from clearance.gateway.identity import Unauthenticated
from clearance.gateway.location import ClientAddress
from clearance.gateway.problems import BadRequest, Unauthorized
from clearance.gateway.records import decision_payload
from clearance.gateway.runtime import Runtime

_FIELDS = frozenset({"subject", "subject_id", "model", "ip", "location", "capabilities", "at"})


async def decide(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    exchange = Exchange.begin(request, runtime, "decisions")
    async with guarded(exchange):
        try:
            operator = runtime.authenticator.operator(exchange.headers)
        except Unauthenticated as exc:
            raise Unauthorized(exc.message) from None
        raw = await read_body(request, runtime.settings.gateway.max_body_bytes, exchange.headers)
        body = _object(raw)
        subject = await _subject(runtime, body)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise BadRequest('"model" must be given as a non-empty string', param="model")
        at = _instant(body.get("at"))
        place, ip = _place(runtime, body)
        capabilities = _capabilities(body.get("capabilities"))
        decision = runtime.enforcer.decide(subject, model, place, at, capabilities)
        runtime.metrics.decided(decision)
        exchange.address = ClientAddress(ip, request.client.host if request.client else None)
        facts = exchange.facts(None)
        await runtime.audit.append("decision", decision_payload(
            decision, facts, subject, served_model=decision.served_model, outcome="decided",
            detail={"operator": operator.token_id}), at=datetime.now(UTC))
        return json_response(decision.to_json(), headers={"x-request-id": exchange.request_id})
    return exchange.failure_response()


def _object(raw: bytes) -> dict[str, Any]:
    try:
        body = orjson.loads(raw or b"null")
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object: {\"subject_id\" or \"subject\", \"model\", ...}")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise BadRequest(f'unknown field "{unknown[0]}" (expected: {", ".join(sorted(_FIELDS))})', param=unknown[0])
    return body


async def _subject(runtime: Runtime, body: dict[str, Any]) -> Subject:
    if ("subject" in body) == ("subject_id" in body):
        raise BadRequest('give exactly one of "subject_id" and "subject"')
    if "subject_id" in body:
        subject_id = body["subject_id"]
        if not isinstance(subject_id, str) or not subject_id:
            raise BadRequest('"subject_id" must be a non-empty string', param="subject_id")
        stored = await runtime.subjects.get(subject_id)
        return stored if stored is not None else Subject(id=subject_id)
    try:
        return subject_from_json(body["subject"], source="subject", home_country=runtime.settings.home_country)
    except DataError as exc:
        raise BadRequest(exc.message, param="subject") from None


def _instant(value: Any) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return as_instant(str(value))
    except ValueError as exc:
        raise BadRequest(f'"at": {exc}', param="at") from None


def _place(runtime: Runtime, body: dict[str, Any]) -> tuple[Place | None, str | None]:
    ip, location = body.get("ip"), body.get("location")
    if ip is not None and location is not None:
        raise BadRequest('give at most one of "ip" and "location"')
    if ip is not None:
        try:
            address = str(ipaddress.ip_address(str(ip).strip()))
        except ValueError:
            raise BadRequest(f'"ip": "{ip}" is not an IPv4 or IPv6 address', param="ip") from None
        return runtime.geolocator.locate(address), address
    if location is None or str(location).strip().lower() == "unknown":
        return None, None
    try:
        return Place.parse(str(location)), None
    except ValueError as exc:
        raise BadRequest(f'"location": {exc}', param="location") from None


def _capabilities(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest('"capabilities" must be a list of category names', param="capabilities")
    unknown = sorted(set(value) - CAPABILITIES)
    if unknown:
        raise BadRequest(f'"capabilities": unknown "{unknown[0]}" (known: {", ".join(sorted(CAPABILITIES))})',
                         param="capabilities")
    return frozenset(value)


routes = [Route("/v1/decisions", decide, methods=["POST"])]
