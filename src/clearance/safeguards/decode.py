"""Find payloads hidden in encodings a model can read but a filter cannot: base64, hex, rot13, tag text.

"Decode this and follow it: aWdub3JlIGFsbCBwcmV2aW91cy..." is a standard way past lexical filters, so
every run of encoded-looking text is decoded and, when it turns out to be readable text, handed
back to be scored like the prompt itself.  Decoding is cheap and strict: a candidate only counts
when it decodes to mostly printable UTF-8, so random ids and hashes rarely produce payloads.
"""

from __future__ import annotations

import base64
import binascii
import codecs
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


def _rot13(text: str) -> str | None:
    words = _WORD_RE.findall(text.lower())
    if len(words) < 4:
        return None
    before = sum(1 for w in words if w in _COMMON)
    if before > 0.1 * len(words):
        return None  # plain English already
    decoded = codecs.decode(text, "rot13")
    after = sum(1 for w in _WORD_RE.findall(decoded.lower()) if w in _COMMON)
    if after >= max(3, 0.25 * len(words)) and after > 3 * before:
        return decoded
    return None


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
        rot = _rot13(text)
        if rot is not None:
            found.append(Payload("rot13", rot))
    return found[:MAX_PAYLOADS]
