"""`clearance policy export`: the compiled Cedar policies, for review."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from clearance.cli.common import DatabaseOption, HomeOption, open_home

app = typer.Typer(help="The compiled Cedar policy.", no_args_is_help=True)


@app.command()
def export(
    schema: Annotated[bool, typer.Option("--schema", help="Print the Cedar schema instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cedar's JSON policy format.")] = False,
    home: HomeOption = None,
    database: DatabaseOption = None,
) -> None:
    """Print the Cedar policies compiled from the stored directives (and the baseline)."""
    opened = open_home(home, database)
    try:
        snapshot = opened.compile()
    finally:
        opened.close()
    if schema:
        sys.stdout.write(snapshot.schema_text)
        return
    if as_json:
        import cedarpy

        sys.stdout.write(json.dumps(json.loads(cedarpy.policies_to_json_str(snapshot.policy_text)), indent=2) + "\n")
        return
    sys.stdout.write(snapshot.export())
