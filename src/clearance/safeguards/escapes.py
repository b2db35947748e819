"""Undo the escapes text travels in: JSON documents, percent-encoding, `\\u` and `\\x` escapes, HTML references,
and a terminal's control sequences.

These are not disguises a reader has to work out, they are how text is carried: a URL's query, a JSON
document written with `ensure_ascii` (every Chinese character a `\\u4f60`), a web page's `&#105;`.  A model
reads through them at once, so the detector must too, before anything else.  Scored as sent, a paragraph
of Chinese pasted as JSON was a run of odd tokens that read like an adversarial suffix (108 of 112 of the
external benchmark's Chinese writing requests flagged that way; none as plain text), while
"Ignore%20all%20previous%20instructions" hid its words from the model.

Only escapes that hid ASCII letters are reported, as a signal per kind: escaping non-ASCII text is what JSON
and URLs do every day, escaping plain English letters is what someone hiding them does.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

# Each pattern starts with its literal ("%", "\\", "&"), so the engine skips to it: written as "(?:%..)+", the percent
# pattern took 30 microseconds to scan 2,000 characters instead of 0.7.
_PERCENT_RE = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_ONE_BACKSLASH = r"(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2})"
_BACKSLASH_RE = re.compile(rf"\\{_ONE_BACKSLASH}(?:\\{_ONE_BACKSLASH})*")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
# A terminal's control sequences (colours, cursor moves, window titles): a pasted or captured terminal log is full
# of them, and they mean nothing to a model but odd tokens (a benign prompt with a code every few letters was always
# flagged).
_TERMINAL_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_SPLIT_WORD_RE = re.compile(r"[A-Za-z]\x1b[^A-Za-z]*?[@-~][A-Za-z]")
_JSON_START_RE = re.compile(r"\s*[{\[]")
JSON_DEPTH = 4  # JSON documents read inside JSON strings, at most


@dataclass(frozen=True)
class Unescaped:
    """The text with its escapes undone, and per kind what they hid: ASCII letters escaped, terminal codes in words."""

    text: str
    hidden: dict[str, int]


def _percent(run: str) -> str | None:
    try:
        return bytes.fromhex(run.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return None  # Latin-1 bytes or random "%ab": not text this can read


def _backslash(run: str) -> str | None:
    if "\\u" not in run and "\\U" not in run:  # only \x: bytes, as C and Python write UTF-8
        try:
            return bytes.fromhex(run.replace("\\x", "")).decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        decoded = run.encode("ascii").decode("unicode_escape")
        return decoded.encode("utf-16", "surrogatepass").decode("utf-16")  # pairs as JSON writes emoji
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None  # a lone surrogate, a code point past U+10FFFF


def _entities(run: str) -> str | None:
    decoded = html.unescape(run)
    return decoded if decoded != run else None


_KINDS: tuple[tuple[str, str, re.Pattern[str], Callable[[str], str | None]], ...] = (
    ("percent-encoded", "%", _PERCENT_RE, _percent),
    ("escaped-unicode", "\\", _BACKSLASH_RE, _backslash),
    ("html-entities", "&", _ENTITY_RE, _entities),
)


def json_text(text: str) -> str | None:
    """The text a JSON document carries, or None when `text` is not one object or array.

    An application that sends its input as JSON (`{"question": ..., "context": ...}`) puts every line break of
    a pasted function or document behind a `\\n` and every quote behind a `\\"`: one long line of odd tokens,
    which the suffix cues read as an optimiser's (83 of 95 HumanEval prompts sent as `{"task": ...}` flagged,
    none sent plainly).  The model reads the strings, so the detector does too: each string on a line of its
    own, in the document's order, with the keys that are phrases (a key that names a field, "task" or
    "user_id", is left out: as "task: ..." the line would read as data, and the suffix cues would not look).
    """
    stripped = text.strip()
    if not stripped or stripped[0] not in "{[" or stripped[-1] not in "}]":
        return None
    lines: list[str] = []
    try:
        document = json.loads(stripped)
        if not isinstance(document, dict | list):
            return None
        _strings(document, lines)
    except (ValueError, RecursionError):  # not JSON, numbers too large to read, or nested past the stack ("[[[[...")
        return None
    return "\n".join(lines) if lines else None


def _strings(value: object, lines: list[str]) -> None:
    if isinstance(value, str):
        lines.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if " " in str(key).strip():  # a key that is a phrase is read too; "task" or "user_id" is a name
                lines.append(str(key))
            _strings(item, lines)
    elif isinstance(value, list):
        for item in value:
            _strings(item, lines)


def unescape(text: str) -> Unescaped:
    """`text` with every escape it holds decoded where it decodes to text; the rest is left as it is.  A text that
    is a JSON document is read as the strings it carries (`json_text`)."""
    hidden: dict[str, int] = {}
    text = _without_terminal_codes(text, hidden)  # first: a raw control character makes a JSON string invalid
    for _ in range(JSON_DEPTH):  # a JSON string that holds a JSON document, as logs and APIs double-encode
        carried = json_text(text) if _JSON_START_RE.match(text) else None
        if carried is None:
            break
        text = carried
    for kind, marker, pattern, decode in _KINDS:
        if marker in text:  # most prompts have none of them: one C-level scan each
            text = pattern.sub(_replacer(kind, decode, hidden), text)
    return Unescaped(_without_terminal_codes(text, hidden), hidden)  # and what JSON or "\u001b" carried


def _without_terminal_codes(text: str, hidden: dict[str, int]) -> str:
    if "\x1b" not in text:
        return text
    inside = len(_SPLIT_WORD_RE.findall(text))  # a code between two letters of a word hides the word
    if inside:
        hidden["terminal-codes"] = hidden.get("terminal-codes", 0) + inside
    return _TERMINAL_RE.sub("", text)


def _replacer(kind: str, decode: Callable[[str], str | None], hidden: dict[str, int]) -> Callable[[re.Match[str]], str]:
    def replace(m: re.Match[str]) -> str:
        decoded = decode(m.group())
        if decoded is None:
            return m.group()
        letters = len(_ASCII_LETTER_RE.findall(decoded))
        if letters:
            hidden[kind] = hidden.get(kind, 0) + letters
        return decoded
    return replace
