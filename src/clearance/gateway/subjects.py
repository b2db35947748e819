"""The subjects callers act as, read from the store once per store revision.

A store of 100,000 subjects is too big to load whole on every change and too slow to query on
every request, so subjects are fetched on first use and kept until the store changes.  "Not in the
store" is remembered too (as None), so an unknown key holder cannot make every request a query.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from clearance.domain.subjects import Subject
from clearance.errors import NotFound
from clearance.store import Store

_MISSING = object()


class SubjectDirectory:
    """An LRU of subject id → Subject (or None for ids the store does not hold), for one store revision."""

    def __init__(self, store: Store, *, size: int = 100_000) -> None:
        self._store = store
        self._size = size
        self._entries: OrderedDict[str, Subject | None] = OrderedDict()

    async def get(self, subject_id: str) -> Subject | None:
        found = self._entries.get(subject_id, _MISSING)
        if found is not _MISSING:
            self._entries.move_to_end(subject_id)
            return found  # type: ignore[return-value]
        subject = await asyncio.to_thread(self._load, subject_id)
        self._entries[subject_id] = subject
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return subject

    def _load(self, subject_id: str) -> Subject | None:
        try:
            return self._store.subject(subject_id)
        except NotFound:
            return None

    def clear(self) -> None:
        self._entries.clear()
