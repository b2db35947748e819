"""What the store reports back: the change log and the outcome of each bulk write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Change:
    """One entry of the change log: who changed what, when, under which revision.

    Several entries may share a revision (one apply that creates three directives); entries of
    one revision were committed together.
    """

    revision: int
    at: datetime
    actor: str
    kind: str  # "directive.apply", "subjects.import", "license.add", "license.status"
    ref: str | None  # the directive or license id; None for a bulk subject import
    summary: str


@dataclass(frozen=True)
class DirectiveSource:
    """Where a stored directive came from: the file as its author wrote it, and who applied it when."""

    source: str
    text: str
    applied_at: datetime
    applied_by: str


@dataclass(frozen=True)
class ApplyResult:
    """Which directives an apply created, changed, or found already as written."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    revision: int  # the store's revision after the apply (the old one when nothing changed)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass(frozen=True)
class ImportResult:
    """How many subjects an import added, changed, or left as they were."""

    created: int
    updated: int
    unchanged: int
    revision: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged
