"""AUC and TPR at a fixed FPR on cases small enough to check by hand."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from clearance.safeguards.metrics import auc, cut_at_fpr, rate_at, tpr_at_fpr


def test_auc_by_hand() -> None:
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.1], [0.9]) == 0.0
    assert auc([0.5], [0.5]) == 0.5
    assert auc([0.9, 0.3], [0.5, 0.1]) == 0.75
    assert math.isnan(auc([], [0.1]))


def test_tpr_at_fpr_uses_the_cut_that_lets_through_one_percent() -> None:
    negatives = [i / 1000 for i in range(200)]  # 0.000 .. 0.199: 1% is 2 of them
    assert cut_at_fpr(negatives, 0.01) == 0.197
    assert tpr_at_fpr([0.198, 0.5, 0.1, 0.05], negatives) == 0.5
    assert rate_at([0.1, 0.5, 0.9], 0.5) == 2 / 3


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_auc_is_a_probability_and_symmetric(pos: list[float], neg: list[float]) -> None:
    a = auc(pos, neg)
    assert 0.0 <= a <= 1.0
    assert math.isclose(a + auc(neg, pos), 1.0)
