"""A person with one record of every kind, for the export and erasure tests (tests/lms/privacy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from assessments.models import Attempt, AttemptState, Response
from courses.certificates.models import Certificate
from courses.models import Assignment, CourseFeedback, Enrolment, LessonProgress
from courses.packages.models import PackageRuntime
from courses.requirements.models import Exemption, Extension, Requirement, RequirementAudience, RequirementCycle
from lms.api.models import ApiToken
from lms.audit.models import RecordView, RecordViewSubject
from lms.audit.service import audit_record
from lms.badges.models import BadgeCredential, BadgeKey
from lms.auth.models import Invitation, LoginThrottle, UserIdentity, UserSession
from lms.clock import utcnow
from lms.competences.models import JobProfile, JobProfileRequirement
from lms.competences.service import evidence_record
from lms.notifications.models import NotificationPreference, Outbox
from lms.people.models import User
from lms.privacy.models import DataExport
from lms.scim.models import ScimGroup, ScimGroupMember
from tests.assessments.factories import make_quiz, single_choice
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import make_competences
from tests.lms.factories import make_unit

NAME = "Ottilie Quennell-Vasquez"
EMAIL = "ottilie.quennell@example.gov"


@dataclass
class Seeded:
    person: User
    manager: User
    admin: User
    colleague: User


def seed_person(db: Session, make_user) -> Seeded:
    """A person with a record in every table that has a user-id column."""
    now = utcnow()
    unit = make_unit(db, "Benefits casework")
    first, second = make_competences(db, "4.1", "4.2")
    profile = JobProfile(name="Caseworker")
    db.add(profile)
    db.flush()
    db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=first.id, level=3))
    manager = make_user("manager", name="Marguerite Manager", org_unit_id=unit.id)
    admin = make_user("admin", name="Ada Admin")
    person = make_user(
        "trainer",
        name=NAME,
        email=EMAIL,
        org_unit_id=unit.id,
        manager_id=manager.id,
        job_profile_id=profile.id,
        external_id="HR-778812",
        last_login_at=now,
    )
    colleague = make_user(name="Colm Colleague", org_unit_id=unit.id, manager_id=person.id, job_profile_id=profile.id)

    # Competences: a self-assessment with a note, a manager's rating with a comment about them, and a
    # rating they gave a colleague.
    evidence_record(db, user=person, competence=first, level=2, source="self", by=person, note=f"{NAME} thinks she is fine")
    evidence_record(db, user=person, competence=second, level=3, source="manager", by=manager, note="Ottilie is careful with data")
    evidence_record(db, user=colleague, competence=first, level=4, source="manager", by=person, note="Good work")
    audit_record(db, action="user.update", actor=admin, target_type="user", target_id=person.id, detail={"org_unit": [None, unit.id]})

    # Courses: enrolment, progress, an assignment with a message, a rating with a comment.
    course = make_course(db, "Handling personal data", modules=(("Why it matters", "What to do"),))
    lesson = lessons_of(db, course)[0]
    enrolment = Enrolment(
        course_id=course.id, user_id=person.id, source="assigned", status="completed", completed_at=now, progress_percent=100
    )
    db.add(enrolment)
    db.flush()
    db.add(Assignment(enrolment_id=enrolment.id, assigned_by_id=manager.id, message=f"Please do this soon, {NAME}", due_at=now))
    db.add(LessonProgress(user_id=person.id, lesson_id=lesson.id, course_id=course.id, first_viewed_at=now, completed_at=now))
    db.add(CourseFeedback(course_id=course.id, user_id=person.id, rating=4, comment="Useful, said Ottilie Quennell-Vasquez"))
    db.add(
        PackageRuntime(
            user_id=person.id, lesson_id=lesson.id, lesson_status="incomplete", location="slide-3", suspend_data=f"name={NAME}"
        )
    )

    # Mandatory training: named in an audience, a completed cycle with an extension, an exemption, a certificate.
    requirement = Requirement(name="Data protection", created_by_id=admin.id)
    db.add(requirement)
    db.flush()
    db.add(RequirementAudience(requirement_id=requirement.id, kind="user", user_id=person.id))
    cycle = RequirementCycle(
        requirement_id=requirement.id,
        user_id=person.id,
        due_at=now,
        grace_until=now,
        completed_at=now,
        course_id=course.id,
        valid_until=now + timedelta(days=365),
    )
    db.add(cycle)
    db.flush()
    db.add(Extension(cycle_id=cycle.id, old_due_at=now, new_due_at=now, reason="Ottilie was on leave", granted_by_id=manager.id))
    other = Requirement(name="Phishing")
    db.add(other)
    db.flush()
    db.add(
        Exemption(
            requirement_id=other.id, user_id=person.id, reason="role", note=f"{EMAIL} does not use e-mail", approved_by_id=admin.id
        )
    )
    db.add(Certificate(code="PRIV-0001", user_id=person.id, course_id=course.id, cycle_id=cycle.id, completed_at=now))
    # A digital badge for their verified level, revoked by them with a reason that names them.
    badge_key = BadgeKey(thumbprint="privacy-seed", public_jwk={"kty": "OKP", "crv": "Ed25519", "x": "AAAA"})
    db.add(badge_key)
    db.flush()
    db.add(
        BadgeCredential(
            uuid="6a1f2b9c-0d4e-4f3a-9b8c-7d6e5f4a3b2c",
            user_id=person.id,
            competence_id=second.id,
            level=3,
            achievement_name="4.2 Competence 4.2",
            key_id=badge_key.id,
            status_index=4242,
            jwt=f"signed credential with the salted hash of {EMAIL}",
            revoked_at=now,
            revoked_reason=f"{NAME} changed teams",
            revoked_by_id=person.id,
        )
    )

    # A quiz attempt with a response.
    quiz = make_quiz(db, data=[single_choice("Spot it")])
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=person.id,
        state=AttemptState.SUBMITTED.value,
        submitted_at=now,
        score=1,
        max_score=1,
        percent=100,
        passed=True,
    )
    db.add(attempt)
    db.flush()
    db.add(Response(attempt_id=attempt.id, slot=0, answer={"choice": "b"}, fraction=1.0, points=1.0, feedback="Right"))
    db.add(Response(attempt_id=attempt.id, slot=1, answer={"lines": [f"I am {NAME}", "and that is all"]}, fraction=0.0, points=0.0))

    # Platform: notifications (theirs, and one to their manager naming them), sessions, sign-in records.
    db.add(Outbox(user_id=person.id, kind="message", idempotency_key="privacy-1", subject=f"Hello {NAME}", body_text=f"Dear {NAME}"))
    db.add(
        Outbox(
            user_id=manager.id,
            kind="message",
            idempotency_key="privacy-2",
            subject="Overdue",
            body_text=f"{NAME} ({EMAIL}) is overdue",
        )
    )
    db.add(NotificationPreference(user_id=person.id, kind="message", delivery="daily"))
    db.add(UserSession(token_hash="a" * 64, user_id=person.id, client_ip="192.0.2.7"))
    db.add(UserIdentity(user_id=person.id, issuer="https://idp.example.gov", subject="ottilie-sub"))
    db.add(Invitation(token_hash="b" * 64, user_id=person.id, created_by_id=admin.id, expires_at=now))
    db.add(LoginThrottle(key=f"account:{EMAIL}", kind="account", account=EMAIL, failures=1, last_failure_at=now))
    group = ScimGroup(display_name="Casework trainers")
    db.add(group)
    db.flush()
    db.add(ScimGroupMember(group_id=group.id, user_id=person.id))
    db.add(ApiToken(name="Ottilie's reporting token", prefix="pfx1", token_hash="c" * 64, created_by_id=person.id))
    db.add(DataExport(subject_id=person.id, requested_by_id=person.id, status="downloaded", downloaded_at=now))
    # Their manager looked at their page; they looked at their colleague's.
    for viewer, viewed in ((manager, person), (person, colleague)):
        view = RecordView(viewer_id=viewer.id, viewer_label=viewer.name, what="person page", path=f"/team/people/{viewed.id}")
        db.add(view)
        db.flush()
        db.add(RecordViewSubject(view_id=view.id, user_id=viewed.id))
    audit_record(db, action="login.success", actor=person, target_type="user", target_id=person.id, client_ip="192.0.2.7")
    db.commit()
    return Seeded(person=person, manager=manager, admin=admin, colleague=colleague)
