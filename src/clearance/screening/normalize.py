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
# Runs of one East Asian script, each romanised as a whole (see `_romanise_run`).
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[\uac00-\ud7af]+|[\u3040-\u30ff]+")
_HANGUL = re.compile("[\uac00-\ud7af]")
# Chinese legal forms at the end of a firm's name, as the Latin forms dropped below.
_HAN_LEGAL = (("股份有限公司", "co ltd"), ("有限责任公司", "llc"), ("有限責任公司", "llc"), ("有限公司", "co ltd"),
              ("公司", "co"))
# Surnames of two characters, and surnames anyascii reads with the character's commoner, non-surname reading.
_HAN_COMPOUND_SURNAMES = frozenset((
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "令狐", "公孙", "公孫", "慕容",
    "司徒", "夏侯", "尉迟", "尉遲", "长孙", "長孫", "端木", "宇文", "申屠", "闻人", "聞人", "赫连", "赫連", "澹台",
    "濮阳", "濮陽"))
_HAN_SURNAME_READINGS = {"曾": "zeng", "单": "shan", "單": "shan", "解": "xie", "仇": "qiu", "区": "ou", "區": "ou",
                         "朴": "piao", "查": "zha", "盖": "ge", "蓋": "ge", "缪": "miao", "繆": "miao", "乐": "yue",
                         "樂": "yue", "覃": "qin", "翟": "zhai", "种": "chong", "秘": "bi", "尉": "yu", "长": "chang",
                         "長": "chang", "薄": "bo", "员": "yun", "都": "du", "洗": "xian", "藏": "zang"}
HANGUL_COMPOUND_SURNAMES = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"))

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


def _syllables(run: str) -> list[str]:
    return [anyascii(char).casefold() for char in run]


def _romanise_run(run: str, whole: bool) -> str:
    """A run of Chinese, Korean or Japanese script as words the way Latin-script lists write them.

    Chinese: pinyin without tones; a name of two to four characters is a person's, written as its
    surname and its given name run together ("习近平" is "xi jinping", as in "XI, Jinping"); a longer
    run, or one ending in a legal form ("有限公司"), is a firm's, written two syllables a word as
    pinyin firm names are ("丹东鸿祥实业发展有限公司" is "dandong hongxiang shiye fazhan co ltd").  Korean
    is written the same way: surname, then the given name's syllables together ("김정은" is "gim
    jeongeun").  A run that is not the whole name ("김 정은", "美雲 曾") is one part of it: one word.
    Kana are one word a run.
    """
    if "\u3040" <= run[0] <= "\u30ff":
        return f" {anyascii(run)} "
    hangul = _HANGUL.match(run) is not None
    legal = ""
    if not hangul:
        for suffix, latin in _HAN_LEGAL:
            if run.endswith(suffix) and len(run) > len(suffix):
                run, legal = run[:-len(suffix)], latin
                break
    if legal or (not hangul and len(run) > 4):
        syllables = _syllables(run)
        words = ["".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2)]
        if len(words) > 1 and len(words[-1]) and len(syllables) % 2:
            words[-2:] = [words[-2] + words[-1]]
        return f" {' '.join(words)} {legal} "
    if len(run) == 1 or not whole or (hangul and len(run) > 4):
        return f" {_HAN_SURNAME_READINGS.get(run) or ''.join(_syllables(run))} "
    cut = 2 if run[:2] in _HAN_COMPOUND_SURNAMES or run[:2] in HANGUL_COMPOUND_SURNAMES else 1
    surname = _HAN_SURNAME_READINGS.get(run[0]) if cut == 1 and not hangul else None
    return f" {surname or ''.join(_syllables(run[:cut]))} {''.join(_syllables(run[cut:]))} "


def fold(text: str) -> str:
    """NFKC, Latin transliteration, lower case, punctuation gone: a string of ASCII words."""
    text = unicodedata.normalize("NFKC", text)
    if runs := _CJK_RUN.findall(text):
        whole = len(runs) == 1
        text = _CJK_RUN.sub(lambda m: _romanise_run(m.group(), whole), text)
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
