"""`clearance directives validate|apply|list|show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearance.cli.common import (
    ActorOption,
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    default_actor,
    emit_json,
    open_home,
    read_input,
)
from clearance.documents import load_directives
from clearance.domain.directives import Directive
from clearance.domain.timeutil import iso
from clearance.errors import Problem, ValidationFailed
from clearance.home import Home
from clearance.policy.compiler import compile_directive

app = typer.Typer(help="Directives: validate, apply, list and show them.", no_args_is_help=True)

FilesArgument = Annotated[list[Path], typer.Argument(help="Directive YAML files ('-' for standard input).")]


def _load_all(opened: Home, files: list[Path]) -> tuple[list[tuple[str, str, list[Directive]]], str]:
    """Every file parsed and checked, and the policy they would make compiled (its version is returned);
    any problem in any file rejects them all, with every problem listed."""
    loaded: list[tuple[str, str, list[Directive]]] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for path in files:
        text, source = read_input(path)
        try:
            directives = load_directives(text, source=source, groups=opened.groups, catalog=opened.catalog,
                                         home_country=opened.home_country)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
            continue
        for d in directives:
            if d.id in first_seen:
                problems.append(Problem(f'directive "{d.id}" is also in {first_seen[d.id]}', source, None, "id"))
            first_seen.setdefault(d.id, source)
        loaded.append((source, text, directives))
    if problems:
        raise ValidationFailed(problems, subject="directives")
    proposed = {d.id: d for d in opened.store.directives()}
    proposed.update({d.id: d for _, _, ds in loaded for d in ds})
    snapshot = opened.compile(directives=list(proposed.values()))  # Cedar must accept the policy they make too
    return loaded, snapshot.version


@app.command()
def validate(files: FilesArgument, home: HomeOption = None, database: DatabaseOption = None,
             as_json: JsonOption = False) -> None:
    """Check directive files (fields, countries, groups, models, dates, Cedar) without storing them."""
    opened = open_home(home, database)
    try:
        loaded, _ = _load_all(opened, files)
    finally:
        opened.close()
    if as_json:
        emit_json({"valid": True, "directives": [
            {"source": source, "id": d.id, "mode": d.mode.value, "warnings": d.warnings(opened.catalog)}
            for source, _, ds in loaded for d in ds]})
        return
    for source, _, directives in loaded:
        for d in directives:
            console.print(f"[green]ok[/] {escape(source)}: {escape(d.id)} ({d.mode.value})")
            for warning in d.warnings(opened.catalog):
                console.print(f"   [yellow]warning:[/] {escape(warning)}")


@app.command()
def apply(files: FilesArgument, home: HomeOption = None, database: DatabaseOption = None,
          actor: ActorOption = "", as_json: JsonOption = False) -> None:
    """Validate directive files and store them (all or nothing); a new policy version takes effect."""
    opened = open_home(home, database)
    try:
        loaded, version = _load_all(opened, files)  # applied, the store holds exactly what was compiled
        results = []
        who = actor or default_actor()
        for source, text, directives in loaded:
            result = opened.store.apply_directives(directives, source=source, source_text=text, actor=who)
            results.append({"source": source, "created": list(result.created), "updated": list(result.updated),
                            "unchanged": list(result.unchanged)})
    finally:
        opened.close()
    if as_json:
        emit_json({"applied": results, "policy_version": version})
        return
    for r in results:
        parts = [f"{len(r[k])} {k}" for k in ("created", "updated", "unchanged") if r[k]]
        console.print(f"[green]applied[/] {escape(str(r['source']))}: {', '.join(parts) or 'nothing'}")
    console.print(f"policy version {version}")


@app.command("list")
def list_(home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """The stored directives."""
    opened = open_home(home, database)
    try:
        directives = sorted(opened.store.directives(), key=lambda d: d.id)
    finally:
        opened.close()
    if as_json:
        emit_json([d.to_json() for d in directives])
        return
    table = Table("id", "mode", "action", "models", "persons", "destinations", "effective", "expires", "title")
    for d in directives:
        dests = "all" if d.restrict.all_destinations else ", ".join(d.restrict.destinations)
        table.add_row(d.id, d.mode.value, d.action.value + (f" → {d.degrade_to}" if d.degrade_to else ""),
                      ", ".join(d.scope.models), d.restrict.persons.value, dests, iso(d.effective),
                      iso(d.expires) if d.expires else "", d.title)
    console.print(table if directives else "no directives")


@app.command()
def show(directive_id: Annotated[str, typer.Argument(metavar="ID")], home: HomeOption = None,
         database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """One directive, with the Cedar policy it compiles to."""
    opened = open_home(home, database)
    try:
        directive = opened.store.directive(directive_id)
        cedar = compile_directive(directive, opened.groups, opened.home_country)
    finally:
        opened.close()
    if as_json:
        emit_json({**directive.to_json(), "cedar": cedar})
        return
    d = directive
    console.print(f"[bold]{escape(d.id)}[/]  {escape(d.title)}")
    rows = [
        ("authority", d.authority), ("mode", d.mode.value), ("issued", str(d.issued)),
        ("effective", iso(d.effective)), ("expires", iso(d.expires) if d.expires else "—"),
        ("models", ", ".join(d.scope.models)),
        ("capabilities", ", ".join(d.scope.capabilities) or "all"),
        ("persons", d.restrict.persons.value),
        ("destinations", "all" if d.restrict.all_destinations else ", ".join(d.restrict.destinations)),
        ("except", ", ".join(d.excepted) or "—"), ("deemed", d.restrict.deemed.value),
        ("unknown", d.restrict.unknown.value), ("action", d.action.value),
        ("degrade to", d.degrade_to or "—"), ("licensing", d.licensing.value), ("message", d.message or "—"),
    ]
    for name, value in rows:
        console.print(f"  {name:<13} {escape(value)}")
    console.print("\n[dim]Cedar:[/]")
    console.print(escape(cedar))
