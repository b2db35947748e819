"""`clearance review list|confirm|dismiss`: the restricted-party review queue.

A potential match stays in the queue until a compliance officer confirms it (the party is the
listed one: every decision for them, or for anyone of that organisation, is denied with
RESTRICTED_PARTY, whatever their licenses) or dismisses it (a namesake).  Reviewer, reason and
time are kept with the result, in the review history and in the change log.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearance.cli.common import DatabaseOption, HomeOption, JsonOption, console, emit_json, open_home
from clearance.domain.screening import ScreeningResult, ScreeningStatus
from clearance.errors import UsageError

app = typer.Typer(help="Review restricted-party matches: list, confirm, dismiss.", no_args_is_help=True)

ReviewerOption = Annotated[str, typer.Option("--reviewer", metavar="NAME", help="Who reviewed the match.")]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (kept as evidence).")]
_STATUSES = ("potential", "confirmed", "dismissed", "all")


@app.command("list")
def list_(
    status: Annotated[str, typer.Option("--status", metavar="STATUS",
                                        help="potential | confirmed | dismissed | all.")] = "potential",
    home: HomeOption = None, database: DatabaseOption = None, as_json: JsonOption = False,
) -> None:
    """Screening matches, by default those awaiting review."""
    if status.lower() not in _STATUSES:
        raise UsageError(f"--status {status!r}: use one of {', '.join(_STATUSES)}")
    wanted = None if status.lower() == "all" else ScreeningStatus(status.lower())
    opened = open_home(home, database)
    try:
        results = opened.store.screening_results(status=wanted)
    finally:
        opened.close()
    if as_json:
        emit_json([r.to_json() for r in results])
        return
    if not results:
        console.print(f"no {'' if wanted is None else wanted.value + ' '}screening matches")
        return
    table = Table("id", "party", "name", "list", "entry", "listed as", "score", "status", "reviewed", show_edge=False)
    for r in results:
        listed = r.entry_name if r.matched_name == r.entry_name else f"{r.entry_name} (as {r.matched_name})"
        reviewed = f"{r.reviewed_by}: {r.review_reason}" if r.reviewed_by else ""
        table.add_row(str(r.id), r.party, r.party_name, r.list_name, r.entry_id, listed, f"{r.score:.2f}",
                      r.status.value, reviewed)
    console.print(table)


def _review(result_id: int, status: ScreeningStatus, reviewer: str, reason: str, home: HomeOption,
            database: DatabaseOption, as_json: bool) -> ScreeningResult:
    opened = open_home(home, database)
    try:
        result = opened.store.review_result(result_id, status, reviewer=reviewer, reason=reason)
    finally:
        opened.close()
    if as_json:
        emit_json(result.to_json())
    else:
        console.print(f"[green]{status.value}[/] result {result.id}: {escape(result.party)} "
                      f"({escape(result.party_name)}) vs {escape(result.list_name)} {escape(result.entry_id)} "
                      f"{escape(result.entry_name)}", soft_wrap=True)
    return result


@app.command()
def confirm(result_id: Annotated[int, typer.Argument(metavar="ID", help="The result id (see `review list`).")],
            reviewer: ReviewerOption, reason: ReasonOption, home: HomeOption = None, database: DatabaseOption = None,
            as_json: JsonOption = False) -> None:
    """The party is the listed one: deny every decision for it (RESTRICTED_PARTY; no license lifts it)."""
    _review(result_id, ScreeningStatus.CONFIRMED, reviewer, reason, home, database, as_json)


@app.command()
def dismiss(result_id: Annotated[int, typer.Argument(metavar="ID", help="The result id (see `review list`).")],
            reviewer: ReviewerOption, reason: ReasonOption, home: HomeOption = None, database: DatabaseOption = None,
            as_json: JsonOption = False) -> None:
    """The party is not the listed one; the dismissal holds while the names stay as they are."""
    _review(result_id, ScreeningStatus.DISMISSED, reviewer, reason, home, database, as_json)
