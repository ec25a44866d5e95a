"""Enrolment, assignment and progress: the writes every course feature shares. Callers commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.models import Competence
from lms.competences.service import evidence_record
from lms.people.models import User
from lms.people.selectors import org_unit_subtree_ids

from courses.models import (
    Assignment,
    AssignmentRule,
    Course,
    CourseCompetence,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    Lesson,
    LessonProgress,
    Module,
)


class CourseError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def enrol(session: Session, *, course: Course, user: User) -> Enrolment:
    """Self-enrolment; enrolling twice returns the existing enrolment."""
    if course.status != CourseStatus.PUBLISHED:
        raise CourseError("This course is not open for enrolment.")
    existing = session.exec(select(Enrolment).where(Enrolment.course_id == course.id,
                                                    Enrolment.user_id == user.id)).first()
    if existing:
        return existing
    enrolment = Enrolment(course_id=course.id, user_id=user.id, source=EnrolmentSource.SELF.value)
    session.add(enrolment)
    session.flush()
    return enrolment


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
        raise CourseError("Only published courses can be assigned.")
    if not users:
        return []
    ids = [u.id for u in users]
    current = {e.user_id: e for e in session.exec(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(ids))).all()}
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
            if due_at is not None and enrolment.completed_at is None and (
                    enrolment.due_at is None or due_at < enrolment.due_at):
                enrolment.due_at = due_at
            session.add(enrolment)
        session.add(Assignment(enrolment_id=enrolment.id, assigned_by_id=by.id if by else None,
                               rule_id=rule.id if rule else None, due_at=due_at, message=message.strip()))
        enrolments.append(enrolment)
    audit_record(session, action="course.assign", actor=by, target_type="course", target_id=course.id,
                 client_ip=client_ip, detail={"users": len(users), "rule": rule.id if rule else None,
                                              "due_at": due_at.isoformat() if due_at else None})
    return enrolments


def rule_targets(session: Session, rule: AssignmentRule, user_ids: list[int] | None = None) -> list[User]:
    """Active users the rule covers (optionally only among ``user_ids``)."""
    stmt = select(User).where(User.is_active)
    if rule.org_unit_id is not None:
        stmt = stmt.where(User.org_unit_id.in_(org_unit_subtree_ids(session, rule.org_unit_id)))
    if rule.job_profile_id is not None:
        stmt = stmt.where(User.job_profile_id == rule.job_profile_id)
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(user_ids))
    return list(session.exec(stmt).all())


def rule_apply(session: Session, *, rule: AssignmentRule, user_ids: list[int] | None = None) -> int:
    """Assign the rule's course to everyone it covers who has no assignment from it yet."""
    course = session.get(Course, rule.course_id)
    if not rule.active or course is None or course.status != CourseStatus.PUBLISHED:
        return 0
    targets = rule_targets(session, rule, user_ids)
    if not targets:
        return 0
    already = set(session.exec(
        sa_select(Enrolment.user_id).join(Assignment, Assignment.enrolment_id == Enrolment.id)
        .where(Assignment.rule_id == rule.id)).scalars().all())
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


def required_lessons(session: Session, course_id: int) -> list[Lesson]:
    """Visible lessons in visible modules, in course order: what completing a course means."""
    return list(session.exec(
        select(Lesson).join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id == course_id, Lesson.hidden == False, Module.hidden == False)  # noqa: E712
        .order_by(Module.position, Module.id, Lesson.position, Lesson.id)).all())


def lesson_viewed(session: Session, *, user: User, lesson: Lesson) -> Enrolment:
    """Opening a lesson enrols (if needed), starts the course and remembers where the learner is."""
    course = session.get(Course, lesson.course_id)
    enrolment = session.exec(select(Enrolment).where(Enrolment.course_id == lesson.course_id,
                                                     Enrolment.user_id == user.id)).first()
    if enrolment is None:
        enrolment = enrol(session, course=course, user=user)
    now = utcnow()
    if enrolment.started_at is None:
        enrolment.started_at = now
        if enrolment.status == "enrolled":
            enrolment.status = "in_progress"
    enrolment.last_lesson_id = lesson.id
    session.add(enrolment)
    if session.get(LessonProgress, (user.id, lesson.id)) is None:
        session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, course_id=lesson.course_id,
                                   first_viewed_at=now))
    session.flush()
    return enrolment


def lesson_complete(session: Session, *, user: User, lesson: Lesson) -> Enrolment:
    """Mark a lesson complete; completing the last required lesson completes the course and records
    `course` evidence for each competence it develops, in this same transaction. Idempotent."""
    enrolment = lesson_viewed(session, user=user, lesson=lesson)
    progress = session.get(LessonProgress, (user.id, lesson.id))
    if progress.completed_at is None:
        progress.completed_at = utcnow()
        session.add(progress)
        session.flush()
    progress_refresh(session, enrolment=enrolment, user=user)
    return enrolment


def progress_refresh(session: Session, *, enrolment: Enrolment, user: User) -> None:
    required = required_lessons(session, enrolment.course_id)
    ids = [lesson.id for lesson in required]
    done = session.exec(
        sa_select(func.count()).select_from(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(ids),
            LessonProgress.completed_at.is_not(None))
    ).scalar_one() if ids else 0
    enrolment.progress_percent = round(100 * done / len(ids)) if ids else 0
    if ids and done == len(ids) and enrolment.completed_at is None:
        _complete(session, enrolment=enrolment, user=user)
    session.add(enrolment)


def _complete(session: Session, *, enrolment: Enrolment, user: User) -> None:
    now = utcnow()
    enrolment.completed_at, enrolment.status, enrolment.progress_percent = now, "completed", 100
    course = session.get(Course, enrolment.course_id)
    rows = session.exec(select(CourseCompetence, Competence)
                        .join(Competence, Competence.id == CourseCompetence.competence_id)
                        .where(CourseCompetence.course_id == course.id)).all()
    for link, competence in rows:
        evidence_record(session, user=user, competence=competence, level=link.level, source="course",
                        by=None, reference=f"course:{course.id}", note=f"Completed the course “{course.title}”.")
    audit_record(session, action="course.complete", actor=user, target_type="course", target_id=course.id)
