"""Reads of the audit log for the admin page: filtered, newest first, paginated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.web.paging import ListFilters, Page, clamp_page, like_pattern
from lms.audit.models import AuditEvent


@dataclass
class AuditFilters(ListFilters):
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _conditions(f: AuditFilters) -> list:
    conds = []
    if f.action:
        conds.append(AuditEvent.action == f.action)
    if f.actor:
        conds.append(func.lower(AuditEvent.actor_email).like(like_pattern(f.actor), escape="\\"))
    if f.target_type:
        conds.append(AuditEvent.target_type == f.target_type)
    if f.target_id:
        conds.append(AuditEvent.target_id == f.target_id)
    if f.date_from:
        conds.append(AuditEvent.at >= _day_start(f.date_from))
    if f.date_to:
        # "To" includes the whole of that day (UTC).
        conds.append(AuditEvent.at < _day_start(f.date_to + timedelta(days=1)))
    return conds


def audit_page(session: Session, f: AuditFilters, per_page: int) -> Page:
    conds = _conditions(f)
    total = session.exec(sa_select(func.count()).select_from(AuditEvent).where(*conds)).scalar_one()
    page = clamp_page(f.page, total, per_page)
    events = session.exec(
        select(AuditEvent)
        .where(*conds)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=list(events), total=total, page=page, per_page=per_page)


def audit_actions(session: Session) -> list[str]:
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all())


def audit_target_types(session: Session) -> list[str]:
    return list(
        session.exec(
            select(AuditEvent.target_type).where(AuditEvent.target_type.is_not(None)).distinct().order_by(AuditEvent.target_type)
        ).all()
    )
