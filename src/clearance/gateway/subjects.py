"""The subjects callers act as, read from the store once per store revision.

Every subject that holds an active API key is loaded with the key ring, so an API-key request
never queries the database.  Other subject ids (from JWTs) are fetched on first use and kept until
the store changes; "not in the store" is remembered too (as None), so an unknown token subject
cannot make every request a query.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterable

from clearance.domain.subjects import Subject
from clearance.errors import NotFound
from clearance.store import Store
from clearance.store.credentials import CredentialKind

_MISSING = object()


class SubjectDirectory:
    """An LRU of subject id → Subject (or None for ids the store does not hold), for one store revision."""

    def __init__(self, store: Store, *, size: int = 100_000, preload: Iterable[Subject] = ()) -> None:
        self._store = store
        self._size = size
        self._entries: OrderedDict[str, Subject | None] = OrderedDict((s.id, s) for s in preload)

    @classmethod
    def of_key_holders(cls, store: Store) -> SubjectDirectory:
        """A directory holding every subject with an active API key (blocking: run it off the event loop)."""
        holders = {c.subject_id for c in store.credentials(kind=CredentialKind.API_KEY, active_only=True)
                   if c.subject_id is not None}
        loaded = store.subjects(holders) if holders else []
        return cls(store, size=max(100_000, 2 * len(loaded)), preload=loaded)

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

    def __len__(self) -> int:
        return len(self._entries)
