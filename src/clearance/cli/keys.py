"""`clearance keys create|list|revoke`: API keys for callers of the model APIs.

A key is printed once, when it is made, on standard output alone (so `$(clearance keys create …)`
captures exactly the key); the store keeps only its digest, so a lost key is revoked and replaced,
never recovered.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Column, Table

from clearance.cli.common import (
    ActorOption,
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    default_actor,
    emit_json,
    err_console,
    open_home,
)
from clearance.store.credentials import CredentialKind

app = typer.Typer(help="API keys: who a caller of the model APIs is. Stored hashed, shown once.",
                  no_args_is_help=True)

LabelOption = Annotated[str, typer.Option("--label", metavar="TEXT", help="What the key is for (shown in lists).")]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why: kept in the change log.")]


def minutes(instant: datetime) -> str:
    """An instant for a table: UTC to the minute (the JSON output has it exactly)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


@app.command()
def create(
    subject: Annotated[str, typer.Option("--subject", metavar="ID", help="The subject the key acts as.")],
    label: LabelOption = "",
    allow_unknown: Annotated[bool, typer.Option(
        "--allow-unknown", help="Issue the key even though the subject is not in the store yet "
                                "(its caller is then unknown, and directives treat it as such).")] = False,
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Make an API key for a subject and print it, once."""
    opened = open_home(home, database)
    try:
        issued = opened.store.create_api_key(subject, label=label, allow_unknown_subject=allow_unknown,
                                             actor=actor or default_actor())
    finally:
        opened.close()
    credential = issued.credential
    if as_json:
        emit_json({"key": issued.secret, "subject": credential.subject_id, "id": credential.id,
                   "label": credential.label})
        return
    sys.stdout.write(issued.secret + "\n")
    err_console.print(f"[green]created[/] API key {credential.prefix} for subject {escape(subject)}; "
                      "keep it now: it is stored hashed and cannot be shown again")


@app.command("list")
def list_(
    subject: Annotated[str | None, typer.Option("--subject", metavar="ID", help="Only this subject's keys.")] = None,
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked keys.")] = False,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """The API keys (never the keys themselves: their ids, subjects and labels)."""
    opened = open_home(home, database)
    try:
        keys = opened.store.credentials(kind=CredentialKind.API_KEY, subject_id=subject, active_only=active)
    finally:
        opened.close()
    if as_json:
        emit_json([key.to_json() for key in keys])
        return
    table = Table(Column("id", no_wrap=True), "subject", "label", Column("status", no_wrap=True),
                  Column("created (UTC)", no_wrap=True), "by")
    for key in keys:
        status = "active" if key.active else "revoked"  # when and by whom: --json
        table.add_row(key.prefix, key.subject_id or "", key.label, status, minutes(key.created_at),
                      key.created_by)
    console.print(table if keys else "no API keys")


@app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (or its clk_… prefix).")],
    reason: ReasonOption = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Revoke an API key: every gateway refuses it once it has seen the change."""
    opened = open_home(home, database)
    try:
        key = opened.store.revoke_credential(key_id, kind=CredentialKind.API_KEY, reason=reason,
                                             actor=actor or default_actor())
    finally:
        opened.close()
    if as_json:
        emit_json(key.to_json())
        return
    console.print(f"[green]revoked[/] API key {key.prefix} of subject {escape(key.subject_id or '')}")
