"""`clearance demo`: the news story in one command, on a fresh home."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from clearance.audit.keys import ensure_signing_key
from clearance.cli.common import HomeOption, console
from clearance.demo_home import demo_keys, seed_demo
from clearance.domain.countries import Place
from clearance.domain.decisions import Effect
from clearance.home import SETTINGS_FILE, Home
from clearance.policy import DecisionRequest
from clearance.settings import default_toml, load_settings

_COLOURS = {Effect.ALLOW: "green", Effect.DENY: "red", Effect.DEGRADE: "yellow", Effect.SAFEGUARD: "yellow"}


def demo(
    home: HomeOption = None,
    location: Annotated[str, typer.Option(help="Where the callers sit (ISO code).")] = "US",
) -> None:
    """Load the November 2026 directive, its cast and licenses into a home and show every decision."""
    path = home or Path(".clearance-demo")
    path.mkdir(parents=True, exist_ok=True)
    if not (path / SETTINGS_FILE).exists():
        (path / SETTINGS_FILE).write_text(default_toml("US"), encoding="utf-8")
    opened = Home.open(path)
    try:
        ensure_signing_key(opened.settings.audit.signing_key_path(path))
        subjects = seed_demo(opened)
        keys = demo_keys(opened)
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
    _live(path, keys, location)
    console.print(f"Home: [bold]{path}[/] (policy version {snapshot.version}). Try:\n"
                  f"  clearance serve --demo --home {path}      # keep the gateway running; keys in demo-keys.txt\n"
                  f"  clearance decide --home {path} --subject {subjects[1].id} --model fable-5 --location US\n"
                  f"  clearance directives show --home {path} BIS-2026-AI-001\n"
                  f"  clearance policy export --home {path}")


# An address in each place the demo can put its callers, as the bundled GeoLite2 build locates them.
_ADDRESSES = {"US": "8.8.8.8", "CN": "1.2.4.8", "IN": "49.44.0.1", "GB": "81.2.69.142", "KP": "175.45.176.1",
              "RU": "185.31.160.1"}


def _live(path: Path, keys: dict[str, str], location: str) -> None:
    """The same story through the gateway, over real HTTP, then the audit trail it left verified."""
    from clearance.audit import home_signer, verify_store
    from clearance.cli.demo_gateway import run_live

    ip = _ADDRESSES.get(location.upper())
    if ip is None:
        console.print(f"[dim](no demo address for {location}: the live gateway part is skipped)[/]")
        return
    settings = load_settings(path)
    table = Table("caller", "model", "HTTP", "decision", "what came back",
                  title=f"The same callers through the gateway (from {ip}, {location.upper()})")
    for exchange in run_live(settings, keys, client_ip=ip):
        colour = "green" if exchange.status == 200 else "red"
        table.add_row(exchange.subject, exchange.model, f"[{colour}]{exchange.status}[/]", exchange.decision,
                      exchange.detail)
    console.print(table)
    opened = Home.open(path)
    try:
        signer = home_signer(opened)
        report = verify_store(opened.store, signer.public_key if signer else None)
    finally:
        opened.close()
    first = report.problems[0] if report.problems else None
    verdict = "[green]verify[/]" if first is None else f"[red]do NOT verify: record {first[0]}: {first[1]}[/]"
    console.print(f"Audit trail: {report.records} records and {report.checkpoints} signed checkpoints {verdict} "
                  f"(clearance audit verify --home {path})")
