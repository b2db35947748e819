"""Persistence: SQLite embedded by default, PostgreSQL for many replicas, one schema for both.

    Store                 directives, subjects, licenses; revision counter and change log
    ApplyResult           what `Store.apply_directives` created, updated or left unchanged
    ImportResult          how many subjects `Store.import_subjects` created, updated, left unchanged
    Change                one entry of the change log
    DirectiveSource       the file a stored directive came from, and who applied it when
    resolve_sqlite_url    make `sqlite:///clearance.db` absolute against the home directory

Everything else in this package is private to it.
"""

from clearance.store.engine import resolve_sqlite_url
from clearance.store.results import ApplyResult, Change, DirectiveSource, ImportResult
from clearance.store.store import Store

__all__ = ["ApplyResult", "Change", "DirectiveSource", "ImportResult", "Store", "resolve_sqlite_url"]
