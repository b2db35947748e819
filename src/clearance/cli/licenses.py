"""`clearance licenses import|grant|list|revoke`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from clearance.cli.common import (
    ActorOption,
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    default_actor,
    emit_json,
    open_home,
    read_input,
)
from clearance.documents import load_licenses
from clearance.domain.licenses import Holder, License, LicenseStatus
from clearance.domain.timeutil import iso
from clearance.errors import Problem, UsageError, ValidationFailed
from clearance.home import Home

app = typer.Typer(help="Licenses: the authorisations that lift a directive for named holders.",
                  no_args_is_help=True)


def _check_and_store(opened: Home, licenses: list[License], source: str, actor: str) -> str:
    """Directives a license names must exist; the policy must compile; then all are stored or none."""
    known = {d.id for d in opened.store.directives()}
    problems = [Problem(f'license {lic.id} names unknown directive "{d}" (apply it first)', source, None,
                        "directives") for lic in licenses for d in lic.directives if d not in known]
    problems += [Problem(f'license {lic.id}: "{sel}" matches no model in this deployment', source, None, "models")
                 for lic in licenses for sel in lic.models if not opened.catalog.knows_selector(sel)]
    if problems:
        raise ValidationFailed(problems, subject=source)
    proposed = opened.compile(licenses=[*opened.store.licenses(), *licenses])
    opened.store.add_licenses(licenses, actor=actor)
    return proposed.version  # what is stored now is exactly what was compiled


def _row(lic: License) -> dict[str, Any]:
    return lic.to_json()


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="License YAML: one license, or a list under licenses:.")],
            home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
            as_json: JsonOption = False) -> None:
    """Import licenses from YAML; all or nothing."""
    opened = open_home(home, database)
    try:
        text, source = read_input(file)
        licenses = load_licenses(text, source=source, groups=opened.groups)
        version = _check_and_store(opened, licenses, source, actor or default_actor())
    finally:
        opened.close()
    if as_json:
        emit_json({"imported": [lic.id for lic in licenses], "policy_version": version})
        return
    console.print(f"[green]imported[/] {len(licenses)} license(s) from {escape(source)}; policy version {version}")


@app.command()
def grant(
    license_id: Annotated[str, typer.Option("--id", help="The license number.")],
    holder: Annotated[str, typer.Option(help="subject:ID, organization:ID or destination:ISO.")],
    model: Annotated[list[str] | None, typer.Option("--model", help="Model id or family:/tier: (repeat).")] = None,
    directive: Annotated[list[str] | None, typer.Option("--directive", help="Directive id (repeat).")] = None,
    destination: Annotated[list[str] | None, typer.Option("--destination", help="ISO code or group:X (repeat).")]
    = None,
    valid_from: Annotated[str | None, typer.Option(help="ISO date or time (default: now).")] = None,
    valid_until: Annotated[str | None, typer.Option(help="ISO date or time (default: no end).")] = None,
    max_requests: Annotated[int | None, typer.Option(help="A request cap (condition).")] = None,
    note: Annotated[str, typer.Option(help="Free text kept with the license.")] = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
    as_json: JsonOption = False,
) -> None:
    """Grant one license from flags."""
    data: dict[str, Any] = {
        "id": license_id, "holder": holder, "models": model or [], "directives": directive or [],
        "destinations": destination or [], "valid_from": valid_from or datetime.now(UTC),
        "valid_until": valid_until, "note": note,
    }
    if max_requests is not None:
        data["conditions"] = {"max_requests": max_requests}
    opened = open_home(home, database)
    try:
        try:
            lic = License.model_validate(data, context={"groups": opened.groups})
        except ValidationError as exc:
            raise ValidationFailed(
                [Problem(e["msg"].removeprefix("Value error, "), None, None,
                         "--" + ".".join(str(p) for p in e["loc"]).replace("_", "-") if e["loc"] else None)
                 for e in exc.errors()], subject="license") from None
        version = _check_and_store(opened, [lic], "license", actor or default_actor())
    finally:
        opened.close()
    if as_json:
        emit_json({**lic.to_json(), "policy_version": version})
        return
    console.print(f"[green]granted[/] {escape(lic.id)} to {escape(str(lic.holder))}; policy version {version}")


@app.command("list")
def list_(
    status: Annotated[LicenseStatus | None, typer.Option(help="Only licenses with this status.")] = None,
    holder: Annotated[str | None, typer.Option(help="Only licenses of this holder (KIND:ID).")] = None,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """The stored licenses."""
    who: Holder | None = None
    if holder is not None:
        try:
            who = Holder.parse(holder)
        except ValueError as exc:
            raise UsageError(f"--holder: {exc}") from None
    opened = open_home(home, database)
    try:
        licenses = sorted(opened.store.licenses(status=status, holder=who), key=lambda x: x.id)
    finally:
        opened.close()
    if as_json:
        emit_json([_row(lic) for lic in licenses])
        return
    table = Table("id", "holder", "status", "models", "directives", "destinations", "valid from", "valid until")
    for lic in licenses:
        table.add_row(lic.id, str(lic.holder), lic.status.value, ", ".join(lic.models) or "any",
                      ", ".join(lic.directives) or "any", ", ".join(lic.destinations) or "any",
                      iso(lic.valid_from), iso(lic.valid_until) if lic.valid_until else "")
    console.print(table if licenses else "no licenses")


@app.command()
def revoke(license_id: Annotated[str, typer.Argument(metavar="ID")],
           reason: Annotated[str, typer.Option(help="Why: kept in the change log with who revoked it.")],
           home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
           as_json: JsonOption = False) -> None:
    """Revoke a license: it stops lifting any directive at once."""
    opened = open_home(home, database)
    try:
        lic = opened.store.set_license_status(license_id, LicenseStatus.REVOKED, reason=reason,
                                              actor=actor or default_actor())
        version = opened.compile().version
    finally:
        opened.close()
    if as_json:
        emit_json({**lic.to_json(), "policy_version": version})
        return
    console.print(f"[green]revoked[/] {escape(lic.id)}; policy version {version}")
