"""Standings of many people on many requirements at once, in one query whatever their number.

Status itself comes from courses/requirements/status.py `standing()`; this module only gathers its facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from courses.models import Course, CourseTranslation, Enrolment, LessonProgress
from courses.requirements.models import CycleOutcome, Exemption, Extension, Requirement, RequirementCourse, RequirementCycle
from courses.requirements.status import COMPLIANT_STATUSES, Standing, Status, standing
from courses.translations.resolve import MarkedText, marked_title, shown_title, title_version
from lms.db import known
from lms.i18n import lazy_gettext
from lms.people.models import Role, User
from lms.people.selectors import is_in_reporting_line, reporting_line_cte, user_roles
from lms.text_search import like_folded

# A cycle counts as a completion unless the completion was withdrawn (outcome "revoked").
_COMPLETED = and_(
    RequirementCycle.completed_at.is_not(None),
    func.coalesce(RequirementCycle.outcome, CycleOutcome.COMPLETED.value) == CycleOutcome.COMPLETED.value,
)


def _scoped(stmt: Select, user_ids: Any, requirement_ids: Any) -> Select:
    if user_ids is not None:
        stmt = stmt.where(RequirementCycle.user_id.in_(user_ids))
    if requirement_ids is not None:
        stmt = stmt.where(RequirementCycle.requirement_id.in_(requirement_ids))
    return stmt


def standings(
    session: Session,
    *,
    now: datetime,
    user_ids: Select | Sequence[int] | None = None,
    requirement_ids: Sequence[int] | None = None,
) -> dict[tuple[int, int], Standing]:
    """(user_id, requirement_id) -> Standing for everyone with a cycle of the requirement whose latest
    cycle did not end as "left". One query: the latest cycle, the latest completion, an exemption in
    force and whether a qualifying course was started since the open cycle opened."""
    params: dict[str, Any] = {"now": now}
    if user_ids is not None and not isinstance(user_ids, Select):
        params["user_ids"] = list(user_ids)
        if not params["user_ids"]:
            return {}
    if requirement_ids is not None:
        params["requirement_ids"] = list(requirement_ids)
        if not params["requirement_ids"]:
            return {}
    if isinstance(user_ids, Select):
        stmt = _standings_statement(user_ids, _REQUIREMENT_IDS if requirement_ids is not None else None)
    else:
        # Lists of people (a person's home, a page of the matrix) reuse one statement per shape.
        stmt = _prepared_standings(user_ids is not None, requirement_ids is not None)
    return _standings_from(session.execute(stmt, params), now)


_USER_IDS: BindParameter[list[int]] = bindparam("user_ids", expanding=True)
_REQUIREMENT_IDS: BindParameter[list[int]] = bindparam("requirement_ids", expanding=True)


@lru_cache(maxsize=4)
def _prepared_standings(by_users: bool, by_requirements: bool) -> Select:
    return _standings_statement(_USER_IDS if by_users else None, _REQUIREMENT_IDS if by_requirements else None)


def _standings_statement(user_ids: Any, requirement_ids: Any) -> Select:
    """The standings query for people `user_ids` (a select of ids, an expanding bind parameter, or None
    for everyone) and requirements (a bind parameter or None), with `now` bound at execution."""
    now = bindparam("now", type_=UTCDateTime())
    key = (RequirementCycle.requirement_id, RequirementCycle.user_id)
    latest = _scoped(select(*key, func.max(RequirementCycle.number).label("number")), user_ids, requirement_ids)
    latest_sq = latest.group_by(*key).subquery("latest")
    done = _scoped(select(*key, func.max(RequirementCycle.number).label("number")).where(_COMPLETED), user_ids, requirement_ids)
    done_sq = done.group_by(*key).subquery("done")
    exempt = select(
        Exemption.requirement_id,
        Exemption.user_id,
        func.max(case((Exemption.ends_at.is_(None), 1), else_=0)).label("open_ended"),
        func.max(Exemption.ends_at).label("ends_at"),
    ).where(Exemption.revoked_at.is_(None), or_(Exemption.ends_at.is_(None), col(Exemption.ends_at) > now))
    if user_ids is not None:
        exempt = exempt.where(Exemption.user_id.in_(user_ids))
    if requirement_ids is not None:
        exempt = exempt.where(Exemption.requirement_id.in_(requirement_ids))
    exempt_sq = exempt.group_by(Exemption.requirement_id, Exemption.user_id).subquery("exempt")

    cycle = aliased(RequirementCycle, name="cycle")
    last_done = aliased(RequirementCycle, name="last_done")
    # Started in this cycle: a qualifying course begun, or any of its lessons opened, since the cycle opened
    # (a renewal resets the course, so progress from an earlier cycle must not count).
    started = exists(
        select(literal(1))
        .select_from(Enrolment)
        .join(RequirementCourse, RequirementCourse.course_id == Enrolment.course_id)
        .where(
            RequirementCourse.requirement_id == cycle.requirement_id,
            Enrolment.user_id == cycle.user_id,
            or_(
                col(Enrolment.started_at) >= cycle.opened_at,
                exists(
                    select(literal(1))
                    .where(
                        LessonProgress.user_id == Enrolment.user_id,
                        LessonProgress.course_id == Enrolment.course_id,
                        LessonProgress.first_viewed_at >= cycle.opened_at,
                    )
                    # Two levels down: without this the cycle would be joined in afresh instead of being the outer row.
                    .correlate_except(LessonProgress)
                ),
            ),
        )
    )
    is_open = and_(cycle.completed_at.is_(None), cycle.ended_at.is_(None))
    stmt = (
        select(
            cycle.user_id,
            cycle.requirement_id,
            case((is_open, cycle.due_at), else_=None).label("open_due_at"),
            case((is_open, started), else_=False).label("started"),
            last_done.id.label("done_id"),
            last_done.valid_until,
            exempt_sq.c.open_ended,
            exempt_sq.c.ends_at,
        )
        .select_from(latest_sq)
        .join(
            cycle,
            and_(
                cycle.requirement_id == latest_sq.c.requirement_id,
                cycle.user_id == latest_sq.c.user_id,
                cycle.number == latest_sq.c.number,
            ),
        )
        .outerjoin(done_sq, and_(done_sq.c.requirement_id == cycle.requirement_id, done_sq.c.user_id == cycle.user_id))
        .outerjoin(
            last_done,
            and_(
                last_done.requirement_id == done_sq.c.requirement_id,
                last_done.user_id == done_sq.c.user_id,
                last_done.number == done_sq.c.number,
            ),
        )
        .outerjoin(exempt_sq, and_(exempt_sq.c.requirement_id == cycle.requirement_id, exempt_sq.c.user_id == cycle.user_id))
        .where(func.coalesce(cycle.outcome, "") != CycleOutcome.LEFT.value)
    )
    return stmt


def _standings_from(rows: Any, now: datetime) -> dict[tuple[int, int], Standing]:
    result: dict[tuple[int, int], Standing] = {}
    for row in rows:
        in_force = row.open_ended is not None
        result[(row.user_id, row.requirement_id)] = standing(
            now=now,
            open_due_at=row.open_due_at,
            started=bool(row.started),
            last_valid_until=row.valid_until,
            has_completion=row.done_id is not None,
            exempt=in_force,
            exempt_until=None if not in_force or row.open_ended else row.ends_at,
        )
    return result


def _expiring(days: int) -> object:
    return lazy_gettext("Expiring within %(days)s days", days=days)


# The matrix's status filter: its value in the query string -> (label, test on a standing).
STATUS_FILTERS: dict[str, tuple[object, Callable[[Standing], bool]]] = {
    "overdue": (lazy_gettext("Overdue or expired"), lambda s: s.status in {Status.OVERDUE, Status.EXPIRED}),
    "expiring30": (
        _expiring(30),
        lambda s: s.status is Status.EXPIRING and (s.within_days or 0) <= 30,
    ),
    "expiring60": (
        _expiring(60),
        lambda s: s.status is Status.EXPIRING and (s.within_days or 0) <= 60,
    ),
    "expiring90": (_expiring(90), lambda s: s.status is Status.EXPIRING),
    "not_compliant": (lazy_gettext("Not compliant"), lambda s: s.status not in COMPLIANT_STATUSES and s.status is not Status.EXEMPT),
}


@dataclass
class Column:
    """One requirement in the matrix, with how many of the people shown stand at each status."""

    requirement: Requirement
    counts: Counter[Status] = field(default_factory=Counter)

    @property
    def rate(self) -> int | None:
        """Percentage compliant, leaving exempt people out; None when nobody counts."""
        counted = sum(self.counts.values()) - self.counts[Status.EXEMPT]
        if not counted:
            return None
        return round(100 * sum(self.counts[s] for s in COMPLIANT_STATUSES) / counted)


@dataclass
class Matrix:
    people: list[Any]  # rows with id, name, email, org_unit_id
    columns: list[Column]
    cells: dict[tuple[int, int], Standing]
    held: list[Requirement] = field(default_factory=list)  # every live requirement someone in the selection holds

    def row(self, user_id: int) -> list[Standing | None]:
        return [self.cells.get((user_id, known(c.requirement.id))) for c in self.columns]


def line_people(manager_id: int) -> Select:
    """Ids of the active people in the manager's reporting line, the manager left out (a corrupt loop could put them in it)."""
    line = reporting_line_cte(manager_id)
    return select(User.id).where(User.is_active, User.id != manager_id, User.id.in_(select(line.c.id)))


