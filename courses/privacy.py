"""The courses package's part of subject access exports and erasure (see lms/privacy, lms/hooks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from courses.certificates.models import Certificate
from courses.models import Assignment, Course, CourseFeedback, Enrolment, Lesson, LessonProgress
from courses.requirements.models import Exemption, Extension, Requirement, RequirementAudience, RequirementCycle
from lms.hooks import ErasureLine, PersonalData
from lms.privacy.erasure import Action, Step, cleared, steps_run
from lms.privacy.rows import columns, stream

# Mandatory training is a legal duty (data protection, health and safety...): an organisation must be
# able to show it was done, for as long as a claim could be brought, so completions survive erasure.
LAW_RULE = (
    "Mandatory-training completions and their certificates: proof that a legal training duty was met, kept 6 years after completion"
)

EXCLUDED: dict[str, str] = {
    "course.created_by_id": "authorship of a course: content for others, not a record about its author",
    "course_editor.user_id": "co-editing rights on a course: content for others, not a record about its editor",
    "attachment.uploaded_by_id": "authorship of a course file: content for others",
    "assignment_rule.created_by_id": "an admin's rule for assigning courses: about the people it assigns",
    "requirement.created_by_id": "an admin's mandatory-training requirement: about its audience",
    "assignment.assigned_by_id": "an assignment a manager made is in the assigned person's export (assignments)",
    "requirement_exemption.approved_by_id": "an exemption is in the exempted person's export (requirement_exemptions)",
    "requirement_extension.granted_by_id": "an extension is in the person's export (requirement_cycles)",
    "certificate.revoked_by_id": "a revocation is in the certificate holder's export (certificates)",
}


def _enrolments(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(Enrolment.__table__), Course.title.label("course_title"))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.id),
    )


def _progress(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(LessonProgress.__table__), Lesson.title.label("lesson_title"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user_id)
        .order_by(LessonProgress.course_id, LessonProgress.lesson_id),
    )


def _assignments(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(Assignment.__table__), Enrolment.course_id, Course.title.label("course_title"))
        .join(Enrolment, Enrolment.id == Assignment.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Assignment.id),
    )


def _course_ratings(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(CourseFeedback.__table__), Course.title.label("course_title"))
        .join(Course, Course.id == CourseFeedback.course_id)
        .where(CourseFeedback.user_id == user_id),
    )


def _certificates(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(Certificate.__table__), Course.title.label("course_title"))
        .join(Course, Course.id == Certificate.course_id)
        .where(Certificate.user_id == user_id)
        .order_by(Certificate.id),
    )


def _cycles(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    yield from stream(
        session,
        select(*columns(RequirementCycle.__table__), Requirement.name.label("requirement_name"))
        .join(Requirement, Requirement.id == RequirementCycle.requirement_id)
        .where(RequirementCycle.user_id == user_id)
        .order_by(RequirementCycle.id),
    )
    yield from stream(
        session,
        select(*columns(Extension.__table__))
        .join(RequirementCycle, RequirementCycle.id == Extension.cycle_id)
        .where(RequirementCycle.user_id == user_id)
        .order_by(Extension.id),
    )


def _exemptions(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(*columns(Exemption.__table__), Requirement.name.label("requirement_name"))
        .join(Requirement, Requirement.id == Exemption.requirement_id)
        .where(Exemption.user_id == user_id)
        .order_by(Exemption.id),
    )


def _named_in(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session,
        select(RequirementAudience.requirement_id, Requirement.name.label("requirement_name"))
        .join(Requirement, Requirement.id == RequirementAudience.requirement_id)
        .where(RequirementAudience.user_id == user_id),
    )


EXPORTERS = (
    PersonalData("enrolments", "Course enrolments", ("enrolment.user_id",), _enrolments, 20),
    PersonalData("progress", "Lesson progress", ("lesson_progress.user_id",), _progress, 21),
    PersonalData("assignments", "Courses assigned to you", (), _assignments, 22),
    PersonalData("course_ratings", "Ratings you gave courses", ("course_feedback.user_id",), _course_ratings, 23),
    PersonalData("certificates", "Certificates", ("certificate.user_id",), _certificates, 40),
    PersonalData("requirement_cycles", "Mandatory training: periods and extensions", ("requirement_cycle.user_id",), _cycles, 41),
    PersonalData("requirement_exemptions", "Mandatory training: exemptions", ("requirement_exemption.user_id",), _exemptions, 42),
    PersonalData("requirement_audiences", "Mandatory training that names you", ("requirement_audience.user_id",), _named_in, 43),
)


def erase(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    own_cycles = select(RequirementCycle.id).where(RequirementCycle.user_id == user_id)
    own_enrolments = select(Enrolment.id).where(Enrolment.user_id == user_id)
    completed = (col(RequirementCycle.user_id) == user_id) & col(RequirementCycle.completed_at).is_not(None)
    return steps_run(
        session,
        apply,
        [
            cleared("Comments on their course ratings", CourseFeedback, "comment", CourseFeedback.user_id == user_id),
            cleared("Messages with courses assigned to them", Assignment, "message", col(Assignment.enrolment_id).in_(own_enrolments)),
            cleared("Notes on their mandatory-training exemptions", Exemption, "note", Exemption.user_id == user_id),
            cleared("Reasons for their deadline extensions", Extension, "reason", col(Extension.cycle_id).in_(own_cycles)),
            cleared("Reasons their certificates were revoked", Certificate, "revoked_reason", Certificate.user_id == user_id),
            Step("Course enrolments and progress", Action.ANONYMOUS, Enrolment, Enrolment.user_id == user_id),
            Step("Mandatory-training completions", Action.LAW, RequirementCycle, completed, rule=LAW_RULE),
            Step(
                "Certificates for mandatory training",
                Action.LAW,
                Certificate,
                (col(Certificate.user_id) == user_id) & col(Certificate.cycle_id).is_not(None),
                rule=LAW_RULE,
            ),
            Step(
                "Other certificates",
                Action.ANONYMOUS,
                Certificate,
                (col(Certificate.user_id) == user_id) & col(Certificate.cycle_id).is_(None),
            ),
            Step(
                "Mandatory-training periods not completed",
                Action.ANONYMOUS,
                RequirementCycle,
                (col(RequirementCycle.user_id) == user_id) & col(RequirementCycle.completed_at).is_(None),
            ),
        ],
    )
