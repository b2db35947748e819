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
    bind_host = host or settings.gateway.host
    bind_port = settings.gateway.port if port is None else port
    if demo:
        _show_demo_keys(path, bind_host, bind_port)
    if not demo and not (path / SETTINGS_FILE).exists() and database is None:
        Home.open(path, database_url=database).close()  # the clear "not a home, run init" error
    console.print(f"Starting the Clearance gateway on [bold]http://{bind_host}:{bind_port}/v1[/] (home {path})",
                  highlight=False, soft_wrap=True)
    run(settings, host=bind_host, port=bind_port, workers=workers, record=not no_audit)


def _prepare_demo(path: Path, database: str | None) -> None:
    from clearance.audit.keys import ensure_signing_key
    from clearance.demo_home import demo_keys, seed_demo

    path.mkdir(parents=True, exist_ok=True)
    if not (path / SETTINGS_FILE).exists():
        (path / SETTINGS_FILE).write_text(default_toml("US"), encoding="utf-8")
    opened = Home.open(path, database_url=database)
    try:
        ensure_signing_key(opened.settings.audit.signing_key_path(path))
        seed_demo(opened)
        demo_keys(opened)
    finally:
        opened.close()


def _show_demo_keys(path: Path, host: str, port: int) -> None:
    from clearance.demo_home import DEMO_KEYS_FILE

    console.print(f"Demo API keys (kept in {path / DEMO_KEYS_FILE}):")
    for line in (path / DEMO_KEYS_FILE).read_text("utf-8").splitlines():
        subject, _, key = line.partition(" ")
        console.print(f"  {subject:<10} {key}", highlight=False, soft_wrap=True)
    console.print("Call it with any OpenAI or Anthropic SDK (base URL http://HOST:PORT/v1), or curl:\n"
                  f"  curl http://{host}:{port}/v1/chat/completions -H 'Authorization: Bearer KEY' \\\n"
                  "       -H 'content-type: application/json' \\\n"
                  "       -d '{\"model\": \"fable-5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}'",
                  highlight=False, soft_wrap=True)
