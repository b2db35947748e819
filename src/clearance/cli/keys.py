"""`clearance keys create|list|revoke`: API keys for callers of the model APIs.

A key is printed once, when it is made, on standard output alone (so `$(clearance keys create …)`
captures exactly the key); the store keeps only its digest, so a lost key is revoked and replaced,
never recovered.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

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
from clearance.store.credentials import CredentialKind

app = typer.Typer(help="API keys: who a caller of the model APIs is. Stored hashed, shown once.",
                  no_args_is_help=True)


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
    credentials.show_issued(issued, f"API key {issued.credential.prefix} for subject {escape(subject)}", as_json,
                            {"key": issued.secret, "subject": issued.credential.subject_id})


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
    credentials.show_list(keys, as_json, holder="subject", held_by=lambda key: key.subject_id or "",
                          none="no API keys")


@app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (or its clk_… prefix).")],
    reason: ReasonOption = "",
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Revoke an API key: every gateway refuses it once it has seen the change."""
    key = credentials.revoke(key_id, CredentialKind.API_KEY, reason=reason, home=home, database=database, actor=actor)
    if as_json:
        emit_json(key.to_json())
        return
    console.print(f"[green]revoked[/] API key {key.prefix} of subject {escape(key.subject_id or '')}")
