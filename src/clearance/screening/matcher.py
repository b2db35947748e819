"""Scoring candidates and explaining every match: the `Screener` the CLI and the gateway call.

A name's score is rapidfuzz's ratio of the two names' sorted identifying tokens (word order and
legal forms already gone), of the tokens run together in their own order ("ISI-SEGYPT" is a typo of
"ISIS-EGYPT", and sorting would hide it), or of every word, legal forms included (a typo in "LIMITED
LIABILITY COMPANY" keeps it from being recognised as a legal form); or, when every query word (two
or more) occurs in a listed name, the token-set ratio discounted by SUBSET_WEIGHT (a listed "HANIYA,
Ismail Abdul Salah" is a potential match for "Ismail Haniya", but not a certain one; the query must
hold half the listed words at least); or the ratio of consonant skeletons discounted by
SKELETON_WEIGHT, which carries transliterations that differ in vowels only.  When either name is written
in an abjad, their consonant-class skeletons are compared too (`abjad.py`; "abjad" part), and when either
is in Hangul, their Korean folds (`hangul.py`; "korean" part); both score ABJAD_WEIGHT/KOREAN_WEIGHT
minus SCRIPT_SLOPE times the ratio lost.  A Chinese or Korean query's plain ratio is scored the same
strict way and skips the vowel-blind Latin skeleton.  Context the query gives
then moves the score: a shared country or birth date raises it, a contradicting one or another kind
of party (a vessel for a person) lowers it. Each part is kept in the match.

DEFAULT_THRESHOLD is measured (benchmarks/screening.py, SDN 2024-05-03): name-order, typo and
legal-form variants of 1,500 real entries are found with recall ≥ 0.98 at every threshold from 0.82
to 0.86 (the misses are typos in six-letter aircraft tail numbers), while the false-positive rate on
20,000 synthetic non-listed people was 0.013 at 0.82, 0.0085 at 0.84 and 0.0046 at 0.86; 0.84 was the
lowest threshold that kept false positives under 0.01.  Since names in Arabic, Chinese and Korean script
(a fifth of those people) are compared in their own terms, the rates are 0.0065, 0.0041 and 0.0029, the
Latin-script people's alone 0.0039 at 0.84, and 65 real entries written in other scripts are all found.
Since the index reads a query word's own key past COMMON_POSTINGS (2026-12-07), typo recall is 0.985 at
0.84 with the same false positives. With a million synthetic names beside the SDN it is 0.981 (0.973 before),
and name-order recall is 1.000 (0.992 before).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from clearance.screening.abjad import AbjadName, abjad_flat, abjad_key, abjad_parts, abjad_tokens, is_abjad
from clearance.screening.entries import EntityType, ListEntry
from clearance.screening.hangul import hangul_forms, hangul_parts, is_hangul, latin_korean, lookup_keys
from clearance.screening.index import CANDIDATE_WIDTH, CandidateIndex, NameRecord
from clearance.screening.normalize import fold, name_tokens, skeleton_key

DEFAULT_THRESHOLD = 0.84
SUBSET_WEIGHT = 0.92
SKELETON_WEIGHT = 0.9
ABJAD_WEIGHT = KOREAN_WEIGHT = 0.95
SCRIPT_SLOPE = 3.0
SCRIPT_WIDTH = 4        # times the candidates for a query written in an abjad or in Hangul
ABJAD_SUBSET = 0.86
ABJAD_SUBSET_LETTERS = 7
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
    abjad: tuple[str, ...] = ()      # the name's abjad skeletons, when it is to be compared as an abjad writes it
    abjad_key: str = ""
    abjad_flat: str = ""
    korean: tuple[str, ...] = ()     # a Hangul name's folded forms (see `hangul.hangul_forms`)
    native_abjad: bool = False       # written in an abjad: the skeletons say more than the Latin skeleton
    syllabic: bool = False           # written in Chinese or Korean script: romanised syllable by syllable

    @classmethod
    def of(cls, name: str, *, abjad: bool = False) -> Query:
        tokens = name_tokens(name)
        skeletons = abjad_tokens(name) if abjad else ()
        korean = hangul_forms(hangul_parts(name)) if is_hangul(name) else ()
        return cls(tokens, " ".join(sorted(tokens)), skeleton_key(tokens), "".join(tokens),
                   " ".join(sorted(fold(name).split())), skeletons, abjad_key(skeletons), abjad_flat(skeletons), korean,
                   abjad and is_abjad(name), _SYLLABIC.search(name) is not None)


_SYLLABIC = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def script_score(weight: float, ratio: float) -> float:
    """A comparison made in a script's own terms (skeletons, Korean folds): full marks are `weight`, and
    each point of ratio lost costs SCRIPT_SLOPE points, because these forms are short and coarse: a
    one-letter difference between two skeletons of five letters is another name, not a misspelling."""
    return max(0.0, weight - SCRIPT_SLOPE * (1.0 - ratio))


def _abjad_subset(query: tuple[str, ...], record: AbjadName) -> bool:
    """Every skeleton of a query of two words or more is in a listed name at most twice as long."""
    if len(query) < 2 or 2 * len(query) < len(record.tokens) or not record.words.issuperset(query):
        return False
    # Short skeletons are in too many names to count ("n" for "Nour"; "fr ali" for "Fa'ur Ali" is in
    # "FA'UR, Husayn Ali" and in many more), and each counts once.
    return min(map(len, query)) >= 2 and sum(map(len, query)) >= ABJAD_SUBSET_LETTERS \
        and (len(set(query)) == len(query) or not Counter(query) - Counter(record.tokens))


def name_score(query: Query, record: NameRecord, record_abjad: AbjadName | None = None,
               record_korean: tuple[str, ...] | None = None) -> tuple[float, str]:
    """The best of the name comparisons, in [0, 1], and which one it was.

    `record_abjad` (the listed name's abjad skeletons) is given when one of the two names is written in
    an abjad: the skeletons are then compared too, as a whole or, as for spelled names, as a subset.
    `record_korean` (the listed name's Korean forms) is given when the listed name is written in Hangul.
    """
    best, how = max(fuzz.ratio(query.key, record.key), fuzz.ratio(query.compact, record.compact),
                    fuzz.ratio(query.full_key, record.full_key)) / 100, "ratio"
    if query.syllabic:   # a letter more or less in romanised syllables is another syllable: another name
        best = script_score(1.0, best)
    if best < SUBSET_WEIGHT and len(query.tokens) >= 2 and 2 * len(query.tokens) >= len(record.tokens) \
            and set(query.tokens) <= set(record.tokens):
        best, how = SUBSET_WEIGHT * fuzz.token_set_ratio(query.key, record.key) / 100, "subset"
    by_skeleton = 0.0 if query.native_abjad or query.syllabic else \
        SKELETON_WEIGHT * fuzz.ratio(query.skeleton_key, record.skeleton_key) / 100
    if by_skeleton > best:
        best, how = by_skeleton, "skeleton"
    if record_abjad is not None and query.abjad:
        ratio = max(fuzz.ratio(query.abjad_key, record_abjad.key), fuzz.ratio(query.abjad_flat, record_abjad.flat),
                    fuzz.ratio(query.abjad_flat, record_abjad.rotated))
        same = script_score(ABJAD_WEIGHT, ratio / 100)
        if _abjad_subset(query.abjad, record_abjad):
            same = max(same, ABJAD_SUBSET)
        if same > best:
            best, how = same, "abjad"
    if query.korean or record_korean:
        mine = query.korean or (latin_korean(query.tokens),)
        theirs = record_korean or (latin_korean(record.tokens),)
        same = script_score(KOREAN_WEIGHT, max(fuzz.ratio(a, b) for a in mine for b in theirs) / 100)
        if same > best:
            best, how = same, "korean"
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


def _near(query: Query, records: list[NameRecord], floor: float,
          abjad: dict[int, AbjadName]) -> set[int]:
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
    skeletons = [] if query.native_abjad or query.syllabic else [r.skeleton_key for r in records]
    near.update(i for _, _, i in process.extract(query.skeleton_key, skeletons, scorer=fuzz.ratio, limit=None,
                                                    score_cutoff=max(0.0, floor / SKELETON_WEIGHT * 100 - _EPSILON)))
    if abjad and query.abjad:
        positions = list(abjad)
        cutoff = max(0.0, _ratio_for(floor, ABJAD_WEIGHT) - _EPSILON)
        names = [abjad[i] for i in positions]
        for text, choices in ((query.abjad_key, [n.key for n in names]), (query.abjad_flat, [n.flat for n in names]),
                              (query.abjad_flat, [n.rotated for n in names])):
            near.update(positions[i] for _, _, i in process.extract(text, choices, scorer=fuzz.ratio, limit=None,
                                                                    score_cutoff=cutoff))
        if len(query.abjad) >= 2:
            near.update(i for i in positions if _abjad_subset(query.abjad, abjad[i]))
    if query.korean:
        compacts = [latin_korean(r.tokens) for r in records]
        for form in query.korean:
            near.update(i for _, _, i in process.extract(form, compacts, scorer=fuzz.ratio, limit=None,
                                                            score_cutoff=max(0.0, _ratio_for(floor, KOREAN_WEIGHT)
                                                                             - _EPSILON)))
    return near


def _near_hangul(query: Query, hangul: dict[int, tuple[str, ...]], floor: float) -> set[int]:
    """The candidates written in Hangul whose Korean comparison can reach `floor` (see `_near`)."""
    forms = [(i, form) for i, theirs in hangul.items() for form in theirs]
    choices = [form for _, form in forms]
    cutoff = max(0.0, _ratio_for(floor, KOREAN_WEIGHT) - _EPSILON)
    return {forms[j][0] for mine in (query.korean or (latin_korean(query.tokens),))
            for _, _, j in process.extract(mine, choices, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff)}


def _ratio_for(floor: float, weight: float) -> float:
    """The ratio (0-100) below which `script_score` cannot reach `floor`."""
    return 100 * (1.0 - (weight - floor) / SCRIPT_SLOPE)


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
        native = is_abjad(query)
        index = self.index
        prepared = Query.of(query, abjad=native or bool(index.abjad_records))
        tokens = prepared.tokens
        if not tokens:
            return []
        best: dict[int, Match] = {}
        # A skeleton or a Korean fold is shared by more names than a spelling is: such a query looks at more.
        width = CANDIDATE_WIDTH * (SCRIPT_WIDTH if native or prepared.korean else 1)
        numbers = index.candidates(tokens, width, skeletons=abjad_parts(query) if native else (),
                                   korean=lookup_keys(query) if prepared.korean else (),
                                   native_names=not native and not prepared.korean
                                   and bool(index.abjad_records or index.korean_records))
        records = [index.records[number] for number in numbers]
        # Skeletons are compared when either name is in an abjad: every candidate for an Arabic query,
        # the Arabic-script names for a query in Latin letters.
        abjad = {i: index.abjad_of(n) for i, n in enumerate(numbers) if native or n in index.abjad_records} \
            if prepared.abjad else {}
        near = _near(prepared, records, threshold - 0.2, abjad)
        hangul = {i: index.korean_records[n] for i, n in enumerate(numbers) if n in index.korean_records}
        if hangul:
            near.update(_near_hangul(prepared, hangul, threshold - 0.2))
        subset = frozenset(tokens) if len(tokens) >= 2 else None
        for number, record in enumerate(records):
            if number not in near and (subset is None or 2 * len(tokens) < len(record.tokens)
                                       or not subset.issubset(record.tokens)):
                continue  # no comparison reaches the floor below: name_score could not either
            score, how = name_score(prepared, record, abjad.get(number), hangul.get(number))
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
