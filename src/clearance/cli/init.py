"""`clearance init`: a new home with its settings and an empty, migrated store."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.audit.keys import ensure_signing_key
from clearance.cli.common import DatabaseOption, HomeOption, JsonOption, console, emit_json
from clearance.domain.countries import parse_country
from clearance.errors import UsageError
from clearance.home import SETTINGS_FILE, Home
from clearance.settings import default_toml, resolve_home


def init(
    home: HomeOption = None,
    database: DatabaseOption = None,
    home_country: Annotated[str, typer.Option("--home-country", help="The exporting country (ISO code).")] = "US",
    as_json: JsonOption = False,
) -> None:
    """Create a home: clearance.toml and, by default, an SQLite store clearance.db in it.

    Running it again on an existing home only brings its database schema up to date.
    """
    path = resolve_home(home)
    try:
        country = parse_country(home_country)
    except ValueError as exc:
        raise UsageError(f"--home-country: {exc}") from None
    path.mkdir(parents=True, exist_ok=True)
    settings_file = path / SETTINGS_FILE
    created = not settings_file.exists()
    if created:
        settings_file.write_text(default_toml(country), encoding="utf-8")
    opened = Home.open(path, database_url=database)
    try:
        url = opened.settings.resolved_database_url()
        revision = opened.store.revision()
        key_path = opened.settings.audit.signing_key_path(path)
    finally:
        opened.close()
    signer, key_created = ensure_signing_key(key_path)  # signs the audit trail's checkpoints
    if as_json:
        emit_json({"home": str(path), "settings": str(settings_file), "created": created,
                   "database_url": _redact(url), "revision": revision,
                   "audit_signing_key": str(key_path), "audit_key_id": signer.key_id})
        return
    verb = "Created" if created else "Updated"
    console.print(f"{verb} Clearance home [bold]{path}[/]")
    console.print(f"  settings  {settings_file}")
    console.print(f"  database  {_redact(url)}")
    console.print(f"  audit key {key_path} ({'created' if key_created else 'kept'}; id {signer.key_id})")
    if created:
        console.print("Next: [bold]clearance directives apply FILE[/], [bold]clearance subjects import FILE[/], "
                      "then [bold]clearance decide --subject ID --model MODEL[/]")


def _redact(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL would already have failed to open
        return url
