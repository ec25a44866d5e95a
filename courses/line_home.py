"""A manager's home panels over their whole reporting line, kept per manager: overdue courses, late training.

Both are counted over everyone below the manager, which for the head of a 100,000-person organisation
took 3-4 s of SQL on every home view (line_overdue at L on SQLite). So, like the competence figures
(lms/home/line_figures.py), each manager's figures are kept by the process while the `manager_line` data
version stands still (bumped in the writing transaction by any write they are counted from, whoever
writes), and for at most MAX_AGE in any case, because a due date passing makes a course overdue with
no write at all. With REPORT_REFRESH_SECONDS (a minute in production) a busy line is recounted at most
that often.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from lms.config import get_settings
from lms.reports.published import PublishedFigures

T = TypeVar("T")

SCOPE = "manager_line"
MAX_AGE = timedelta(minutes=1)
KEPT_MANAGERS = 2000  # per panel and process: bounded whatever the number of managers
# Registered with the other scopes in lms/data_versions.py (MANAGER_LINE_INPUTS), so every process that
# writes bumps it whether or not it imported this module.

# Per database (the web app's engine; tests make one per test), per panel.
_kept: weakref.WeakKeyDictionary[Engine, dict[str, PublishedFigures]] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def kept_for_manager(session: Session, panel: str, manager_id: int, now: datetime, compute: Callable[[], T]) -> T:
    """`compute()`'s figures for this manager, as kept (or computed now and kept)."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _guard:
        panels = _kept.setdefault(engine, {})
        figures = panels.get(panel)
        if figures is None:
            figures = panels[panel] = PublishedFigures(
                SCOPE, get_settings().report_refresh, max_entries=KEPT_MANAGERS, max_age=MAX_AGE
            )
    # Aged by the request's time, the one the panel counts "overdue" against.
    return figures.get(session, manager_id, compute, now=now).figures
