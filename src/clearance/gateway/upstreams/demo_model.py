"""The demo model's answers: deterministic, local, and obviously a demo.

A new user's first request must work on a machine with no model server and no network, and its
answer must show what happened: which model served it (the fallback's name on a degrade) and that
the prompt arrived (a short echo of the last user message).  Tokens are counted as words, and
embeddings are unit vectors drawn from a hash of the text, so the same input always gives the
same output and tests can rely on it.
"""

from __future__ import annotations

import hashlib
import math
import struct
from typing import Any

from clearance.gateway.upstreams.call import CallerApi

__all__ = ["DEFAULT_DIMENSIONS", "embedding", "input_texts", "reply_words", "words"]

DEFAULT_DIMENSIONS = 256
MAX_DIMENSIONS = 4096
_ECHO_WORDS = 12
_ECHO_CHARS = 80


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part["text"] for part in content
                        if isinstance(part, dict) and isinstance(part.get("text"), str))
    return ""


def input_texts(api: CallerApi, body: dict[str, Any]) -> list[str]:
    """Every text the caller sent, in order: what the demo counts as input tokens."""
    if api == "completions":
        prompt = body.get("prompt")
        if isinstance(prompt, str):
            return [prompt]
        return [p for p in prompt if isinstance(p, str)] if isinstance(prompt, list) else []
    if api == "embeddings":
        given = body.get("input")
        if isinstance(given, str):
            return [given]
        if isinstance(given, list):
            return [item if isinstance(item, str) else str(item) for item in given]
        return []
    texts = [_text(body.get("system"))] if api == "messages" and body.get("system") else []
    messages = body.get("messages")
    if isinstance(messages, list):
        texts += [_text(m.get("content")) for m in messages if isinstance(m, dict)]
    return texts


def _last_user_text(api: CallerApi, body: dict[str, Any]) -> str:
    if api == "completions":
        texts = input_texts(api, body)
        return texts[-1] if texts else ""
    messages = body.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "user":
                return _text(message.get("content"))
    return ""


def words(text: str) -> int:
    """The demo's token count: words, at least one for any text."""
    return len(text.split()) or (1 if text else 0)


def reply_words(api: CallerApi, body: dict[str, Any], model_id: str) -> tuple[list[str], bool]:
    """The answer as pieces of one word each (with their leading space), and whether max_tokens cut it."""
    echo = " ".join(_last_user_text(api, body).split()[:_ECHO_WORDS])
    if len(echo) > _ECHO_CHARS:
        echo = echo[:_ECHO_CHARS - 1] + "…"
    text = f"This is {model_id}, Clearance's built-in demo model, answering locally."
    text += f' You said: "{echo}"' if echo else " You said nothing I could read."
    pieces = text.split(" ")
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    cut = isinstance(limit, int) and not isinstance(limit, bool) and 0 < limit < len(pieces)
    if cut:
        pieces = pieces[:limit]
    return [pieces[0], *(" " + piece for piece in pieces[1:])], cut


def embedding(text: str, dimensions: int) -> list[float]:
    """A unit vector from the text's hash: equal texts, equal vectors."""
    raw = b""
    counter = 0
    while len(raw) < dimensions * 4:
        raw += hashlib.blake2b(text.encode("utf-8"), digest_size=64, salt=counter.to_bytes(8, "little")).digest()
        counter += 1
    values = [v / 2_147_483_648 for v in struct.unpack(f"<{dimensions}i", raw[:dimensions * 4])]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]
