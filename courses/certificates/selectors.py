"""Reads for certificates: a person's own, one by code (the public check), one for its PDF, the admin list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select as sa_select
from sqlmodel import Session

from lms.competences.localised import names_for
from lms.competences.models import Competence, Framework
from lms.i18n import current_language, gettext
from lms.people.models import User
from lms.web.paging import ListFilters, Page, clamp_page, like_pattern

from courses.certificates.codes import code_normalise
from courses.certificates.models import Certificate
from courses.certificates.status import STATUS_LABELS, CertificateStatus, certificate_status
from courses.models import Course, CourseCompetence, CourseTranslation
from courses.translations.resolve import Shown


@dataclass(frozen=True)
class CertificateView:
    """A certificate with what is printed on it: the holder's name and the course's title."""

    id: int
    code: str
    user_id: int
    person_name: str
    person_email: str
    course_id: int
    course_title: str
    completed_at: datetime
    issued_at: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    course_language: str = "en"
    # The course's title in the reader's language (read in the same statement), if it has one.
    course_version: str | None = None

    @property
    def course_name(self) -> Shown:
        """The course's title as the reader sees it: theirs where a version exists, else the course's own
        (marked with its language when that is not the reader's)."""
        if self.course_version is not None:
            return Shown(self.course_version)
        if self.course_language != current_language():
            return Shown(self.course_title, self.course_language)
        return Shown(self.course_title)

    def status(self, now: datetime) -> CertificateStatus:
        return certificate_status(revoked_at=self.revoked_at, valid_until=self.valid_until, now=now)

    def status_label(self, now: datetime) -> str:
        return STATUS_LABELS[self.status(now)]


def _views() -> Select:
    return (
        sa_select(
            Certificate.id,
            Certificate.code,
            Certificate.user_id,
            User.name,
            User.email,
            Certificate.course_id,
            Course.title,
            Certificate.completed_at,
            Certificate.issued_at,
            Certificate.valid_until,
            Certificate.revoked_at,
            Certificate.revoked_reason,
            Course.default_language,
            CourseTranslation.title,
        )
        .join(User, User.id == Certificate.user_id)
        .join(Course, Course.id == Certificate.course_id)
        # The title in the reader's language comes with the rest: no statement more.
        .outerjoin(
            CourseTranslation,
            and_(CourseTranslation.course_id == Course.id, CourseTranslation.language == current_language()),
        )
    )


_NEWEST_FIRST = (Certificate.completed_at.desc(), Certificate.id.desc())


def my_certificates(session: Session, user_id: int) -> list[CertificateView]:
    """The person's own certificates, newest completion first (revoked and expired ones included, marked)."""
    rows = session.exec(_views().where(Certificate.user_id == user_id).order_by(*_NEWEST_FIRST)).all()
    return [CertificateView(*row) for row in rows]


def certificate_view(session: Session, certificate_id: int) -> CertificateView | None:
    row = session.exec(_views().where(Certificate.id == certificate_id)).first()
    return CertificateView(*row) if row else None


def certificate_by_code(session: Session, raw_code: str) -> CertificateView | None:
    """The certificate a typed or scanned code names; None for anything that is not a known code."""
    code = code_normalise(raw_code)
    if code is None:
        return None
    row = session.exec(_views().where(Certificate.code == code)).first()
    return CertificateView(*row) if row else None


@dataclass(kw_only=True)
class CertificateFilters(ListFilters):
    q: str = ""  # a verification code (whole or part) or part of the holder's e-mail address


def certificates_page(session: Session, f: CertificateFilters, per_page: int) -> Page:
    """One page of every certificate, most recently issued first."""
    conds = []
    q = f.q.strip()
    if q:
        code = code_normalise(q)
        by_code = Certificate.code == code if code else Certificate.code.like(like_pattern(q).upper(), escape="\\")
        conds.append(or_(by_code, func.lower(User.email).like(like_pattern(q), escape="\\")))
    total = session.exec(
        sa_select(func.count()).select_from(Certificate).join(User, User.id == Certificate.user_id).where(*conds)
    ).scalar_one()
    page = clamp_page(f.page, total, per_page)
    rows = session.exec(
        _views()
        .where(*conds)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=[CertificateView(*row) for row in rows], total=total, page=page, per_page=per_page)


def certificate_competences(session: Session, course_id: int) -> list[str]:
    """What the certified course develops, as printed on the certificate: "1.1 Name, level 3" in the
    reader's language where the framework has a version (one statement, one more for the versions when
    a framework is in another language)."""
    rows = session.exec(
        sa_select(Competence, Framework, CourseCompetence.level)
        .join(CourseCompetence, CourseCompetence.competence_id == Competence.id)
        .join(Framework, Framework.id == Competence.framework_id)
        .where(CourseCompetence.course_id == course_id)
        .order_by(Framework.code, Competence.code)
    ).all()
    if not rows:
        return []
    names = names_for(session, list({framework.id: framework for _c, framework, _l in rows}.values()))
    return [
        gettext("%(code)s %(competence)s, level %(level)s") % {"code": c.code, "competence": names.of(c).name, "level": level}
        for c, _framework, level in rows
    ]
