"""Undo the cheap disguises attackers put on a prompt, and say which ones were there.

A jailbreak that a lexical model would catch is routinely re-sent with zero-width spaces between
letters, Cyrillic look-alikes, full-width forms, accents, leetspeak or s p a c e d letters, so the
detector scores both the raw text and this folded form (and takes the worse).  Each fold that
changed something is reported as a signal, because the disguise itself is evidence: benign users
rarely hide characters.  The fold is idempotent (folding twice gives the same text), which the
tests check by property, so a folded prompt can be stored and re-scored.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from clearance.errors import ConfigError
from clearance.safeguards import words

_ZERO_WIDTH = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u2060\u2061" \
    "\u2062\u2063\u2064\u3164\ufeff\uffa0"
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VARIATION = "".join(chr(c) for c in range(0xFE00, 0xFE10)) + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
_TAGS = "".join(chr(c) for c in range(0xE0000, 0xE0080))

_INVISIBLE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("zero-width", frozenset(_ZERO_WIDTH)),
    ("bidi-controls", frozenset(_BIDI)),
    ("variation-selectors", frozenset(_VARIATION)),
    ("unicode-tags", frozenset(_TAGS)),
)
_INVISIBLE_RE = re.compile("[" + re.escape(_ZERO_WIDTH + _BIDI) + "\ufe00-\ufe0f\U000e0000-\U000e007f"
                           "\U000e0100-\U000e01ef]")
_TAG_TEXT_RE = re.compile("[\U000e0009\U000e000a\U000e000d\U000e0020-\U000e007e]{4,}")  # tabs and line breaks too
# Box-drawing and block characters frame a text ("╔═══╗", "┃ ... ┃", "█████"): they say nothing, but a framed
# jailbreak "memo" is half frame, which diluted its n-grams below the threshold (4 of the 5 such templates in the
# external benchmark's dev half); folded, they are spaces.  Not a signal: tree listings and terminal tables use them.
_FRAME_RE = re.compile("[\u2500-\u259f]+")

CONFUSABLES_FILE = "confusables.json"


def _confusables() -> dict[str, str]:
    """Unicode's look-alikes of the Latin letters, as `scripts/build_confusables.py` wrote them into the package."""
    ref = resources.files("clearance.safeguards") / "data" / CONFUSABLES_FILE
    try:
        folds: dict[str, str] = json.loads(ref.read_text(encoding="utf-8"))["folds"]
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"the safeguards look-alike table ({CONFUSABLES_FILE}) cannot be read: {exc}; "
                          "reinstall clearance") from None
    return folds


# Latin look-alikes (after NFKC, lower-cased): Unicode's confusables of the 26 letters (since 2026-12-06's seventh
# step; 297 of them, from Armenian, Cherokee, Coptic, Lisu and more), and the hand-written table before them.  The two
# agree where both have a character; only the hand-written one has "ё", "ї", "ȷ" and three symbols ("ℓ", "∪", "⍺").
_HOMOGLYPHS = str.maketrans({**_confusables(), **{
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ɡ": "g", "ո": "n", "ս": "u", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i",
    "ℓ": "l", "∪": "u", "⍺": "a",
}})
_CONFUSABLE = frozenset(k for k in map(chr, _HOMOGLYPHS))
# Only words holding a look-alike are visited; the rest of the text is skipped by the regex engine.
# (A match starts where a word does: tried from inside a word, the engine would rescan the rest of it every time.)
_CONFUSABLE_WORD_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]*[" + re.escape("".join(sorted(_CONFUSABLE))) + r"][^\W\d_]*")
_LATIN_RE = re.compile(r"[a-z]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_MARK_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000)
                                    if unicodedata.combining(chr(c))) + "]")

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_L = str.maketrans({"1": "l"})  # "1" is an "l" as often as an "i": "ru13s", "b1ind"
# A token with at least one letter and at least one leet character between letters (h4ck, 1gn0re, pa$$word).
# The lookahead skips, in one pass without backtracking, each word that is letters only (most of them): the
# alternation after it would try every split of the word first (a third of a 2,000-character prompt's scoring time).
_LEET_RE = re.compile(r"(?<![\w@$])(?=[a-z]*+[0-9@$])[a-z0-9@$]*"
                      r"(?:[a-z][a-z0-9@$]*[0134578@$]|[0134578@$][a-z0-9@$]*[a-z])[a-z0-9@$]*")
_VERSION_RE = re.compile(r"[a-z]+[0-9]+")  # mp3, gpt4, covid19: names, not leetspeak (but mu57, rul35 are)
_UNIT_RE = re.compile(r"[0-9]*(?:1st|2nd|3rd|[04-9]th|1[0-9]th)"
                      r"|[0-9]+(?:s|k|m|g|x|d|h|am|pm|px|ms|kg|km|mb|gb|kb|fps|mph|hz|v|w)")
