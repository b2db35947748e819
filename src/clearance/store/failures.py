"""Database failures as Clearance errors, so no caller ever sees a SQLAlchemy traceback.

A constraint the database enforced (a duplicate key, a missing value) is a `Conflict`: the change
contradicts what is stored.  Anything else the database or its driver raises means the store
cannot be used right now: `StoreUnavailable`, naming the database (without its password) and the
driver's own one-line reason.  Callers fail closed on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from clearance.errors import Conflict, StoreUnavailable

# SQLite's and PostgreSQL's words for a table that is not there.
_MISSING_TABLE = re.compile(r"no such table|relation \S+ does not exist")


def reason(exc: BaseException) -> str:
    """The driver's message, first line only: the rest is SQL and parameters."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


@contextmanager
def translated(database: str) -> Iterator[None]:
    """Run a block against `database` (its URL for messages); failures leave as Clearance errors."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(f"the change contradicts what is stored: {reason(exc)}") from exc
    except SQLAlchemyError as exc:
        why = reason(exc)
        hint = ""
        if _MISSING_TABLE.search(why):
            hint = " (is the database initialised? run `clearance init` or migrate it)"
        raise StoreUnavailable(f"cannot use the database {database}: {why}{hint}") from exc
