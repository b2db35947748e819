# ruff: noqa: RUF001  (the tables are Arabic and Hebrew letters, some of which look like Latin ones)
"""Consonant skeletons for names written in an abjad (Arabic, Persian, Urdu, Hebrew) and their Latin spellings.

An abjad writes consonants and long vowels only, so "حسن نصر الله" carries no more than
h-s-n n-s-r-l-l-h, and any transliteration of it (anyascii gives "hsn nsr llh") cannot be compared
letter for letter with "NASRALLAH, Hasan".  Both sides are therefore reduced to the same thing: a
skeleton of consonant *classes*.  Letters romanised in several ways fall into one class (kh, k, q, g
and ق ك خ غ گ are all "k"; sh, ch and ش چ are "x"; th, t and ت ث ط are "t"; dh, d and د ذ ض are "d";
p, b and ب پ are "b"), vowels and the letters that double as long vowels (و ي, w v y) are dropped
except at the start of a word, where any vowel is "a"; doubled letters are one (Arabic writes no
shadda) and a final "h" is dropped (ة and "Haniya"/"Haniyeh"), while a final long i is kept
(ي, "-i", "-y", "-ee": "Soltani" is not "Sultan").  Name parts Arabic writes as one
word are made one word on both sides: the article (ال, "al-"/"el-"/"ul-" as a word of its own, or
glued to a longer word) is dropped, "ʿAbd" is joined to the name after it ("Abd al-Rahman",
"Abdulrahman", عبد الرحمن) and "Allah" to the name before it ("Nasr Allah", "Nasrallah", نصر الله).

The matcher compares skeletons only when one side is written in an abjad: that is where the vowels
are missing, and elsewhere the spelling carries more than the skeleton.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from clearance.screening.normalize import LEGAL_FORMS, fold, name_tokens

# Consonant class of each abjad letter; "" for alef, hamza seats, ʿayn and the long-vowel letters.
_LETTERS: dict[str, str] = {
    # Arabic, with the Persian and Urdu letters
    "ا": "", "أ": "", "إ": "", "آ": "", "ٱ": "", "ء": "", "ئ": "", "ؤ": "", "ع": "", "ى": "", "ة": "", "ۀ": "",
    "ۃ": "", "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ٹ": "t", "ج": "j", "چ": "x", "ژ": "z",
    "ح": "h", "ه": "h", "ھ": "h", "ہ": "h", "خ": "k", "ق": "k", "ك": "k", "ک": "k", "گ": "k", "غ": "k", "ڭ": "k",
    "د": "d", "ذ": "d", "ض": "d", "ڈ": "d", "ر": "r", "ڑ": "r", "ز": "z", "ظ": "z", "س": "s", "ص": "s",
    "ش": "x", "ف": "f", "ڤ": "w", "ل": "l", "م": "m", "ن": "n", "ں": "n", "و": "w", "ي": "y", "ی": "y",
    "ې": "y", "ے": "y", "ێ": "y",
    # Hebrew
    "א": "", "ע": "", "ב": "b", "ג": "k", "ד": "d", "ה": "h", "ו": "w", "ז": "z", "ח": "h", "ט": "t", "י": "y",
    "כ": "k", "ך": "k", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "פ": "f", "ף": "f", "צ": "s",
    "ץ": "s", "ק": "k", "ר": "r", "ש": "x", "ת": "t",
}
_ABJAD_LETTER = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Vowel signs, shadda, sukun, tatweel and Hebrew points: the vowels an abjad may write, and usually does not.
_MARKS = re.compile("[\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]")
_NATIVE_WORD = re.compile("[\u05d0-\u05ea\u0620-\u064a\u0671-\u06d3\u06d5]+")

# Latin spellings: digraphs first (longest first), then one class per letter.
_DIGRAPHS = (("sch", "x"), ("tch", "x"), ("kh", "k"), ("gh", "k"), ("sh", "x"), ("ch", "x"), ("th", "t"),
             ("dh", "d"), ("zh", "z"), ("ph", "f"), ("dj", "j"), ("ck", "k"))
_LATIN = str.maketrans({"c": "k", "g": "k", "q": "k", "p": "b", "v": "w",
                        "a": "", "e": "", "i": "", "o": "", "u": ""})
_VOWELS = frozenset("aeiou")
ARTICLES = frozenset({"al", "el", "ul", "il", "ad", "ar", "as", "ash", "at", "az", "an", "aal", "ال", "آل"})
_ABD = frozenset({"abd", "abdu", "abdul", "abdel", "abdal", "abdol", "abdil", "abdoul", "abdur", "abdar",
                  "abdus", "abdas", "abduz", "abdun", "abdi", "عبد"})
_ALLAH = frozenset({"allah", "ullah", "alla", "ulla", "ollah", "olla", "illah", "allahu", "الله", "اللہ"})
_DIN = frozenset({"الدين", "uddin", "uddeen", "eddin", "eddine", "eddeen", "addin", "aldin", "uldin", "iddin"})
_BARE_DIN = frozenset({"din", "deen", "dine"})
# A final long i is kept as "i" on both sides: it tells the Persian and Arabic surnames in -i from the
# names they are made of ("Soltani" is not "Sultan", "Musavi" not "Musa").  Persian writes a final
# alef maqsura (a) with the same letter, in these names.
_FINAL_YEH = frozenset("يیېי")
_LATIN_FINAL_I = ("i", "y", "ee", "ey", "ei", "ie")
_MAQSURA = frozenset(("مجتبی", "مصطفی", "مرتضی", "موسی", "عیسی", "یحیی", "کبری", "صغری", "هدی", "منی", "لبنی",
                      "سلمی", "نجوی", "سلوی", "ضحی", "تقوی", "مولی", "عظمی", "یعلی", "مثنی", "لیلی"))
_SPECIAL = ARTICLES | _ABD | _ALLAH | _DIN | _BARE_DIN
_GLUED_ARTICLE = re.compile("^(?:al|el)(?=[^aeiouyw]{1,2}[aeiouy]).{3,}$")


def is_abjad(text: str) -> bool:
    """Whether `text` has a letter of the Arabic or Hebrew script."""
    return _ABJAD_LETTER.search(text) is not None


def _squeeze(classes: str) -> str:
    """A final "h" dropped, then each run of one class made one letter."""
    trimmed = classes.rstrip("h") if len(classes) > 1 else classes
    out: list[str] = []
    for char in trimmed or classes:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def _final_i(word: str) -> bool:
    return len(word) >= 2 and word.endswith(_LATIN_FINAL_I)


@lru_cache(maxsize=131072)
def latin_skeleton(word: str) -> str:
    """The consonant-class skeleton of one folded Latin word: "nasrallah" and "nasrulla" give "nsrl"."""
    if not word:
        return word
    head, rest = word[0], word[1:]
    for digraph, cls in _DIGRAPHS:
        if word.startswith(digraph):
            head, rest = cls, word[len(digraph):]
            break
    head = "a" if head in _VOWELS else head.translate(_LATIN) or head
    for digraph, cls in _DIGRAPHS:
        rest = rest.replace(digraph, cls)
    rest = rest.translate(_LATIN).replace("w", "").replace("y", "")
    return _squeeze(head + rest) + ("i" if _final_i(word) else "")


def native_skeleton(word: str) -> str:
    """The consonant-class skeleton of one word in an abjad: "نصرالله" gives "nsrl", "إسماعيل" "asml"."""
    if not word:
        return word
    classes = [_LETTERS.get(char, "") for char in word]
    first = classes[0]
    head = "a" if first == "" else first
    rest = "".join(c for c in classes[1:] if c not in ("w", "y"))
    final_i = len(word) >= 2 and word[-1] in _FINAL_YEH and word not in _MAQSURA
    return _squeeze(head + rest) + ("i" if final_i else "")


def without_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    if _GLUED_ARTICLE.match(word):      # "alsinwar", "elbaghdadi"; not "ali", "alam", "alawi"
        return word[2:]
    return word


def _words(name: str) -> list[str]:
    """The name's words: abjad words as written (marks gone), everything else folded to Latin words."""
    text = _MARKS.sub("", name)
    words: list[str] = []
    for chunk in text.split():
        if is_abjad(chunk):
            words += _NATIVE_WORD.findall(chunk)
            chunk = _ABJAD_LETTER.sub(" ", chunk)
        words += (w for w in fold(chunk).split() if w not in LEGAL_FORMS)
    return words


