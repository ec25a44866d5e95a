"""Writes for assignment rules (an org unit and/or job profile gets a course, now and later). Callers commit."""

from __future__ import annotations

from sqlmodel import Session

from lms.audit.service import audit_record
from lms.competences.models import JobProfile
from lms.people.models import OrgUnit, User

from courses.models import AssignmentRule, Course, CourseStatus
from courses.service import CourseError, rule_apply

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
        raise CourseError("Choose a published course.", "course_id")
    if org_unit_id is None and job_profile_id is None:
        raise CourseError("Choose an organisation unit, a job profile, or both.", "org_unit_id")
    if org_unit_id is not None and session.get(OrgUnit, org_unit_id) is None:
        raise CourseError("Choose an organisation unit from the list.", "org_unit_id")
    if job_profile_id is not None and session.get(JobProfile, job_profile_id) is None:
        raise CourseError("Choose a job profile from the list.", "job_profile_id")
    if due_days is not None and not 1 <= due_days <= MAX_DUE_DAYS:
        raise CourseError(f"Enter a number of days from 1 to {MAX_DUE_DAYS}, or leave it empty.", "due_days")
    rule = AssignmentRule(course_id=course.id, org_unit_id=org_unit_id, job_profile_id=job_profile_id,
                          due_days=due_days, message=message.strip(), created_by_id=by.id)
    session.add(rule)
    session.flush()
    audit_record(session, action="assignment_rule.create", actor=by, target_type="assignment_rule",
                 target_id=rule.id, client_ip=client_ip,
                 detail={"course": course.id, "org_unit": org_unit_id, "job_profile": job_profile_id,
                         "due_days": due_days})
    return rule, rule_apply(session, rule=rule)


def rule_deactivate(session: Session, *, rule: AssignmentRule, by: User, client_ip: str | None = None) -> None:
    """Stop assigning people who join later; what the rule assigned so far stays assigned."""
    if not rule.active:
        return
    rule.active = False
    session.add(rule)
    audit_record(session, action="assignment_rule.deactivate", actor=by, target_type="assignment_rule",
                 target_id=rule.id, client_ip=client_ip)
