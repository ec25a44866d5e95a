"""Report figures computed ahead: one cube per framework, kept by the process while the data stands still.

A report request reads one counter (lms.data_versions) and, while it has not moved, answers from the
cube already computed, so a report at 100,000 people costs what a small page costs. When the data
changes, the next request recomputes, except that while figures are younger than
REPORT_REFRESH_SECONDS they are served as they are (said on the page: "figures as of 10:42"): under a
steady stream of quiz results the cube is recomputed at most that often, not on every request. Only one
request per process computes at a time; others meanwhile get the figures already there.

Figures also change with time alone (evidence lapses), so a cube older than LAPSE_BOUND is recomputed
even if no data moved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlmodel import Session

from lms import data_versions
from lms.clock import utcnow

LAPSE_BOUND = timedelta(minutes=15)
MAX_DERIVED = 2_000  # unit reports kept per cube: bounded whatever the number of units people open

T = TypeVar("T")


@dataclass
class Published(Generic[T]):
    figures: T
    version: int | None  # None: the database has no counter for the scope, so never current
    computed_at: datetime
    derived: dict[Any, Any] = field(default_factory=dict)  # what pages build from the figures, by their key

    def derive(self, key: Any, build: Callable[[], Any]) -> Any:
        """A unit report, a trend: built once per published cube (they only read it)."""
        if key not in self.derived:
            if len(self.derived) >= MAX_DERIVED:
                self.derived.clear()
            self.derived[key] = build()
        return self.derived[key]


class PublishedFigures:
    """Per process, per scope: the latest figures for each key (framework, smallest group, ...)."""

    def __init__(self, scope: str, refresh_seconds: int, *, max_entries: int = 64, max_age: timedelta = LAPSE_BOUND) -> None:
        self.scope = scope
        self.refresh = timedelta(seconds=refresh_seconds)
        # Figures that change with time alone (a due date passing) are never kept longer than this.
        self.max_age = max_age
        self.max_entries = max_entries  # per-manager figures: a bound on memory whatever the number of managers
        self._entries: dict[Any, Published[Any]] = {}
        self._computing: dict[Any, threading.Lock] = {}
        self._guard = threading.Lock()
        self.clock: Callable[[], datetime] = utcnow  # the tests move it to show what happens minutes later

    def get(self, session: Session, key: Any, compute: Callable[[], T], *, now: datetime | None = None) -> Published[T]:
        """`now`: the time the caller counts against (a request's), else the clock's."""
        version = data_versions.current(session, self.scope)
        now = self.clock() if now is None else now
        entry = self._entries.get(key)
        if entry is not None and self._usable(entry, version, now):
            return entry
        with self._guard:
            lock = self._computing.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=entry is None):
            return entry  # type: ignore[return-value]  # another request is computing; these figures stand meanwhile
        try:
            entry = self._entries.get(key)
            if entry is not None and _current(entry, version, now, self.max_age):
                return entry  # computed by the request this one waited for
            # The version was read first in this transaction, so these figures are at least that new.
            fresh: Published[T] = Published(compute(), version, now)
            self._entries.pop(key, None)
            self._entries[key] = fresh
            self._evict()
            return fresh
        finally:
            lock.release()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Any) -> bool:
        return key in self._entries

    def _evict(self) -> None:
        """Drop the least recently computed entries beyond max_entries (dicts keep insertion order)."""
        with self._guard:
            while len(self._entries) > self.max_entries:
                oldest = next(iter(self._entries))
                del self._entries[oldest]
                lock = self._computing.get(oldest)
                if lock is not None and not lock.locked():
                    del self._computing[oldest]

    def _usable(self, entry: Published[Any], version: int | None, now: datetime) -> bool:
        age = now - entry.computed_at
        if age < timedelta(0) or age >= self.max_age:
            return False  # the clock moved back (tests), or evidence may have lapsed since
        return _current(entry, version, now, self.max_age) or age < self.refresh


def _current(entry: Published[Any], version: int | None, now: datetime, max_age: timedelta = LAPSE_BOUND) -> bool:
    """Computed at this data version, recently enough that no evidence can have lapsed since."""
    return version is not None and entry.version == version and timedelta(0) <= now - entry.computed_at < max_age
