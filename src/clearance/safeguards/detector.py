"""The safeguards detector: one score, the signals behind it and the capability categories of a request.

A prompt is scored in every form an upstream model could read it in: as sent, folded (see
`normalize`), and each payload decoded from base64, hex, rot13 or tag characters (see `decode`).
Long inputs are cut into overlapping chunks and the worst chunk counts, so a jailbreak buried in a
long document or a many-shot dialogue is not diluted by the text around it.  The score is the
worst over all of these; a disguise found on the way is reported as a signal, not added to the
score, so that an operator sees why without a benign emoji sequence tripping a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.safeguards import capabilities, decode
from clearance.safeguards.model import LinearModel, shipped
from clearance.safeguards.normalize import fold

# A prompt of up to 2,000 characters (most of them) is one window; longer ones are cut every 1,000 characters,
# so an attack of up to 1,000 characters lies whole in some window with at most as much other text.
CHUNK_CHARS = 2000
CHUNK_OVERLAP = 1000
SCREENED_ROLES = frozenset({"user", "system", "developer"})
MAX_DEPTH = 2  # payloads inside payloads: base64 of rot13 is as far as anyone needs to go


@dataclass(frozen=True)
class Assessment:
    """What the detector found: `score` in [0, 1], the `signals` that fired, `categories` with scores."""

    score: float
    signals: tuple[str, ...] = ()
    categories: Mapping[str, float] = field(default_factory=dict)

    def flagged(self, threshold: float) -> bool:
        return self.score >= threshold


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Overlapping windows of `text`, each at most `size` characters; one window for a short text."""
    if len(text) <= size:
        return [text]
    step = size - overlap
    return [text[start:start + size] for start in range(0, len(text) - overlap, step)]


class Detector:
    """Scores prompts and conversations with a linear model; immutable, so one may serve every request."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model

    @classmethod
    def load(cls) -> Detector:
        """The detector with the model shipped in the package."""
        return cls(shipped())

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def _worst(self, text: str) -> float:
        return max(self.model.score(part) for part in chunks(text))

    def _assess(self, text: str, signals: dict[str, int], texts: list[str], depth: int) -> float:
        folded = fold(text)
        for name, count in folded.signals.items():
            signals[name] = signals.get(name, 0) + count
        texts.append(folded.text)
        raw = " ".join(text.lower().split())
        score = self._worst(folded.text)
        if raw != folded.text:
            score = max(score, self._worst(raw))
        if len(text) > CHUNK_CHARS:
            signals["chunked"] = signals.get("chunked", 0) + len(chunks(text))
        if depth < MAX_DEPTH:
            for payload in decode.payloads(text):
                name = f"{payload.kind}-payload"
                signals[name] = signals.get(name, 0) + 1
                score = max(score, self._assess(payload.text, signals, texts, depth + 1))
        return score

    def score(self, text: str) -> Assessment:
        """Assess one prompt."""
        signals: dict[str, int] = {}
        texts: list[str] = []
        score = self._assess(text, signals, texts, 0)
        categories = capabilities.classify("\n".join(texts))
        if score >= self.threshold:
            signals["jailbreak-model"] = 1
        return Assessment(round(score, 6), tuple(sorted(signals)), categories)

    def score_conversation(self, messages: Iterable[Mapping[str, Any]]) -> Assessment:
        """Assess every user and system message of a chat together, as one text the model will read."""
        return self.score("\n\n".join(screened_text(messages)))


def screened_text(messages: Iterable[Mapping[str, Any]]) -> Sequence[str]:
    """The text of each user/system/developer message; content may be a string or a list of text parts."""
    out: list[str] = []
    for message in messages:
        if message.get("role", "user") not in SCREENED_ROLES:
            continue
        content = message.get("content", "")
        if isinstance(content, str):
            out.append(content)
        elif isinstance(content, list):
            out.extend(str(part.get("text", "")) for part in content if isinstance(part, Mapping))
    return out
