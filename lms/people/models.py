"""People and organisation: org units (a tree), users, role grants."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from lms.clock import utcnow
from lms.text_search import search_column
from lms.i18n import N_


class Role(StrEnum):
    """Grants on top of being an employee, which everyone is."""

    TRAINER = "trainer"
    MANAGER = "manager"
    ADMIN = "admin"
    # Sees organisation-wide aggregates (/reports), never individual people.
    SKILLS_LEAD = "skills_lead"

    @property
    def label(self) -> str:
        """The name people read; the value is a code kept in the database, CSV files and the API."""
        return ROLE_LABELS[self.value]


# The one place a role's visible name is written: pages, forms and the import help read it from here
# (templates through the ``role_label`` filter).
# Marked with N_ for the catalogues; pages translate them as they show them (lms/web/templating.py).
ROLE_LABELS: dict[str, str] = {
    "trainer": N_("Trainer"),
    "manager": N_("Manager"),
    "skills_lead": N_("Skills lead"),
    "admin": N_("Administrator"),
}
EMPLOYEE_LABEL = "Employee"


def role_label(code: str) -> str:
    """A role's visible name; an unknown code (a role removed from the code, still in old data) as written."""
    return ROLE_LABELS.get(code, code)


class UserOrigin(StrEnum):
    LOCAL = "local"  # created by an admin or `lms users create`
    IMPORT = "import"  # the CSV import
    SSO = "sso"  # just-in-time at a first single sign-on
    SCIM = "scim"  # an HR directory through /scim/v2


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_org_unit_parent_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True, nullable=True),
    )


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(320), unique=True, nullable=False))
    name: str = Field(max_length=200)
    # fold(name, email) for accent- and case-insensitive search (lms.text_search), set on every flush.
    search_text: str = Field(default="", sa_column=search_column("name", "email"))
    password_hash: str | None = Field(default=None, max_length=255)
    is_active: bool = True
    org_unit_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("org_unit.id", ondelete="SET NULL"), index=True, nullable=True),
    )
    manager_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="SET NULL"), index=True, nullable=True),
    )
    job_profile_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("job_profile.id", ondelete="SET NULL"), index=True, nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow)
    # HR's own identifier for the person (SCIM externalId), so a directory can find them again after an
    # e-mail change; unique when set.
    external_id: str | None = Field(default=None, sa_column=Column(String(255), unique=True, nullable=True))
    # How the account came to exist (UserOrigin), for the admin page of accounts that need fixing.
    created_via: str = Field(default="local", sa_column=Column(String(16), nullable=False, server_default="local"))
    last_login_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Touched on every ORM update, for SCIM's meta.lastModified.
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, onupdate=utcnow))
    # Set once, by erasure (docs/privacy.md): the row stays, anonymous, so reports keep their figures.
    erased_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Interface language the person chose (lms.i18n.SUPPORTED_LANGUAGES); null follows their browser.
    language: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))


class RoleGrant(SQLModel, table=True):
    __tablename__ = "role_grant"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True))
    role: str = Field(sa_column=Column(String(32), primary_key=True))
    granted_at: datetime = Field(default_factory=utcnow)
