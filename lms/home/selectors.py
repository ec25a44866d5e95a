"""Figures for the role dashboards on the home page."""

from __future__ import annotations

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.audit.models import AuditEvent
from lms.people.models import OrgUnit, User
from lms.people.selectors import reporting_line_cte


def admin_figures(session: Session) -> dict:
    active = session.exec(sa_select(func.count()).select_from(User).where(User.is_active)).scalar_one()
    units = session.exec(sa_select(func.count()).select_from(OrgUnit)).scalar_one()
    recent = list(session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(5)).all())
    return {"active_users": active, "org_units": units, "recent_events": recent}


def manager_figures(session: Session, manager_id: int) -> dict:
    cte = reporting_line_cte(manager_id)
    line = session.exec(sa_select(func.count()).select_from(cte)).scalar_one()
    direct = list(session.exec(select(User).where(User.manager_id == manager_id).order_by(User.name)).all())
    return {"line_size": line, "direct_reports": direct}


def employee_figures(session: Session, user: User) -> dict:
    manager = session.get(User, user.manager_id) if user.manager_id else None
    unit = session.get(OrgUnit, user.org_unit_id) if user.org_unit_id else None
    return {"manager": manager, "unit": unit}
