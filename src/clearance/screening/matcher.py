"""Scoring candidates and explaining every match: the `Screener` the CLI and the gateway call.

A name's score is rapidfuzz's ratio of the two names' sorted identifying tokens (word order and
legal forms already gone), of the tokens run together in their own order ("ISI-SEGYPT" is a typo of
"ISIS-EGYPT", and sorting would hide it), or of every word, legal forms included (a typo in "LIMITED
LIABILITY COMPANY" keeps it from being recognised as a legal form); or, when every query word (two
or more) occurs in a listed name, the token-set ratio discounted by SUBSET_WEIGHT (a listed "HANIYA,
Ismail Abdul Salah" is a potential match for "Ismail Haniya", but not a certain one; the query must
hold half the listed words at least); or the ratio of consonant skeletons discounted by
SKELETON_WEIGHT, which carries transliterations that differ in vowels only. Context the query gives
then moves the score: a shared country or birth date raises it, a contradicting one or another kind
of party (a vessel for a person) lowers it. Each part is kept in the match.

DEFAULT_THRESHOLD is measured (benchmarks/screening.py, SDN 2024-05-03): name-order, typo and
legal-form variants of 1,500 real entries are found with recall ≥ 0.98 at every threshold from 0.82
to 0.86 (the misses are typos in six-letter aircraft tail numbers), while the false-positive rate on
20,000 synthetic non-listed people is 0.013 at 0.82, 0.0085 at 0.84 and 0.0046 at 0.86; 0.84 is the
lowest threshold that keeps false positives under 0.01.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from clearance.screening.entries import EntityType, ListEntry
from clearance.screening.index import CandidateIndex, NameRecord
from clearance.screening.normalize import fold, name_tokens, skeleton_key

DEFAULT_THRESHOLD = 0.84
SUBSET_WEIGHT = 0.92
SKELETON_WEIGHT = 0.9
COUNTRY_MATCH, COUNTRY_MISMATCH = 0.03, -0.05
BIRTH_MATCH, BIRTH_MISMATCH = 0.05, -0.10
TYPE_MISMATCH = -0.15


@dataclass(frozen=True)
class Match:
    """One listed entry that matches a query, and why: the alias, the shared words, the score's parts."""

    entry: ListEntry
    matched_name: str
    score: float
    shared_tokens: tuple[str, ...]
    parts: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The match as `clearance screen --json` prints it (DESIGN.md), explanation included."""
        return {"entry_id": self.entry.entry_id, "list": self.entry.list_name, "name": self.entry.name,
                "matched_name": self.matched_name, "score": round(self.score, 4),
                "programs": list(self.entry.programs), "countries": list(self.entry.countries),
                "explanation": {"shared_tokens": list(self.shared_tokens),
                                "parts": {k: round(v, 4) for k, v in self.parts.items()}}}


@dataclass(frozen=True)
class Query:
    """A query name's comparable forms, computed once per query rather than once per candidate."""

    tokens: tuple[str, ...]
    key: str
    skeleton_key: str
    compact: str
    full_key: str

    @classmethod
    def of(cls, name: str) -> Query:
        tokens = name_tokens(name)
        return cls(tokens, " ".join(sorted(tokens)), skeleton_key(tokens), "".join(tokens),
                   " ".join(sorted(fold(name).split())))


def name_score(query: Query, record: NameRecord) -> tuple[float, str]:
    """The best of the three name comparisons, in [0, 1], and which one it was."""
    best, how = max(fuzz.ratio(query.key, record.key), fuzz.ratio(query.compact, record.compact),
                    fuzz.ratio(query.full_key, record.full_key)) / 100, "ratio"
    if best < SUBSET_WEIGHT and len(query.tokens) >= 2 and 2 * len(query.tokens) >= len(record.tokens) \
            and set(query.tokens) <= set(record.tokens):
        best, how = SUBSET_WEIGHT * fuzz.token_set_ratio(query.key, record.key) / 100, "subset"
    by_skeleton = SKELETON_WEIGHT * fuzz.ratio(query.skeleton_key, record.skeleton_key) / 100
    if by_skeleton > best:
        best, how = by_skeleton, "skeleton"
    return best, how


