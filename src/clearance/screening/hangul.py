"""Korean names written in Hangul against the many ways lists spell them in Latin letters.

One Hangul name has several romanisations in use at once: Revised Romanisation ("Gim Jeong-eun"),
McCune-Reischauer as lists print it without breves ("Kim Jong Un"), North Korean usage ("Ri",
"Ryong") and older conventions ("Lee", "Park", "Choi", "Yoon").  `korean_fold` maps every one of
them onto one spelling: g/k, d/t, b/p, j/ch and r/l are one letter each; eo, eu, o, u and oo are
one vowel ("Jeong", "Jong", "Jung", "Chung"); ee is i, oi is oe; an h or r that only lengthens a
vowel goes ("Ahn", "Oh", "Park"); an initial r or l before i or y goes, as Seoul writes it ("Ri",
"Lee", "Yi" and "I" are one surname; "Ryong" is "Yong"); doubled letters are one.  A Hangul name is
compared with a listed name as the folded syllables of its parts run together, in its own order
and reversed (the surname first or last), against the listed name's folded words run together (a
letter doubled across a syllable boundary made one), so "jong un", "jong-un" and "jongun" count alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from clearance.screening.normalize import HANGUL_COMPOUND_SURNAMES, fold

_HANGUL = re.compile("[\uac00-\ud7af]")
_HANGUL_RUN = re.compile("[\uac00-\ud7af]+")
_SILENT = re.compile("(?<=[aeiou])[hr](?![aeiouy])")
_CONSONANTS = (("ch", "c"), ("sh", "s"), ("j", "c"), ("b", "p"), ("d", "t"), ("r", "l"))
# North Korean "Phyong", "Thae", "Rhee": an aspirate's or r's h only at the start, since inside a given
# name run together ("hyokhyok") k+h is two syllables.
_INITIAL = re.compile("^([kptr])h")
_VOWELS = (("eo", "o"), ("eu", "o"), ("oo", "o"), ("u", "o"), ("ee", "i"), ("wo", "o"))
_G = re.compile("(?<!n)g")


def is_hangul(text: str) -> bool:
    """Whether `text` has a Hangul syllable."""
    return _HANGUL.search(text) is not None


@lru_cache(maxsize=131072)
def korean_fold(word: str) -> str:
    """One spelling for every romanisation of a Korean word or syllable: "Jeong", "Jung", "Chong" give "cong"."""
    out = _INITIAL.sub(r"\1", _SILENT.sub("", word))
    for old, new in _CONSONANTS:
        out = out.replace(old, new)
    out = _G.sub("k", out)
    for old, new in _VOWELS:
        out = out.replace(old, new)
    if out.endswith("oi"):     # "Choi"; inside a word o+i is two syllables ("Suil")
        out = out[:-1] + "e"
    if out.startswith("yi") or (out[:1] == "l" and out[1:2] in ("i", "y")):
        out = out[1:]
    elif out[:1] == "l" and len(out) > 1:
        out = "n" + out[1:]
    return _squeeze(out)


def _squeeze(text: str) -> str:
    squeezed: list[str] = []
    for char in text:
        if not squeezed or squeezed[-1] != char:
            squeezed.append(char)
    return "".join(squeezed)


def _syllables(part: str) -> str:
    return _squeeze("".join(korean_fold(anyascii(char).casefold()) for char in part))


def hangul_parts(name: str) -> tuple[str, ...]:
    """The folded parts of a name written (at least partly) in Hangul, in order: a name written as one
    run is its surname and its given name ("김정은": "kim", "congon"); every other run or word is one part."""
    runs = _HANGUL_RUN.findall(name)
    parts: list[str] = []
    if len(runs) == 1 and 2 <= len(runs[0]) <= 4 and not _HANGUL_RUN.sub("", name).strip(" ,.-"):
        run = runs[0]
        cut = 2 if run[:2] in HANGUL_COMPOUND_SURNAMES else 1
        return (_syllables(run[:cut]), _syllables(run[cut:]))
    for chunk in re.split(r"[\s,]+", name):
        if is_hangul(chunk):
            parts += (_syllables(run) for run in _HANGUL_RUN.findall(chunk))
        else:
            parts += (korean_fold(word) for word in fold(chunk).split())
    return tuple(p for p in parts if p)


def hangul_forms(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The parts run together in their own order and reversed: the surname first or last."""
    return tuple(dict.fromkeys((_squeeze("".join(parts)), _squeeze("".join(reversed(parts))))))


def latin_korean(tokens: tuple[str, ...]) -> str:
    """A listed name's folded words run together, in the list's order."""
    return _squeeze("".join(korean_fold(t) for t in tokens))


def lookup_keys(name: str) -> tuple[str, ...]:
    """What a Hangul name's candidates are filed under: each folded part and each folded syllable."""
    syllables = (korean_fold(anyascii(char).casefold()) for char in "".join(_HANGUL_RUN.findall(name)))
    return tuple(dict.fromkeys((*hangul_parts(name), *syllables)))
