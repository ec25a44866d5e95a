"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from sqlmodel import SQLModel

from lms.audit.models import AuditEvent
from lms.auth.models import LoginThrottle, UserSession
from lms.people.models import OrgUnit, RoleGrant, User

metadata = SQLModel.metadata

__all__ = ["AuditEvent", "LoginThrottle", "OrgUnit", "RoleGrant", "User", "UserSession", "metadata"]
