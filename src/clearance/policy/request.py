"""What one decision is asked about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from clearance.domain.countries import Place
from clearance.domain.subjects import Subject


@dataclass(frozen=True)
class DecisionRequest:
    subject: Subject
    model: str
    location: Place | None  # None: unknown, which directives treat as their `unknown` rule says
    at: datetime
    capabilities: frozenset[str] = field(default_factory=frozenset)