def _joined(words: list[str]) -> list[str]:
    """Compounds made one word ("abd" with the word after it, "allah" and "al-din" with the word before
    it), then articles dropped: the words as an abjad writes them."""
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word in _ABD and i + 1 < n:
            j = i + 1
            if words[j] in ARTICLES and j + 1 < n:       # "abd al rahman"
                word += words[j]
                j += 1
            out.append(word + words[j])
            i = j + 1
            continue
        if out and word in _ALLAH:
            out[-1] += word
        elif out and word in _DIN:                       # "uddin", "eddine", الدين
            out[-1] += "دين" if is_abjad(word) else word
        elif out and word in ARTICLES and i + 1 < n and words[i + 1] in _BARE_DIN:   # "salah ad din"
            out[-1] += words[i + 1]
            i += 1
        elif word not in ARTICLES or n == 1:
            out.append(without_article(word))
        i += 1
    return out


def _skeleton(word: str) -> str:
    return native_skeleton(word) if is_abjad(word) else latin_skeleton(word)


@lru_cache(maxsize=65536)
def abjad_tokens(name: str) -> tuple[str, ...]:
    """The skeletons of a name's words, in order, compounds joined: the name as an abjad writes it."""
    if not is_abjad(name):
        return latin_abjad(name_tokens(name))
    return tuple(s for s in (_skeleton(w) for w in _joined(_words(name))) if s)


