"""The matcher's speed-ups change no answer: `Screener.screen` (C-level candidate ranking, rapidfuzz
pre-filter) against a plain loop that ranks candidates with a Python key and scores every one of them
(how it worked before), on real entries' variants, other scripts and synthetic negatives."""

from __future__ import annotations

import csv
import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from screening_data import DATA
from screening_variants import TRANSLITERATED, variants

from clearance.screening import Match, ParsedList, Screener
from clearance.screening import matcher as m
from clearance.screening.abjad import abjad_parts, is_abjad, word_skeleton
from clearance.screening.hangul import is_hangul, korean_fold, lookup_keys
from clearance.screening.index import (
    CANDIDATE_WIDTH,
    COMMON_POSTINGS,
    OWN_WORD_POSTINGS,
    CandidateIndex,
    token_keys,
)


def _plain_candidates(screener: Screener, tokens: tuple[str, ...], query: str, native: bool) -> list[int]:
    """The candidate rule written plainly: per query token, a record scores 2 when it holds the word itself
    (read up to OWN_WORD_POSTINGS records) or, for a word not indexed, both halves of it; else 1 when one of
    the token's other keys (read up to COMMON_POSTINGS) holds it. Every key common: each token's own list,
    or its smallest one, scoring 2."""
    index = screener.index
    hangul = is_hangul(query)
    native_names = not native and not hangul and bool(index.abjad_records or index.korean_records)
    groups: list[tuple[set[int], list[list[int]], list[int]]] = []
    for token in dict.fromkeys(tokens):
        own = index.postings.get(token)
        keys = {token_keys(token)[1], *index.similar_words(token)}
        if native_names:
            keys |= {"^" + word_skeleton(token), "%" + korean_fold(token)}
        keys.discard(token)
        lists = [list(index.postings[k]) for k in keys if k in index.postings]
        if own is not None:
            held = set(own) if len(own) <= OWN_WORD_POSTINGS else set()
        else:
            held = set()
            for i in range(1, len(token)):
                held.update(r for r in _rarer_half(index, token[:i], token[i:])
                            if {token[:i], token[i:]} <= set(index.records[r].tokens))
        if own is None and not lists and not held:
            continue
        smallest = min(lists, key=len) if lists else []
        groups.append((held, [p for p in lists if len(p) <= COMMON_POSTINGS],
                       list(own) if own is not None else smallest))
    native_groups = [index.by_skeleton.get(p, ()) for p in dict.fromkeys(abjad_parts(query) if native else ())]
    native_groups += [index.by_korean.get(p, ()) for p in dict.fromkeys(lookup_keys(query) if hangul else ())]
    for words in native_groups:
        lists = [list(index.postings[w]) for w in words if w in index.postings]
        if lists:
            groups.append((set(), [p for p in lists if len(p) <= COMMON_POSTINGS], min(lists, key=len)))
    if not any(held or lists for held, lists, _ in groups):
        groups = [(set(fallback), [], fallback) for _, _, fallback in groups]
    hits: dict[int, int] = defaultdict(int)
    for held, lists, _ in groups:
        for record in held:
            hits[record] += 2
        touched: set[int] = set()   # built as the index builds it: ties keep the order records were touched
        for p in lists:
            touched.update(p)
        touched -= held
        for record in touched:
            hits[record] += 1
    width = CANDIDATE_WIDTH * (m.SCRIPT_WIDTH if native or hangul else 1)
    return sorted(hits, key=lambda r: (-hits[r], len(index.records[r].tokens)))[:width]


def _rarer_half(index: CandidateIndex, head: str, tail: str) -> list[int]:
    """The records of the rarer half of a split word, or none when either half is not indexed or the rarer
    one is common."""
    heads, tails = index.postings.get(head), index.postings.get(tail)
    if heads is None or tails is None:
        return []
    rarer = heads if len(heads) <= len(tails) else tails
    return list(rarer) if len(rarer) <= COMMON_POSTINGS else []


def plain_screen(screener: Screener, query: str, threshold: float) -> list[Match]:
    index = screener.index
    native = is_abjad(query)
    prepared = m.Query.of(query, abjad=native or bool(index.abjad_records))
    if not prepared.tokens:
        return []
    best: dict[int, Match] = {}
    for number in _plain_candidates(screener, prepared.tokens, query, native):
        record = index.records[number]
        compare_abjad = prepared.abjad and (native or number in index.abjad_records)
        score, how = m.name_score(prepared, record, index.abjad_of(number) if compare_abjad else None,
                                  index.korean_records.get(number))
        if score < threshold - 0.2:
            continue
        entry = screener.index.entries[record.entry]
        parts = {how: score}
        total = min(1.0, max(0.0, sum(parts.values())))
        if total >= threshold and (record.entry not in best or total > best[record.entry].score):
            best[record.entry] = Match(entry, record.name, total,
                                       tuple(t for t in prepared.tokens if t in record.tokens), parts)
    return sorted(best.values(), key=lambda x: (-x.score, x.entry.entry_id))[:10]


def _same(screener: Screener, query: str, threshold: float) -> None:
    got = [(x.entry.entry_id, x.matched_name, x.score, x.parts) for x in screener.screen(query, threshold=threshold)]
    want = [(x.entry.entry_id, x.matched_name, x.score, x.parts) for x in plain_screen(screener, query, threshold)]
    assert got == want, query


@pytest.fixture(scope="module")
def people() -> list[str]:
    with (DATA / "negatives_synthetic_yente" / "validation_negatives_global.csv").open(newline="",
                                                                                        encoding="utf-8") as f:
        rows = [row["full_name"] for row in csv.DictReader(f)]
    native = [name for name in rows if is_abjad(name) or is_hangul(name)]     # the scripts with their own comparisons
    return rows[:400] + native[:100]


@pytest.mark.parametrize("threshold", [0.7, 0.84, 0.9])
def test_same_answers_on_variants_scripts_and_negatives(sdn_2024: ParsedList, screener_2024: Screener,
                                                        people: list[str], threshold: float) -> None:
    sample = random.Random(7).sample(list(sdn_2024.entries), 150)
    queries = [q for _, q, _ in variants(sample)] + [q for q, _ in TRANSLITERATED] + people
    for query in queries:
        _same(screener_2024, query, threshold)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(["ivan", "petrov", "al", "bank", "mohammed", "trading", "co", "ltd",
                                       "rosneft", "abu", "ali", "hassan", "kim", "jong", "sa", "haniya"]),
                      min_size=1, max_size=4),
       threshold=st.sampled_from([0.6, 0.84]))
def test_same_answers_on_generated_names(screener_2024: Screener, words: list[str], threshold: float) -> None:
    _same(screener_2024, " ".join(words), threshold)
