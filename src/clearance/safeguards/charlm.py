"""A character-trigram language model of ordinary prompts: how surprising a stretch of text is, per character.

An adversarial suffix (GCG, DSN) is token salad an optimiser chose for its effect on a model, not for being
read: brackets opened and never closed, "[ [ [", "]];usepackage", "$,", "`|", words glued to punctuation.
Its characters follow one another in ways ordinary text rarely does, which a perplexity measure sees; a
real language model costs seconds, but a trigram table over a small alphabet costs microseconds.

The alphabet: the 26 lower-case letters, one class for digits, one for whitespace, each ASCII punctuation
character, one class for every non-ASCII character and one for the remaining ASCII (controls).  Every
non-ASCII character is the same class, so a text in Chinese, Russian or Hindi is a run of one class, which
ordinary (translated) prompts are full of, and is not surprising for its script; accented Latin letters
are folded before the detector reads the text.  The table is built by the training script from the benign
training prompts only (never an attack, never the held-out benign split), shipped as `data/charlm.npz`, and
read once.  Surprise is the mean negative log-probability (nats) of each character given the two before it.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from clearance.errors import ConfigError

CHARLM_FILE = "charlm.npz"
K = 64  # classes (62 used), a power of two so a trigram's index is two shifts
NON_ASCII = 60
OTHER_ASCII = 61
SMOOTHING = 0.1  # add-k: an unseen trigram costs about log(K) nats, not infinity

_LUT = np.full(128, OTHER_ASCII, dtype=np.int32)
for _i, _c in enumerate(string.ascii_lowercase):
    _LUT[ord(_c)] = _i
for _c in string.digits:
    _LUT[ord(_c)] = 26
for _c in " \t\n\r\f\v":
    _LUT[ord(_c)] = 27
for _i, _c in enumerate(string.punctuation):
    _LUT[ord(_c)] = 28 + _i


def classes(text: str) -> npt.NDArray[np.int32]:
    """The class of each character of `text` (lower-case text is expected; upper-case letters are OTHER_ASCII)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if text.isascii():
        return _LUT[codes]
    return np.where(codes < 128, _LUT[np.minimum(codes, 127)], NON_ASCII).astype(np.int32)


def _trigrams(text: str) -> npt.NDArray[np.int32]:
    c = classes(text)
    return (c[:-2] * K + c[1:-1]) * K + c[2:]


def build(texts: Iterable[str]) -> npt.NDArray[np.float16]:
    """The table of log P(c | a b) over all K^3 class trigrams, from `texts` (each padded with a space)."""
    counts = np.zeros(K ** 3, dtype=np.float64)
    for text in texts:
        if text:
            counts += np.bincount(_trigrams(" " + text + " "), minlength=K ** 3)
    by_context = counts.reshape(K * K, K)
    logp: npt.NDArray[np.float64] = np.log((by_context + SMOOTHING)
                                           / (by_context.sum(axis=1, keepdims=True) + SMOOTHING * K))
    return logp.reshape(-1).astype(np.float16)


@cache
def table() -> npt.NDArray[np.float32]:
    """Negative log-probabilities of each class trigram, shipped in the package (built by the training script)."""
    ref = resources.files("clearance.safeguards") / "data" / CHARLM_FILE
    try:
        with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as data:
            logp: npt.NDArray[np.float32] = data["logp"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"the safeguards character model ({CHARLM_FILE}) cannot be read: {exc}; reinstall "
                          "clearance") from None
    if logp.shape != (K ** 3,):
        raise ConfigError(f"the safeguards character model has {logp.shape} entries, expected ({K ** 3},)")
    surprises: npt.NDArray[np.float32] = -logp
    return surprises


def surprise(text: str) -> float:
    """Mean surprise (nats per character) of `text`; 0.0 for a text of fewer than three characters."""
    if len(text) < 3:
        return 0.0
    return float(table()[_trigrams(text)].mean())


def surprises(head: str, tail: str) -> tuple[float, float]:
    """`surprise(head)` and `surprise(tail)` from one pass over both (the cues ask for the two per window).

    The trigrams that span the joining space are skipped, so each value is exactly what `surprise` gives.
    """
    if len(head) < 3:
        return surprise(head), surprise(tail)
    values = table()[_trigrams(head + " " + tail)]
    tail_values = values[len(head) + 1:]
    return float(values[:len(head) - 2].mean()), float(tail_values.mean()) if len(tail) >= 3 else 0.0