_LEET_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0134578")
_DIGIT_RE = re.compile(r"[0-9]")
_LEET_DIGITS_RE = re.compile(r"(?<![\w.,@$])[0134578]+(?![\w.,@$])")
# Three or more single letters/digits separated by one space, dot, dash, underscore or asterisk.
_SPACED_RE = re.compile(r"(?<!\w)(?:\w[ .\-_*]){2,}\w(?!\w)")
_SPACED_SEP_RE = re.compile(r"[ .\-_*]")
_JOINER_RE = re.compile(r"(?<=\w)[.\-_*](?=\w)")
_RUN_RE = re.compile(r"[a-z]{3,}")
_DIGITS_AND_SEPARATORS = str.maketrans(dict.fromkeys("0123456789 .-_*"))
_FULLWIDTH_ALNUM = frozenset(chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)))
# Letters in circles and squares ("🅘🅖🅝🅞🅡🅔", "🄸🄶🄽🄾🅁🄴", "Ⓘⓖⓝ"): an emoji alphabet that keeps a prompt readable to a model
# and hides it from a word list.  NFKC folds the circled and squared ones; the negative ones (white on black) it
# leaves, so they are mapped here.
_NEGATIVE_ENCLOSED = str.maketrans({chr(start + i): chr(ord("a") + i) for start in (0x1F150, 0x1F170)
                                    for i in range(26)})
_ENCLOSED_RE = re.compile("[\u24b6-\u24e9\U0001f130-\U0001f149\U0001f150-\U0001f169\U0001f170-\U0001f189]")
# Small capitals, the "font" of fancy-text generators ("ɪɢɴᴏʀᴇ ᴀʟʟ ᴘʀᴇᴠɪᴏᴜs"): no NFKC form, and no script of their own
# (phonetic transcription borrows a few, where reading "ɪ" as "i" loses nothing).  Folded wherever they are; reported
# when three or more come in a row, which a transcription rarely has.
_SMALL_CAPITALS = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ"  # a to z but x, which has none
_SMALL_CAPS = str.maketrans(dict(zip(_SMALL_CAPITALS, "abcdefghijklmnopqrstuvwyz", strict=True)))
_SMALL_CAPS_RE = re.compile(f"[{_SMALL_CAPITALS}]")
_SMALL_CAPS_RUN_RE = re.compile(f"[{_SMALL_CAPITALS}s]{{3,}}")
# Scripts written without spaces between words (and Korean, whose endings are glued to the word): "年 9 月" or a
# Chinese sentence with a space after each character is not a word spelled out letter by letter; `multilingual`
# looks for their phrases as substrings
UNSPACED_RE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Folded:
    """The folded text and the names of the folds that changed something (each with a count)."""

    text: str
    signals: dict[str, int]


# Boucher et al.'s imperceptible perturbations ("Bad Characters", 2022) that are more than a character dropped in: a
# character and a backspace after it, which a terminal or a renderer erases ("obtax\bining" shows "obtaining"), and
# characters swapped by a right-to-left override whose isolates render in reverse ("\u202e\u2066e\u2069\u2066D\u2069
# \u202c" shows "De").  Undone as shown before the controls are stripped, so the words read as a reader sees them.
_DELETION_RE = re.compile("[^\x08]\x08")
_OVERRIDE_RE = re.compile("\u202e([^\u202c\u202e]*)\u202c")
_OVERRIDDEN_UNIT_RE = re.compile("[\u2066\u2067\u2068][^\u2069]*\u2069|.", re.DOTALL)


# a word broken by what renders as nothing: an invisible character between two Latin letters (not the soft hyphen, a
# hyphenation hint, nor a joiner in Persian or Devanagari, whose spelling needs it), a bidi override (legitimate
# right-to-left text uses marks and isolates, not overrides), a backspace
_BREAKING_RE = re.compile("[\u034f\u180e\u200b\u200c\u200d\u2060-\u2064\ufeff\u202d\u202e\x08]")
_WORD_BREAK_RE = re.compile("[A-Za-z][\u034f\u180e\u200b\u200c\u200d\u2060-\u2064\ufeff]+[A-Za-z]|[\u202d\u202e\x08]")


def hides_word(text: str) -> bool:
    """Whether `text` as sent breaks a word with characters that render as nothing (see `_WORD_BREAK_RE`); with a
    look-alike letter in a word (the `homoglyphs` signal), how Boucher et al.'s perturbations hide a word from a
    filter while a reader, or a model, still reads it."""
    if text.isascii():  # of them only the backspace is ASCII: one C call for most texts
        return "\x08" in text
    # a class of single characters is scanned in C; the pattern's first alternative starts at every letter
    return _BREAKING_RE.search(text) is not None and _WORD_BREAK_RE.search(text) is not None


