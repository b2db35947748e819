"""Which of a fixed set of literal strings a text holds, found in one vectorised pass and not one scan each.

The capability lexicon runs each pattern only behind its literal triggers (`capabilities._triggers`), some 320
of them.  Scanning a 2,000-character text for each one with `in` is a fast C loop, but 250 of them cost about
half a millisecond, a tenth of the detector.  Most triggers are absent from most texts, and a trigger can only be
present if every three-byte run of it is; so the text's three-byte runs are hashed into a small bitmap once
(NumPy), each trigger's runs are looked up in it together, and only the few triggers whose runs are all there
are confirmed with `in`.  A hash collision only costs a confirming scan: the answer is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

GRAM = 3  # bytes per run: two are in nearly every English text, four would need a larger bitmap for the same misses
BITS = 16  # the bitmap has 2**BITS cells: 64 kB, cleared for each text in a few microseconds
_MULTIPLIER = np.uint32(2654435761)  # Knuth's multiplicative hash; its top BITS bits index the bitmap


def _encoded(text: str) -> bytes:
    # surrogates survive NFKC and the folds; UTF-8 keeps substrings substrings, so bytes answer for characters
    return text.encode("utf-8", "surrogatepass")


def _cells(data: bytes) -> npt.NDArray[np.integer[Any]]:
    """The bitmap cell of each GRAM-byte run of `data`."""
    b = np.frombuffer(data, dtype=np.uint8).astype(np.uint32)
    runs = (b[:-2] << 16) | (b[1:-1] << 8) | b[2:]
    return (runs * _MULTIPLIER) >> np.uint32(32 - BITS)


class Literals:
    """A fixed set of strings, to ask of many texts which of them each holds (`present`)."""

    def __init__(self, strings: Iterable[str]) -> None:
        encoded = {s: _encoded(s) for s in sorted(set(strings))}
        self._short = tuple(s for s, data in encoded.items() if len(data) < GRAM)  # no run: always scanned
        self._long = tuple(s for s, data in encoded.items() if len(data) >= GRAM)
        cells = [_cells(encoded[s]) for s in self._long]
        self._cells = np.concatenate(cells) if cells else np.zeros(0, dtype=np.uint32)
        # where each string's runs begin in `_cells`, for one `logical_and.reduceat` over all of them
        self._starts = np.cumsum([0, *(len(c) for c in cells[:-1])], dtype=np.intp)

    def present(self, text: str) -> frozenset[str]:
        """Exactly the strings of the set that occur in `text`."""
        found = [s for s in self._short if s in text]
        data = _encoded(text)
        if self._long and len(data) >= GRAM:
            bitmap = np.zeros(1 << BITS, dtype=np.bool_)
            bitmap[_cells(data)] = True
            possible = np.logical_and.reduceat(bitmap[self._cells], self._starts)
            found.extend(s for s in map(self._long.__getitem__, np.flatnonzero(possible)) if s in text)
        return frozenset(found)
