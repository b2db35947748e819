"""`clearance demo`: the news story in one command, on a fresh home."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Annotated

import typer
from rich.table import Table

from clearance.cli.common import HomeOption, console
from clearance.documents import load_directives, load_licenses, load_subjects_csv
from clearance.domain.countries import Place
from clearance.domain.decisions import Effect
from clearance.home import SETTINGS_FILE, Home
from clearance.policy import DecisionRequest
from clearance.settings import default_toml

_COLOURS = {Effect.ALLOW: "green", Effect.DENY: "red", Effect.DEGRADE: "yellow", Effect.SAFEGUARD: "yellow"}


def _data(name: str) -> str:
    return resources.files("clearance").joinpath("demo_data", name).read_text("utf-8")


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
        ctx = {"groups": opened.groups, "catalog": opened.catalog, "home_country": opened.home_country}
        for name in ("bis-2026-ai-001.yaml", "crimea.yaml"):
            text = _data(name)
            directives = load_directives(text, source=name, **ctx)  # type: ignore[arg-type]
            opened.store.apply_directives(directives, source=name, source_text=text, actor="demo")
        subjects = load_subjects_csv(_data("subjects.csv"), source="subjects.csv", home_country=opened.home_country)
        opened.store.import_subjects(subjects, actor="demo")
        existing = {lic.id for lic in opened.store.licenses()}
        licenses = [lic for lic in load_licenses(_data("licenses.yaml"), source="licenses.yaml",
                                                  groups=opened.groups) if lic.id not in existing]
        if licenses:
            opened.store.add_licenses(licenses, actor="demo")
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
