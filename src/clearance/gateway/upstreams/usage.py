"""Token counts as the audit records them, from either API's usage object.

The audit keeps one shape, ``{"input_tokens", "output_tokens"}``, whatever the caller and the
upstream spoke, so a report over a month of traffic does not need to know which model spoke which
dialect.  Anthropic's cache reads and writes are input too: they are what the prompt cost.
"""

from __future__ import annotations

from typing import Any

__all__ = ["from_anthropic", "from_openai", "merge_anthropic", "to_anthropic", "to_openai"]


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def from_openai(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    return {"input_tokens": _count(usage.get("prompt_tokens")),
            "output_tokens": _count(usage.get("completion_tokens"))}


def from_anthropic(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    return {"input_tokens": _count(usage.get("input_tokens")) + _count(usage.get("cache_creation_input_tokens"))
            + _count(usage.get("cache_read_input_tokens")),
            "output_tokens": _count(usage.get("output_tokens"))}


def to_openai(usage: dict[str, int] | None) -> dict[str, int]:
    used = usage or {"input_tokens": 0, "output_tokens": 0}
    return {"prompt_tokens": used["input_tokens"], "completion_tokens": used["output_tokens"],
            "total_tokens": used["input_tokens"] + used["output_tokens"]}


def to_anthropic(usage: dict[str, int] | None) -> dict[str, int]:
    used = usage or {"input_tokens": 0, "output_tokens": 0}
    return {"input_tokens": used["input_tokens"], "output_tokens": used["output_tokens"]}


def merge_anthropic(current: dict[str, int] | None, usage: Any) -> dict[str, int] | None:
    """A message_delta's usage over message_start's: output counts are running totals; input only when given."""
    if not isinstance(usage, dict):
        return current
    merged = dict(current) if current else {"input_tokens": 0, "output_tokens": 0}
    if usage.get("output_tokens") is not None:
        merged["output_tokens"] = _count(usage["output_tokens"])
    if any(usage.get(key) is not None for key in _ANTHROPIC_INPUT):
        merged["input_tokens"] = sum(_count(usage.get(key)) for key in _ANTHROPIC_INPUT)
    return merged


_ANTHROPIC_INPUT = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
