"""`clearance decide`: one decision, explained; the exit status is the effect."""

from __future__ import annotations

import ipaddress
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearance.cli.common import (
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    emit_json,
    err_console,
    open_home,
)
from clearance.documents.subject_json import subject_from_json
from clearance.domain.capabilities import CAPABILITIES
from clearance.domain.countries import Place
from clearance.domain.decisions import Decision, Effect
from clearance.domain.subjects import Subject
from clearance.domain.timeutil import as_instant
from clearance.errors import DataError, UsageError
from clearance.geo import Geolocator
from clearance.home import Home
from clearance.policy import DecisionRequest

_COLOURS = {Effect.ALLOW: "green", Effect.DENY: "red", Effect.DEGRADE: "yellow", Effect.SAFEGUARD: "yellow"}


def decide(
    model: Annotated[str, typer.Option("--model", metavar="MODEL", help="The model id the caller asks for.")],
    subject: Annotated[str | None, typer.Option(
        "--subject", metavar="ID", help="A subject id from the store.")] = None,
    subject_json: Annotated[str | None, typer.Option(
        "--subject-json", metavar="JSON",
        help='A subject given inline: {"id", "citizenships", "us_person", ...}.')] = None,
    ip: Annotated[str | None, typer.Option(
        "--ip", metavar="IP", help="The caller's IP address, geolocated.")] = None,
    location: Annotated[str | None, typer.Option(
        "--location", metavar="PLACE",
        help='Where the caller is: ISO country or region ("US", "UA-43"), or "unknown".')] = None,
    capability: Annotated[list[str] | None, typer.Option(
        "--capability", metavar="CATEGORY",
        help="A capability category the request was classified into (repeat).")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="TIME", help="Decide at this instant (ISO 8601; default now).")] = None,
    home: HomeOption = None,
    database: DatabaseOption = None,
    record: Annotated[bool, typer.Option(
        "--record", help="Keep the decision in the audit trail (prints its record number).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Decide one request: exit 0 allow, 1 deny, 2 degrade or safeguard, 64+ usage or data errors.

    Without --ip or --location the location is unknown, which each directive treats as it says
    (by default, as restricted).
    """
    if (subject is None) == (subject_json is None):
        raise UsageError("give exactly one of --subject ID and --subject-json JSON")
    if ip is not None and location is not None:
        raise UsageError("give at most one of --ip and --location")
    instant = _instant(at)
    caps = frozenset(capability or ())
    unknown_caps = sorted(caps - CAPABILITIES)
    if unknown_caps:
        raise UsageError(f'--capability: unknown "{unknown_caps[0]}" (known: {", ".join(sorted(CAPABILITIES))})')
    place = _parse_location(location)
    if ip is not None:
        try:
            ipaddress.ip_address(ip.strip())
        except ValueError:
            raise UsageError(f'--ip: "{ip}" is not an IPv4 or IPv6 address') from None
    opened = open_home(home, database)
    try:
        if model not in opened.catalog:
            raise DataError(f'--model: unknown model "{model}" (known: {", ".join(sorted(opened.catalog.models))})')
        caller = opened.store.subject(subject) if subject is not None else _inline_subject(subject_json, opened)
        if ip is not None:
            place = _locate(ip, opened)
        snapshot = opened.compile()
        screened = snapshot.verdict_of(caller)  # while the store is open: a caller not stored is screened now
    finally:
        opened.close()
    decision = snapshot.decide(DecisionRequest(caller, model, place, instant, caps), screened=screened)
    if record:
        seq = _record(decision, caller, ip, home, database)
        err_console.print(f"recorded as audit record {seq}")
    if as_json:
        emit_json(decision.to_json())
    else:
        _print(decision, place, ip)
    raise typer.Exit(decision.effect.exit_code)


def _instant(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        return as_instant(at)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


def _inline_subject(text: str | None, opened: Home) -> Subject:
    try:
        data = json.loads(text or "")
    except json.JSONDecodeError as exc:
        raise DataError(f"--subject-json: not JSON ({exc.msg} at column {exc.colno})") from None
    return subject_from_json(data, source="--subject-json", home_country=opened.home_country)


def _parse_location(location: str | None) -> Place | None:
    if location is None or location.strip().lower() == "unknown":
        return None
    try:
        return Place.parse(location)
    except ValueError as exc:
        raise UsageError(f"--location: {exc}") from None


def _locate(ip: str, opened: Home) -> Place | None:
    geo = Geolocator.open(opened.settings.geoip_path())
    try:
        return geo.locate(ip.strip())
    except ValueError as exc:
        raise UsageError(f"--ip: {exc}") from None
    finally:
        geo.close()


def _print(decision: Decision, place: Place | None, ip: str | None) -> None:
    colour = _COLOURS[decision.effect]
    served = decision.served_model or "—"
    where = str(place) if place else "unknown"
    if ip:
        where += f" (from {ip})"
    console.print(f"[bold {colour}]{decision.effect.value.upper()}[/]  {escape(decision.subject)} → "
                  f"{escape(decision.model)}  served: {escape(served)}  location: {escape(where)}")
    if decision.destinations:
        console.print(f"destinations: {escape(', '.join(decision.destinations))}")
    table = Table("code", "directive", "license", "effect", "detail", show_edge=False)
    for r in decision.reasons:
        table.add_row(r.code.value, r.directive or "", r.license or "", r.effect.value if r.effect else "",
                      r.detail)
    console.print(table)
    if decision.obligations:
        console.print(f"obligations: {escape(json.dumps(decision.obligations))}")
    for hit in decision.shadow:
        console.print(f"[dim]shadow:[/] {escape(hit.directive)} would {hit.effect.value}")
    console.print(f"[dim]decision {decision.decision_id} · policy {decision.policy_version}[/]")


def _record(decision: Decision, caller: Subject, ip: str | None, home: Path | None, database: str | None) -> int:
    """Keep the decision in the audit trail (a `decision` record, as the gateway writes) before showing it."""
    from clearance.audit import open_log
    from clearance.audit.records import decision_payload

    opened = open_home(home, database)
    try:
        request = {"request_id": str(uuid.uuid4()), "route": "cli:decide", "api": "cli",
                   "organization": caller.organization, "peer": ip}
        return open_log(opened).append("decision", decision_payload(decision, request=request), at=datetime.now(UTC))
    finally:
        opened.close()
