"""The nightly retention job: applies the registry's rules (retention_registry.RULES) set-based.

Each rule is one statement (or one batch) over rows past their period, so running it twice in a
night removes nothing more the second time. What a run did is written as one audit event
("retention.run", counts per rule), which /admin/retention and /admin/jobs show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, select
from sqlmodel import Session, col

from lms.audit.models import AuditEvent, RecordView
from lms.audit.service import audit_purge_before, audit_record
from lms.auth.models import LoginThrottle, UserSession
from lms.clock import utcnow
from lms.config import Settings, get_settings
from lms.people.models import User
from lms.privacy.erasure import person_erase
from lms.privacy.models import DataExport
from lms.privacy.retention_registry import RULES, rule_days
from lms.xapi.models import StatementState, XapiStatement

JOB_KIND = "privacy.retention"
RUN_ACTION = "retention.run"
ACTOR = "retention (worker)"


@dataclass
class RetentionRun:
    at: datetime
    counts: dict[str, int]
    days: dict[str, int]
    note: str = ""


def _deactivated_before(session: Session, cutoff: datetime) -> list[User]:
    # When someone was deactivated is in the audit log (user.deactivate, the latest one); an account
    # with no such event left (older than the log) counts from its last change.
    deactivated = (
        select(AuditEvent.target_id, func.max(AuditEvent.at).label("at"))
        .where(AuditEvent.action == "user.deactivate", AuditEvent.target_type == "user")
        .group_by(AuditEvent.target_id)
        .subquery()
    )
    since = func.coalesce(deactivated.c.at, User.updated_at, User.created_at)
    stmt = (
        select(User)
        .outerjoin(deactivated, deactivated.c.target_id == cast(User.id, String))
        .where(col(User.is_active).is_(False), col(User.erased_at).is_(None), since < cutoff)
        .order_by(User.id)
    )
    return list(session.exec(stmt).scalars())


def _anonymise(session: Session, people: list[User], settings: Settings, now: datetime) -> int:
    # The job acts as nobody: a stand-in that is never saved, named in each erasure's audit event.
    worker = User(email=ACTOR, name=ACTOR)
    for person in people:
        person_erase(session, person=person, by=worker, confirm=person.email, settings=settings, now=now)
    return len(people)


def retention_apply(session: Session, *, settings: Settings, now: datetime | None = None) -> RetentionRun:
    """Apply every rule whose period is not 0; the caller commits. Idempotent for a given `now`."""
    now = now or utcnow()
    days = rule_days(settings.retention)
    counts: dict[str, int] = {}

    def before(key: str) -> datetime | None:
        return now - timedelta(days=days[key]) if days[key] else None

    conn = session.connection()
    if cutoff := before("sessions"):
        counts["sessions"] = conn.execute(delete(UserSession).where(col(UserSession.last_seen_at) < cutoff)).rowcount
    if cutoff := before("sign_in_throttling"):
        stale = col(LoginThrottle.last_failure_at) < cutoff
        counts["sign_in_throttling"] = conn.execute(delete(LoginThrottle).where(stale)).rowcount
    if cutoff := before("record_views"):
        counts["record_views"] = conn.execute(delete(RecordView).where(col(RecordView.at) < cutoff)).rowcount
    if cutoff := before("exports"):
        gone = col(DataExport.file_name).is_(None) & (func.coalesce(DataExport.expires_at, DataExport.created_at) < cutoff)
        counts["exports"] = conn.execute(delete(DataExport).where(gone)).rowcount
    if cutoff := before("xapi_statements"):
        sent = and_(XapiStatement.state == StatementState.SENT.value, col(XapiStatement.sent_at) < cutoff)
        counts["xapi_statements"] = conn.execute(delete(XapiStatement).where(sent)).rowcount
    if cutoff := before("deactivated_people"):
        counts["deactivated_people"] = _anonymise(session, _deactivated_before(session, cutoff), settings, now)
    if cutoff := before("audit_events"):
        counts["audit_events"] = audit_purge_before(session, cutoff=cutoff, reason="retention: audit_events")
    audit_record(session, action=RUN_ACTION, actor_email=ACTOR, detail={"counts": counts, "days": days})
    return RetentionRun(at=now, counts=counts, days=days)


def retention_job(session: Session, _payload: dict[str, Any]) -> None:
    retention_apply(session, settings=get_settings())


def last_run(session: Session) -> RetentionRun | None:
    """What the last retention run did, from its audit event."""
    row = session.exec(
        select(AuditEvent.at, AuditEvent.detail).where(AuditEvent.action == RUN_ACTION).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if row is None:
        return None
    detail = json.loads(row[1] or "{}")
    return RetentionRun(at=row[0], counts={k: int(v) for k, v in detail.get("counts", {}).items()}, days=detail.get("days", {}))


def register() -> None:
    from lms.jobs.registry import register_handler, register_periodic

    register_handler(JOB_KIND, retention_job)
    register_periodic(JOB_KIND, timedelta(days=1))


__all__ = ["RULES", "JOB_KIND", "RetentionRun", "last_run", "register", "retention_apply"]
