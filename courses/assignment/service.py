"""Writes for assignment: a manager's or a rule's assignments, and assignment rules (an org unit and/or
job profile gets a course, now and later). Callers commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from lms.i18n import gettext
from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.models import JobProfile
from lms.data_versions import bulk_writes
from lms.people.models import OrgUnit, User

from courses.assignment.rule_selectors import rule_targets
from courses.errors import CourseError
from courses.models import Assignment, AssignmentRule, Course, CourseStatus, Enrolment, EnrolmentSource


def assign(
    session: Session,
    *,
    course: Course,
    users: list[User],
    by: User | None,
    due_at: datetime | None = None,
    message: str = "",
    rule: AssignmentRule | None = None,
    client_ip: str | None = None,
) -> list[Enrolment]:
    """Assign a course to people. Idempotent: one enrolment per person, the earliest due date wins,
    and every assignment is kept (who, why, by when). Scope checks are the caller's job."""
    if course.status != CourseStatus.PUBLISHED:
        raise CourseError(gettext("Only published courses can be assigned."))
    if not users:
        return []
    if len(users) > 1:
        # Each person's version row would stay locked until commit: two requests assigning to the same
        # people in different orders would wait on each other (a deadlock PostgreSQL ends by aborting one),
        # and those people's own writes would queue behind a long assignment. Move `content` instead.
        bulk_writes(session)
    ids = [u.id for u in users]
    current = {
        e.user_id: e for e in session.exec(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(ids))).all()
    }
    source = EnrolmentSource.RULE.value if rule else EnrolmentSource.ASSIGNED.value
    enrolments = []
    for user in users:
        enrolment = current.get(user.id)
        if enrolment is None:
            enrolment = Enrolment(course_id=course.id, user_id=user.id, source=source, due_at=due_at)
            session.add(enrolment)
            session.flush()
        else:
            if enrolment.source == EnrolmentSource.SELF.value:
                enrolment.source = source
            if due_at is not None and enrolment.completed_at is None and (enrolment.due_at is None or due_at < enrolment.due_at):
                enrolment.due_at = due_at
            session.add(enrolment)
        session.add(
            Assignment(
                enrolment_id=enrolment.id,
                assigned_by_id=by.id if by else None,
                rule_id=rule.id if rule else None,
                due_at=due_at,
                message=message.strip(),
            )
        )
        enrolments.append(enrolment)
    audit_record(
        session,
        action="course.assign",
        actor=by,
        target_type="course",
        target_id=course.id,
        client_ip=client_ip,
        detail={"users": len(users), "rule": rule.id if rule else None, "due_at": due_at.isoformat() if due_at else None},
    )
    return enrolments


def rule_apply(session: Session, *, rule: AssignmentRule, user_ids: list[int] | None = None) -> int:
    """Assign the rule's course to everyone it covers who has no assignment from it yet."""
    course = session.get(Course, rule.course_id)
    if not rule.active or course is None or course.status != CourseStatus.PUBLISHED:
        return 0
    targets = rule_targets(session, rule, user_ids)
    if not targets:
        return 0
    already = set(
        session.exec(
            sa_select(Enrolment.user_id).join(Assignment, Assignment.enrolment_id == Enrolment.id).where(Assignment.rule_id == rule.id)
        )
        .scalars()
        .all()
    )
    new = [u for u in targets if u.id not in already]
    if not new:
        return 0
    due = utcnow() + timedelta(days=rule.due_days) if rule.due_days else None
    assign(session, course=course, users=new, by=None, due_at=due, message=rule.message, rule=rule)
    return len(new)


def rules_apply_for_users(session: Session, user_ids: list[int]) -> None:
    """Hook for people who join or change unit/profile later: apply every active rule to them."""
    for rule in session.exec(select(AssignmentRule).where(AssignmentRule.active)).all():
        rule_apply(session, rule=rule, user_ids=user_ids)


MAX_DUE_DAYS = 366


def rule_create(
    session: Session,
    *,
    course_id: int | None,
    org_unit_id: int | None,
    job_profile_id: int | None,
    due_days: int | None,
    message: str,
    by: User,
    client_ip: str | None = None,
) -> tuple[AssignmentRule, int]:
    """Create a rule and apply it at once; returns the rule and how many people it assigned now."""
    course = session.get(Course, course_id) if course_id else None
    if course is None or course.status != CourseStatus.PUBLISHED:
        raise CourseError(gettext("Choose a published course."), "course_id")
    if org_unit_id is None and job_profile_id is None:
        raise CourseError(gettext("Choose an organisation unit, a job profile, or both."), "org_unit_id")
    if org_unit_id is not None and session.get(OrgUnit, org_unit_id) is None:
        raise CourseError(gettext("Choose an organisation unit from the list."), "org_unit_id")
    if job_profile_id is not None and session.get(JobProfile, job_profile_id) is None:
        raise CourseError(gettext("Choose a job profile from the list."), "job_profile_id")
    if due_days is not None and not 1 <= due_days <= MAX_DUE_DAYS:
        raise CourseError(gettext("Enter a number of days from 1 to %(max)s, or leave it empty.") % {"max": MAX_DUE_DAYS}, "due_days")
    rule = AssignmentRule(
        course_id=course.id,
        org_unit_id=org_unit_id,
        job_profile_id=job_profile_id,
        due_days=due_days,
        message=message.strip(),
        created_by_id=by.id,
    )
    session.add(rule)
    session.flush()
    audit_record(
        session,
        action="assignment_rule.create",
        actor=by,
        target_type="assignment_rule",
        target_id=rule.id,
        client_ip=client_ip,
        detail={"course": course.id, "org_unit": org_unit_id, "job_profile": job_profile_id, "due_days": due_days},
    )
    return rule, rule_apply(session, rule=rule)


def rule_deactivate(session: Session, *, rule: AssignmentRule, by: User, client_ip: str | None = None) -> None:
    """Stop assigning people who join later; what the rule assigned so far stays assigned."""
    if not rule.active:
        return
    rule.active = False
    session.add(rule)
    audit_record(
        session, action="assignment_rule.deactivate", actor=by, target_type="assignment_rule", target_id=rule.id, client_ip=client_ip
    )
