"""Writes for certificates: one issued per course completion (the course_completed listener), and revocation.

Callers commit. The PDF is not stored: courses/certificates/pdf.py draws it from the row on demand.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.errors import FieldError
from lms.i18n import gettext, lazy_gettext
from lms.notifications.service import notify
from lms.people.models import User

from courses.certificates.codes import code_new
from courses.certificates.models import Certificate
from courses.models import Course, Enrolment
from courses.requirements.models import RequirementCycle
from courses.translations.resolve import course_name

REASON_MAX = 500


class CertificateError(FieldError):
    """A certificate change refused (no reason given, already revoked)."""


def certificate_issue_on_completion(session: Session, enrolment: Enrolment, user: User) -> None:
    """The course_completed listener: issue the certificate and tell its holder."""
    certificate_issue(session, enrolment=enrolment, user=user)


def certificate_issue(session: Session, *, enrolment: Enrolment, user: User) -> Certificate:
    """The certificate for this completion; issuing again for the same completion returns the first one.

    A completion that satisfied requirement cycles (the requirements listener ran first and marked them
    completed at this very moment through this course) carries the earliest of their validities, so the
    certificate never claims more than the strictest requirement allows.
    """
    completed_at = enrolment.completed_at
    existing = session.exec(
        select(Certificate).where(
            Certificate.user_id == user.id, Certificate.course_id == enrolment.course_id, Certificate.completed_at == completed_at
        )
    ).first()
    if existing is not None:
        return existing
    cycles = session.exec(
        select(RequirementCycle).where(
            RequirementCycle.user_id == user.id,
            RequirementCycle.course_id == enrolment.course_id,
            RequirementCycle.completed_at == completed_at,
        )
    ).all()
    cycle = min(cycles, key=lambda c: (c.valid_until is None, c.valid_until or completed_at, c.id), default=None)
    certificate = Certificate(
        code=_unused_code(session),
        user_id=user.id,
        course_id=enrolment.course_id,
        cycle_id=cycle.id if cycle else None,
        completed_at=completed_at,
        valid_until=cycle.valid_until if cycle else None,
    )
    session.add(certificate)
    session.flush()
    course = session.get(Course, enrolment.course_id)
    audit_record(
        session,
        action="certificate.issue",
        actor=user,
        target_type="certificate",
        target_id=certificate.id,
        detail={"course_id": enrolment.course_id, "cycle_id": certificate.cycle_id},
    )
    name = course_name(session, course)
    notify(
        session,
        user=user,
        kind="certificate_ready",
        object_ref=f"certificate:{certificate.id}",
        period=certificate.code,
        # The course named in the recipient's language when it has a version in it (rendered for them).
        subject=lazy_gettext("Your certificate for “%(course)s”", course=name),
        template="certificate_ready",
        context={
            "course_title": name,
            "code": certificate.code,
            "completed_at": certificate.completed_at,
            "valid_until": certificate.valid_until,
            "verify_path": f"/verify/{certificate.code}",
        },
        link="/learning/certificates",
    )
    return certificate


def _unused_code(session: Session) -> str:
    # With 79 random bits a clash is practically impossible; checking costs one indexed read and
    # keeps a collision from failing someone's course completion.
    while True:
        code = code_new()
        if session.exec(select(Certificate.id).where(Certificate.code == code)).first() is None:
            return code


def certificate_revoke(
    session: Session, *, certificate: Certificate, reason: str, by: User, now: datetime | None = None
) -> Certificate:
    """Withdraw a certificate (issued in error, obtained improperly): /verify says "revoked" from now on."""
    reason = reason.strip()
    if certificate.revoked_at is not None:
        raise CertificateError(gettext("This certificate has already been revoked."))
    if not reason:
        raise CertificateError(gettext("Say why the certificate is revoked; the reason is kept in the audit log."), "reason")
    if len(reason) > REASON_MAX:
        raise CertificateError(gettext("Keep the reason to %(max)s characters or fewer.") % {"max": REASON_MAX}, "reason")
    certificate.revoked_at = now or utcnow()
    certificate.revoked_reason = reason
    certificate.revoked_by_id = by.id
    session.add(certificate)
    session.flush()
    audit_record(
        session,
        action="certificate.revoke",
        actor=by,
        target_type="certificate",
        target_id=certificate.id,
        detail={"code": certificate.code, "user_id": certificate.user_id, "reason": reason},
    )
    return certificate
