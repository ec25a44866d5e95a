"""What the worker knows how to run: job handlers by kind, and which kinds recur on a schedule.

A handler is `fn(session, payload)`. The worker calls it inside a transaction and commits that
transaction together with marking the job done, so a handler's writes land exactly when the job
counts as done; if the handler raises, everything it wrote is rolled back and the job is retried.
Handlers should not commit themselves (a commit would make half of their work permanent).

A periodic kind is scheduled by the worker itself: once per period it queues one job of that kind
with the dedupe key f"{kind}:{period}" and the payload {"period": period}. The key is unique in the
table, so any number of workers scheduling at the same moment still leave one job per period.
Periods are "monthly" (calendar months in UTC, labelled "2026-11") or a timedelta, counted from the
Unix epoch so every worker agrees on where a period starts (labelled by its start, "2026-11-03T09:15:00Z").
A missed period (no worker running) is not caught up on: the next job covers the period it runs in.

Features register in their `plugin.register()`:

    register_handler("reports.snapshot", snapshot_job)
    register_periodic("reports.snapshot", "monthly")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlmodel import Session

Handler = Callable[[Session, dict[str, Any]], None]
Every = timedelta | Literal["monthly"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime


def period_of(every: Every, now: datetime) -> Period:
    """The period of a schedule that `now` falls in."""
    now = now.astimezone(UTC)
    if every == "monthly":
        return Period(f"{now:%Y-%m}", now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    start = _EPOCH + every * ((now - _EPOCH) // every)
    return Period(f"{start:%Y-%m-%dT%H:%M:%SZ}", start)


@dataclass
class Registry:
    handlers: dict[str, Handler] = field(default_factory=dict)
    periodic: dict[str, Every] = field(default_factory=dict)

    def register_handler(self, kind: str, fn: Handler) -> None:
        if not kind or len(kind) > 64:
            raise ValueError(f"a job kind needs 1 to 64 characters: {kind!r}")
        # Registering the same function again is harmless (plugins may be loaded twice); a second,
        # different handler for one kind would silently take over another feature's jobs.
        if self.handlers.get(kind, fn) is not fn:
            raise ValueError(f"job kind {kind!r} already has a handler")
        self.handlers[kind] = fn

    def register_periodic(self, kind: str, every: Every) -> None:
        if kind not in self.handlers:
            raise ValueError(f"register a handler for {kind!r} before scheduling it")
        if every != "monthly" and not (isinstance(every, timedelta) and every >= timedelta(seconds=1)):
            raise ValueError(f"a schedule is 'monthly' or a timedelta of at least a second, not {every!r}")
        self.periodic[kind] = every


registry = Registry()


def register_handler(kind: str, fn: Handler) -> None:
    """Run `fn(session, payload)` for jobs of this kind (see the module docstring)."""
    registry.register_handler(kind, fn)


def register_periodic(kind: str, every: Every) -> None:
    """Queue one job of this kind per period: `every` is "monthly" or a timedelta."""
    registry.register_periodic(kind, every)
