"""`clearance tokens create|list|revoke`: operator tokens for the admin API and the console.

An operator token carries one role (DESIGN.md): an auditor reads, compliance decides reviews and
licenses, admin changes settings.  Like API keys, a token is printed once and stored hashed; an API
key never opens the admin API, and a token never opens the model APIs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli import credentials
from clearance.cli.common import (
    ActorOption,
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    default_actor,
    emit_json,
    open_home,
)
from clearance.cli.credentials import LabelOption, ReasonOption
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
    credentials.show_issued(issued, f"{role.value} token {issued.credential.prefix}", as_json,
                            {"token": issued.secret, "role": role.value})


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
    credentials.show_list(tokens, as_json, holder="role", held_by=lambda token: token.role.value if token.role else "",
                          none="no operator tokens")


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id (or its clt_… prefix).")],
    reason: ReasonOption = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Revoke an operator token: the admin API refuses it once the gateway has seen the change."""
    token = credentials.revoke(token_id, CredentialKind.OPERATOR_TOKEN, reason=reason, home=home, database=database,
                               actor=actor)
    if as_json:
        emit_json(token.to_json())
        return
    console.print(f"[green]revoked[/] operator token {token.prefix}")
