"""A completed course issues one certificate, with the validity of the requirement cycle it satisfied."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from courses.certificates.codes import ALPHABET, code_new, code_normalise
from courses.certificates.service import CertificateError, certificate_issue, certificate_revoke
from courses.certificates.status import CertificateStatus, certificate_status
from courses.learning.service import lesson_complete
from courses.models import Enrolment
from courses.requirements.models import Requirement, RequirementCourse, RequirementCycle
from lms.audit.models import AuditEvent
from lms.notifications.models import Outbox
from tests.courses.certificates.factories import certificate_of, complete_course
from tests.courses.factories import lessons_of, make_course

CODE = re.compile(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}")


def test_codes_are_random_readable_and_forgiving_when_typed():
    codes = {code_new() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE.fullmatch(code) and not set(code.replace("-", "")) - set(ALPHABET)
        assert code_normalise(code.lower().replace("-", " ")) == code
        assert code_normalise(f" {code.replace('-', '')} ") == code
    assert not {"0", "O", "1", "I", "L"} & set(ALPHABET)
    for bad in ("", "ABCD", "ABCD-EFGH-JKLM-NPQ0", "ABCD-EFGH-JKLM-NPQRS", "ABCD-EFGH-JKLM-NPQ%", "ÀBCD-EFGH-JKLM-NPQR"):
        assert code_normalise(bad) is None


def test_status_is_derived_from_dates():
    now = datetime(2026, 12, 2, tzinfo=UTC)
    later, earlier = now + timedelta(days=1), now - timedelta(days=1)
    assert certificate_status(revoked_at=None, valid_until=None, now=now) is CertificateStatus.VALID
    assert certificate_status(revoked_at=None, valid_until=later, now=now) is CertificateStatus.VALID
    assert certificate_status(revoked_at=None, valid_until=now, now=now) is CertificateStatus.EXPIRED
    assert certificate_status(revoked_at=earlier, valid_until=earlier, now=now) is CertificateStatus.REVOKED
    assert certificate_status(revoked_at=later, valid_until=None, now=now) is CertificateStatus.VALID


def test_completing_a_course_issues_one_certificate_and_queues_the_message(db, make_user):
    learner = make_user(name="Zoë Łukasiewicz")
    course = make_course(db, "Phishing awareness", modules=(("Spot it", "Report it"),))
    enrolment = complete_course(db, learner, course)
    [certificate] = certificate_of(db, learner)
    assert CODE.fullmatch(certificate.code)
    assert certificate.course_id == course.id and certificate.completed_at == enrolment.completed_at
    assert certificate.valid_until is None and certificate.cycle_id is None and certificate.revoked_at is None
    [message] = db.exec(select(Outbox).where(Outbox.user_id == learner.id, Outbox.kind == "certificate_ready")).all()
    assert message.object_ref == f"certificate:{certificate.id}" and message.period == certificate.code
    assert message.link == "/learning/certificates"
    assert "Phishing awareness" in message.subject
    for body in (message.body_text, message.body_html):
        assert certificate.code in body and "/learning/certificates" in body and f"/verify/{certificate.code}" in body
    assert "Valid until" not in message.body_text
    issued = db.exec(select(AuditEvent).where(AuditEvent.action == "certificate.issue")).one()
    assert issued.target_id == str(certificate.id)

    # Completing a lesson again changes nothing; asking to issue for the same completion returns the same row.
    lesson_complete(db, user=learner, lesson=lessons_of(db, course)[0])
    db.commit()
    assert certificate_issue(db, enrolment=enrolment, user=learner).id == certificate.id
    db.commit()
    assert len(certificate_of(db, learner)) == 1
    assert len(db.exec(select(Outbox).where(Outbox.kind == "certificate_ready")).all()) == 1


def _completed(db, user, course, at):
    """A completed enrolment as the learning service leaves it, at a chosen moment."""
    enrolment = Enrolment(course_id=course.id, user_id=user.id, status="completed", progress_percent=100, completed_at=at)
    db.add(enrolment)
    db.flush()
    return enrolment


def _cycle(db, requirement, user, number, **fields):
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    cycle = RequirementCycle(
        requirement_id=requirement.id, user_id=user.id, number=number, opened_at=opened, due_at=opened, grace_until=opened, **fields
    )
    db.add(cycle)
    return cycle


def test_a_certificate_carries_the_earliest_validity_of_the_cycles_its_completion_satisfied(db, make_user):
    learner, other = make_user(), make_user()
    course = make_course(db, "Information security")
    annual = Requirement(name="Annual security", recurrence="months", every_months=12)
    biennial = Requirement(name="Two-yearly security", recurrence="months", every_months=24)
    once = Requirement(name="Security once")
    db.add_all([annual, biennial, once])
    db.flush()
    db.add_all([RequirementCourse(requirement_id=r.id, course_id=course.id) for r in (annual, biennial, once)])
    done = datetime(2026, 6, 30, 14, 5, 7, 123456, tzinfo=UTC)
    enrolment = _completed(db, learner, course, done)
    # What the requirements listener leaves behind: cycles completed at this moment through this course.
    _cycle(db, biennial, learner, 9, completed_at=done, course_id=course.id, valid_until=done + timedelta(days=730))
    first = _cycle(db, annual, learner, 9, completed_at=done, course_id=course.id, valid_until=done + timedelta(days=365))
    _cycle(db, once, learner, 9, completed_at=done, course_id=course.id)
    # Not this completion: another time, another person, another course.
    _cycle(db, annual, learner, 8, completed_at=done - timedelta(days=400), course_id=course.id, valid_until=done - timedelta(days=35))
    _cycle(db, annual, other, 9, completed_at=done, course_id=course.id, valid_until=done + timedelta(days=1))
    db.flush()

    certificate = certificate_issue(db, enrolment=enrolment, user=learner)
    db.commit()
    assert certificate.cycle_id == first.id and certificate.valid_until == done + timedelta(days=365)
    message = db.exec(select(Outbox).where(Outbox.object_ref == f"certificate:{certificate.id}")).one()
    assert f"Valid until: {certificate.valid_until:%-d %B %Y}" in message.body_text


def test_a_completion_whose_cycles_never_expire_gives_a_certificate_without_end_date(db, make_user):
    learner = make_user()
    course = make_course(db, "Accessibility for authors")
    once = Requirement(name="Accessibility once")
    db.add(once)
    db.flush()
    enrolment = _completed(db, learner, course, datetime(2026, 3, 31, tzinfo=UTC))
    cycle = _cycle(db, once, learner, 5, completed_at=enrolment.completed_at, course_id=course.id)
    db.flush()
    certificate = certificate_issue(db, enrolment=enrolment, user=learner)
    assert certificate.cycle_id == cycle.id and certificate.valid_until is None


def test_revoking_needs_a_reason_is_audited_and_happens_once(db, make_user):
    admin, learner = make_user("admin"), make_user()
    complete_course(db, learner)
    [certificate] = certificate_of(db, learner)
    with pytest.raises(CertificateError) as empty:
        certificate_revoke(db, certificate=certificate, reason="   ", by=admin)
    assert empty.value.field == "reason"
    with pytest.raises(CertificateError) as long:
        certificate_revoke(db, certificate=certificate, reason="x" * 501, by=admin)
    assert long.value.field == "reason" and "500" in str(long.value)
    when = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    certificate_revoke(db, certificate=certificate, reason=" Issued to the wrong person ", by=admin, now=when)
    db.commit()
    [certificate] = certificate_of(db, learner)
    assert certificate.revoked_at == when and certificate.revoked_by_id == admin.id
    assert certificate.revoked_reason == "Issued to the wrong person"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "certificate.revoke")).one()
    assert event.actor_id == admin.id and event.target_id == str(certificate.id) and "wrong person" in event.detail
    with pytest.raises(CertificateError, match="already been revoked") as again:
        certificate_revoke(db, certificate=certificate, reason="Twice", by=admin)
    assert again.value.field is None
