"""`clearance screen NAME… | --file FILE`: names against restricted-party lists, one JSON line a query.

The lists to screen against are given as files, `--list FILE --format F`, repeatable (one --format
for all, or one per --list); without --list, the lists stored in the home (`clearance lists
import`) are used.  A list file with malformed rows is refused, every row reported, unless
--allow-problems: screening against a list that silently lost entries would miss the very parties
it exists to find.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from clearance.cli.common import DatabaseOption, HomeOption, JsonOption, console, err_console, read_input
from clearance.errors import DataError, Problem, UsageError
from clearance.home import SETTINGS_FILE, Home
from clearance.screening import DEFAULT_THRESHOLD, EntityType, ListEntry, Screener, load_list
from clearance.settings import resolve_home

SHOWN = 20


def _stored_entries(home: Path | None, database: str | None) -> list[ListEntry]:
    """Every entry of the lists stored in the home; none when there is no home (or no list in it)."""
    path = resolve_home(home)
    if database is None and not os.environ.get("CLEARANCE_DATABASE_URL") and not (path / SETTINGS_FILE).exists():
        return []
    opened = Home.open(path, database_url=database)
    try:
        return [entry for listed in opened.store.list_entries().values() for entry in listed]
    finally:
        opened.close()


def _entries(lists: list[Path], formats: list[str], allow_problems: bool) -> list[ListEntry]:
    if not lists:
        raise UsageError("no list to screen against: give --list FILE --format sdn|csl|dpl|ftm, "
                         "or load lists into the home with `clearance lists import`")
    if len(formats) not in (1, len(lists)):
        raise UsageError(f"{len(lists)} --list but {len(formats)} --format: give one format, or one per list")
    entries: list[ListEntry] = []
    for path, fmt in zip(lists, formats * len(lists) if len(formats) == 1 else formats, strict=False):
        parsed = load_list(path, fmt)
        if parsed.problems and not allow_problems:
            raise refused(path, parsed.problems)
        for problem in parsed.problems:
            err_console.print(f"[yellow]warning:[/] {escape(str(problem))} (row left out)", soft_wrap=True)
        entries.extend(parsed.entries)
    return entries


def refused(path: Path, problems: tuple[Problem, ...]) -> DataError:
    """The list's problems, the first SHOWN of them in full: a wrong --format makes one per row."""
    shown = "\n".join(f"  {p}" for p in problems[:SHOWN])
    more = f"\n  … and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    error = DataError(f"list {path} refused: {len(problems)} malformed rows (is --format right? "
                      f"--allow-problems screens without them)\n{shown}{more}")
    error.problem = problems[0]
    return error


def _queries(names: list[str], file: Path | None) -> list[str]:
    if names and file is not None:
        raise UsageError("give names or --file, not both")
    if file is not None:
        text, _ = read_input(file)
        return [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise UsageError("no name to screen: give NAME… or --file FILE (one name a line, '-' for stdin)")
    return names


def screen(
    names: Annotated[list[str] | None, typer.Argument(metavar="NAME", help="Names to screen (one or more).",
                                                      show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Names, one a line ('-': stdin).")] = None,
    lists: Annotated[list[Path] | None, typer.Option("--list", help="A list file (repeatable).")] = None,
    formats: Annotated[list[str] | None, typer.Option("--format", help="sdn | csl | dpl | ftm.")] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="Lowest score reported, 0 to 1.")]
    = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option("--limit", help="Most matches per name.")] = 10,
    country: Annotated[str | None, typer.Option("--country", help="ISO code the parties are tied to.")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY[-MM[-DD]].")] = None,
    entity_type: Annotated[str | None, typer.Option("--type", help="person | organization | vessel | aircraft.")]
    = None,
    allow_problems: Annotated[bool, typer.Option("--allow-problems",
                                                 help="Screen even when a list has malformed rows.")] = False,
    home: HomeOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen names against restricted-party lists: potential matches, best first, each explained."""
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"--threshold {threshold} is outside 0 to 1")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    kind = None
    if entity_type is not None:
        try:
            kind = EntityType(entity_type.lower())
        except ValueError:
            raise UsageError(f"--type {entity_type!r}: use person, organization, vessel or aircraft") from None
    queries = _queries(names or [], file)
    stored = [] if lists else _stored_entries(home, database)
    screener = Screener.build(stored or _entries(lists or [], formats or [], allow_problems))
    for query in queries:
        matches = screener.screen(query, country=country, birth_date=birth_date, entity_type=kind,
                                  threshold=threshold, limit=limit)
        if as_json:
            line = {"query": query, "matches": [m.as_json() for m in matches]}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            continue
        console.print(f"[bold]{escape(query)}[/]: {len(matches) or 'no'} match{'es' if len(matches) != 1 else ''}")
        for m in matches:
            via = f" (as {escape(m.matched_name)})" if m.matched_name != m.entry.name else ""
            console.print(f"  {m.score:.2f}  {escape(m.entry.list_name)}  {escape(m.entry.entry_id)}  "
                          f"{escape(m.entry.name)}{via}", soft_wrap=True)
