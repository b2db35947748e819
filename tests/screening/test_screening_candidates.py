"""Which listed names reach the scorer in a crowded list: a query word's own key outranks its typo
neighbours, and a word with a dropped space or hyphen still finds the name that holds both halves."""

from __future__ import annotations

import random
import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clearance.screening import ListEntry, Screener
from clearance.screening.index import CANDIDATE_WIDTH, COMMON_POSTINGS, OWN_WORD_POSTINGS
from clearance.screening.normalize import name_tokens


def _unique_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(string.ascii_uppercase) for _ in range(9)))
    return sorted(words)


def _crowd(rng: random.Random, common: list[str], per_word: int) -> list[ListEntry]:
    """`per_word` listed names for each common word, each with a made-up surname of its own."""
    filler = iter(_unique_words(rng, per_word * len(common)))
    return [ListEntry(f"crowd:{word}:{i}", "TEST", f"{next(filler)}, {word}")
            for word in common for i in range(per_word)]


def test_common_words_of_the_query_outrank_their_neighbours() -> None:
    # "Song", "Ho" and "Jong" are each in more names than COMMON_POSTINGS, and the words one edit away
    # from them ("Sung", "Jung", "Hong", ...) in more names than the scorer reads.  The listed name that
    # holds all three words must still be among the candidates, and be found.
    rng = random.Random(3)
    per_word = COMMON_POSTINGS + 50
    assert per_word <= OWN_WORD_POSTINGS
    entries = _crowd(rng, ["Song", "Ho", "Jong"], per_word)
    entries += _crowd(rng, ["Sung", "Jung", "Hong", "Sang", "Jon"], CANDIDATE_WIDTH)
    entries.append(ListEntry("target", "TEST", "JONG, Song Ho"))
    screener = Screener.build(entries)
    assert len(screener.index.postings["song"]) > COMMON_POSTINGS
    target = next(i for i, r in enumerate(screener.index.records) if screener.index.entries[r.entry].entry_id
                  == "target")
    assert screener.index.candidates(("song", "ho", "jong"))[0] == target
    assert screener.screen("Song Ho JONG")[0].entry.entry_id == "target"


def test_a_dropped_hyphen_finds_the_name_with_both_halves() -> None:
    # "ALWARDIAN" is no listed word; "AL-WARDIAN" is two.  Many more names hold "Hassan" than the scorer
    # reads, and they are shorter, so without the split the listed name would be cut.
    rng = random.Random(4)
    entries = _crowd(rng, ["Hassan"], 3 * CANDIDATE_WIDTH)
    entries.append(ListEntry("target", "TEST", "AL-WARDIAN, Hassan"))
    screener = Screener.build(entries)
    assert "alwardian" not in screener.index.postings
    found = screener.screen("ALWARDIAN, Hassan")
    assert found and found[0].entry.entry_id == "target" and found[0].score == 1.0


word = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(word, min_size=2, max_size=4), min_size=1, max_size=30), st.data())
def test_joined_words_find_their_name(names: list[list[str]], data: st.DataObject) -> None:
    entries = [ListEntry(f"x:{i}", "TEST", " ".join(words)) for i, words in enumerate(names)]
    screener = Screener.build(entries)
    index = screener.index
    number = data.draw(st.integers(0, len(index.records) - 1))
    tokens = index.records[number].tokens
    assume(len(tokens) >= 2)
    at = data.draw(st.integers(0, len(tokens) - 2))
    joined = tokens[at] + tokens[at + 1]
    assume(joined not in index.postings and name_tokens(joined) == (joined,))
    query = (*tokens[:at], joined, *tokens[at + 2:])
    assert number in index.candidates(query, width=len(index.records))
