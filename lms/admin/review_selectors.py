"""Reads for "Accounts to review" and the account facts on a person's admin page. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import func, select as sa_select
from sqlmodel import Session

from lms.auth.models import UserIdentity
from lms.competences.models import JobProfile
from lms.people.models import User, UserOrigin
from lms.people.review import STALE_DAYS, last_seen, stale_condition, unplaced_condition
from lms.web.paging import ListFilters, Page, clamp_page

# The most people one confirmation deactivates: a page of the list several times over, far below the
# databases' bound-parameter limits.
MAX_SELECTED = 500
ORIGIN_LABELS = {
    UserOrigin.LOCAL.value: "Created by an administrator",
    UserOrigin.IMPORT.value: "CSV import",
    UserOrigin.SSO.value: "Single sign-on",
    UserOrigin.SCIM.value: "HR directory (SCIM)",
}


@dataclass
class ReviewFilters(ListFilters):
    # The second list's page travels with the first's filters but narrows nothing.
    ORDERING: ClassVar[tuple[str, ...]] = ("unplaced_page",)
    days: int = STALE_DAYS
    unplaced_page: int = 1


@dataclass
class StaleRow:
    id: int
    name: str
    email: str
    org_unit_id: int | None
    created_via: str
    created_at: datetime
    last_login_at: datetime | None


@dataclass
class UnplacedRow:
    id: int
    name: str
    email: str
    created_via: str
    external_id: str | None
    org_unit_id: int | None
    job_profile_name: str | None


def stale_page(session: Session, f: ReviewFilters, per_page: int, now: datetime) -> Page:
    """Active accounts with no sign-in for ``f.days`` days, the longest silent first: a count and one page."""
    cond = stale_condition(now, f.days)
    total = session.exec(sa_select(func.count()).select_from(User).where(cond)).scalar_one()
    page = clamp_page(f.page, total, per_page)
    rows = session.exec(
        sa_select(User.id, User.name, User.email, User.org_unit_id, User.created_via, User.created_at, User.last_login_at)
        .where(cond)
        .order_by(last_seen(), User.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=[StaleRow(*row) for row in rows], total=total, page=page, per_page=per_page)


def unplaced_page(session: Session, page_no: int, per_page: int) -> Page:
    """Accounts single sign-on or SCIM created without an org unit or job profile, newest first."""
    cond = unplaced_condition()
    total = session.exec(sa_select(func.count()).select_from(User).where(cond)).scalar_one()
    page = clamp_page(page_no, total, per_page)
    rows = session.exec(
        sa_select(User.id, User.name, User.email, User.created_via, User.external_id, User.org_unit_id, JobProfile.name)
        .outerjoin(JobProfile, JobProfile.id == User.job_profile_id)
        .where(cond)
        .order_by(User.created_at.desc(), User.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=[UnplacedRow(*row) for row in rows], total=total, page=page, per_page=per_page)


def active_people(session: Session, ids: list[int]) -> list[User]:
    """The active accounts among ``ids``, by name: what a deactivation would act on."""
    if not ids:
        return []
    found = session.exec(sa_select(User).where(User.id.in_(ids[:MAX_SELECTED]), User.is_active.is_(True))).scalars()
    return sorted(found, key=lambda u: (u.name.lower(), u.id))


def sso_identities(session: Session, user_id: int) -> list[UserIdentity]:
    """The single sign-on subjects linked to a person (usually one)."""
    rows = session.exec(
        sa_select(UserIdentity).where(UserIdentity.user_id == user_id).order_by(UserIdentity.linked_at, UserIdentity.id)
    )
    return list(rows.scalars())
