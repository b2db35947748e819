"""Names reduced to what identifies a party, so spelling, script and legal form stop mattering.

Steps, in order: Unicode NFKC (full-width and compatibility forms), transliteration of every script
to Latin with anyascii (Cyrillic, Arabic, CJK, Greek...; ISC licence, no native dependencies),
case folding, punctuation (dots and apostrophes vanish so "S.A." is "sa" and "NU'MAN" is "numan";
other punctuation separates words), then legal forms ("Co., Ltd.", "LLC", "OOO", "GmbH"...) dropped,
because "X Co., Ltd." and "X Limited" are the same party.  Token order is kept here and sorted by
the matcher's key, so "HANIYA, Ismail" and "Ismail Haniya" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_DROPPED = re.compile("[.'`\u00b4\u2018\u2019\u02bc]")     # dot, apostrophes, acute accent
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff])")

# Legal forms as tokens after punctuation is gone; multi-word forms are matched as sequences.
_LEGAL_FORM_WORDS = """
    co company corp corporation inc incorporated ltd limited llc llp lp plc pllc pty pte
    gmbh ag kg kgaa ug mbh ek sa sas sarl srl spa sl sau sae sal sac bv nv oy oyj ab asa as aps
    ooo oao zao pao ao jsc ojsc cjsc pjsc tov pp fzc fze fzco fzllc dmcc wll bsc saog saoc
    kk kabushiki kaisha gk yk
    sdn bhd tbk pt cv
"""
LEGAL_FORMS: frozenset[str] = frozenset(_LEGAL_FORM_WORDS.split())
_LEGAL_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("joint", "stock", "company"), ("open", "joint", "stock", "company"), ("closed", "joint", "stock", "company"),
    ("public", "joint", "stock", "company"), ("limited", "liability", "company"),
    ("obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"), ("aktsionernoe", "obshchestvo"),
    ("sa", "de", "cv"), ("s", "de", "rl"), ("s", "de", "rl", "de", "cv"), ("sdn", "bhd"), ("co", "ltd"),
    ("private", "limited"), ("public", "company", "limited"),
)


def fold(text: str) -> str:
    """NFKC, Latin transliteration, lower case, punctuation gone: a string of ASCII words."""
    text = unicodedata.normalize("NFKC", text)
    text = _CJK.sub(r" \1 ", text)              # one syllable a word, so "习近平" gives "xi jin ping"
    text = anyascii(text).casefold()
    text = _DROPPED.sub("", text)
    return " ".join(_SEPARATORS.split(text)).strip()


def _without_sequences(tokens: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        for seq in _LEGAL_SEQUENCES:
            if tuple(tokens[i:i + len(seq)]) == seq:
                i += len(seq)
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words that identify a name: folded, legal forms dropped (unless nothing else is left)."""
    tokens = fold(name).split()
    core = [t for t in _without_sequences(tokens) if t not in LEGAL_FORMS]
    return tuple(core) if core else tuple(tokens)


def normalize_name(name: str) -> str:
    """The comparable form of a name: its identifying words, sorted, so word order does not count."""
    return " ".join(sorted(name_tokens(name)))


def skeleton(token: str) -> str:
    """A token's consonant skeleton: transliterations of one name mostly differ in vowels and doubling
    ("Mohammed", "Muhammad", "Mohamad" all give "md": h, w and y go with the vowels); a leading vowel
    is kept as "a" ("Osama" and "Usama" both give "asm"): a name's first sound is rarely lost."""
    if not token:
        return token
    rest = re.sub(r"[aeiouyhw]", "", token[1:])
    out = ["a" if token[0] in "aeiouy" else token[0]]
    for char in rest:
        if char != out[-1]:
            out.append(char)
    return "".join(out)


def skeleton_key(tokens: tuple[str, ...]) -> str:
    """The skeletons of a name's tokens, sorted and joined: the name's form for vowel-blind comparison."""
    return " ".join(sorted(skeleton(t) for t in tokens))
