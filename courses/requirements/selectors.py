"""Reads for the requirements admin pages: the list, a requirement as its form shows it, and the dry run."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from lms.i18n import lazy_gettext, lazy_pgettext
from lms.people.models import User
from lms.web.paging import ListFilters, Page, clamp_page
from lms.text_search import like_folded

from courses.models import Course, CourseStatus, CourseTranslation, Enrolment
from courses.requirements.audience import AudiencePart, audience_select
from courses.requirements.models import (
    AudienceKind,
    CycleOutcome,
    Requirement,
    RequirementAudience,
    RequirementCourse,
    RequirementCycle,
)
from courses.requirements.service import RequirementSpec
from courses.translations.resolve import MarkedText, marked_title, shown_title, title_version

STATUSES = {
    "active": lazy_pgettext("requirement", "Active"),
    "archived": lazy_pgettext("requirement", "Archived"),
    "all": lazy_gettext("Active and archived"),
}


@dataclass(kw_only=True)
class RequirementFilters(ListFilters):
    q: str = ""
    status: str = "active"


@dataclass
class RequirementRow:
    requirement: Requirement
    courses: list[MarkedText]  # in the reader's language where a course has a version
    people: int  # people whose latest cycle did not end because they left the audience


def requirements_page(session: Session, filters: RequirementFilters, per_page: int) -> Page:
    """One page of requirements by name, with their courses and how many people they cover (three queries)."""
    where = []
    if filters.status == "active":
        where.append(Requirement.archived_at.is_(None))
    elif filters.status == "archived":
        where.append(Requirement.archived_at.is_not(None))
    if filters.q:
        where.append(like_folded(Requirement.search_text, filters.q, every_word=False))
    total = session.execute(select(func.count()).select_from(Requirement).where(*where)).scalar_one()
    page = clamp_page(filters.page, total, per_page)
    requirements = list(
        session.execute(
            select(Requirement)
            .where(*where)
            .order_by(func.lower(Requirement.name), Requirement.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars()
    )
    ids = [r.id for r in requirements]
    courses: dict[int, list[MarkedText]] = {}
    for rid, title, default_language, version in session.execute(
        select(RequirementCourse.requirement_id, Course.title, Course.default_language, CourseTranslation.title)
        .join(Course, Course.id == RequirementCourse.course_id)
        .outerjoin(CourseTranslation, title_version())
        .where(RequirementCourse.requirement_id.in_(ids))
        .order_by(shown_title())
    ):
        courses.setdefault(rid, []).append(marked_title(title, default_language, version))
    people = covered_counts(session, ids)
    rows = [RequirementRow(r, courses.get(r.id, []), people.get(r.id, 0)) for r in requirements]
    return Page(rows, total, page, per_page)


def covered_counts(session: Session, requirement_ids: list[int]) -> dict[int, int]:
    """{requirement: active people whose latest cycle did not end with their leaving the audience} (one query)."""
    if not requirement_ids:
        return {}
    later = aliased(RequirementCycle)
    newer = exists().where(
        later.requirement_id == RequirementCycle.requirement_id,
        later.user_id == RequirementCycle.user_id,
        later.number > RequirementCycle.number,
    )
    rows = session.execute(
        select(RequirementCycle.requirement_id, func.count())
        .join(User, User.id == RequirementCycle.user_id)
        .where(
            RequirementCycle.requirement_id.in_(requirement_ids),
            User.is_active,
            or_(RequirementCycle.outcome.is_(None), RequirementCycle.outcome != CycleOutcome.LEFT.value),
            ~newer,
        )
        .group_by(RequirementCycle.requirement_id)
    )
    return {rid: n for rid, n in rows}


def course_options(session: Session, requirement: Requirement | None = None) -> list[tuple[int, MarkedText]]:
    """Published courses, and any course the requirement already names even if it is no longer published,
    named in the reader's language where they have a version."""
    condition: ColumnElement[bool] = col(Course.status) == CourseStatus.PUBLISHED.value
    if requirement is not None:
        linked = select(RequirementCourse.course_id).where(RequirementCourse.requirement_id == requirement.id)
        condition = or_(condition, Course.id.in_(linked))
    rows = session.execute(
        select(Course.id, Course.title, Course.default_language, CourseTranslation.title)
        .outerjoin(CourseTranslation, title_version())
        .where(condition)
        .order_by(func.lower(shown_title()), Course.id)
    )
    return [(cid, marked_title(title, default_language, version)) for cid, title, default_language, version in rows]


def requirement_spec(session: Session, requirement: Requirement) -> RequirementSpec:
    """The requirement as its edit form starts out (two queries)."""
    course_ids = list(
        session.execute(
            select(RequirementCourse.course_id)
            .where(RequirementCourse.requirement_id == requirement.id)
            .order_by(RequirementCourse.course_id)
        ).scalars()
    )
    spec = RequirementSpec(
        name=requirement.name,
        description=requirement.description,
        course_ids=course_ids,
        everyone=requirement.everyone,
        due_days=requirement.due_days,
        recurrence=requirement.recurrence,
        every_months=requirement.every_months,
        annual_month=requirement.annual_month,
        annual_day=requirement.annual_day,
        renew_window_days=requirement.renew_window_days,
        grace_days=requirement.grace_days,
    )
    rows = session.execute(
        select(RequirementAudience, User.email)
        .outerjoin(User, User.id == RequirementAudience.user_id)
        .where(RequirementAudience.requirement_id == requirement.id)
        .order_by(RequirementAudience.id)
    ).all()
    for row, email in rows:
        kind = AudienceKind(row.kind)
        if kind in (AudienceKind.ORG_UNIT, AudienceKind.ORG_SUBTREE):
            spec.units.append((row.org_unit_id, kind is AudienceKind.ORG_SUBTREE))
        elif kind is AudienceKind.JOB_PROFILE:
            spec.job_profile_ids.append(row.job_profile_id)
        elif kind is AudienceKind.ROLE:
            spec.roles.append(row.role)
        else:
            spec.emails.append(email)
    return spec


def spec_parts(spec: RequirementSpec, user_ids: list[int]) -> list[AudiencePart]:
    return [
        AudiencePart(
            kind=AudienceKind(row.kind),
            org_unit_id=row.org_unit_id,
            job_profile_id=row.job_profile_id,
            role=row.role,
            user_id=row.user_id,
        )
        for row in spec.audience_rows(user_ids)
    ]


@dataclass(frozen=True)
class Preview:
    people: int
    completed: int  # of them, people who have completed one of the qualifying courses before


def audience_preview(session: Session, spec: RequirementSpec, user_ids: list[int]) -> Preview:
    """How many active people the audience holds, and how many of them already completed a qualifying course (two counts)."""
    audience = audience_select(everyone=spec.everyone, parts=spec_parts(spec, user_ids))
    people = session.execute(select(func.count()).select_from(audience.subquery())).scalar_one()
    completed = 0
    if spec.course_ids and people:
        completed = session.execute(
            select(func.count(func.distinct(Enrolment.user_id))).where(
                and_(
                    Enrolment.course_id.in_(spec.course_ids),
                    Enrolment.completed_at.is_not(None),
                    Enrolment.user_id.in_(audience),
                )
            )
        ).scalar_one()
    return Preview(people, completed)
