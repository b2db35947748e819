"""Hashed character and word n-grams: the cheap, deterministic features the linear model reads.

Character 3- to 5-grams catch templates and their paraphrases ("do anything now", "developer
mode", "ignore previous") even when words are split or glued; word uni- and bigrams add phrase
context.  Hashing into a fixed space (no vocabulary to ship) keeps the weights one flat array,
and the hashes are computed with numpy over code points with fixed constants, so training and
serving produce the very same indices on every machine and Python (no PYTHONHASHSEED).  A text's
vector is its n-gram counts scaled to unit length, which keeps long and short prompts comparable.
"""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np
import numpy.typing as npt

DIM_BITS = 18
DIM = 1 << DIM_BITS
CHAR_NGRAMS = (3, 4, 5)
_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - DIM_BITS)
_WORD_RE = re.compile(r"\w+|[^\w\s]")

Indices = npt.NDArray[np.uint32]


def _mix(h: npt.NDArray[np.uint64]) -> Indices:
    """Fibonacci hashing: the top bits of h * golden ratio are well spread even for similar inputs."""
    with np.errstate(over="ignore"):
        return ((h * _MIX) >> _SHIFT).astype(np.uint32)


def char_ngrams(text: str) -> Indices:
    """Hashed indices of every character n-gram (n in CHAR_NGRAMS), one per occurrence."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts: list[Indices] = []
    with np.errstate(over="ignore"):
        for n in CHAR_NGRAMS:
            if len(codes) < n:
                continue
            width = len(codes) - n + 1
            h = np.full(width, np.uint64(n), dtype=np.uint64)
            for k in range(n):
                h = h * _BASE + codes[k:k + width]
            parts.append(_mix(h))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)


def word_ngrams(text: str) -> Indices:
    """Hashed indices of word unigrams and bigrams (CRC-32, salted apart from the character n-grams)."""
    words = _WORD_RE.findall(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    hashes = [zlib.crc32(w.encode("utf-8"), 0x5EED) for w in words]
    hashes += [zlib.crc32(f"{a} {b}".encode(), 0xB16A) for a, b in itertools.pairwise(words)]
    return _mix(np.asarray(hashes, dtype=np.uint64) << np.uint64(16))


def indices(text: str) -> Indices:
    """Every feature occurrence of `text` (already lower-cased by the caller), as hashed indices."""
    return np.concatenate((char_ngrams(text), word_ngrams(text)))


def vector(text: str) -> tuple[Indices, npt.NDArray[np.float32]]:
    """(distinct indices, values): the n-gram counts of `text` scaled to unit length."""
    idx, counts = np.unique(indices(text), return_counts=True)
    values = counts.astype(np.float32)
    norm = float(np.sqrt(np.dot(values, values)))
    if norm > 0:
        values /= norm
    return idx.astype(np.uint32), values
