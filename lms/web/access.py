"""Route access policies. Every route declares exactly one, and a test enforces that.

Use the aliases as a parameter (``user: AdminUser``) or, when the handler needs no user,
``dependencies=[policy(Access.PUBLIC)]``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Request, params
from fastapi.routing import APIRoute
from sqlmodel import Session

from lms.people.models import Role, User
from lms.i18n import gettext
from lms.web.deps import DbSession, load_user


class Access(StrEnum):
    PUBLIC = "public"
    # Anyone, and the session is not even read: the health check must answer without the database
    # pool, and sign-in manages its own database work (lms.web.deps.in_database).
    OPEN = "open"
    SIGNED_IN = "signed_in"
    TRAINER = Role.TRAINER.value
    MANAGER = Role.MANAGER.value
    ADMIN = Role.ADMIN.value
    AUTHOR = "author"  # trainers and admins: course authoring
    REPORTS = "reports"  # skills leads and admins: organisation-wide aggregates
    API_TOKEN = "api_token"  # /api/v1: a bearer token with a scope (lms/api/auth.py); sessions never qualify


# Policies met by any of several roles; every other level is met by the role of the same name.
_ROLES_FOR = {
    Access.AUTHOR: {Role.TRAINER.value, Role.ADMIN.value},
    Access.REPORTS: {Role.SKILLS_LEAD.value, Role.ADMIN.value},
}


class NotSignedIn(Exception):
    """Raised for a signed-in-only route without a valid session; answered by a redirect to /login."""


def _make(level: Access) -> Callable[[Request, Session], User | None]:
    def dependency(request: Request, db: DbSession) -> User | None:
        user = load_user(request, db)
        if level is Access.PUBLIC:
            return user
        if user is None:
            raise NotSignedIn()
        if level is not Access.SIGNED_IN and not _ROLES_FOR.get(level, {level.value}) & request.state.roles:
            raise HTTPException(status_code=403, detail=gettext("You do not have access to this page."))
        return user

    dependency.__name__ = f"access_{level.value}"
    dependency.access = level
    return dependency


def _open() -> None:
    return None


_open.access = Access.OPEN

_POLICIES: dict[Access, Callable] = {level: _make(level) for level in Access if level not in {Access.API_TOKEN, Access.OPEN}}
_POLICIES[Access.OPEN] = _open


def policy(level: Access) -> params.Depends:
    return Depends(_POLICIES[level])


def route_access(route: APIRoute) -> Access | None:
    """The policy a route declared, found anywhere in its dependency tree (used by tests)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        level = getattr(dep.call, "access", None)
        if level is not None:
            return level
        stack.extend(dep.dependencies)
    return None


MaybeUser = Annotated[User | None, policy(Access.PUBLIC)]
SignedInUser = Annotated[User, policy(Access.SIGNED_IN)]
TrainerUser = Annotated[User, policy(Access.TRAINER)]
ManagerUser = Annotated[User, policy(Access.MANAGER)]
AdminUser = Annotated[User, policy(Access.ADMIN)]
AuthorUser = Annotated[User, policy(Access.AUTHOR)]
ReportsUser = Annotated[User, policy(Access.REPORTS)]
