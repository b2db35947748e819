"""`clearance tokens create|list|revoke`: operator tokens for the admin API and the console.

An operator token carries one role (DESIGN.md): an auditor reads, compliance decides reviews and
licenses, admin changes settings.  Like API keys, a token is printed once and stored hashed; an API
key never opens the admin API, and a token never opens the model APIs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
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
from clearance.cli.keys import LabelOption, ReasonOption, minutes
from clearance.store.credentials import CredentialKind, OperatorRole

app = typer.Typer(help="Operator tokens for the admin API: admin, compliance or auditor. Stored hashed, shown once.",
                  no_args_is_help=True)


@app.command()
def create(
    role: Annotated[OperatorRole, typer.Option("--role", help="What the token may do in the admin API.")],
    label: LabelOption = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Make an operator token and print it, once."""
    opened = open_home(home, database)
    try:
        issued = opened.store.create_operator_token(role, label=label, actor=actor or default_actor())
    finally:
        opened.close()
    credential = issued.credential
    if as_json:
        emit_json({"token": issued.secret, "role": role.value, "id": credential.id, "label": credential.label})
        return
    sys.stdout.write(issued.secret + "\n")
    err_console.print(f"[green]created[/] {role.value} token {credential.prefix}; keep it now: it is stored "
                      "hashed and cannot be shown again")


@app.command("list")
def list_(
    role: Annotated[OperatorRole | None, typer.Option("--role", help="Only tokens with this role.")] = None,
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked tokens.")] = False,
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """The operator tokens (never the tokens themselves: their ids, roles and labels)."""
    opened = open_home(home, database)
    try:
        tokens = opened.store.credentials(kind=CredentialKind.OPERATOR_TOKEN, role=role, active_only=active)
    finally:
        opened.close()
    if as_json:
        emit_json([token.to_json() for token in tokens])
        return
    table = Table(Column("id", no_wrap=True), "role", "label", Column("status", no_wrap=True),
                  Column("created (UTC)", no_wrap=True), "by")
    for token in tokens:
        status = "active" if token.active else "revoked"  # when and by whom: --json
        shown_role = token.role.value if token.role else ""
        table.add_row(token.prefix, shown_role, token.label, status, minutes(token.created_at), token.created_by)
    console.print(table if tokens else "no operator tokens")


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id (or its clt_… prefix).")],
    reason: ReasonOption = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Revoke an operator token: the admin API refuses it once the gateway has seen the change."""
    opened = open_home(home, database)
    try:
        token = opened.store.revoke_credential(token_id, kind=CredentialKind.OPERATOR_TOKEN, reason=reason,
                                               actor=actor or default_actor())
    finally:
        opened.close()
    if as_json:
        emit_json(token.to_json())
        return
    console.print(f"[green]revoked[/] operator token {token.prefix}")
