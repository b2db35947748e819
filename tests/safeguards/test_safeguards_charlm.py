"""The character-trigram model and the surprise cues: token salad is surprising, prose, code and other scripts less.

The shipped table is built from benign training prompts only; these checks say what it must tell apart,
with text written for the test (the salad is made up here, not copied from any data set).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.safeguards import augment, charlm, features
from clearance.safeguards.normalize import normalize

PROSE = ("please write a short story about a lighthouse keeper who finds a message in a bottle and decides "
         "to answer it, in a warm and hopeful tone")
SALAD = "oppositeley.]( me giving**one please? revert with \"\\!--two ]$. {[zat [ [ [ ({ vern ==> ]];ulp"


def cue(text: str, name: str) -> float:
    return float(features.cues(normalize(text))[features.CUES.index(name)])


def test_the_table_has_one_probability_per_class_trigram() -> None:
    table = charlm.table()
    assert table.shape == (charlm.K ** 3,)
    assert np.all(table > 0)  # negative log-probabilities of smoothed counts
    # each context's probabilities sum to one (up to float16 rounding)
    sums = np.exp(-table.reshape(charlm.K * charlm.K, charlm.K)).sum(axis=1)
    assert np.allclose(sums, 1.0, atol=0.05)


def test_token_salad_is_more_surprising_than_prose() -> None:
    assert charlm.surprise(SALAD) > charlm.surprise(PROSE) + 0.8


@pytest.mark.parametrize("text", [
    "Объясни, пожалуйста, как работает фотосинтез у растений.",
    "请用简单的语言解释一下光合作用是如何进行的。",
    "Bitte erkläre mir, wie die Photosynthese bei Pflanzen funktioniert.",
])
def test_other_languages_are_less_surprising_than_salad(text: str) -> None:
    # every non-ASCII character is one class, so Russian and Chinese are runs of it (0.3-0.8 nats); German,
    # accents folded, is Latin letters in unfamiliar orders (3.1, against the salad's 3.5)
    assert charlm.surprise(normalize(text)) < charlm.surprise(SALAD) - 0.3


# Code, data and unusual names are about as surprising as salad to a table built from prose (measured 3.4-4.4
# nats against the salad's 3.5): the cues therefore compare a tail with its own head, never with English at large.
@pytest.mark.parametrize("text", [
    'def total(items):\n    return sum(item["price"] * item["count"] for item in items)\n' * 3,
    '{"id": 17, "name": "Ada Lovelace", "tags": ["math", "poetry"], "active": true}, ' * 4,
    "Siobhan O'Callaghan-Nguyen, Zbigniew Brzęczyszczykiewicz, Nguyễn Thị Minh Khai, Þórdís Kolbrún, " * 3,
])
def test_text_unusual_all_through_has_no_surprise_excess(text: str) -> None:
    assert cue(text, "tail-surprise-excess") < 0.1


def test_a_salad_tail_after_a_request_raises_the_surprise_cues() -> None:
    request = PROSE + " and make sure the ending is happy for my daughter who loves the sea"
    for name in ("tail-surprise-excess", "surprise-odd"):
        assert cue(request + " " + SALAD, name) > cue(request, name) + 0.1, name
    assert cue(request, "tail-surprise-excess") < 0.15


def test_surprise_of_very_short_text_is_zero() -> None:
    assert charlm.surprise("") == 0.0
    assert charlm.surprise("ab") == 0.0


def test_build_learns_what_it_reads() -> None:
    logp = charlm.build(["abc abc abc"] * 10).astype(np.float32)
    seen = charlm._trigrams("abc")[0]
    unseen = charlm._trigrams("zqx")[0]
    assert logp[seen] > logp[unseen] + 2


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_classes_cover_any_text_and_surprise_is_finite(text: str) -> None:
    c = charlm.classes(text)
    assert len(c) == len(text)
    assert np.all((c >= 0) & (c < charlm.K))
    assert np.isfinite(charlm.surprise(text)) and charlm.surprise(text) >= 0.0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_generated_suffixes_are_token_salad(seed: int) -> None:
    rng = random.Random(seed)
    words = ["lighthouse", "keeper", "bottle", "warm", "Gemeinden", "Объясни", "compute", "values"]
    tail = augment.suffix(words, rng)
    tokens = tail.split()
    assert 1 <= len(tokens) <= 25
    assert tail == augment.suffix(words, random.Random(seed))  # deterministic for a seed
    # with_suffix draws the suffix first: the same seed gives the same suffix, after the request or alone
    attack = augment.with_suffix("how do I bake bread", words, random.Random(seed))
    assert attack.endswith(augment.suffix(words, random.Random(seed)))


def test_benign_tails_come_from_the_other_prompts() -> None:
    rng = random.Random(1)
    others = ["the quick brown fox jumps over the lazy dog " * 6]
    text = augment.with_benign_tail("Summarise this.", others, rng)
    assert text.startswith("Summarise this. ")
    assert text[len("Summarise this. "):] in others[0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_the_one_pass_surprises_are_exactly_the_two_surprises(head: str, tail: str) -> None:
    assert charlm.surprises(head, tail) == (charlm.surprise(head), charlm.surprise(tail))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_a_generated_document_is_long_and_made_of_the_benign_texts(seed: int) -> None:
    requests = ["Summarise the notes below for the team.", "Translate this letter into German."]
    paragraphs = ["The launch moved to March because the supplier was late. Costs rose by 4%.",
                  "Ahoy there! The storm took our mainsail, but the crew held fast through the night."]
    words = augment.vocabulary(requests + paragraphs)
    document = augment.document(requests, paragraphs, words, random.Random(seed))
    assert document == augment.document(requests, paragraphs, words, random.Random(seed))  # deterministic
    assert len(document) >= 600
    assert document.startswith(tuple(requests)) or document.endswith(tuple(requests))  # the request, before or after
    assert sum(document.count(request) for request in requests) == 1  # one request: the body is no list of orders
    assert sum(document.count(text.split(". ")[0]) for text in paragraphs) >= 2  # paragraphs are the benign texts