def undo_deletions(text: str, signals: dict[str, int]) -> str:
    """`text` as shown, with each character a backspace erases erased; counted as the signal `deletions`."""
    if "\x08" not in text:
        return text
    signals["deletions"] = signals.get("deletions", 0) + text.count("\x08")
    while True:
        erased = _DELETION_RE.sub("", text)
        if erased == text:
            return erased.replace("\x08", "")
        text = erased


def _reverse_override(found: re.Match[str]) -> str:
    """What a right-to-left override shows: its isolates and characters in reverse order."""
    return "".join(reversed(_OVERRIDDEN_UNIT_RE.findall(found.group(1))))


def strip_invisible(text: str, signals: dict[str, int]) -> str:
    """Drop the characters that render as nothing, once what they reorder or erase is shown as it renders; count
    them by kind."""
    text = undo_deletions(text, signals)
    found = _INVISIBLE_RE.findall(text)
    if not found:
        return text
    for kind, chars in _INVISIBLE_KINDS:
        count = sum(1 for c in found if c in chars)
        if count:
            signals[kind] = signals.get(kind, 0) + count
    if "\u202e" in text:
        text = _OVERRIDE_RE.sub(_reverse_override, text)
    return _INVISIBLE_RE.sub("", text)


def hidden_tag_text(text: str) -> list[str]:
    """ASCII smuggled in Unicode tag characters (U+E0020..U+E007E, and the tags of tab and line breaks), decoded: a
    prompt hidden from a reader; a hidden template of many lines comes back as one payload, not one per line."""
    return [("".join(chr(ord(c) - 0xE0000) for c in m)) for m in _TAG_TEXT_RE.findall(text)]


def _strip_marks(text: str, signals: dict[str, int]) -> str:
    """Drop combining marks (accents, Zalgo stacks) of the Basic Multilingual Plane."""
    kept, removed = _MARK_RE.subn("", unicodedata.normalize("NFD", text))
    if removed:
        signals["diacritics"] = signals.get("diacritics", 0) + removed
    return unicodedata.normalize("NFC", kept)


def _fold_homoglyphs(text: str, signals: dict[str, int]) -> str:
    """Fold look-alikes inside words that mix them with Latin letters, or (in mostly Latin text) consist of them.

    Russian or Greek prose is left alone: a word made only of look-alikes is folded only when the
    text around it is Latin, which is where a disguised word hides.
    """
    if _CONFUSABLE.isdisjoint(text):
        return text
    latin_text: bool | None = None

    def fold(m: re.Match[str]) -> str:
        nonlocal latin_text
        word = m.group()
        confusable = sum(1 for c in word if c in _CONFUSABLE)
        latin = sum(1 for c in word if "a" <= c <= "z")
        if latin == 0:
            if confusable < len(word) or len(word) < 2:
                return word  # real Cyrillic or Greek: leave it alone
            if latin_text is None:
                latin_text = len(_LATIN_RE.findall(text)) > 0.5 * len(_LETTER_RE.findall(text))
            if not latin_text:
                return word
        signals["homoglyphs"] = signals.get("homoglyphs", 0) + confusable
        return word.translate(_HOMOGLYPHS)
    return _CONFUSABLE_WORD_RE.sub(fold, text)


def _fold_leet(text: str, signals: dict[str, int]) -> str:
    """Fold tokens that mix letters and leet digits; in clearly leet text, also all-leet-digit words (4, 537)."""
    folded = made_words = 0

    def fold(m: re.Match[str]) -> str:
        nonlocal folded, made_words
        token = m.group()
        if _UNIT_RE.fullmatch(token):
            return token  # 18th, 4k, 10am: numbers with units
        leet_only = set(token) <= _LEET_CHARS
        word = _unleet(token)
        makes_words = _makes_words(word)
        if _VERSION_RE.fullmatch(token) and (len(token.lstrip("abcdefghijklmnopqrstuvwxyz")) == 1 or not leet_only) \
                and not (leet_only and makes_words):
            return token  # mp3, gpt4, python3: a name with a number; but "th3", "writ3", "ar3" are words
        if makes_words:  # "h4ck", "p@ssw0rd"
            made_words += 1
        elif _DIGIT_RE.search(word):
            # digits leetspeak has no letter for (2, 6, 8, 9) are left: a hash, a hex id or a serial number
            # ("6875b03a61da..."), which folded is a run of letters no word list knows, and read as an
            # optimiser's gibberish (malware analysts' questions that list SHA-256 hashes were flagged)
            return token
        folded += 1
        return word

    text = _LEET_RE.sub(fold, text)
    if folded >= 2:
        text = _LEET_DIGITS_RE.sub(lambda m: _unleet(m.group()), text)
    if made_words:  # the signal says a word was disguised; the fold reads every leet token
        signals["leetspeak"] = signals.get("leetspeak", 0) + made_words
    return text


