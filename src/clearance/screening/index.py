"""The candidate index: which list names could possibly match a query, found without scoring them all.

Every name (primary and alias) of every entry is a *record*.  Its identifying tokens are indexed
under two keys each: the token itself and its consonant skeleton (transliteration variants:
"Muhammad"/"Mohamed").  Typos are found through the vocabulary, not the records: every indexed
word of four letters or more is also filed under each of its one-letter deletions (SymSpell), so a
query word one edit away from a listed word finds it and, through it, the records.  Keys shared by
too many records ("al", "bin", "company") are skipped while rarer ones exist, so a query touches a
few thousand postings at most, whatever the list size.  A query word's own key is the best evidence
there is, so it is read up to a larger size than the others: at a million names a word as ordinary as
"Song" or "Hamid" is in more than a thousand of them, and when only its typo neighbours were read a
listed "JONG, Song Ho" was outranked by every name holding "Sung" or "Jung".  Records are ranked by
how many of the query's tokens they hit, a hit on the word itself counting twice, and only the best
`width` go on to fuzzy scoring.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from clearance.screening.abjad import (
    ARTICLES,
    AbjadName,
    abjad_name,
    abjad_parts,
    abjad_tokens,
    is_abjad,
    latin_abjad,
    word_skeleton,
)
from clearance.screening.entries import ListEntry
from clearance.screening.hangul import hangul_forms, hangul_parts, is_hangul, korean_fold, lookup_keys
from clearance.screening.normalize import fold, name_tokens, skeleton, skeleton_key

_LATIN_LETTER = re.compile("[A-Za-z]")
COMMON_POSTINGS = 1000     # a key shared by more records than this is used only when nothing rarer is
OWN_WORD_POSTINGS = 10_000  # a query word's own key is read up to this many records (see the module's doc)
CANDIDATE_WIDTH = 200      # records passed to the scorer per query


FUZZY_MIN_LENGTH = 4       # shorter words have too many neighbours one edit away to be worth it


def token_keys(token: str) -> tuple[str, str]:
    """The index keys of one token: itself, and its skeleton ("~")."""
    return token, "~" + skeleton(token)


def deletions(token: str) -> set[str]:
    """The token and every string one deleted letter away from it."""
    return {token, *(token[:i] + token[i + 1:] for i in range(len(token)))}


@dataclass(frozen=True)
class NameRecord:
    """One indexed name: which entry, which of its names, and its comparable forms."""

    entry: int
    name: str
    tokens: tuple[str, ...]
    key: str            # the tokens sorted and joined: the form the scorer compares
    skeleton_key: str   # the tokens' skeletons, sorted and joined
    compact: str        # the tokens in the name's own order, without spaces ("isis egypt": "isisegypt")
    full_key: str       # every folded word, legal forms included, sorted and joined


class CandidateIndex:
    """Inverted index from token keys to name records; built once, read by many queries."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = tuple(entries)
        records: list[NameRecord] = []
        self.abjad_records: dict[int, AbjadName] = {}
        self.korean_records: dict[int, tuple[str, ...]] = {}
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
                records.append(NameRecord(number, name, tokens, key, skeleton_key(tokens), "".join(tokens),
                                          " ".join(sorted(fold(name).split()))))
                tok_keys = {k for token in tokens for k in token_keys(token)}
                # A name written in Arabic or Hebrew script, or in Hangul (with no Latin word beside, which
                # would be indexed as one): filed under its skeletons or Korean folds too.
                latin = _LATIN_LETTER.search(name) is not None
                if not latin and is_abjad(name):
                    self.abjad_records[record] = abjad_name(abjad_tokens(name))
                    tok_keys.update("^" + part for part in abjad_parts(name))
                if not latin and is_hangul(name):
                    self.korean_records[record] = hangul_forms(hangul_parts(name))
                    tok_keys.update("%" + part for part in lookup_keys(name))
                for tok_key in tok_keys:
                    postings[tok_key].append(record)
        self.records = tuple(records)
        self.postings = dict(postings)
        # Token counts, so ranking thousands of touched records sorts on a C-level key, not a lambda.
        self.lengths = array("B", (min(len(r.tokens), 255) for r in records))
        neighbours: dict[str, list[str]] = defaultdict(list)
        for word in postings:
            if len(word) >= FUZZY_MIN_LENGTH and word[0] not in "~^%":
                for key in deletions(word):
                    neighbours[key].append(word)
        self.neighbours = dict(neighbours)
        # Latin words by their abjad skeleton, so a name written in Arabic finds "Nasrallah" through "nsrl".
        # Latin words by their Korean fold, so "김정은" finds "Kim", "Jong" and "Un" through "kim", "cong", "on".
        by_skeleton: dict[str, list[str]] = defaultdict(list)
        by_korean: dict[str, list[str]] = defaultdict(list)
        for word in postings:
            if word[0] == "^":
                by_skeleton[word[1:]].append(word)
            elif word[0] == "%":
                by_korean[word[1:]].append(word)
            elif word[0] != "~":
                by_korean[korean_fold(word)].append(word)
                if word not in ARTICLES:
                    by_skeleton[word_skeleton(word)].append(word)
        self.by_skeleton = dict(by_skeleton)
        self.by_korean = dict(by_korean)

    def abjad_of(self, record: int) -> AbjadName:
        """A record's name as abjad skeletons (see `abjad.abjad_tokens`)."""
        found = self.abjad_records.get(record)
        return found if found is not None else abjad_name(latin_abjad(self.records[record].tokens))

    def similar_words(self, token: str) -> set[str]:
        """Indexed words at most one edit (insertion, deletion, substitution) from `token`."""
        if len(token) < FUZZY_MIN_LENGTH:
            return set()
        return {word for key in deletions(token) for word in self.neighbours.get(key, ())}

    def __len__(self) -> int:
        return len(self.records)

    def _word_holders(self, token: str, own: array[int] | None) -> set[int]:
        """The records holding `token` itself (`own`, its posting list), while there are at most
        OWN_WORD_POSTINGS of them; for a word not indexed, those holding both halves of it."""
        if own is None:
            return self._split_holders(token)
        return set(own) if len(own) <= OWN_WORD_POSTINGS else set()

    def _split_holders(self, token: str) -> set[int]:
        """Records holding both halves of a word that is not indexed itself, split at any point: a space
        or hyphen dropped ("ALWARDIAN" for "AL-WARDIAN", "ToChun" for "To-Chun").  Read from the rarer
        half's list, and only when that list is not common."""
        held: set[int] = set()
        for cut in range(1, len(token)):
            head, tail = self.postings.get(token[:cut]), self.postings.get(token[cut:])
            if head is None or tail is None:
                continue
            rarer, other = (head, token[cut:]) if len(head) <= len(tail) else (tail, token[:cut])
            if len(rarer) <= COMMON_POSTINGS:
                held.update(r for r in rarer if other in self.records[r].tokens)
        return held

    def candidates(self, tokens: Sequence[str], width: int = CANDIDATE_WIDTH, *, skeletons: Sequence[str] = (),
                   korean: Sequence[str] = (), native_names: bool = False) -> list[int]:
        """Record numbers most likely to match `tokens`, best first, at most `width` of them.

        `skeletons` (an abjad query's skeletons) and `korean` (a Hangul query's folded parts and
        syllables) each find the words, and the names in that script, filed alike, as a group of their
        own.  With `native_names` (a query in Latin letters), each query word also finds, within its own
        group, the names written in an abjad or in Hangul under its skeleton and its Korean fold.
        """
        postings = self.postings
        strong: list[set[int]] = []     # per token: the records holding the word itself (or both its halves)
        weak: list[list[array[int]]] = []   # per token: its skeleton, typo neighbours and native-script keys
        fallback: list[array[int]] = []     # per token: the one list read when every key is common
        for token in dict.fromkeys(tokens):
            own = postings.get(token)
            _, skeleton_key = token_keys(token)
            keys = {skeleton_key, *self.similar_words(token)}
            if native_names:
                keys.update(("^" + word_skeleton(token), "%" + korean_fold(token)))
            keys.discard(token)
            lists = [postings[k] for k in keys if k in postings]
            held = self._word_holders(token, own)
            if own is None and not lists and not held:
                continue
            strong.append(held)
            weak.append([p for p in lists if len(p) <= COMMON_POSTINGS])
            fallback.append(own if own is not None else min(lists, key=len, default=array("I")))
        for words in (*(self.by_skeleton.get(p, ()) for p in dict.fromkeys(skeletons)),
                      *(self.by_korean.get(p, ()) for p in dict.fromkeys(korean))):
            lists = [postings[w] for w in words if w in postings]
            if lists:
                strong.append(set())
                weak.append([p for p in lists if len(p) <= COMMON_POSTINGS])
                fallback.append(min(lists, key=len))
        if not any(strong) and not any(weak):    # every key is common: each token's own list, or its smallest
            strong, weak = [set(p) for p in fallback], [[] for _ in fallback]
        hits: Counter[int] = Counter()
        for held, lists in zip(strong, weak, strict=True):
            touched: set[int] = set()
            for posting in lists:
                touched.update(posting)
            touched -= held
            hits.update(held)
            hits.update(held)      # the word itself counts twice: Counter.update stays in C, a weight would not
            hits.update(touched)
        # Most hits first, then fewest tokens; ties keep the order records were first touched.  Two
        # stable sorts on C-level keys: at a million names a query touches thousands of records, and
        # a Python key function per record was most of the query's time.
        ranked = sorted(hits, key=self.lengths.__getitem__)
        ranked.sort(key=hits.__getitem__, reverse=True)
        return ranked[:width]
