"""Screening parties against the stored lists: which stored list each hit came from, and its edition.

The store keeps several lists side by side (`clearance lists import --name`); the matcher sees one
pool of entries.  `ListPool` remembers which stored list each entry belongs to, because a review is
keyed on it: a dismissal holds for *that list's* entry, and re-importing the list keeps it as long
as the entry still carries the same names (`entry_digest`).  A changed entry is a new question for
the reviewer, so its digest changes and the dismissal no longer applies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.screening.entries import ListEntry
from clearance.screening.matcher import DEFAULT_THRESHOLD, Screener

MAX_HITS = 20  # per party: more than this many different listed parties is one review, not twenty


def entry_digest(entry: ListEntry) -> str:
    """A short digest of an entry's names: it changes exactly when the names a reviewer judged change."""
    blob = "\n".join(sorted(set(entry.names))).encode()
    return hashlib.blake2b(blob, digest_size=8).hexdigest()


@dataclass(frozen=True)
class Found:
    """One entry a party's name matches, with everything kept in its screening result."""

    list_name: str
    entry_id: str
    entry_name: str
    entry_digest: str
    matched_name: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict, compare=False)


class ListPool:
    """One screener over every stored list; immutable once built, safe to share between threads."""

    def __init__(self, lists: Mapping[str, Sequence[ListEntry]]) -> None:
        entries: list[ListEntry] = []
        self._owner: dict[int, str] = {}
        for list_name, listed in lists.items():
            for entry in listed:
                self._owner[id(entry)] = list_name
                entries.append(entry)
        self.names = tuple(sorted(lists))
        self.size = len(entries)
        self.screener = Screener.build(entries)

    def find(self, name: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = MAX_HITS) -> list[Found]:
        """The entries `name` matches at `threshold` or above, best first."""
        if not name.strip():
            return []
        found: list[Found] = []
        for match in self.screener.screen(name, threshold=threshold, limit=limit):
            entry = match.entry
            explanation = {"source_list": entry.list_name, "programs": list(entry.programs),
                           "countries": list(entry.countries), "shared_tokens": list(match.shared_tokens),
                           "parts": {k: round(v, 4) for k, v in match.parts.items()}}
            found.append(Found(self._owner[id(entry)], entry.entry_id, entry.name, entry_digest(entry),
                               match.matched_name, round(match.score, 4), explanation))
        return found


def pool_of(lists: Iterable[tuple[str, Sequence[ListEntry]]]) -> ListPool | None:
    """A pool over these lists; None when there is none (nothing to screen against)."""
    gathered = dict(lists)
    return ListPool(gathered) if gathered else None
