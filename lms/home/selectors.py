"""Figures for the role dashboards on the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, bindparam, case, func, select as sa_select
from sqlmodel import Session, col, select

from lms.api.models import ApiToken
from lms.audit.models import AuditEvent
from lms.competences.models import Competence, Evidence
from lms.competences.selectors import skill_rows
from lms.competences.team import TeamSummary
from lms.db import known
from lms.home.line_figures import line_figures
from lms.hooks import gap_suggestions
from lms.jobs.models import Job, JobState
from lms.people.models import OrgUnit, User
from lms.people.review import STALE_DAYS, review_counts
from lms.people.selectors import reporting_line_cte
from lms.reports.published import PublishedFigures
from lms.reports.aggregate import Figures, direct_cells, sum_counters


def admin_figures(session: Session) -> dict:
    active = session.exec(sa_select(func.count()).select_from(User).where(User.is_active)).scalar_one()
    units = session.exec(sa_select(func.count()).select_from(OrgUnit)).scalar_one()
    recent = list(session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(5)).all())
    return {"active_users": active, "org_units": units, "recent_events": recent}


# Built once (issue 15), with the manager as a bound parameter.
_MANAGER_ID = bindparam("manager_id", type_=Integer)
_LINE_SIZE = sa_select(func.count()).select_from(reporting_line_cte(_MANAGER_ID))
_DIRECT_REPORTS = select(User).where(User.manager_id == _MANAGER_ID).order_by(User.name)


def manager_figures(session: Session, manager_id: int) -> dict:
    params = {"manager_id": manager_id}
    line = session.exec(_LINE_SIZE, params=params).scalar_one()
    direct = list(session.exec(_DIRECT_REPORTS, params=params).all())
    return {"line_size": line, "direct_reports": direct}


def employee_figures(session: Session, user: User) -> dict:
    manager = session.get(User, user.manager_id) if user.manager_id else None
    unit = session.get(OrgUnit, user.org_unit_id) if user.org_unit_id else None
    return {"manager": manager, "unit": unit}


# --- Home pages by role (each function a fixed number of queries) -------------------------------

GAPS_SHOWN = 5
EVIDENCE_SHOWN = 5
TOKEN_WARNING_DAYS = 30
ACTIONS_SHOWN = 3


@dataclass
class GapRow:
    competence: Competence
    required: int
    verified: int
    course: Any | None  # the best suggestion from gap_suggestions (course_id, title, level, estimated_minutes, url)

    @property
    def gap(self) -> int:
        return self.required - self.verified


@dataclass
class EmployeeHome:
    has_profile: bool
    gaps: list[GapRow]
    gap_total: int  # how many required competences are below level, of which `gaps` are the widest
    evidence: list[tuple[Evidence, Competence]]


def employee_home(session: Session, user: User, now: datetime) -> EmployeeHome:
    """The widest gaps against the job profile, a course for each (one hook call), and the latest evidence."""
    below = sorted((r for r in skill_rows(session, user, now) if r.gap > 0), key=lambda r: (-r.gap, r.competence.code))
    shown = below[:GAPS_SHOWN]
    courses = gap_suggestions(session, [(known(r.competence.id), r.required) for r in shown])
    gaps = [GapRow(r.competence, r.required, r.verified, (courses.get(known(r.competence.id)) or [None])[0]) for r in shown]
    evidence = session.exec(
        select(Evidence, Competence)
        .join(Competence, Competence.id == Evidence.competence_id)
        .where(Evidence.user_id == user.id)
        .order_by(Evidence.recorded_at.desc(), Evidence.id.desc())
        .limit(EVIDENCE_SHOWN)
    ).all()
    return EmployeeHome(user.job_profile_id is not None, gaps, len(below), [(e, c) for e, c in evidence])


@dataclass
class TeamHome:
    people: int
    summary: TeamSummary
    # (competence, people below, best course or None) for the competences most people are below in
    widest: list[tuple[Competence, int, Any | None]]


def manager_home(session: Session, manager: User, now: datetime, published: PublishedFigures | None = None) -> TeamHome:
    """`published`: the process's per-manager figures (lms.reports.published), kept while the report
    data stands still; without it they are counted now."""
    manager_id = known(manager.id)
    if published is None:
        line = line_figures(session, manager_id=manager_id, now=now)
    else:
        line = published.get(session, manager_id, lambda: line_figures(session, manager_id=manager_id, now=now)).figures
    # The actions are the widest gaps a course closes (one hook call for all of them), else the widest,
    # so the manager sees that no course exists yet.
    courses = gap_suggestions(session, [(known(c.id), line.needed[known(c.id)]) for c, _n in line.below])
    closable = [(c, n, courses[known(c.id)][0]) for c, n in line.below if courses.get(known(c.id))]
    widest: list[tuple[Competence, int, Any | None]] = [*closable[:ACTIONS_SHOWN]] or [(c, n, None) for c, n in line.below[:1]]
    return TeamHome(line.people, line.summary, widest)


@dataclass
class OrgHome:
    active_users: int
    org_units: int
    figures: Figures
    unmeasured: int  # active people without a job profile: the figures cannot include them


def org_home(session: Session, now: datetime) -> OrgHome:
    """Headline figures: the report's own per-unit aggregate, summed (one query, no suppression needed
    for an organisation-wide total)."""
    active, unmeasured = session.exec(
        sa_select(func.count(), func.coalesce(func.sum(case((User.job_profile_id.is_(None), 1), else_=0)), 0)).where(User.is_active)
    ).one()
    units = session.exec(sa_select(func.count()).select_from(OrgUnit)).scalar_one()
    totals = sum_counters(list(direct_cells(session, now=now).values()))
    return OrgHome(active, units, Figures.from_counters(totals), int(unmeasured))


@dataclass
class Attention:
    failed_jobs: int
    without_profile: int
    without_unit: int
    expiring_tokens: list[ApiToken]
    # Accounts on /admin/users/review: no sign-in for STALE_DAYS, and provisioned ones with no place.
    stale_accounts: int = 0
    unplaced_accounts: int = 0
    stale_days: int = STALE_DAYS

    @property
    def empty(self) -> bool:
        return not (
            self.failed_jobs
            or self.without_profile
            or self.without_unit
            or self.expiring_tokens
            or self.stale_accounts
            or self.unplaced_accounts
        )


def admin_attention(session: Session, now: datetime) -> Attention:
    failed = session.exec(sa_select(func.count()).select_from(Job).where(Job.state == JobState.FAILED.value)).scalar_one()
    no_profile, no_unit = session.exec(
        sa_select(
            func.coalesce(func.sum(case((User.job_profile_id.is_(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((User.org_unit_id.is_(None), 1), else_=0)), 0),
        ).where(User.is_active)
    ).one()
    tokens = session.exec(
        select(ApiToken)
        .where(
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at.is_not(None),
            col(ApiToken.expires_at) > now,
            col(ApiToken.expires_at) <= now + timedelta(days=TOKEN_WARNING_DAYS),
        )
        .order_by(ApiToken.expires_at)
    ).all()
    stale, unplaced = review_counts(session, now)
    return Attention(failed, int(no_profile), int(no_unit), list(tokens), stale, unplaced)
