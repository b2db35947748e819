"""`clearance serve`: the gateway (model APIs, decision API, health and metrics) on one port."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clearance.cli.common import DatabaseOption, HomeOption, console
from clearance.home import SETTINGS_FILE, Home
from clearance.settings import default_toml, load_settings, resolve_home


def serve(
    home: HomeOption = None,
    database: DatabaseOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: gateway.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: gateway.port, 8080).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes, each with its own policy cache.")] = 1,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Create (or reuse) a home with the news story's directives, cast and API keys, "
                       "served by the built-in demo model.")] = False,
    no_audit: Annotated[bool, typer.Option(
        "--no-audit", hidden=True, help="Benchmarks only: serve without an audit trail.")] = False,
) -> None:
    """Serve the gateway: every request is decided before anything reaches a model."""
    from clearance.gateway.server import serve as run

    path = resolve_home(home if home is not None or not demo else Path(".clearance-demo"))
    if demo:
        _prepare_demo(path, database)
    settings = load_settings(path, database_url=database)
    if not demo and not (path / SETTINGS_FILE).exists() and database is None:
        Home.open(path, database_url=database).close()  # the clear "not a home, run init" error
    bind_host = host or settings.gateway.host
    bind_port = settings.gateway.port if port is None else port
    console.print(f"Clearance gateway on [bold]http://{bind_host}:{bind_port}/v1[/] (home {path})", highlight=False)
    run(settings, host=bind_host, port=bind_port, workers=workers, record=not no_audit)


def _prepare_demo(path: Path, database: str | None) -> None:
    from clearance.demo_home import demo_keys, seed_demo

    path.mkdir(parents=True, exist_ok=True)
    if not (path / SETTINGS_FILE).exists():
        (path / SETTINGS_FILE).write_text(default_toml("US"), encoding="utf-8")
    opened = Home.open(path, database_url=database)
    try:
        seed_demo(opened)
        keys = demo_keys(opened)
    finally:
        opened.close()
    console.print("Demo API keys (also in demo-keys.txt in the home):")
    for subject, key in keys.items():
        console.print(f"  {subject:<10} {key}", highlight=False)
    console.print("Call it with any OpenAI or Anthropic SDK, e.g.:\n"
                  "  curl http://127.0.0.1:8080/v1/chat/completions -H 'Authorization: Bearer KEY' \\\n"
                  "       -H 'content-type: application/json' \\\n"
                  "       -d '{\"model\": \"fable-5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}'",
                  highlight=False)
