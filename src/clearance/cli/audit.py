"""`clearance audit verify|export|pack|search|prune|checkpoint|public-key`.

`verify` exits 0 only when every record and checkpoint checks out, 1 when something does not (the
first bad record is named), 65 for a pack that cannot be read, 66 for one that does not exist.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.markup import escape
from rich.table import Table

from clearance.audit import home_signer, recover_home_spools, verify_store, write_pack
from clearance.audit.export import export as export_records
from clearance.audit.keys import load_public_key
from clearance.audit.verify_pack import PackError, Report, describe, verify_pack
from clearance.cli.common import DatabaseOption, HomeOption, JsonOption, console, emit_json, err_console, open_home
from clearance.domain.timeutil import as_instant
from clearance.errors import ConfigError, DataError, NotFound, UsageError
from clearance.files import read_bytes
from clearance.home import Home
from clearance.store.audit_values import KINDS, AuditQuery, search_columns

app = typer.Typer(help="The audit trail: verify it, export it, pack evidence, search, prune.", no_args_is_help=True)

FAILED = 1  # verify: the trail does not check out

TimeFrom = Annotated[str | None, typer.Option("--from", metavar="TIME", help="From this instant (ISO 8601).")]
TimeTo = Annotated[str | None, typer.Option("--to", metavar="TIME", help="Up to (not including) this instant.")]
PublicKeyOption = Annotated[Path | None, typer.Option(
    "--public-key", metavar="FILE", help="Check signatures with this public key (PEM) instead of the home's.")]


def _open_trail(home: Path | None, database: str | None) -> Home:
    """The home, with what dead gateway processes left in their audit spools ingested first, so that
    every answer a caller saw is in what these commands read (audit/spool.py)."""
    opened = open_home(home, database)
    try:
        recovered = recover_home_spools(opened)
    except BaseException:
        opened.close()
        raise
    if recovered:
        err_console.print(f"ingested {recovered} audit records left in the spools of gateway processes that died")
    return opened


def _time(option: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_instant(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and since >= until:
        raise UsageError("--from must be before --to")


@app.command()
def verify(
    first: Annotated[int | None, typer.Option("--from", metavar="SEQ", min=1, help="First record to check.")] = None,
    last: Annotated[int | None, typer.Option("--to", metavar="SEQ", min=1, help="Last record to check.")] = None,
    pack: Annotated[Path | None, typer.Option("--pack", metavar="FILE",
                                              help="Verify an evidence pack instead of the database.")] = None,
    public_key: PublicKeyOption = None,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """Check the hash chain and the signed checkpoints: exit 0 when all verify, 1 naming the first bad record."""
    if first is not None and last is not None and first > last:
        raise UsageError("--from must not be after --to")
    key_pem = read_bytes(public_key, kind="public key file") if public_key is not None else None
    if pack is not None:
        if first is not None or last is not None:
            raise UsageError("--from and --to select records in the database; a pack is verified whole")
        report = _verify_pack(pack, key_pem)
        where = str(pack)
    else:
        opened = _open_trail(home, database)
        try:
            key = (load_public_key(key_pem, source=str(public_key)) if key_pem is not None
                   else _home_public_key(opened))
            with console.status("verifying the audit trail…", spinner="dots"):
                report = verify_store(opened.store, key, first=first, last=last)
        finally:
            opened.close()
        where = "audit trail"
    _show(report, where, as_json)
    if not report.ok:
        raise typer.Exit(FAILED)


def _verify_pack(path: Path, key_pem: bytes | None) -> Report:
    if not path.exists():
        raise NotFound(f"{path}: no such evidence pack")
    if not path.is_file():
        raise DataError(f"{path}: is a directory, not an evidence pack")
    try:
        return verify_pack(path, key_pem)
    except PackError as exc:
        raise DataError(f"not a readable evidence pack: {exc}", source=str(path)) from None


def _home_public_key(opened: Home) -> Ed25519PublicKey | None:
    signer = home_signer(opened)
    return signer.public_key if signer is not None else None


def _show(report: Report, where: str, as_json: bool) -> None:
    if as_json:
        emit_json(report.to_json())
        return
    if report.records == 0 and report.ok:
        console.print(f"[green]OK[/]: {escape(where)} holds no records in that range")
        return
    colour = "green" if report.ok else "bold red"
    text = describe(report)
    console.print(f"[{colour}]{escape(text.splitlines()[0])}[/]", soft_wrap=True)
    for line in text.splitlines()[1:]:
        console.print(escape(line), soft_wrap=True)
    unanchored = report.to_json()["unanchored"]
    if report.ok and unanchored:
        console.print(f"[dim]{unanchored} newest records are chained but not yet under a signed checkpoint[/]")


@app.command("export")
def export_(
    since: TimeFrom = None, until: TimeTo = None,
    format: Annotated[str, typer.Option("--format", metavar="jsonl|csv", help="Output format.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", metavar="FILE",
                                                help="Write here instead of standard output.")] = None,
    home: HomeOption = None, database: DatabaseOption = None,
) -> None:
    """Records whose time is in [--from, --to) as JSON lines or CSV (unsigned: use `pack` for evidence)."""
    if format not in ("jsonl", "csv"):
        raise UsageError(f'--format: "{format}" is not jsonl or csv')
    chosen: Literal["jsonl", "csv"] = "csv" if format == "csv" else "jsonl"
    start, end = _time("--from", since), _time("--to", until)
    _range(start, end)
    opened = _open_trail(home, database)
    try:
        if output is None:
            count = export_records(opened.store, sys.stdout, since=start, until=end, format=chosen)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = export_records(opened.store, out, since=start, until=end, format=chosen)
            except OSError as exc:
                raise DataError(f"cannot write: {exc.strerror}", source=str(output)) from None
    finally:
        opened.close()
    err_console.print(f"exported {count:,} records")


@app.command()
def pack(
    output: Annotated[Path, typer.Option("--output", metavar="FILE.zip", help="The evidence pack to write.")],
    since: TimeFrom = None, until: TimeTo = None,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """An evidence pack (zip): records, manifest, signed checkpoints, public key and a standalone verifier."""
    start, end = _time("--from", since), _time("--to", until)
    _range(start, end)
    opened = _open_trail(home, database)
    try:
        signer = home_signer(opened, required=True)
        assert signer is not None
        with console.status("verifying and packing…", spinner="dots"):
            summary = write_pack(opened.store, signer, output, since=start, until=end)
    finally:
        opened.close()
    if as_json:
        emit_json(summary.to_json())
        return
    console.print(f"[green]packed[/] records {summary.first_seq} to {summary.last_seq} ({summary.records:,}) and "
                  f"{summary.checkpoints} signed checkpoints into {escape(str(output))}")
    console.print(f"verify it anywhere: [bold]python verify_pack.py {escape(output.name)}[/] (inside the pack) "
                  f"or [bold]clearance audit verify --pack {escape(str(output))}[/]")


@app.command()
def search(
    subject: Annotated[str | None, typer.Option("--subject", metavar="ID")] = None,
    organization: Annotated[str | None, typer.Option("--organization", metavar="ORG")] = None,
    directive: Annotated[str | None, typer.Option("--directive", metavar="ID",
                                                  help="Decisions that name this directive.")] = None,
    effect: Annotated[str | None, typer.Option("--effect", metavar="EFFECT",
                                               help="allow, deny, degrade or safeguard.")] = None,
    model: Annotated[str | None, typer.Option("--model", metavar="MODEL")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help="decision or completion.")] = None,
    decision: Annotated[str | None, typer.Option("--decision", metavar="ID",
                                                 help="The records of one decision id.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="TIME")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="TIME")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 50,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """Find records, newest first; every filter given must match."""
    if effect is not None and effect not in ("allow", "deny", "degrade", "safeguard"):
        raise UsageError(f'--effect: "{effect}" is not allow, deny, degrade or safeguard')
    if kind is not None and kind not in KINDS:
        raise UsageError(f'--kind: "{kind}" is not {" or ".join(KINDS)}')
    start, end = _time("--since", since), _time("--until", until)
    _range(start, end)
    query = AuditQuery(subject=subject, organization=organization, directive=directive, effect=effect, model=model,
                       kind=kind, decision_id=decision, since=start, until=end, limit=limit)
    opened = _open_trail(home, database)
    try:
        found = opened.store.search_audit(query)
    finally:
        opened.close()
    if as_json:
        emit_json([r.to_json() for r in found])
        return
    table = Table("seq", "at", "kind", "subject", "effect", "model", "directives", "decision", show_edge=False)
    for record in found:
        c = search_columns(record.kind, record.payload)
        table.add_row(str(record.seq), record.at_text[:19] + "Z", record.kind, c.subject or "", c.effect or "",
                      c.model or "", ", ".join(c.directives), c.decision_id or "")
    console.print(table)
    console.print(f"[dim]{len(found)} record{'s' if len(found) != 1 else ''}"
                  f"{' (limit reached: --limit for more)' if len(found) == limit else ''}[/]")


@app.command()
def prune(
    before: Annotated[str | None, typer.Option("--before", metavar="TIME",
                                               help="Delete records older than this (default: audit.retention_days).")]
    = None,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """Delete old records; a signed checkpoint anchors the oldest one kept, so verify stays green."""
    cutoff = _time("--before", before)
    opened = _open_trail(home, database)
    try:
        if cutoff is None:
            days = opened.settings.audit.retention_days
            if days == 0:
                raise ConfigError("audit.retention_days is 0 (keep everything): give --before TIME to prune anyway")
            cutoff = datetime.now(UTC) - timedelta(days=days)
        result = opened.store.prune_audit(cutoff, signer=home_signer(opened))
    finally:
        opened.close()
    if as_json:
        emit_json({"deleted": result.deleted, "first_seq": result.first_seq,
                   "anchor": result.anchor.to_json() if result.anchor else None})
        return
    console.print(f"pruned {result.deleted:,} records older than {cutoff.isoformat()}"
                  + (f"; the oldest kept is {result.first_seq}" if result.first_seq else ""))


@app.command()
def checkpoint(home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Sign a checkpoint at the newest record now."""
    opened = _open_trail(home, database)
    try:
        signer = home_signer(opened, required=True)
        assert signer is not None
        made = opened.store.audit_checkpoint(signer)
    finally:
        opened.close()
    if as_json:
        emit_json(made.to_json() if made else None)
    elif made is None:
        console.print("the audit trail is empty: nothing to sign")
    else:
        console.print(f"checkpoint at record {made.seq} signed by key {made.key_id}")


@app.command("public-key")
def public_key(
    output: Annotated[Path | None, typer.Option("--output", metavar="FILE", help="Write it to FILE.")] = None,
    home: HomeOption = None, database: DatabaseOption = None,
) -> None:
    """Print the public key (PEM) that verifies the trail's checkpoints."""
    opened = open_home(home, database)
    try:
        signer = home_signer(opened, required=True)
        assert signer is not None
    finally:
        opened.close()
    pem = signer.public_pem()
    if output is None:
        sys.stdout.write(pem)
        return
    try:
        output.write_text(pem, encoding="ascii")
    except OSError as exc:
        raise DataError(f"cannot write: {exc.strerror}", source=str(output)) from None
