"""Who looked at whom: pages and API answers that show other people's personal data record a view,
one per page or answer however many people it showed, and each person sees on /account who viewed
their records and when.

A view is the one thing a GET writes besides session bookkeeping (tests/lms/test_get_is_safe.py
allows exactly these two tables). It is recorded after the page's reads, in a short transaction of
its own on the request's connection, committed at once: the page's reads are never part of a write
transaction, and no second connection is taken. It does not go through the audit chain, so reads
never queue on the chain's lock; retention removes views after two years (retention_registry).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from lms.audit.models import RecordView, RecordViewSubject
from lms.clock import utcnow
from lms.db import known
from lms.people.models import User

# A person's view history on /account: the most recent views, newest first.
SHOWN = 20


def view_record(
    session: Session,
    *,
    viewer: User | None,
    what: str,
    subject_ids: Iterable[int | None],
    path: str = "",
    label: str | None = None,
) -> int:
    """Record that `viewer` (or, for an API token, `label`) saw these people's data; commits.

    Looking at yourself is not recorded. Returns how many people the view names."""
    viewer_id = viewer.id if viewer is not None else None
    people = sorted({pid for pid in subject_ids if pid is not None and pid != viewer_id})
    if not people:
        return 0
    shown_as = label or (f"{viewer.name} ({viewer.email})" if viewer is not None else "someone")
    if (noted := noted_views.get()) is not None:
        noted.append(NotedView(viewer_id, shown_as[:320], what[:64], path[:300], tuple(people)))
    if not (session.new or session.dirty or session.deleted):
        session.commit()  # ends the page's read transaction, so the view is a transaction of its own
    view = RecordView(viewer_id=viewer_id, viewer_label=shown_as[:320], what=what[:64], path=path[:300])
    session.add(view)
    session.flush()
    session.execute(insert(RecordViewSubject), [{"view_id": known(view.id), "user_id": pid} for pid in people])
    session.commit()
    return len(people)


@dataclass(frozen=True)
class NotedView:
    viewer_id: int | None
    viewer_label: str
    what: str
    path: str
    people: tuple[int, ...]


# Set while a page that may be kept (lms/web/page_cache.py) is built: the views it records are noted
# here, and recorded again (views_record_again) each time the kept copy is sent, since it shows the
# same people again. The count and times on /account stay what they were without the cache.
noted_views: ContextVar[list[NotedView] | None] = ContextVar("noted_views", default=None)


def views_record_again(connection: Connection, views: Iterable[NotedView]) -> None:
    """Record these views now, on a connection in a transaction (the caller's, committed by it)."""
    for noted in views:
        view = insert(RecordView).values(
            at=utcnow(), viewer_id=noted.viewer_id, viewer_label=noted.viewer_label, what=noted.what, path=noted.path
        )
        view_id = connection.execute(view.returning(RecordView.id)).scalar_one()
        connection.execute(insert(RecordViewSubject), [{"view_id": view_id, "user_id": pid} for pid in noted.people])


@dataclass(frozen=True)
class SeenBy:
    at: datetime
    viewer: str
    what: str
    others: int  # how many other people the same page or answer showed


def views_of(session: Session, *, user_id: int, limit: int = SHOWN) -> tuple[int, list[SeenBy]]:
    """How many times the person's records were viewed, and the latest views, newest first."""
    total = session.execute(select(func.count()).where(RecordViewSubject.user_id == user_id)).scalar_one()
    others = (
        select(func.count())
        .where(RecordViewSubject.view_id == RecordView.id, RecordViewSubject.user_id != user_id)
        .correlate(RecordView)
        .scalar_subquery()
    )
    rows = session.execute(
        select(RecordView.at, RecordView.viewer_label, RecordView.what, others)
        .join(RecordViewSubject, RecordViewSubject.view_id == RecordView.id)
        .where(RecordViewSubject.user_id == user_id)
        .order_by(RecordView.at.desc(), RecordView.id.desc())
        .limit(limit)
    ).all()
    return total, [SeenBy(at=r[0], viewer=r[1], what=r[2], others=r[3]) for r in rows]


def views_context(session: Session, *, user_id: int) -> dict[str, object]:
    total, seen = views_of(session, user_id=user_id)
    return {"viewed_total": total, "viewed_by": seen}