def line_matrix(
    session: Session,
    *,
    manager_id: int,
    now: datetime,
    status: str = "",
    requirement_id: int | None = None,
    unit_ids: Collection[int] | None = None,
    q: str = "",
) -> Matrix:
    """People of the manager's line x the live requirements any of them has, filtered. Three queries
    whatever the number of people: the people, the requirements, and their standings."""
    people_stmt = select(User.id, User.name, User.email, User.org_unit_id).where(User.id.in_(line_people(manager_id)))
    if unit_ids is not None:
        people_stmt = people_stmt.where(col(User.org_unit_id).in_(list(unit_ids)))
    if q.strip():
        people_stmt = people_stmt.where(like_folded(User.search_text, q, every_word=False))
    people = list(session.execute(people_stmt.order_by(User.name, User.id)).all())
    req_stmt = select(Requirement).where(col(Requirement.archived_at).is_(None)).order_by(Requirement.name, Requirement.id)
    requirements = list(session.scalars(req_stmt).all())
    cells = (
        standings(
            session, now=now, user_ids=people_stmt.with_only_columns(User.id), requirement_ids=[known(r.id) for r in requirements]
        )
        if people and requirements
        else {}
    )
    held_ids = {rid for _uid, rid in cells}
    held = [r for r in requirements if r.id in held_ids]
    columns = [Column(r) for r in held if requirement_id is None or r.id == requirement_id]
    test = STATUS_FILTERS[status][1] if status in STATUS_FILTERS else None
    if test is not None:
        people = [p for p in people if any(test(s) for c in columns if (s := cells.get((p.id, c.requirement.id))))]
    for p in people:
        for c in columns:
            if (s := cells.get((p.id, known(c.requirement.id)))) is not None:
                c.counts[s.status] += 1
    return Matrix(people=people, columns=columns, cells=cells, held=held)


