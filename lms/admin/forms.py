"""Input shapes for the admin forms, kept apart from the tables they change."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from lms.i18n import gettext
from lms.competences.models import JobProfile
from lms.people.models import OrgUnit, Role, User
from lms.people.selectors import user_by_email, user_roles
from lms.people.service import PeopleError, clean_email
from lms.web.params import parse_id

GRANTABLE_ROLES = [(role.value, role.label) for role in (Role.TRAINER, Role.MANAGER, Role.SKILLS_LEAD, Role.ADMIN)]
# The services name model fields; the forms show some of them under other names.
FORM_FIELD = {"manager_id": "manager_email"}


@dataclass
class UserForm:
    name: str = ""
    email: str = ""
    org_unit_id: str = ""
    manager_email: str = ""
    roles: list[str] = field(default_factory=list)
    job_profile_id: str = ""

    @classmethod
    def of(cls, session: Session, user: User) -> UserForm:
        manager = session.get(User, user.manager_id) if user.manager_id else None
        return cls(
            name=user.name,
            email=user.email,
            org_unit_id=str(user.org_unit_id or ""),
            manager_email=manager.email if manager else "",
            roles=sorted(user_roles(session, user.id)),
            job_profile_id=str(user.job_profile_id or ""),
        )

    def job_profile(self, session: Session, errors: dict[str, str]) -> int | None:
        """The chosen job profile's id (None: no profile); adds an error when it does not exist."""
        profile_id = parse_id(self.job_profile_id)
        if self.job_profile_id.strip() and (profile_id is None or session.get(JobProfile, profile_id) is None):
            errors["job_profile_id"] = gettext("Choose a job profile from the list.")
            return None
        return profile_id

    def check(self, session: Session) -> tuple[dict[str, str], int | None, int | None]:
        """Every problem the form can spot on its own, so people see them all at once.

        Returns (errors, org_unit_id, manager_id); the services still check everything again.
        """
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = gettext("Enter the person's name.")
        if not self.email.strip():
            errors["email"] = gettext("Enter the person's email address.")
        else:
            try:
                clean_email(self.email)
            except PeopleError as exc:
                errors["email"] = str(exc)
        unit_id = parse_id(self.org_unit_id)
        if self.org_unit_id.strip() and (unit_id is None or session.get(OrgUnit, unit_id) is None):
            errors["org_unit_id"] = gettext("Choose an organisation unit from the list.")
        manager_id = None
        if self.manager_email.strip():
            manager = user_by_email(session, self.manager_email)
            if manager is None:
                errors["manager_email"] = gettext(
                    "Nobody has the email address %(email)s. Enter the line manager's email exactly, or leave it empty."
                ) % {"email": self.manager_email.strip()}
            else:
                manager_id = manager.id
        return errors, unit_id, manager_id
