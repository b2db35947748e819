"""`clearance lists import|list|remove|rescreen`: restricted-party lists in the store.

Importing a list (or importing it again, which replaces it whole) screens every stored subject and
organisation against all lists in the same transaction; see `clearance review` for the matches.
A list file with malformed rows is refused, every row reported by line, unless --allow-problems:
a list that silently lost entries would miss the very parties it exists to find.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearance.cli.common import (
    ActorOption,
    DatabaseOption,
    HomeOption,
    JsonOption,
    console,
    default_actor,
    emit_json,
    err_console,
    open_home,
)
from clearance.cli.screen import refused
from clearance.errors import UsageError
from clearance.screening import FORMATS, load_list
from clearance.store.screening import Progress as ProgressCallback
from clearance.store.screening import Rescreen

app = typer.Typer(help="Restricted-party lists: import, list, remove.", no_args_is_help=True)
SHOWN_WARNINGS = 20


@contextmanager
def progress_bar(quiet: bool) -> Iterator[ProgressCallback]:
    """A Rich progress bar on standard error, one line per stage (storing entries, screening parties)."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err_console, transient=True, disable=quiet or not err_console.is_terminal)
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield report


def _summary(screening: Rescreen) -> str:
    return (f"screened {screening.parties:,} parties: {screening.new:,} new matches, "
            f"{screening.reopened:,} dismissals re-opened, {screening.removed:,} matches gone; "
            f"{screening.potential:,} awaiting review, {screening.confirmed:,} confirmed")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The list file (OFAC sdn.csv with alt.csv/add.csv beside it, "
                                              "CSL .csv or .json, DPL .txt, FtM .jsonl).")],
    list_format: Annotated[str, typer.Option("--format", metavar="FORMAT", help="sdn | csl | dpl | ftm.")],
    name: Annotated[str | None, typer.Option("--name", metavar="NAME",
                                             help="The list's name in the store (default: the list's own, "
                                                  "e.g. \"OFAC SDN\"); importing a name again replaces it.")] = None,
    allow_problems: Annotated[bool, typer.Option("--allow-problems",
                                                 help="Import even when rows are malformed (each is reported).")]
    = False,
    home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "", as_json: JsonOption = False,
) -> None:
    """Load (or replace) a restricted-party list and screen every subject and organisation against it."""
    if list_format.lower() not in FORMATS:
        raise UsageError(f"--format {list_format!r}: use one of {', '.join(FORMATS)}")
    opened = open_home(home, database)
    try:
        with err_console.status(f"reading {file}…", spinner="dots"):
            parsed = load_list(file, list_format.lower())
        if parsed.problems and not allow_problems:
            raise refused(file, parsed.problems)
        for problem in parsed.problems[:SHOWN_WARNINGS]:
            err_console.print(f"[yellow]warning:[/] {escape(str(problem))} (row left out)", soft_wrap=True)
        if len(parsed.problems) > SHOWN_WARNINGS:
            err_console.print(f"[yellow]warning:[/] … and {len(parsed.problems) - SHOWN_WARNINGS} more rows left out")
        list_name = (name or parsed.info.name).strip()
        if not list_name:
            raise UsageError("--name: a list needs a name")
        with progress_bar(as_json) as report:
            result = opened.store.import_list(parsed, name=list_name, list_format=list_format.lower(),
                                              actor=actor or default_actor(),
                                              threshold=opened.settings.screening.threshold, progress=report)
    finally:
        opened.close()
    if as_json:
        emit_json({"list": result.list.to_json(), "replaced": result.replaced, "problems": len(parsed.problems),
                   "skipped": parsed.skipped, "screening": vars(result.screening)})
        return
    stored = result.list
    edition = f", version {stored.version.isoformat()}" if stored.version else ""
    console.print(f"[green]{'replaced' if result.replaced else 'imported'}[/] {escape(stored.name)}: "
                  f"{stored.entries:,} entries{edition} from {escape(stored.source)}"
                  + (f"; {len(parsed.problems)} malformed rows left out" if parsed.problems else ""), soft_wrap=True)
    console.print(_summary(result.screening))


@app.command("list")
def list_(home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """The lists in the store: name, format, edition, size, and who loaded them when."""
    opened = open_home(home, database)
    try:
        stored = opened.store.lists()
    finally:
        opened.close()
    if as_json:
        emit_json([s.to_json() for s in stored])
        return
    if not stored:
        console.print("no restricted-party list in the store (load one with `clearance lists import`)")
        return
    table = Table("name", "format", "version", "entries", "imported", "by", "source", show_edge=False)
    for s in stored:
        table.add_row(s.name, s.format, s.version.isoformat() if s.version else "—", f"{s.entries:,}",
                      s.imported_at.strftime("%Y-%m-%d %H:%M"), s.imported_by, s.source)
    console.print(table)


@app.command()
def remove(name: Annotated[str, typer.Argument(metavar="NAME", help="The list's name (see `lists list`).")],
           home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
           as_json: JsonOption = False) -> None:
    """Remove a list; every party is screened again against the lists that remain."""
    opened = open_home(home, database)
    try:
        with progress_bar(as_json) as report:
            screening = opened.store.remove_list(name, actor=actor or default_actor(),
                                                 threshold=opened.settings.screening.threshold, progress=report)
    finally:
        opened.close()
    if as_json:
        emit_json({"removed": name, "screening": vars(screening)})
        return
    console.print(f"[green]removed[/] {escape(name)}; {_summary(screening)}")


@app.command()
def rescreen(home: HomeOption = None, database: DatabaseOption = None, actor: ActorOption = "",
             as_json: JsonOption = False) -> None:
    """Screen every party again, e.g. after `[screening] threshold` changed; reviews are kept."""
    opened = open_home(home, database)
    try:
        with progress_bar(as_json) as report:
            screening = opened.store.rescreen(actor=actor or default_actor(),
                                              threshold=opened.settings.screening.threshold, progress=report)
    finally:
        opened.close()
    if as_json:
        emit_json(vars(screening))
        return
    console.print(_summary(screening))
