"""A manager's home figures over their whole reporting line, counted by the database.

The team heatmap page shows fifty people at a time; the home page's summary covers everyone below the
manager, which at the top of a large organisation is tens of thousands of people. Hydrating each of them
(as the heatmap does) made a director's home take seconds, so the same figures are aggregated in SQL:
a handful of rows whatever the size of the line. They equal the heatmap's (tests/lms/test_home_line_figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, case, func, select
from sqlmodel import Session
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.competences.models import Competence, CompetenceStatus, JobProfileRequirement
from lms.competences.team import TeamSummary
from lms.people.models import User
from lms.people.selectors import reporting_line_cte
from lms.reports.aggregate import effective_level_column

TOP = 5


def _cells() -> Select:
    """One row per person in the line × competence their profile requires: (person, name, competence,
    required, effective verified level, self level)."""
    line = reporting_line_cte(bindparam("manager_id"))
    level = effective_level_column(bindparam("now", type_=UTCDateTime()))
    return (
        select(
            User.id.label("user_id"),
            User.name.label("name"),
            JobProfileRequirement.competence_id.label("competence_id"),
            JobProfileRequirement.level.label("required"),
            level.label("verified"),
            CompetenceStatus.self_level.label("self_level"),
        )
        .select_from(User)
        .join(JobProfileRequirement, JobProfileRequirement.job_profile_id == User.job_profile_id)
        .outerjoin(
            CompetenceStatus,
            (CompetenceStatus.user_id == User.id) & (CompetenceStatus.competence_id == JobProfileRequirement.competence_id),
        )
        .where(User.is_active, User.id != bindparam("manager_id"), User.id.in_(select(line.c.id)))
    )


_CELLS = _cells().subquery("cells")
_BELOW = case((_CELLS.c.verified < _CELLS.c.required, 1), else_=0)
_GAP = case((_CELLS.c.verified < _CELLS.c.required, _CELLS.c.required - _CELLS.c.verified), else_=0)
_TOTALS = select(
    func.count(),
    func.coalesce(func.sum(1 - _BELOW), 0),
    func.count(_CELLS.c.self_level),
    func.coalesce(func.sum(case((_CELLS.c.self_level.is_not(None), _CELLS.c.self_level - _CELLS.c.verified), else_=0)), 0),
)
# Every competence someone is below in, most people first (then in the framework's order), and the
# highest level any of them needs: what the gap suggestions look for.
_BELOW_BY_COMPETENCE = (
    select(_CELLS.c.competence_id, func.sum(_BELOW).label("below"), func.max(case((_BELOW == 1, _CELLS.c.required))))
    .group_by(_CELLS.c.competence_id)
    .having(func.sum(_BELOW) > 0)
    .order_by(func.sum(_BELOW).desc(), _CELLS.c.competence_id)
)
_LARGEST_GAPS = (
    select(_CELLS.c.user_id, func.sum(_GAP).label("gap"))
    .group_by(_CELLS.c.user_id, _CELLS.c.name)
    .having(func.sum(_GAP) > 0)
    .order_by(func.sum(_GAP).desc(), _CELLS.c.name, _CELLS.c.user_id)
    .limit(TOP)
)
_LINE = reporting_line_cte(bindparam("manager_id"))
_PEOPLE = select(func.count()).where(User.is_active, User.id != bindparam("manager_id"), User.id.in_(select(_LINE.c.id)))


@dataclass
class LineFigures:
    people: int
    summary: TeamSummary
    below: list[tuple[Competence, int]]  # every competence anyone is below in, most people first
    needed: dict[int, int]  # competence id -> the highest level someone below in it requires


def line_figures(session: Session, *, manager_id: int, now: datetime) -> LineFigures:
    """Five statements whatever the size of the line."""
    params = {"manager_id": manager_id, "now": now}
    people = session.execute(_PEOPLE, params).scalar_one()
    total, met, compared, diff_sum = session.execute(_TOTALS, params).one()
    below_rows = session.execute(_BELOW_BY_COMPETENCE, params).all()
    gap_rows = session.execute(_LARGEST_GAPS, params).all()
    competences = {c.id: c for c in session.execute(select(Competence).where(Competence.id.in_([r[0] for r in below_rows]))).scalars()}
    users = {u.id: u for u in session.execute(select(User).where(User.id.in_([r.user_id for r in gap_rows]))).scalars()}
    below = [(competences[cid], int(n)) for cid, n, _level in below_rows]
    summary = TeamSummary(
        requirements=int(total),
        met=int(met),
        most_below=below[:TOP],
        largest_gaps=[(users[r.user_id], int(r.gap)) for r in gap_rows],
        self_vs_verified=round(int(diff_sum) / compared, 1) if compared else None,
        compared=int(compared),
    )
    return LineFigures(int(people), summary, below, {cid: int(level) for cid, _n, level in below_rows})