@lru_cache(maxsize=131072)
def word_skeleton(word: str) -> str:
    """The skeleton of one folded Latin word, a glued article dropped ("alsinwar": "snr")."""
    return latin_skeleton(without_article(word))


def latin_abjad(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """`abjad_tokens` of a name in Latin letters from its identifying tokens: one cached skeleton a word,
    except in the rare names with a compound or an article, so a million listed names need no table."""
    if _SPECIAL.isdisjoint(tokens):
        return tuple(word_skeleton(t) for t in tokens)
    return tuple(s for s in map(latin_skeleton, _joined(list(tokens))) if s)


def abjad_parts(name: str) -> tuple[str, ...]:
    """The skeletons of a name's words, and of the parts of its compounds ("abdlrhmn" and "rhmn"): what
    a candidate may be filed under."""
    single = (without_article(w) for w in _words(name)
              if w not in ARTICLES and w not in _ALLAH and w not in _ABD and w not in _DIN)
    return tuple(dict.fromkeys((*abjad_tokens(name), *(s for s in map(_skeleton, single) if s))))


def abjad_key(tokens: tuple[str, ...]) -> str:
    """Skeletons sorted and joined: the form two names are compared in, whatever their order."""
    return " ".join(sorted(tokens))


def abjad_flat(tokens: tuple[str, ...], rotate: bool = False) -> str:
    """Skeletons run together in the name's order (with `rotate`, the first moved last, as "LAST, First"
    lists write it), the initial vowel of each but the first dropped, as it is inside a word ("امیرعلی"
    and "Amir Ali" compare alike)."""
    if rotate and len(tokens) > 1:
        tokens = (*tokens[1:], tokens[0])
    return "".join(t[1:] if i and t[0] == "a" and len(t) > 1 else t for i, t in enumerate(tokens))


@dataclass(frozen=True, slots=True)
class AbjadName:
    """A name's skeletons in the forms the matcher compares, made once per name rather than per query."""

    tokens: tuple[str, ...]
    key: str                # sorted and joined (`abjad_key`)
    flat: str               # run together in the name's order (`abjad_flat`)
    rotated: str            # run together, the first word last
    words: frozenset[str]


@lru_cache(maxsize=131072)
def abjad_name(tokens: tuple[str, ...]) -> AbjadName:
    """The comparable forms of a name's skeletons."""
    return AbjadName(tokens, abjad_key(tokens), abjad_flat(tokens), abjad_flat(tokens, rotate=True), frozenset(tokens))
