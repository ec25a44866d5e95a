"""Queueing xAPI statements: in the transaction of the event they record, so a rolled-back event
sends nothing and a committed one is never lost. Callers (courses, assessments, competences) pass
plain values; with XAPI_ENDPOINT empty nothing is queued at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.people.models import User
from lms.xapi.models import StatementState, XapiStatement
from lms.xapi.statements import Activity, actor_of, statement_build


# Set while the demo builds its invented history: an organisation's LRS must never receive records of
# learning that did not happen, even when the demo is loaded on a server with XAPI_ENDPOINT set.
_paused: ContextVar[bool] = ContextVar("xapi_paused", default=False)


@contextmanager
def xapi_paused() -> Iterator[None]:
    """Queue nothing inside this block, whatever XAPI_ENDPOINT says."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def xapi_on(settings: Settings | None = None) -> bool:
    return bool((settings or get_settings()).xapi_endpoint.strip()) and not _paused.get()


def activity(
    path: str,
    *,
    type: str,
    name: str,
    lang: str = "en",
    names: Iterable[tuple[str, str]] = (),
    description: str = "",
    descriptions: Iterable[tuple[str, str]] = (),
    settings: Settings | None = None,
) -> Activity:
    """An activity whose id is an address under the app's base URL ("/courses/3" -> https://lms.../courses/3),
    with its name (and description) in its own language and in every version it has."""
    base = (settings or get_settings()).mail_base_url
    return Activity(
        id=f"{base}{path}",
        type=type,
        name=name[:300],
        lang=lang or "en",
        names=tuple(sorted((language, text[:300]) for language, text in names)),
        description=description[:1000],
        descriptions=tuple(sorted((language, text[:1000]) for language, text in descriptions)),
    )


def xapi_queue(
    session: Session,
    *,
    user: User,
    verb: str,
    activity: Activity,
    parent: Activity | None = None,
    result: dict[str, Any] | None = None,
    at: datetime | None = None,
    settings: Settings | None = None,
) -> XapiStatement | None:
    """Queue one statement about `user` (None when xAPI is off); the caller commits."""
    settings = settings or get_settings()
    if not xapi_on(settings) or user.id is None:
        return None
    at = at or utcnow()
    statement = statement_build(
        actor=actor_of(settings, user_id=user.id, email=user.email),
        verb=verb,
        activity=activity,
        parent=parent,
        result=result,
        at=at,
    )
    row = XapiStatement(
        statement_id=statement["id"], user_id=user.id, verb=verb, statement=statement, next_attempt_at=at, created_at=at
    )
    session.add(row)
    return row


def xapi_failed_retry(session: Session, *, by: User | None = None) -> int:
    """Queue every failed statement again, due now with fresh attempts (after the LRS or its settings
    were put right); audited; the caller commits. `by` is None from the CLI."""
    count = session.exec(
        update(XapiStatement)
        .where(col(XapiStatement.state) == StatementState.FAILED.value)
        .values(state=StatementState.PENDING.value, attempts=0, next_attempt_at=utcnow())
    ).rowcount
    if count:
        audit_record(
            session, action="xapi.retry", actor=by, actor_email=None if by else "lms xapi retry", detail={"statements": count}
        )
    return count


__all__ = ["activity", "xapi_failed_retry", "xapi_on", "xapi_queue"]
