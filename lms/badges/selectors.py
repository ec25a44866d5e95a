"""Reads for Open Badges: what a person may claim, their credentials, the revocation list, the keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from lms.badges.models import BadgeCredential, BadgeKey
from lms.competences.models import ProficiencyLevel
from lms.competences.selectors import SkillRow, skill_rows
from lms.hooks import CompletedCourse, completed_courses
from lms.people.models import User
from lms.text_search import like_folded


@dataclass(frozen=True)
class Claimable:
    row: SkillRow
    # The person's credential for this competence at this very level, if they claimed it already.
    held: BadgeCredential | None


def claimable(session: Session, user: User, now: datetime) -> list[Claimable]:
    """Competences where the person holds a verified level today (never a self-assessed one: the
    level rule in lms/competences/rules.py leaves self-assessment out of verified levels)."""
    rows = [r for r in skill_rows(session, user, now) if r.verified > 0 and not r.lapsed]
    held = {(c.competence_id, c.level): c for c in my_credentials(session, user.id or 0) if c.revoked_at is None and c.competence_id}
    return [Claimable(r, held.get((r.competence.id, r.verified))) for r in rows]


@dataclass(frozen=True)
class ClaimableCourse:
    course: CompletedCourse
    held: BadgeCredential | None


def claimable_courses(session: Session, user_id: int) -> list[ClaimableCourse]:
    """Courses the person completed, with the credential they hold for each (if any)."""
    held = {c.course_id: c for c in my_credentials(session, user_id) if c.course_id is not None and c.revoked_at is None}
    return [ClaimableCourse(course, held.get(course.course_id)) for course in completed_courses(session, user_id)]


def my_credentials(session: Session, user_id: int) -> list[BadgeCredential]:
    stmt = select(BadgeCredential).where(BadgeCredential.user_id == user_id).order_by(col(BadgeCredential.issued_at).desc())
    return list(session.exec(stmt).all())


def credential_by_uuid(session: Session, uuid: str) -> BadgeCredential | None:
    return session.exec(select(BadgeCredential).where(BadgeCredential.uuid == uuid)).first()


def revoked_indices(session: Session) -> list[int]:
    stmt = select(BadgeCredential.status_index).where(col(BadgeCredential.revoked_at).is_not(None))
    return list(session.exec(stmt).all())


def used_indices(session: Session, candidates: list[int]) -> set[int]:
    return set(session.exec(select(BadgeCredential.status_index).where(col(BadgeCredential.status_index).in_(candidates))).all())


def key_by_thumbprint(session: Session, thumbprint: str) -> BadgeKey | None:
    return session.exec(select(BadgeKey).where(BadgeKey.thumbprint == thumbprint)).first()


def newest_key(session: Session) -> BadgeKey | None:
    return session.exec(select(BadgeKey).where(col(BadgeKey.retired_at).is_(None)).order_by(col(BadgeKey.id).desc())).first()


@dataclass(frozen=True)
class IssuedRow:
    credential: BadgeCredential
    holder_name: str
    holder_email: str


def issued_page(session: Session, *, q: str, page: int, size: int) -> tuple[list[IssuedRow], int]:
    """Every credential, newest first, for the admin page; q finds holders by name or e-mail."""
    where = like_folded(User.search_text, q, every_word=False)
    base = select(BadgeCredential, User.name, User.email).join(User, col(User.id) == BadgeCredential.user_id).where(where)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    stmt = base.order_by(col(BadgeCredential.issued_at).desc(), col(BadgeCredential.id).desc()).offset((page - 1) * size).limit(size)
    return [IssuedRow(c, name, email) for c, name, email in session.exec(stmt).all()], total


def level_of(session: Session, framework_id: int, level: int) -> ProficiencyLevel | None:
    stmt = select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework_id, ProficiencyLevel.level == level)
    return session.exec(stmt).first()
