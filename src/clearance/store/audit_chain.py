"""The audit chain's encoding: what exactly is hashed and what exactly is signed.

A record's hash is SHA-256 (lower-case hex) of the UTF-8 bytes of

    {"at":AT,"kind":KIND,"payload":PAYLOAD,"prev":PREV,"seq":SEQ}

that is, the canonical JSON of those five fields: keys sorted, no whitespace (separators "," and
":"), non-ASCII characters as themselves (not \\u escapes), no NaN or infinities, numbers as Python
writes them.  AT is the instant in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fractional
digits), PREV the previous record's hash (64 zeros before the first record), SEQ the record's
position counted from 1.  The payload is canonical JSON too and is stored as that very text, so
the hash covers the bytes in the database, not a re-encoding of them.

A checkpoint signs, with Ed25519, the canonical JSON of
`{"at":AT,"hash":HASH,"key":KEY_ID,"seq":SEQ,"type":"clearance.audit.checkpoint/1"}`:
"the record at SEQ has HASH", so everything up to SEQ is fixed by a key an attacker with only
database access does not hold.  KEY_ID is the first 16 hex digits of SHA-256 of the raw 32-byte
public key.

`clearance/audit/verify_pack.py` implements the same encoding independently (it must run with
only the standard library and `cryptography`); tests check the two agree.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import orjson

from clearance.errors import DataError

GENESIS = "0" * 64  # the `prev` of record 1
CHECKPOINT_TYPE = "clearance.audit.checkpoint/1"
_AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def canonical(value: Any) -> str:
    """The canonical JSON text of `value`; DataError when it is not JSON (a datetime, NaN, a set)."""
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise DataError(f"audit payload is not plain JSON: {exc}") from None
    return text


def parse_canonical(text: bytes) -> tuple[Any, str]:
    """The value of JSON `text` and its canonical text (`canonical`); ValueError for text that is not
    JSON, DataError for JSON that has no canonical form (NaN, a lone surrogate).

    The audit ingester does this for every spooled record, and the standard library's parse and
    sorted encoding were half of its time.  orjson does both several times faster, and its compact
    sorted text is the canonical text except for numbers: it writes floats under 1e-4 differently
    (0.00001 and 1e-7 where Python writes 1e-05 and 1e-07), and reads integers beyond 64 bits as
    floats (which it then writes with an exponent).  So text whose orjson encoding holds a number
    with an exponent or a "0.0000" goes the standard library's way (as does a string that merely
    looks like one: slower, never different).  The equivalence is a property test
    (`tests/audit/test_audit_encoding.py`), and `verify_pack.py` hashes with the standard library
    alone, so a difference could not go unnoticed by a verifier either.
    """
    try:
        value = orjson.loads(text)
        fast = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONDecodeError, TypeError):  # NaN, a lone surrogate, deep nesting: let the standard library judge
        pass
    else:
        if b"0.0000" not in fast and not _has_exponent(fast):
            return value, fast.decode("utf-8")
    value = json.loads(text)
    return value, canonical(value)


_DIGITS = frozenset(b"0123456789.")
_BEFORE_NUMBER = frozenset(b":,[")


def _has_exponent(compact: bytes) -> bool:
    """Whether orjson's compact text holds a number with an exponent (a number starts the text or
    follows ":", "," or "[")."""
    for marker in (b"e-", b"e+"):
        at = compact.find(marker)
        while at > 0:
            start = at - 1
            while start >= 0 and compact[start] in _DIGITS:
                start -= 1
            if start < at - 1 and start >= 0 and compact[start] == 45:  # a minus sign
                start -= 1
            if start < at - 1 and (start < 0 or compact[start] in _BEFORE_NUMBER):
                return True
            at = compact.find(marker, at + 2)
    return False


def at_text(instant: datetime) -> str:
    """The record time as hashed: UTC, microseconds, `Z` (`_AT_FORMAT`).

    Made on every request, so from `isoformat` (faster than `strftime`, and the same text for every
    year from 1000 on; before that its four-digit years are what ISO 8601 asks and strptime reads)."""
    if instant.tzinfo is None:
        raise DataError(f"audit record time {instant.isoformat()} has no timezone")
    utc = instant if instant.tzinfo is UTC else instant.astimezone(UTC)
    return utc.isoformat(timespec="microseconds")[:-6] + "Z"


def parse_at_text(text: str) -> datetime:
    """The instant `at_text` wrote; ValueError for text not in that form.

    Read back once per spooled record by the ingester: `fromisoformat` for text of exactly the
    written shape, `strptime` (strict, and slow) for anything else."""
    if len(text) == 27 and text[4] == "-" and text[10] == "T" and text[19] == "." and text[26] == "Z":
        return datetime.fromisoformat(text)  # 3.11 reads the Z as UTC
    return datetime.strptime(text, _AT_FORMAT).replace(tzinfo=UTC)


def record_bytes(seq: int, prev: str, at: str, kind: str, payload: str) -> bytes:
    """The encoding above, built around the stored payload text (which is canonical JSON)."""
    return ('{"at":' + _string(at) + ',"kind":' + _string(kind) + ',"payload":' + payload
            + ',"prev":' + _string(prev) + ',"seq":' + str(seq) + "}").encode("utf-8")


def _string(text: str) -> str:
    """`json.dumps(text)`, without its cost for the plain ASCII every well-formed record has (a time,
    a kind, a hex digest): the chain's writer hashes every record, so this is on its hot path."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    return json.dumps(text)


def record_hash(seq: int, prev: str, at: str, kind: str, payload: str) -> str:
    return hashlib.sha256(record_bytes(seq, prev, at, kind, payload)).hexdigest()


def checkpoint_message(seq: int, hash: str, at: str, key_id: str) -> bytes:
    return canonical({"at": at, "hash": hash, "key": key_id, "seq": seq, "type": CHECKPOINT_TYPE}).encode("utf-8")


def key_id(raw_public_key: bytes) -> str:
    return hashlib.sha256(raw_public_key).hexdigest()[:16]
