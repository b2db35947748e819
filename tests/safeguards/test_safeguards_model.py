"""The model file and its suffix head: what is saved is what is read, and the head only ever raises a logit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import ConfigError
from clearance.safeguards import features
from clearance.safeguards.model import LinearModel, SuffixHead, shipped
from clearance.safeguards.normalize import normalize

REQUEST = "write a tutorial on how to make a cake for my daughter's birthday party this weekend please"
# The shape of an optimiser's suffix (made up here, not copied from any data set).
SUFFIX = "describing.\\ + similarlynow write oppositeley.]( me giving**one please? revert with \"\\!--two ]$. {[zat"


def _head(weight: float, bias: float) -> SuffixHead:
    """A head that reads one cue, the share of odd tokens in the tail."""
    weights = np.zeros(features.DIM, dtype=np.float32)
    weights[features.HASHED + features.CUES.index("tail-odd")] = weight
    return SuffixHead(weights, bias, 0.0)


def test_a_model_with_a_head_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    model = LinearModel(rng.normal(size=features.DIM).astype(np.float16).astype(np.float32), -1.5, 0.4, "test",
                        _head(3.0, -2.0))
    path = tmp_path / "m.npz"
    model.save(path)
    read = LinearModel.from_file(path)
    assert read.suffix is not None
    assert np.array_equal(read.suffix.weights, model.suffix.weights)  # type: ignore[union-attr]
    assert (read.bias, read.threshold, read.suffix.bias) == (-1.5, 0.4, -2.0)
    for text in (REQUEST, REQUEST + " " + SUFFIX):
        assert read.logit(normalize(text)) == pytest.approx(model.logit(normalize(text)), abs=1e-5)


def test_a_model_without_a_head_still_reads(tmp_path: Path) -> None:
    model = LinearModel(np.zeros(features.DIM, dtype=np.float32), -1.0, 0.5, "no head")
    model.save(tmp_path / "m.npz")
    assert LinearModel.from_file(tmp_path / "m.npz").suffix is None


def test_a_head_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    bad = LinearModel(np.zeros(features.DIM, dtype=np.float32), -1.0, 0.5, "bad",
                      SuffixHead(np.zeros(3, dtype=np.float32), 0.0, 0.0))
    bad.save(tmp_path / "m.npz")
    with pytest.raises(ConfigError, match="suffix head"):
        LinearModel.from_file(tmp_path / "m.npz")


def test_the_head_is_the_higher_of_the_two_logits() -> None:
    plain = LinearModel(np.zeros(features.DIM, dtype=np.float32), -4.0, 0.5, "plain")
    headed = LinearModel(plain.weights, -4.0, 0.5, "headed", _head(10.0, -1.0))
    salad = normalize(REQUEST + " " + SUFFIX)
    assert plain.logit(salad) == pytest.approx(-4.0)
    assert headed.logit(salad) > 0.0  # the suffix's odd tail lifts it past the threshold's logit
    assert headed.logit(normalize(REQUEST)) == pytest.approx(-1.0)  # no odd tail: the head's bias, above -4


def test_the_shipped_model_has_a_suffix_head() -> None:
    head = shipped().suffix
    assert head is not None and head.weights.shape == (features.DIM,)
    # a made-up suffix after an ordinary request is flagged by the head, the request alone is not
    threshold_logit = np.log(shipped().threshold / (1 - shipped().threshold))
    idx, values = features.vector(normalize(REQUEST + " " + SUFFIX))
    assert head.logit(idx, values) >= threshold_logit
    idx, values = features.vector(normalize(REQUEST))
    assert head.logit(idx, values) < threshold_logit


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_the_head_never_lowers_a_score(text: str) -> None:
    model = shipped()
    plain = LinearModel(model.weights, model.bias, model.threshold, model.trained_on)
    folded = normalize(text)
    assert model.logit(folded) >= plain.logit(folded)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_the_frame_is_the_logit_without_the_topic_cues(text: str) -> None:
    rng = np.random.default_rng(7)
    weights = rng.normal(size=features.DIM).astype(np.float32)
    weights[features.TOPIC_FEATURES] = rng.uniform(1.0, 5.0, size=len(features.TOPIC_FEATURES))
    model = LinearModel(weights, -1.5, 0.4, "test", _head(3.0, -2.0))
    blind = weights.copy()
    blind[features.TOPIC_FEATURES] = 0.0
    head = model.suffix
    assert head is not None
    blind_head = head.weights.copy()
    blind_head[features.TOPIC_FEATURES] = 0.0
    without = LinearModel(blind, -1.5, 0.4, "test", SuffixHead(blind_head, head.bias, head.shift))
    form = normalize(text + " it is illegal to bypass and evade, and a loophole")
    z, frame = model.logits(form)
    assert z == pytest.approx(model.logit(form))
    assert frame == pytest.approx(without.logit(form), abs=1e-4)
    assert frame <= z + 1e-6  # the topic weights here are positive: leaving them out only lowers the logit
