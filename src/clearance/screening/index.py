"""The candidate index: which list names could possibly match a query, found without scoring them all.

Every name (primary and alias) of every entry is a *record*.  Its identifying tokens are indexed
under three keys each: the token itself, its consonant skeleton (transliteration variants:
"Muhammad"/"Mohamed") and its first four letters (typos late in a word).  A query looks up the same
keys; keys shared by too many records ("al", "bin", "company") are skipped while rarer ones exist,
so a query touches a few thousand postings at most, whatever the list size.  Records are ranked by
how many of the query's tokens they hit, and only the best `width` go on to fuzzy scoring.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from clearance.screening.entries import ListEntry
from clearance.screening.normalize import name_tokens, skeleton, skeleton_key

COMMON_POSTINGS = 3000     # a key shared by more records than this is used only when nothing rarer is
CANDIDATE_WIDTH = 200      # records passed to the scorer per query


def token_keys(token: str) -> tuple[str, ...]:
    """The index keys of one token: exact, skeleton ("~"), prefix (">") for long tokens."""
    keys = [token, "~" + skeleton(token)]
    if len(token) >= 6:
        keys.append(">" + token[:4])
    return tuple(keys)


@dataclass(frozen=True)
class NameRecord:
    """One indexed name: which entry, which of its names, and its comparable forms."""

    entry: int
    name: str
    tokens: tuple[str, ...]
    key: str            # the tokens sorted and joined: the form the scorer compares
    skeleton_key: str   # the tokens' skeletons, sorted and joined


class CandidateIndex:
    """Inverted index from token keys to name records; built once, read by many queries."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = tuple(entries)
        records: list[NameRecord] = []
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        seen: set[tuple[int, str]] = set()
        for number, entry in enumerate(self.entries):
            for name in entry.names:
                tokens = name_tokens(name)
                key = " ".join(sorted(tokens))
                if not key or (number, key) in seen:
                    continue
                seen.add((number, key))
                record = len(records)
                records.append(NameRecord(number, name, tokens, key, skeleton_key(tokens)))
                for tok_key in {k for token in tokens for k in token_keys(token)}:
                    postings[tok_key].append(record)
        self.records = tuple(records)
        self.postings = dict(postings)

    def __len__(self) -> int:
        return len(self.records)

    def candidates(self, tokens: Sequence[str], width: int = CANDIDATE_WIDTH) -> list[int]:
        """Record numbers most likely to match `tokens`, best first, at most `width` of them."""
        per_token: list[list[array[int]]] = []
        for token in dict.fromkeys(tokens):
            lists = [self.postings[k] for k in token_keys(token) if k in self.postings]
            if lists:
                per_token.append(lists)
        if not per_token:
            return []
        rare = [[p for p in lists if len(p) <= COMMON_POSTINGS] for lists in per_token]
        if not any(rare):     # every key is common: use each token's smallest posting list
            rare = [[min(lists, key=len)] for lists in per_token]
        hits: dict[int, int] = defaultdict(int)
        for lists in rare:
            touched: set[int] = set()
            for posting in lists:
                touched.update(posting)
            for record in touched:
                hits[record] += 1
        ranked = sorted(hits, key=lambda r: (-hits[r], len(self.records[r].tokens)))
        return ranked[:width]
