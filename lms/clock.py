"""One notion of "now": timezone-aware UTC (SQLModel stores and returns aware UTC datetimes)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
