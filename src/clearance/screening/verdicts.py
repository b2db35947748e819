"""`ScreeningVerdicts`: a caller's restricted-party verdict at decision time, fast for stored callers.

A policy snapshot holds one (docs/rules.md §9).  Stored subjects and organisations were screened
when they or the lists last changed, and their results reviewed; their verdict is a dictionary
lookup, no matcher call.  A caller the store does not know under that name (an inline
`--subject-json`, a subject from a JWT's claims, a stored id presenting another name) is screened
by name here, against the same lists at the same threshold, the matcher's answer cached by the
normalised name.  Reviews still count for such a caller where they apply: a dismissal or a
confirmation of the same party, name and list entry.

The matcher is built on first need (`pool`): deciding only for stored callers never pays for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from clearance.domain.screening import CLEAR, Hit, ScreeningResult, ScreeningStatus, Verdict
from clearance.domain.subjects import Subject
from clearance.screening.matcher import DEFAULT_THRESHOLD
from clearance.screening.normalize import normalize_name
from clearance.screening.parties import Found, ListPool

SUBJECT, ORGANIZATION = "subject", "organization"
CACHE_SIZE = 50_000  # distinct ad-hoc names remembered; forgotten all at once when full


@dataclass(frozen=True)
class _Review:
    status: ScreeningStatus
    party_name: str
    entry_digest: str
    result_id: int


class ScreeningVerdicts:
    """Verdicts from the stored screening results, and from the matcher for callers not stored."""

    def __init__(self, *, parties: Mapping[tuple[str, str], str], results: Iterable[ScreeningResult],
                 pool: Callable[[], ListPool | None], lists: Iterable[str] = (),
                 threshold: float = DEFAULT_THRESHOLD, digest: str = "") -> None:
        self.digest = digest
        self.lists = tuple(lists)
        self.threshold = threshold
        self._parties = dict(parties)
        self._pool_factory = pool
        self._pool: ListPool | None = None
        self._built = False
        self._lock = threading.Lock()
        hits: dict[tuple[str, str], list[Hit]] = {}
        self._reviews: dict[tuple[str, str, str, str], _Review] = {}
        for result in results:
            if result.status in (ScreeningStatus.CONFIRMED, ScreeningStatus.DISMISSED):
                self._reviews[(result.party_kind, result.party_id, result.list_name, result.entry_id)] = _Review(
                    result.status, result.party_name, result.entry_digest, result.id)
            if result.status in (ScreeningStatus.POTENTIAL, ScreeningStatus.CONFIRMED):
                hits.setdefault((result.party_kind, result.party_id), []).append(result.hit())
        self._stored: dict[tuple[str, str], Verdict] = {k: Verdict.of_hits(tuple(v)) for k, v in hits.items()}
        self._found: dict[str, list[Found]] = {}

    # -- the decision path ---------------------------------------------------------------------------

    def of(self, subject: Subject) -> Verdict:
        """The subject's verdict combined with their organisation's."""
        own = self.party(SUBJECT, subject.id, subject.name)
        if not subject.organization:
            return own
        return own.combined(self.party(ORGANIZATION, subject.organization, subject.organization))

    def party(self, kind: str, party_id: str, name: str) -> Verdict:
        """One party's verdict: stored when the store screened this party under this name, else screened now."""
        key = (kind, party_id)
        if self._parties.get(key) == name:
            return self._stored.get(key, CLEAR)
        if not self.lists:
            return CLEAR  # no list is loaded: nothing to screen against
        hits: list[Hit] = []
        for found in self._find(name):
            review = self._reviews.get((kind, party_id, found.list_name, found.entry_id))
            status = ScreeningStatus.POTENTIAL
            result_id = None
            if review is not None and review.status is ScreeningStatus.CONFIRMED:
                status, result_id = ScreeningStatus.CONFIRMED, review.result_id
            elif review is not None and review.party_name == name and review.entry_digest == found.entry_digest:
                continue  # dismissed for this very name and entry
            hits.append(Hit(f"{kind}:{party_id}", found.list_name, found.entry_id, found.entry_name,
                            found.matched_name, found.score, status, result_id))
        return Verdict.of_hits(tuple(hits))

    # -- the matcher, for names the store did not screen ---------------------------------------------

    def _find(self, name: str) -> list[Found]:
        normal = normalize_name(name)
        if not normal:
            return []
        found = self._found.get(normal)
        if found is None:
            pool = self.pool()
            found = pool.find(name, threshold=self.threshold) if pool is not None else []
            if len(self._found) >= CACHE_SIZE:
                self._found.clear()
            self._found[normal] = found
        return found

    def warm(self) -> None:
        """Build the matcher now (a gateway does this off its event loop, before the first unknown caller)."""
        if self.lists:
            self.pool()

    def pool(self) -> ListPool | None:
        """The matcher over every stored list, built once on first need."""
        if not self._built:
            with self._lock:
                if not self._built:
                    self._pool = self._pool_factory()
                    self._built = True
        return self._pool
