"""The shipped jailbreak model: logistic regression over hashed n-grams and shape cues, read once from package data.

The weights are one float16 array over the hashed feature space and the dense cues (see
`features`) plus a bias, in
`safeguards/data/jailbreak_model.npz` (written by `scripts/train_safeguards.py`, never at install
or run time), so scoring needs numpy and nothing downloaded.  A score is a sigmoid of a sparse dot
product: a few thousand multiply-adds per prompt, far below the gateway's budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearance.errors import ConfigError
from clearance.safeguards import features

MODEL_FILE = "jailbreak_model.npz"


@dataclass(frozen=True)
class SuffixHead:
    """A second linear model over the same features, trained with generated adversarial suffixes (`augment`).

    Trained into the main model, a few hundred generated suffix attacks, all alike, moved its weights enough
    to cost persuasion attacks (PAIR 0.75 -> 0.66 held out) and in-the-wild prompts (0.90 -> 0.86), while
    they took GCG suffixes from 0.82 to 0.99.  Kept apart, each model flags what it knows: the detector's
    logit is the higher of the two, and `shift` puts this model's own cut (chosen on out-of-fold benign
    scores, like the main threshold) onto the main threshold's logit, so one threshold serves both.
    """

    weights: npt.NDArray[np.float32]  # over features.DIM, like the main model's
    bias: float
    shift: float

    def logit(self, idx: npt.NDArray[np.uint32], values: npt.NDArray[np.float32]) -> float:
        return self.bias + self.shift + float(np.dot(self.weights[idx], values))


@dataclass(frozen=True)
class LinearModel:
    """Weights over the hashed feature space; `threshold` is the default cut chosen at training."""

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float
    trained_on: str
    suffix: SuffixHead | None = None

    def logits(self, text: str, pasted: float = 0.0, ends: bool = True) -> tuple[float, float]:
        """The logit of `text` (a folded or raw form), and its logit with the topic cues left out
        (`features.TOPIC_CUES`): what the text does around what it is about.  `pasted` is the `features.layout`
        of the text as sent, `ends` whether `text` ends it (see `features.cues`).  Both come from one dot product:
        the topic cues' part of it is known."""
        idx, values = features.vector(text, pasted, ends)
        topic = values[-len(features.CUES):][features.TOPIC_INDEX]
        z = self.bias + float(np.dot(self.weights[idx], values))
        frame = z - float(np.dot(self.weights[features.TOPIC_FEATURES], topic))
        if self.suffix is not None:
            head = self.suffix.logit(idx, values)
            z, frame = max(z, head), max(frame, head - float(np.dot(self.suffix.weights[features.TOPIC_FEATURES],
                                                                       topic)))
        return z, frame

    def logit(self, text: str, pasted: float = 0.0, ends: bool = True) -> float:
        """The logit of `text` (see `logits`)."""
        return self.logits(text, pasted, ends)[0]

    def scores(self, text: str, pasted: float = 0.0, ends: bool = True) -> tuple[float, float]:
        """Probability-like scores in [0, 1] that `text` is a jailbreak or injection attempt, with and without its
        topic cues (see `logits`)."""
        z, frame = self.logits(text, pasted, ends)
        return sigmoid(z), sigmoid(frame)

    def score(self, text: str, pasted: float = 0.0, ends: bool = True) -> float:
        """Probability-like score in [0, 1] that `text` is a jailbreak or injection attempt."""
        return sigmoid(self.logit(text, pasted, ends))

    @classmethod
    def from_file(cls, path: Path) -> LinearModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                weights = data["weights"].astype(np.float32)
                bias = float(data["bias"])
                threshold = float(data["threshold"])
                trained_on = str(data["trained_on"])
                suffix = SuffixHead(data["suffix_weights"].astype(np.float32), float(data["suffix_bias"]),
                                    float(data["suffix_shift"])) if "suffix_weights" in data else None
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"safeguards model {path} cannot be read: {exc}") from None
        if weights.shape != (features.DIM,):
            raise ConfigError(f"safeguards model {path} has {weights.shape} weights, expected ({features.DIM},)")
        if suffix is not None and suffix.weights.shape != (features.DIM,):
            raise ConfigError(f"safeguards model {path} has a suffix head of {suffix.weights.shape} weights, "
                              f"expected ({features.DIM},)")
        return cls(weights, bias, threshold, trained_on, suffix)

    def save(self, path: Path) -> None:
        head: dict[str, Any] = {} if self.suffix is None else {
            "suffix_weights": self.suffix.weights.astype(np.float16), "suffix_bias": np.float64(self.suffix.bias),
            "suffix_shift": np.float64(self.suffix.shift)}
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=np.float64(self.bias),
                            threshold=np.float64(self.threshold), trained_on=np.str_(self.trained_on), **head)


def sigmoid(z: float) -> float:
    """The logistic function, computed without overflow for a logit of either sign."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def shipped() -> LinearModel:
    """The model shipped in the package, loaded on first use and shared (it is immutable)."""
    ref = resources.files("clearance.safeguards") / "data" / MODEL_FILE
    with resources.as_file(ref) as path:
        if not path.is_file():
            raise ConfigError(f"the safeguards model is missing from the package ({MODEL_FILE}); reinstall clearance")
        return LinearModel.from_file(path)
