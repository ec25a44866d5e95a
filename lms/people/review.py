"""Accounts that need an administrator's attention: leavers nobody deactivated, and people single sign-on
or SCIM created without a place in the organisation.

The conditions live here (not in lms/admin) so the admin home panel can count what the review page lists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select as sa_select
from sqlmodel import Session

from lms.people.models import User, UserOrigin

# The review page's default: a quarter without a sign-in is long for someone still employed.
STALE_DAYS = 90
MAX_STALE_DAYS = 3650
# Accounts an identity provider or HR directory made without an admin filling in their unit and profile.
PROVISIONED = (UserOrigin.SSO.value, UserOrigin.SCIM.value)


def last_seen() -> ColumnElement:
    """When the person last signed in, or, if they never did, when the account was made."""
    return func.coalesce(User.last_login_at, User.created_at)


def stale_condition(now: datetime, days: int) -> ColumnElement[bool]:
    """Active accounts with no sign-in for at least ``days`` days (never signed in: counted from creation)."""
    return and_(User.is_active.is_(True), last_seen() <= now - timedelta(days=days))


def unplaced_condition() -> ColumnElement[bool]:
    """Active accounts created by single sign-on or SCIM that lack an org unit or a job profile."""
    return and_(
        User.is_active.is_(True),
        User.created_via.in_(PROVISIONED),
        or_(User.org_unit_id.is_(None), User.job_profile_id.is_(None)),
    )


def review_counts(session: Session, now: datetime, days: int = STALE_DAYS) -> tuple[int, int]:
    """(stale, unplaced) for the home panel: one query."""
    stale = sa_select(func.count()).select_from(User).where(stale_condition(now, days)).scalar_subquery()
    unplaced = sa_select(func.count()).select_from(User).where(unplaced_condition()).scalar_subquery()
    found = session.exec(sa_select(stale, unplaced)).one()
    return int(found[0]), int(found[1])
