"""Helpers for writing many rows at once: duplicate checks and bounded IN lists.

A batch is all-or-nothing, so a duplicate id inside it is reported before anything is written.
Large id lists are looked up as one array on PostgreSQL (`id = ANY(…)`: one parameter, where a
long IN list costs more to send and parse than to run) and in bounded IN chunks on SQLite, which
caps the parameters of a statement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import ARRAY, ColumnElement, Connection, any_, bindparam

T = TypeVar("T")

CHUNK = 1_000  # ids per IN (…) query: far below either backend's parameter limit


def duplicates(ids: Iterable[str]) -> list[str]:
    """The ids that occur more than once, sorted."""
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def listing(ids: Sequence[str], limit: int = 10) -> str:
    """A few ids for a message, and how many more there are."""
    shown = ", ".join(f'"{i}"' for i in ids[:limit])
    rest = len(ids) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def matching(conn: Connection, column: ColumnElement[Any], ids: Sequence[str]) -> Iterator[ColumnElement[bool]]:
    """WHERE clauses that together select the rows whose `column` is one of `ids`."""
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        yield column == any_(bindparam(None, value=list(ids), type_=ARRAY(column.type)))
        return
    for chunk in chunks(ids):
        yield column.in_(chunk)