def _context(entry: ListEntry, country: str | None, birth_date: str | None,
             entity_type: EntityType | None) -> dict[str, float]:
    parts: dict[str, float] = {}
    if country and entry.countries:
        parts["country"] = COUNTRY_MATCH if country.upper() in entry.countries else COUNTRY_MISMATCH
    if birth_date and entry.birth_dates:
        agrees = any(birth_date.startswith(d) or d.startswith(birth_date) for d in entry.birth_dates)
        parts["birth_date"] = BIRTH_MATCH if agrees else BIRTH_MISMATCH
    if entity_type not in (None, EntityType.UNKNOWN) and entry.entity_type is not EntityType.UNKNOWN \
            and entity_type is not entry.entity_type:
        parts["entity_type"] = TYPE_MISMATCH
    return parts


_EPSILON = 1e-6  # the pre-filter's cut-offs sit this far below the floor: it may keep too many, never too few


def _near(query: Query, records: list[NameRecord], floor: float) -> set[int]:
    """The candidates (by position) whose ratio or skeleton comparison reaches `floor`.

    The same comparisons `name_score` makes, run in rapidfuzz's C loop over all candidates at once
    with a cut-off, so only the few candidates that come close are scored one by one in Python;
    the subset comparison, which this cannot see, is checked by the caller.
    """
    near: set[int] = set()
    cutoff = max(0.0, floor * 100 - _EPSILON)
    for text, choices in ((query.key, [r.key for r in records]), (query.compact, [r.compact for r in records]),
                          (query.full_key, [r.full_key for r in records])):
        near.update(i for _, _, i in process.extract(text, choices, scorer=fuzz.ratio, limit=None,
                                                        score_cutoff=cutoff))
    skeletons = [r.skeleton_key for r in records]
    near.update(i for _, _, i in process.extract(query.skeleton_key, skeletons, scorer=fuzz.ratio, limit=None,
                                                    score_cutoff=max(0.0, floor / SKELETON_WEIGHT * 100 - _EPSILON)))
    return near


class Screener:
    """Screens names against the entries it was built from; immutable once built, safe to share."""

    def __init__(self, index: CandidateIndex) -> None:
        self.index = index

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> Screener:
        return cls(CandidateIndex(tuple(entries)))

    def screen(self, query: str, *, country: str | None = None, birth_date: str | None = None,
               entity_type: EntityType | None = None, threshold: float = DEFAULT_THRESHOLD,
               limit: int = 10) -> list[Match]:
        """Entries whose best-matching name scores at least `threshold`, best first, at most `limit`."""
        prepared = Query.of(query)
        tokens = prepared.tokens
        if not tokens:
            return []
        best: dict[int, Match] = {}
        records = [self.index.records[number] for number in self.index.candidates(tokens)]
        near = _near(prepared, records, threshold - 0.2)
        subset = frozenset(tokens) if len(tokens) >= 2 else None
        for number, record in enumerate(records):
            if number not in near and (subset is None or 2 * len(tokens) < len(record.tokens)
                                       or not subset.issubset(record.tokens)):
                continue  # no comparison reaches the floor below: name_score could not either
            score, how = name_score(prepared, record)
            if score < threshold - 0.2:      # no context can lift it over the threshold
                continue
            entry = self.index.entries[record.entry]
            parts = {how: score, **_context(entry, country, birth_date, entity_type)}
            total = min(1.0, max(0.0, sum(parts.values())))
            if total >= threshold and (record.entry not in best or total > best[record.entry].score):
                shared = tuple(t for t in tokens if t in record.tokens)
                best[record.entry] = Match(entry, record.name, total, shared, parts)
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.entry.entry_id))
        return ranked[:limit]
