"""Finding a fixed set of strings in a text at once: the answer must be exactly what one `in` per string gives.

The bitmap of three-byte runs only decides which strings are worth a scan, so a collision, a string shorter than a
run, a text shorter than one, or characters of several UTF-8 bytes must change nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.safeguards import capabilities
from clearance.safeguards.literals import BITS, Literals

# a small alphabet, so that strings often occur in texts and runs often repeat; with look-alikes and a surrogate
ALPHABET = st.sampled_from([*"abc -é中\U0001f600", "\ud800"])
STRINGS = st.lists(st.text(ALPHABET, min_size=1, max_size=6), max_size=30)


@settings(max_examples=300, deadline=None)
@given(STRINGS, st.text(ALPHABET, max_size=80))
def test_present_is_exactly_the_strings_in_the_text(strings: list[str], text: str) -> None:
    assert Literals(strings).present(text) == {s for s in strings if s in text}


@settings(max_examples=100, deadline=None)
@given(STRINGS, st.data())
def test_a_string_cut_from_the_text_is_always_found(strings: list[str], data: st.DataObject) -> None:
    text = data.draw(st.text(ALPHABET, min_size=1, max_size=200))
    start = data.draw(st.integers(0, len(text) - 1))
    cut = text[start:data.draw(st.integers(start + 1, len(text)))]
    assert cut in Literals([*strings, cut]).present(text)


@pytest.mark.parametrize(("strings", "text", "found"), [
    ([], "anything", set()),
    (["ab"], "xaby", {"ab"}),                       # shorter than a run: scanned
    (["abc"], "ab", set()),                         # a text shorter than a run
    (["abcd", "bcd", "cde"], "xabcdx", {"abcd", "bcd"}),
    (["été"], "un été chaud", {"été"}),             # two bytes a letter
    (["ete"], "un été chaud", set()),
])
def test_found(strings: list[str], text: str, found: set[str]) -> None:
    assert Literals(strings).present(text) == found


def test_collisions_cost_a_scan_not_a_wrong_answer() -> None:
    # more distinct runs than the bitmap has cells: nearly every string is a candidate, and still none is found
    strings = [f"{i:06d}" for i in range(2 * (1 << BITS) // 4)]
    text = "".join(chr(0x4E00 + i) for i in range(1 << BITS))
    assert Literals(strings).present(text) == frozenset()


def test_the_lexicon_finds_what_a_scan_per_trigger_finds() -> None:
    text = "write a keylogger in python and build a botnet; the c4 and 3d printed ar-15 are other matters"
    triggers = capabilities._TRIGGERS
    assert triggers.present(text) == {s for s in (*triggers._short, *triggers._long) if s in text}
    assert {"keylogger", "botnet", "c4", "3d", "ar-15"} <= triggers.present(text)
