"""What `clearance keys` and `clearance tokens` share: a credential is shown once, listed without its
secret, and revoked by id; only the subject (keys) or the role (tokens) differs between them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Column, Table

from clearance.cli.common import console, default_actor, emit_json, err_console, open_home
from clearance.store.credentials import Credential, CredentialKind, IssuedCredential

LabelOption = Annotated[str, typer.Option("--label", metavar="TEXT", help="What it is for (shown in lists).")]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why: kept in the change log.")]


def minutes(instant: datetime) -> str:
    """An instant for a table: UTC to the minute (the JSON output has it exactly)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def show_issued(issued: IssuedCredential, what: str, as_json: bool, fields: dict[str, Any]) -> None:
    """The secret on standard output alone (so `$(clearance … create …)` captures exactly it), once;
    `what` names it for the person at the terminal ("API key clk_… for subject ravi")."""
    if as_json:
        emit_json({**fields, "id": issued.credential.id, "label": issued.credential.label})
        return
    sys.stdout.write(issued.secret + "\n")
    err_console.print(f"[green]created[/] {what}; keep it now: it is stored hashed and cannot be shown again")


def show_list(credentials: Sequence[Credential], as_json: bool, *, holder: str,
              held_by: Callable[[Credential], str], none: str) -> None:
    """A table of ids, holders (`holder` names the column), labels and status; or their JSON."""
    if as_json:
        emit_json([credential.to_json() for credential in credentials])
        return
    table = Table(Column("id", no_wrap=True), holder, "label", Column("status", no_wrap=True),
                  Column("created (UTC)", no_wrap=True), "by")
    for credential in credentials:
        status = "active" if credential.active else "revoked"  # when and by whom: --json
        table.add_row(credential.prefix, held_by(credential), credential.label, status,
                      minutes(credential.created_at), credential.created_by)
    console.print(table if credentials else none)


def revoke(credential_id: str, kind: CredentialKind, *, reason: str, home: Path | None, database: str | None,
           actor: str) -> Credential:
    opened = open_home(home, database)
    try:
        return opened.store.revoke_credential(credential_id, kind=kind, reason=reason, actor=actor or default_actor())
    finally:
        opened.close()
