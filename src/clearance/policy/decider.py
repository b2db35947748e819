"""The current policy snapshot and its decision cache, swapped together in one assignment."""

from __future__ import annotations

from clearance.domain.decisions import Decision
from clearance.policy.cache import DecisionCache
from clearance.policy.ids import new_decision_id
from clearance.policy.request import DecisionRequest
from clearance.policy.snapshot import PolicySnapshot


class Decider:
    """Decides with the snapshot in force; readers never see a snapshot paired with another's cache."""

    def __init__(self, snapshot: PolicySnapshot, *, cache_size: int = 100_000) -> None:
        self._cache_size = cache_size
        self._state = (snapshot, DecisionCache[Decision](cache_size))

    @property
    def snapshot(self) -> PolicySnapshot:
        return self._state[0]

    @property
    def cache(self) -> DecisionCache[Decision]:
        return self._state[1]

    def swap(self, snapshot: PolicySnapshot) -> None:
        self._state = (snapshot, DecisionCache[Decision](self._cache_size))

    def decide(self, request: DecisionRequest) -> Decision:
        snapshot, cache = self._state
        location = request.location.code if request.location is not None else None
        # The restricted-party verdict is part of the key: the fingerprint leaves the name out, and
        # an ad-hoc caller's verdict depends on it (a stored caller's is one dict lookup).
        screened = snapshot.verdict_of(request.subject)
        key = (request.subject.fingerprint, request.model, location, request.capabilities,
               snapshot.window(request.at), screened.key)
        cached = cache.get(key)
        if cached is not None:
            return cached.reissued(new_decision_id(), request.at)
        decision = snapshot.decide(request, screened=screened)
        cache.put(key, decision)
        return decision
