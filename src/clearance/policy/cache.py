"""A decision cache that cannot serve a stale answer.

It belongs to one snapshot (a new policy version starts with an empty cache), and its key holds
everything else a decision depends on: the subject's fingerprint (any change to the subject makes
a new one), the model, the place, the capabilities and the time window between two boundaries of
directive or license validity.  So a hit is always what Cedar would say now.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class DecisionCache(Generic[V]):
    """A bounded map; when full it forgets everything at once, which keeps a hit a single dict lookup."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._max = max_entries
        self._data: dict[Hashable, V] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        value = self._data.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: Hashable, value: V) -> None:
        if len(self._data) >= self._max:
            self.clear()
        self._data[key] = value

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
