"""`clearance demo`: the news story in one command, on a fresh home."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from clearance.cli.common import HomeOption, console
from clearance.demo_home import seed_demo
from clearance.domain.countries import Place
from clearance.domain.decisions import Effect
from clearance.home import SETTINGS_FILE, Home
from clearance.policy import DecisionRequest
from clearance.settings import default_toml

_COLOURS = {Effect.ALLOW: "green", Effect.DENY: "red", Effect.DEGRADE: "yellow", Effect.SAFEGUARD: "yellow"}


def demo(
    home: HomeOption = None,
    location: Annotated[str, typer.Option(help="Where the callers sit (ISO code).")] = "US",
) -> None:
    """Load the November 2026 directive, its cast and licenses into a home and show every decision."""
    from pathlib import Path

    path = home or Path(".clearance-demo")
    path.mkdir(parents=True, exist_ok=True)
    if not (path / SETTINGS_FILE).exists():
        (path / SETTINGS_FILE).write_text(default_toml("US"), encoding="utf-8")
    opened = Home.open(path)
    try:
        subjects = seed_demo(opened)
        snapshot = opened.compile()
    finally:
        opened.close()
    now = datetime.now(UTC)
    place = Place.parse(location)
    models = sorted(opened.catalog.models)
    table = Table("subject", "name", *models, title=f"Decisions for callers in {place} at {now:%Y-%m-%d %H:%M}Z")
    for subject in subjects:
        cells = []
        for model in models:
            decision = snapshot.decide(DecisionRequest(subject, model, place, now))
            code = next((r.code.value for r in decision.reasons), "")
            colour = _COLOURS[decision.effect]
            cells.append(f"[{colour}]{decision.effect.value}[/] [dim]{code}[/]")
        table.add_row(subject.id, subject.name, *cells)
    console.print(table)
    console.print(f"Home: [bold]{path}[/] (policy version {snapshot.version}). Try:\n"
                  f"  clearance decide --home {path} --subject {subjects[1].id} --model fable-5 --location US\n"
                  f"  clearance directives show --home {path} BIS-2026-AI-001\n"
                  f"  clearance policy export --home {path}")