def may_act(session: Session, *, actor: User, user_id: int) -> bool:
    """Whether `actor` may see and act on this person's mandatory training: anyone above them in the
    reporting line, or an administrator. Nobody acts on their own."""
    if actor.id == user_id:
        return False
    if Role.ADMIN.value in user_roles(session, known(actor.id)):
        return True
    return is_in_reporting_line(session, manager_id=known(actor.id), user_id=user_id)


@dataclass
class CellDetail:
    """One person on one requirement: what the manager's cell page shows."""

    person: User
    requirement: Requirement
    standing: Standing | None
    cycles: list[RequirementCycle]  # newest first
    exemption: Exemption | None  # in force now
    extensions: list[Extension]  # of the latest cycle, newest first
    courses: list[tuple[int, MarkedText]]  # (id, title in the reader's language where it has a version)

    @property
    def cycle(self) -> RequirementCycle | None:
        return self.cycles[0] if self.cycles else None

    @property
    def open_cycle(self) -> RequirementCycle | None:
        c = self.cycle
        return c if c is not None and c.completed_at is None and c.ended_at is None else None


def cell_detail(session: Session, *, person: User, requirement: Requirement, now: datetime) -> CellDetail:
    pid, rid = known(person.id), known(requirement.id)
    cycles = list(
        session.scalars(
            select(RequirementCycle)
            .where(RequirementCycle.user_id == pid, RequirementCycle.requirement_id == rid)
            .order_by(col(RequirementCycle.number).desc())
        ).all()
    )
    exemption = session.scalars(
        select(Exemption)
        .where(
            Exemption.user_id == pid,
            Exemption.requirement_id == rid,
            col(Exemption.revoked_at).is_(None),
            or_(col(Exemption.ends_at).is_(None), col(Exemption.ends_at) > now),
        )
        .order_by(col(Exemption.id).desc())
    ).first()
    extensions = (
        list(session.scalars(select(Extension).where(Extension.cycle_id == cycles[0].id).order_by(col(Extension.id).desc())).all())
        if cycles
        else []
    )
    courses = [
        (cid, marked_title(title, default_language, version))
        for cid, title, default_language, version in session.execute(
            select(Course.id, Course.title, Course.default_language, CourseTranslation.title)
            .join(RequirementCourse, RequirementCourse.course_id == Course.id)
            .outerjoin(CourseTranslation, title_version())
            .where(RequirementCourse.requirement_id == rid)
            .order_by(shown_title())
        ).all()
    ]
    found = standings(session, now=now, user_ids=[pid], requirement_ids=[rid])
    return CellDetail(person, requirement, found.get((pid, rid)), cycles, exemption, extensions, courses)
