"""Detection metrics without scikit-learn: AUC and the TPR at a fixed false-positive rate.

DESIGN.md's target is "TPR ≥ 0.95 at FPR ≤ 0.01", so the headline number is the share of attacks
scored above the highest cut that lets through at most 1% of the benign prompts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Area under the ROC curve: the chance an attack outscores a benign prompt (ties count half)."""
    if not positives or not negatives:
        return math.nan
    scores = np.concatenate((np.asarray(positives, dtype=np.float64), np.asarray(negatives, dtype=np.float64)))
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = len(positives), len(negatives)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def cut_at_fpr(negatives: Sequence[float], fpr: float = 0.01) -> float:
    """The lowest score cut with at most `fpr` of `negatives` strictly above it."""
    if not negatives:
        return math.nan
    ordered = sorted(negatives, reverse=True)
    allowed = math.floor(fpr * len(ordered))
    return ordered[min(allowed, len(ordered) - 1)]


def tpr_at_fpr(positives: Sequence[float], negatives: Sequence[float], fpr: float = 0.01) -> float:
    """Share of `positives` strictly above `cut_at_fpr(negatives, fpr)`."""
    if not positives or not negatives:
        return math.nan
    cut = cut_at_fpr(negatives, fpr)
    return sum(1 for s in positives if s > cut) / len(positives)


def rate_at(scores: Sequence[float], threshold: float) -> float:
    """Share of `scores` at or above `threshold` (the detector flags at ≥ threshold)."""
    return sum(1 for s in scores if s >= threshold) / len(scores) if scores else math.nan
