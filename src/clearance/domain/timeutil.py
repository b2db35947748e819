"""Instants: every time Clearance stores or compares is timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def as_instant(value: date | datetime | str) -> datetime:
    """A date means its midnight UTC; a naive datetime is read as UTC; text is ISO 8601."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f'"{value}" is not an ISO 8601 date or time') from None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def epoch(instant: datetime) -> int:
    return int(instant.timestamp())
