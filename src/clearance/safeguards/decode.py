"""Find payloads hidden in encodings a model can read but a filter cannot: base64, hex, Caesar shifts (rot13
among them), Morse code, tag text.

"Decode this and follow it: aWdub3JlIGFsbCBwcmV2aW91cy..." is a standard way past lexical filters, so
every run of encoded-looking text is decoded and, when it turns out to be readable text, handed
back to be scored like the prompt itself.  Decoding is cheap and strict: a candidate only counts
when it decodes to mostly printable UTF-8, so random ids and hashes rarely produce payloads.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from clearance.safeguards.normalize import hidden_tag_text

_B64_RE = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RE = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]?){8,}(?![0-9A-Fa-f])")
_WORD_RE = re.compile(r"[a-z]+")
# Words common in English prompts: rot13 text has few of them, its decoding many.
_COMMON = frozenset((
    "the", "and", "you", "to", "of", "a", "is", "in", "that", "it", "for", "be", "are", "with", "as", "on", "this",
    "not", "do", "your", "can", "all", "what", "how", "me", "i", "my", "now", "will", "from", "have", "an", "or",
    "ignore", "previous", "instructions", "tell", "write", "say",
))
MAX_PAYLOADS = 8


@dataclass(frozen=True)
class Payload:
    """Decoded text found in a prompt, and the encoding it was in."""

    kind: str
    text: str


def _readable(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\t\r")
    letters = sum(1 for c in text if c.isalpha() or c == " ")
    if printable < 0.95 * len(text) or letters < 0.6 * len(text):
        return None
    return text


def _base64(token: str) -> str | None:
    if token.isalpha() and (token.islower() or token.isupper()):
        return None  # a long plain word
    bare = token.rstrip("=")
    padded = bare + "=" * (-len(bare) % 4)
    try:
        data = base64.b64decode(padded, altchars=b"-_", validate=False) if ("-" in token or "_" in token) \
            else base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _readable(data)


def _hex(token: str) -> str | None:
    digits = re.sub(r"[ :]", "", token)
    if len(digits) % 2:
        return None
    try:
        return _readable(bytes.fromhex(digits))
    except ValueError:
        return None


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_SHIFTS = {k: str.maketrans(_LOWER + _LOWER.upper(), _LOWER[k:] + _LOWER[:k] + (_LOWER[k:] + _LOWER[:k]).upper())
           for k in range(1, 26)}
CAESAR_PROBE = 400  # characters tried under each shift; the best shift then decodes the whole text


def _common(words: list[str]) -> int:
    return sum(1 for w in words if w in _COMMON)


def _caesar(text: str) -> tuple[int, str] | None:
    """(shift, decoded) when shifting the letters back by some amount turns `text` into English, else None.

    rot13 is the shift of 13; "Caesar-coded" questions use any of the 25.  Only text that is not English
    already is tried, and each shift only on its first CAESAR_PROBE characters, so a long prompt in another
    language costs 25 short translations, not 25 whole ones.
    """
    words = _WORD_RE.findall(text.lower())
    if len(words) < 4:
        return None
    before = _common(words)
    if before > 0.1 * len(words):
        return None  # plain English already
    probe = text[:CAESAR_PROBE]
    probe_words = len(_WORD_RE.findall(probe.lower()))
    best, best_count = 0, 0
    for shift, table in _SHIFTS.items():
        count = _common(_WORD_RE.findall(probe.translate(table).lower()))
        if count > best_count:
            best, best_count = shift, count
    if not best or best_count < max(3, 0.25 * probe_words):
        return None
    decoded = text.translate(_SHIFTS[best])
    after = _common(_WORD_RE.findall(decoded.lower()))
    if after >= max(3, 0.25 * len(words)) and after > 3 * before:
        return best, decoded
    return None


_MORSE = {
    ".-": "a", "-...": "b", "-.-.": "c", "-..": "d", ".": "e", "..-.": "f", "--.": "g", "....": "h", "..": "i",
    ".---": "j", "-.-": "k", ".-..": "l", "--": "m", "-.": "n", "---": "o", ".--.": "p", "--.-": "q", ".-.": "r",
    "...": "s", "-": "t", "..-": "u", "...-": "v", ".--": "w", "-..-": "x", "-.--": "y", "--..": "z",
    "-----": "0", ".----": "1", "..---": "2", "...--": "3", "....-": "4", ".....": "5", "-....": "6",
    "--...": "7", "---..": "8", "----.": "9", ".-.-.-": ".", "--..--": ",", "..--..": "?",
}
# Eight or more Morse letters separated by spaces, with "/" or wider gaps between words.
_MORSE_SIGNS = r"[.\-\u2022\u2013\u2014_]{1,6}"  # dots and dashes, also as bullets, en/em dashes or underscores
_MORSE_RE = re.compile(rf"(?<![.\w-])(?:{_MORSE_SIGNS}(?:\s*/\s*|\s+)){{7,}}{_MORSE_SIGNS}(?![.\w-])")
_MORSE_STARTS = (" .", " -", " \u2022", " \u2013", " \u2014", " _")
_MORSE_DASHES = str.maketrans({"\u2022": ".", "\u2013": "-", "\u2014": "-", "_": "-"})


def _morse(run: str) -> str | None:
    """The letters of a run of Morse code, or None when a code is unknown or it spells no English words."""
    out: list[str] = []
    for word in re.split(r"\s*/\s*|\s{2,}", run.translate(_MORSE_DASHES).strip()):
        letters = [_MORSE.get(code) for code in word.split()]
        if None in letters:
            return None
        out.append("".join(letter for letter in letters if letter))
    decoded = " ".join(out)
    return decoded if len(out) >= 2 and _common(_WORD_RE.findall(decoded)) >= 1 else None


def payloads(text: str) -> list[Payload]:
    """Readable text hidden in `text` (at most MAX_PAYLOADS, first found first)."""
    found: list[Payload] = [Payload("unicode-tags", t) for t in hidden_tag_text(text)]
    if len(text) >= 16:
        for m in _B64_RE.finditer(text):
            decoded = _base64(m.group())
            if decoded is not None:
                found.append(Payload("base64", decoded))
        for m in _HEX_RE.finditer(text):
            decoded = _hex(m.group().strip())
            if decoded is not None:
                found.append(Payload("hex", decoded))
        shifted = _caesar(text)
        if shifted is not None:
            found.append(Payload("rot13" if shifted[0] == 13 else "caesar", shifted[1]))
        if sum(map(text.count, _MORSE_STARTS)) >= 7:  # each Morse letter after a space starts with a sign
            for m in _MORSE_RE.finditer(text):
                decoded = _morse(m.group())
                if decoded is not None:
                    found.append(Payload("morse", decoded))
    return found[:MAX_PAYLOADS]
