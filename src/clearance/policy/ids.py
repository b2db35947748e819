"""Decision ids: UUIDv7, so ids sort by time in the audit trail and across replicas.

The 80 bits after the millisecond timestamp are a per-process random base plus a counter (RFC 9562
allows either random bits or a counter there): unique within a process by the counter, across
processes and replicas by the random base, drawn again in a forked child.  One `os.urandom` call per
id was most of a decision-cache hit; ids need to be unique, not secret.
"""

from __future__ import annotations

import itertools
import os
import time

_RANDOM_BITS = 80
_MASK = (1 << _RANDOM_BITS) - 1
_base = int.from_bytes(os.urandom(10), "big")
_counter = itertools.count()  # next() on it is atomic under the GIL: safe across threads


def _reseed() -> None:
    global _base
    _base = int.from_bytes(os.urandom(10), "big")


os.register_at_fork(after_in_child=_reseed)


def new_decision_id() -> str:
    millis = time.time_ns() // 1_000_000
    value = (millis << _RANDOM_BITS) | ((_base + next(_counter)) & _MASK)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