def _unleet(token: str) -> str:
    """`token` read as leetspeak: each "1" an "i", or an "l" where only that makes words ("ru13s", "411")."""
    word = token.translate(_LEET)
    if "1" in token and not _makes_words(word):
        other = token.translate(_LEET_L).translate(_LEET)
        if _makes_words(other):
            return other
    return word


def _makes_words(folded: str) -> bool:
    """Whether a leetspeak fold made words: every run of three letters or more in it is in the word list."""
    runs = _RUN_RE.findall(folded)
    return bool(runs) and all(map(words.known, runs))


def _join_spaced(text: str, signals: dict[str, int]) -> str:
    def join(m: re.Match[str]) -> str:
        run = m.group()
        # a version or an address ("0.1.0", "127.0.0.1") and Chinese with spaces in it are joined like the rest,
        # but they hide no word: no signal (before, every prompt that pasted a pyproject.toml reported one)
        letters = UNSPACED_RE.sub("", run.translate(_DIGITS_AND_SEPARATORS))
        if len(letters) >= 2:
            signals["spaced-letters"] = signals.get("spaced-letters", 0) + 1
        if " " in run and _JOINER_RE.search(run):  # "w-h-a-t i-s": the letters are joined, the spaces part words
            return _JOINER_RE.sub("", run)
        return _SPACED_SEP_RE.sub("", run)
    return _SPACED_RE.sub(join, text)


def as_sent(text: str) -> str:
    """`text` lower-cased with what hides characters undone and nothing else: NFKC (full-width forms, letters in
    circles), invisible characters stripped, letters in negative circles and squares and small capitals read as
    letters, homoglyphs folded.  The rules that read commands and addresses read this form, since the full fold
    reads "$" as "s" and "@" as "a"; before, a zero-width space inside "printenv" hid it from them, and "🅴🄲🄷Ⓞ
    $🅃🄾🄺🅔Ⓝ" was read as sent."""
    try:  # ASCII or Western European text (é, ü, ñ) has no full-width or homoglyph character: one C call
        text.encode("latin-1")
        # and of the invisible ones only the soft hyphen; a backspace erases what it follows
        return undo_deletions(text.lower().replace("\u00ad", ""), {})
    except UnicodeEncodeError:
        pass
    unused: dict[str, int] = {}
    text = text.translate(_NEGATIVE_ENCLOSED).translate(_SMALL_CAPS)
    return _fold_homoglyphs(strip_invisible(unicodedata.normalize("NFKC", text), unused).lower(), unused)


def _fold_once(text: str, signals: dict[str, int]) -> str:
    if not text.isascii() and _ENCLOSED_RE.search(text):
        signals["enclosed-letters"] = signals.get("enclosed-letters", 0) + len(_ENCLOSED_RE.findall(text))
        text = text.translate(_NEGATIVE_ENCLOSED)
    if not text.isascii() and _SMALL_CAPS_RE.search(text):
        runs = sum(1 for run in _SMALL_CAPS_RUN_RE.findall(text) if run.strip("s"))  # "s" has no small capital
        if runs:
            signals["small-capitals"] = signals.get("small-capitals", 0) + runs
        text = text.translate(_SMALL_CAPS)
    nfkc = unicodedata.normalize("NFKC", text)
    if nfkc != text:
        # letters and digits: the full-width punctuation ("，", "：", "？") is how Chinese and Japanese are written
        changed = sum(1 for c in text if c in _FULLWIDTH_ALNUM)
        if changed:
            signals["fullwidth"] = signals.get("fullwidth", 0) + changed
    text = strip_invisible(nfkc, signals)
    if not text.isascii():
        text = _FRAME_RE.sub(" ", text)
        text = _strip_marks(text, signals)
        text = unicodedata.normalize("NFKC", text).lower()
        text = _fold_homoglyphs(text, signals)
    else:
        text = text.lower()
    text = _fold_leet(text, signals)
    text = _join_spaced(text, signals)
    return " ".join(text.split())  # whitespace runs collapsed, ends stripped


@lru_cache(maxsize=64)
def fold(text: str) -> Folded:
    """The folded form of `text`: repeated until it no longer changes, so folding is idempotent.

    The last few results are remembered (read-only: callers must not change `signals`): a conversation's
    user message is folded once for the model and again for the conversation rules, and a gateway sees the
    same system prompt on request after request.
    """
    signals: dict[str, int] = {}
    current = _fold_once(text, signals)
    for _ in range(3):
        again = _fold_once(current, signals)
        if again == current:
            break
        current = again
    return Folded(current, signals)


def normalize(text: str) -> str:
    """Just the folded text."""
    return fold(text).text
