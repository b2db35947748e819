"""What every command shares: the --home/--database/--json options, reading input files, output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from clearance.errors import DataError
from clearance.files import read_bytes
from clearance.home import Home
from clearance.settings import resolve_home

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", metavar="DIR", help="The Clearance home (default: $CLEARANCE_HOME, else ./.clearance).",
                 show_default=False),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", metavar="URL",
                 help="A database URL (postgresql://… or sqlite:///…) instead of the home's.",
                 show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on standard output.")]
ActorOption = Annotated[str, typer.Option("--actor", metavar="NAME",
                                          help="Who is making this change (kept in the change log).")]


def default_actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers; the change log still needs one
        return "cli"


def open_home(home: Path | None, database: str | None) -> Home:
    return Home.open(resolve_home(home), database_url=database)


def read_input(path: Path) -> tuple[str, str]:
    """(text, source name) of a file, or of standard input for "-"."""
    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    data = read_bytes(path)
    try:
        return data.decode("utf-8"), str(path)
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text (byte {exc.start})", source=str(path)) from None


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")
