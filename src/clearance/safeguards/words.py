"""The word list: hashes of the words of ordinary English prompts, shipped in the package.

Built by the training script from the benign training split and the plain harmful requests
(`data/lexicon.npz`); the suffix cues read which words of a prompt's tail are missing from it
(`features`), and the normalisation which of its leetspeak folds made a word (`normalize`).
"""

from __future__ import annotations

import zlib
from functools import cache
from importlib import resources

import numpy as np

from clearance.errors import ConfigError

LEXICON_FILE = "lexicon.npz"


class _WordHashes(dict[str, int]):
    """CRC-32 of each word, remembered: prompts reuse a small vocabulary, and a dict hit is cheaper than a hash.

    Bounded by starting afresh past MAX_CACHED words; lookups and inserts are single dict operations, so
    threads serving requests at once can share it.
    """

    MAX_CACHED = 200_000

    def __missing__(self, word: str) -> int:
        if len(self) >= self.MAX_CACHED:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"), 0x5EED)
        return value


WORD_HASHES = _WordHashes()


def word_hash(word: str) -> int:
    """The hash of a (lower-case) word, as the unigram features and the shipped lexicon use it."""
    return WORD_HASHES[word]


@cache
def lexicon() -> frozenset[int]:
    """Hashes of the words of ordinary English prompts, shipped in the package (built by the training script)."""
    ref = resources.files("clearance.safeguards") / "data" / LEXICON_FILE
    try:
        with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as data:
            return frozenset(int(h) for h in data["hashes"])
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"the safeguards word list ({LEXICON_FILE}) cannot be read: {exc}; reinstall clearance") \
            from None


def known(word: str) -> bool:
    """Whether `word` (lower-case) is in the shipped word list."""
    return word_hash(word) in lexicon()
