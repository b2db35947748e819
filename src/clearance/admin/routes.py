"""The admin API's routes: audit search and verification, screening and reviews, policy at a glance.

Store calls are synchronous (SQLAlchemy) and run on a worker thread; nothing here is on the model
hot path.  Query and body fields are checked here and named in 400s, like the CLI's options.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.routing import Route

from clearance.admin.access import AdminError, json_body, requires
from clearance.domain.decisions import Effect
from clearance.domain.licenses import LicenseStatus
from clearance.domain.screening import ScreeningStatus
from clearance.domain.timeutil import as_instant
from clearance.gateway.identity import Operator
from clearance.screening import DEFAULT_THRESHOLD, EntityType, Screener
from clearance.store.audit_values import AuditQuery
from clearance.store.credentials import OperatorRole

if TYPE_CHECKING:
    from clearance.gateway.runtime import Runtime

READ, DECIDE = OperatorRole.AUDITOR, OperatorRole.COMPLIANCE
_MAX_LIMIT = 1000


# -- audit ----------------------------------------------------------------------------------------

@requires(READ)
async def audit_records(request: Request, runtime: Runtime, operator: Operator) -> Any:
    """`clearance audit search` over HTTP; page with `before_seq` (the last seq of the previous page)."""
    q = request.query_params
    effect = q.get("effect")
    if effect is not None and effect not in {e.value for e in Effect}:
        raise AdminError(400, "invalid_request_error", f'effect: "{effect}" (use allow, deny, degrade or safeguard)',
                         param="effect")
    query = AuditQuery(subject=q.get("subject"), organization=q.get("organization"), directive=q.get("directive"),
                       effect=effect, model=q.get("model"), kind=q.get("kind"), decision_id=q.get("decision_id"),
                       since=_time(q.get("since"), "since"), until=_time(q.get("until"), "until"),
                       before_seq=_integer(q.get("before_seq"), "before_seq"),
                       limit=min(_integer(q.get("limit"), "limit") or 50, _MAX_LIMIT))
    await runtime.audit.flush()  # what this process has spooled is in what the auditor reads
    records = await asyncio.to_thread(runtime.home.store.search_audit, query)
    return {"records": [r.to_json() for r in records],
            "next_before_seq": records[-1].seq if len(records) == query.limit else None}


@requires(READ)
async def audit_verify(request: Request, runtime: Runtime, operator: Operator) -> Any:
    from clearance.audit import home_signer, verify_store

    def verify() -> dict[str, Any]:
        signer = home_signer(runtime.home)
        return verify_store(runtime.home.store, signer.public_key if signer else None).to_json()

    await runtime.audit.flush()
    return await asyncio.to_thread(verify)


# -- screening ------------------------------------------------------------------------------------

@requires(READ)
async def screen(request: Request, runtime: Runtime, operator: Operator) -> Any:
    """`clearance screen` over HTTP, against the lists stored in the home."""
    body = await json_body(request)
    names = body.get("names")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise AdminError(400, "invalid_request_error", '"names" must be a non-empty list of names', param="names")
    threshold = body.get("threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise AdminError(400, "invalid_request_error", '"threshold" must be a number from 0 to 1', param="threshold")
    kind = body.get("type")
    try:
        entity_type = EntityType(kind) if kind is not None else None
    except ValueError:
        raise AdminError(400, "invalid_request_error",
                         f'"type": "{kind}" (use person, organization, vessel or aircraft)', param="type") from None
    screener = await _screener(request, runtime)
    return {"results": [
        {"query": name, "matches": [m.as_json() for m in screener.screen(
            name, country=body.get("country"), birth_date=body.get("birth_date"), entity_type=entity_type,
            threshold=float(threshold), limit=int(body.get("limit", 10)))]}
        for name in names]}


async def _screener(request: Request, runtime: Runtime) -> Screener:
    """The matcher over the stored lists, built once per store revision (lists change rarely)."""
    cached = getattr(request.app.state, "admin_screener", None)
    if cached is not None and cached[0] == runtime.revision:
        return cached[1]  # type: ignore[no-any-return]

    def build() -> Screener:
        entries = [e for listed in runtime.home.store.list_entries().values() for e in listed]
        return Screener.build(entries)

    screener = await asyncio.to_thread(build)
    request.app.state.admin_screener = (runtime.revision, screener)
    return screener


@requires(READ)
async def reviews(request: Request, runtime: Runtime, operator: Operator) -> Any:
    wanted = request.query_params.get("status", "potential")
    status = None if wanted == "all" else _status(wanted)
    results = await asyncio.to_thread(runtime.home.store.screening_results, status=status)
    return {"results": [r.to_json() for r in results]}


@requires(DECIDE)
async def review(request: Request, runtime: Runtime, operator: Operator) -> Any:
    result_id = _integer(request.path_params["id"], "id")
    assert result_id is not None
    verdict = {"confirm": ScreeningStatus.CONFIRMED, "dismiss": ScreeningStatus.DISMISSED}.get(
        request.path_params["verdict"])
    if verdict is None:
        raise AdminError(404, "not_found_error", "a review is POSTed to …/confirm or …/dismiss")
    body = await json_body(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise AdminError(400, "invalid_request_error", '"reason" is required: say why, for the record')
    reviewer = str(body.get("reviewer") or "").strip()
    who = f"{reviewer} (operator token {operator.token_id})" if reviewer else f"operator token {operator.token_id}"
    result = await asyncio.to_thread(runtime.home.store.review_result, result_id, verdict, reviewer=who,
                                     reason=reason.strip())
    return result.to_json()


# -- policy at a glance ---------------------------------------------------------------------------

@requires(READ)
async def directives(request: Request, runtime: Runtime, operator: Operator) -> Any:
    found = await asyncio.to_thread(runtime.home.store.directives)
    return {"policy_version": runtime.enforcer.decider.snapshot.version,
            "directives": [d.to_json() for d in found]}


@requires(READ)
async def licenses(request: Request, runtime: Runtime, operator: Operator) -> Any:
    wanted = request.query_params.get("status")
    try:
        status = LicenseStatus(wanted) if wanted else None
    except ValueError:
        raise AdminError(400, "invalid_request_error", f'status: "{wanted}" is not a license status',
                         param="status") from None
    found = await asyncio.to_thread(runtime.home.store.licenses, status=status)
    return {"licenses": [lic.to_json() for lic in found]}


@requires(DECIDE)
async def revoke_license(request: Request, runtime: Runtime, operator: Operator) -> Any:
    body = await json_body(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise AdminError(400, "invalid_request_error", '"reason" is required: say why, for the record')
    revoked = await asyncio.to_thread(runtime.home.store.set_license_status, request.path_params["id"],
                                      LicenseStatus.REVOKED, reason=reason.strip(),
                                      actor=f"operator token {operator.token_id}")
    return revoked.to_json()


@requires(READ)
async def subject(request: Request, runtime: Runtime, operator: Operator) -> Any:
    found = await asyncio.to_thread(runtime.home.store.subject, request.path_params["id"])
    return found.to_json()


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return as_instant(value)
    except ValueError as exc:
        raise AdminError(400, "invalid_request_error", f"{name}: {exc}", param=name) from None


def _integer(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise AdminError(400, "invalid_request_error", f'{name}: "{value}" is not a whole number',
                         param=name) from None
    if number < 1:
        raise AdminError(400, "invalid_request_error", f"{name}: must be at least 1", param=name)
    return number


def _status(value: str) -> ScreeningStatus:
    try:
        return ScreeningStatus(value)
    except ValueError:
        raise AdminError(400, "invalid_request_error",
                         f'status: "{value}" (use potential, confirmed, dismissed, clear or all)',
                         param="status") from None


routes = [
    Route("/admin/api/audit/records", audit_records, methods=["GET"]),
    Route("/admin/api/audit/verify", audit_verify, methods=["GET"]),
    Route("/admin/api/screen", screen, methods=["POST"]),
    Route("/admin/api/reviews", reviews, methods=["GET"]),
    Route("/admin/api/reviews/{id}/{verdict:str}", review, methods=["POST"]),
    Route("/admin/api/directives", directives, methods=["GET"]),
    Route("/admin/api/licenses", licenses, methods=["GET"]),
    Route("/admin/api/licenses/{id}/revoke", revoke_license, methods=["POST"]),
    Route("/admin/api/subjects/{id}", subject, methods=["GET"]),
]
