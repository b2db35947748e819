"""`clearance subjects import|show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

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
from clearance.documents import load_subjects_csv
from clearance.domain.destinations import destinations_of
from clearance.domain.screening import ScreeningStatus

app = typer.Typer(help="Subjects: the people who call models.", no_args_is_help=True)


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="CSV with header id,name,organization,citizenships,"
                                                      "permanent_residence,us_person,email ('-': stdin).")],
            home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
            as_json: JsonOption = False) -> None:
    """Import subjects from CSV: a file with any bad row is rejected whole, every bad line reported."""
    opened = open_home(home, database)
    try:
        text, source = read_input(file)
        with console.status(f"reading {source}…", spinner="dots"):
            subjects = load_subjects_csv(text, source=source, home_country=opened.home_country)
        with console.status(f"storing and screening {len(subjects):,} subjects…", spinner="dots"):
            result = opened.store.import_subjects(subjects, actor=actor or default_actor(),
                                                  screening_threshold=opened.settings.screening.threshold)
        total = opened.store.count_subjects()
        awaiting = len(opened.store.screening_results(status=ScreeningStatus.POTENTIAL))
    finally:
        opened.close()
    summary = {"source": source, "created": result.created, "updated": result.updated,
               "unchanged": result.unchanged, "total": total, "screening_pending_review": awaiting}
    if as_json:
        emit_json(summary)
        return
    console.print(f"[green]imported[/] {escape(source)}: {result.created:,} created, {result.updated:,} updated, "
                  f"{result.unchanged:,} unchanged; {total:,} subjects in the store")
    if awaiting:
        console.print(f"[yellow]{awaiting:,} restricted-party matches await review[/] (`clearance review list`)")


@app.command()
def show(subject_id: Annotated[str, typer.Argument(metavar="ID")], home: HomeOption = None,
         database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """One subject, with what the rules derive from it (U.S.-person status, deemed destinations)."""
    opened = open_home(home, database)
    try:
        subject = opened.store.subject(subject_id)
    finally:
        opened.close()
    home_country = opened.home_country
    derived = destinations_of(subject, None, home_country)
    deemed = [d.code for d in derived.destinations if d.basis.value in ("deemed", "unknown-citizenship")]
    others = [d.code for d in derived.destinations if d.basis.value == "citizenship"]
    data = {**subject.to_json(), "status": derived.person.value, "deemed_destinations": deemed,
            "other_citizenships": others, "home_country": home_country}
    if as_json:
        emit_json(data)
        return
    status = {"us": f"{home_country} person", "foreign": "foreign person", "unknown": "unknown (fails closed)"}
    console.print(f"[bold]{escape(subject.id)}[/]  {escape(subject.name)}")
    for name, value in [
        ("organization", subject.organization or "—"),
        ("citizenships", ", ".join(map(str, subject.citizenships)) or "—"),
        ("residence", str(subject.permanent_residence) if subject.permanent_residence else "—"),
        ("us_person", subject.us_person.value if subject.us_person else "—"),
        ("status", status[derived.person.value]),
        ("deemed", ", ".join(deemed) or "—"),
        ("other", ", ".join(others) or "—"),
        ("email", subject.email or "—"),
    ]:
        console.print(f"  {name:<13} {escape(value)}")
