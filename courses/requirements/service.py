"""Writing requirements: create, change and archive, each audited.

A change never touches the cycles people already have: their dates were fixed when each cycle opened,
and the new rule applies from each person's next cycle. Archiving stops new cycles and keeps every record.
All the problems with a requirement are reported at once (RequirementError.errors), one message per field.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlmodel import Session

from lms.i18n import current_locale, gettext
from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.models import JobProfile
from lms.db import known
from lms.errors import FieldError
from lms.hooks import EMPLOYEE
from lms.people.models import ROLE_LABELS, OrgUnit, User

from courses.models import Course, CourseStatus
from courses.requirements.cycles import cycles_sync_requirement
from courses.requirements.models import AudienceKind, Recurrence, Requirement, RequirementAudience, RequirementCourse

MAX_DUE_DAYS = 3650
MAX_MONTHS = 120  # the schema's bound too (requirement.months_set)
MAX_WINDOW_DAYS = 365
MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_EMAILS = 1000
ROLES = (EMPLOYEE, *ROLE_LABELS)
# A fixed day must exist every year: 29 February does not, so months are checked against a common year.
COMMON_YEAR = 2023
EMAIL_SPLIT = re.compile(r"[\s,;]+")


class RequirementError(FieldError):
    """Every problem found, {field: message}; the first one is also the FieldError's own message and field."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], first)
        self.errors = errors


@dataclass
class RequirementSpec:
    """What an administrator asks for, already read into Python types (None: left empty or unreadable)."""

    name: str = ""
    description: str = ""
    course_ids: list[int] = field(default_factory=list)
    everyone: bool = False
    units: list[tuple[int, bool]] = field(default_factory=list)  # (org unit, with the units below it)
    job_profile_ids: list[int] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    due_days: int | None = 30
    recurrence: str = Recurrence.NONE.value
    every_months: int | None = None
    annual_month: int | None = None
    annual_day: int | None = None
    renew_window_days: int | None = 0
    grace_days: int | None = 0

    def audience_rows(self, user_ids: list[int], requirement_id: int = 0) -> list[RequirementAudience]:
        rid = requirement_id
        rows = [
            RequirementAudience(
                requirement_id=rid, kind=(AudienceKind.ORG_SUBTREE if sub else AudienceKind.ORG_UNIT).value, org_unit_id=unit
            )
            for unit, sub in dict(self.units).items()
        ]
        rows += [
            RequirementAudience(requirement_id=rid, kind=AudienceKind.JOB_PROFILE.value, job_profile_id=p)
            for p in dict.fromkeys(self.job_profile_ids)
        ]
        rows += [RequirementAudience(requirement_id=rid, kind=AudienceKind.ROLE.value, role=r) for r in dict.fromkeys(self.roles)]
        rows += [RequirementAudience(requirement_id=rid, kind=AudienceKind.USER.value, user_id=u) for u in dict.fromkeys(user_ids)]
        return rows


def split_emails(text: str) -> list[str]:
    """Addresses from a box of text: one a line, or separated by commas, semicolons or spaces; lower case, once each."""
    return list(dict.fromkeys(e.lower() for e in EMAIL_SPLIT.split(text) if e))


def _range(errors: dict[str, str], name: str, value: int | None, lo: int, hi: int, message: str) -> None:
    if name not in errors and (value is None or not lo <= value <= hi):
        errors[name] = message


def requirement_check(
    session: Session, spec: RequirementSpec, *, requirement: Requirement | None = None, errors: dict[str, str] | None = None
) -> tuple[dict[str, str], list[int]]:
    """({field: message} for every problem, ids of the named people). Fields already in `errors` (the form's
    own problems, such as a number that is not a number) keep their message. A few queries, whatever the input."""
    errors = dict(errors or {})
    name = spec.name.strip()
    if not name:
        errors.setdefault("name", gettext("Enter a name, for example Data protection."))
    elif len(name) > MAX_NAME:
        errors.setdefault("name", gettext("Use a name of at most %(max)s characters.") % {"max": MAX_NAME})
    if len(spec.description) > MAX_DESCRIPTION:
        errors.setdefault("description", gettext("Use a description of at most %(max)s characters.") % {"max": MAX_DESCRIPTION})

    course_ids = list(dict.fromkeys(spec.course_ids))
    if not course_ids:
        errors.setdefault("course_ids", gettext("Choose at least one course that meets this requirement."))
    else:
        linked = set()
        if requirement is not None:
            linked = set(
                session.execute(
                    select(RequirementCourse.course_id).where(RequirementCourse.requirement_id == requirement.id)
                ).scalars()
            )
        published = set(
            session.execute(
                select(Course.id).where(Course.id.in_(course_ids), Course.status == CourseStatus.PUBLISHED.value)
            ).scalars()
        )
        # A course that stopped being published may stay on a requirement it already meets.
        if set(course_ids) - published - linked:
            errors.setdefault(
                "course_ids", gettext("Choose published courses only: one of these is not published or no longer exists.")
            )

    user_ids = _audience_problems(session, spec, errors)

    _range(
        errors,
        "due_days",
        spec.due_days,
        1,
        MAX_DUE_DAYS,
        gettext("Enter a number of days from 1 to %(max)s.") % {"max": MAX_DUE_DAYS},
    )
    if spec.recurrence not in {r.value for r in Recurrence}:
        errors.setdefault("recurrence", gettext("Choose whether and how this requirement recurs."))
    elif spec.recurrence == Recurrence.MONTHS:
        _range(
            errors,
            "every_months",
            spec.every_months,
            1,
            MAX_MONTHS,
            gettext("Enter a number of months from 1 to %(max)s.") % {"max": MAX_MONTHS},
        )
    elif spec.recurrence == Recurrence.ANNUAL:
        _range(errors, "annual_month", spec.annual_month, 1, 12, gettext("Choose the month of the fixed day."))
        if "annual_month" not in errors and spec.annual_month is not None:
            last = calendar.monthrange(COMMON_YEAR, spec.annual_month)[1]
            month = current_locale().months["format"]["wide"][spec.annual_month]
            _range(
                errors,
                "annual_day",
                spec.annual_day,
                1,
                last,
                gettext("Choose a day that exists every year: %(month)s has %(last)s days at most.") % {"month": month, "last": last},
            )
        else:
            _range(errors, "annual_day", spec.annual_day, 1, 31, gettext("Enter the day of the month, from 1 to 31."))
    _range(
        errors,
        "renew_window_days",
        spec.renew_window_days,
        0,
        MAX_WINDOW_DAYS,
        gettext("Enter a number of days from 0 to %(max)s.") % {"max": MAX_WINDOW_DAYS},
    )
    if "renew_window_days" not in errors and spec.renew_window_days and spec.recurrence == Recurrence.NONE:
        errors["renew_window_days"] = gettext(
            "An early-renewal window only applies to a requirement that recurs: enter 0 or choose a recurrence."
        )
    _range(
        errors,
        "grace_days",
        spec.grace_days,
        0,
        MAX_WINDOW_DAYS,
        gettext("Enter a number of days from 0 to %(max)s.") % {"max": MAX_WINDOW_DAYS},
    )
    return errors, user_ids


def _audience_problems(session: Session, spec: RequirementSpec, errors: dict[str, str]) -> list[int]:
    unit_ids = list({u for u, _ in spec.units})
    if unit_ids:
        found = set(session.execute(select(OrgUnit.id).where(OrgUnit.id.in_(unit_ids))).scalars())
        if set(unit_ids) - found:
            errors.setdefault("units", gettext("Choose organisation units from the lists: one of them no longer exists."))
    profile_ids = list(set(spec.job_profile_ids))
    if profile_ids:
        found = set(session.execute(select(JobProfile.id).where(JobProfile.id.in_(profile_ids))).scalars())
        if set(profile_ids) - found:
            errors.setdefault("job_profile_ids", gettext("Choose job profiles from the list: one of them no longer exists."))
    if set(spec.roles) - set(ROLES):
        errors.setdefault("roles", gettext("Choose roles from the list."))
    user_ids: list[int] = []
    if len(spec.emails) > MAX_EMAILS:
        errors.setdefault(
            "emails", gettext("Name at most %(max)s people; for more, use a unit, job profile or role.") % {"max": MAX_EMAILS}
        )
    elif spec.emails:
        wanted = [e.lower() for e in spec.emails]
        rows = session.execute(select(User.id, func.lower(User.email)).where(func.lower(User.email).in_(wanted))).all()
        by_email = {email: uid for uid, email in rows}
        unknown = [e for e in wanted if e not in by_email]
        if unknown:
            errors.setdefault(
                "emails", gettext("Nobody in Proficio has these e-mail addresses: %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        user_ids = [by_email[e] for e in wanted if e in by_email]
    if not spec.everyone and not (spec.units or spec.job_profile_ids or spec.roles or spec.emails):
        errors.setdefault("audience", gettext("Choose who this applies to: everyone, or units, job profiles, roles or named people."))
    return user_ids


def _apply(session: Session, requirement: Requirement, spec: RequirementSpec, user_ids: list[int], now: datetime) -> None:
    requirement.name = spec.name.strip()
    requirement.description = spec.description.strip()
    requirement.everyone = spec.everyone
    requirement.due_days = spec.due_days or 30
    requirement.recurrence = spec.recurrence
    requirement.every_months = spec.every_months if spec.recurrence == Recurrence.MONTHS else None
    annual = spec.recurrence == Recurrence.ANNUAL
    requirement.annual_month = spec.annual_month if annual else None
    requirement.annual_day = spec.annual_day if annual else None
    requirement.renew_window_days = spec.renew_window_days or 0
    requirement.grace_days = spec.grace_days or 0
    requirement.updated_at = now
    session.add(requirement)
    session.flush()
    rid = known(requirement.id)
    session.execute(delete(RequirementCourse).where(RequirementCourse.requirement_id == rid))
    session.execute(delete(RequirementAudience).where(RequirementAudience.requirement_id == rid))
    session.add_all(RequirementCourse(requirement_id=rid, course_id=c) for c in dict.fromkeys(spec.course_ids))
    session.add_all(spec.audience_rows(user_ids, rid))
    session.flush()


def _detail(requirement: Requirement, spec: RequirementSpec, user_ids: list[int]) -> dict:
    return {
        "name": requirement.name,
        "courses": sorted(set(spec.course_ids)),
        "everyone": spec.everyone,
        "units": [[u, sub] for u, sub in spec.units],
        "job_profiles": sorted(set(spec.job_profile_ids)),
        "roles": sorted(set(spec.roles)),
        "people": sorted(set(user_ids)),
        "due_days": requirement.due_days,
        "recurrence": requirement.recurrence,
        "every_months": requirement.every_months,
        "annual": [requirement.annual_month, requirement.annual_day] if requirement.annual_month else None,
        "renew_window_days": requirement.renew_window_days,
        "grace_days": requirement.grace_days,
    }


def requirement_create(
    session: Session, *, spec: RequirementSpec, by: User, now: datetime | None = None, client_ip: str | None = None
) -> Requirement:
    """Save a new requirement and open first cycles for everyone in its audience at once. Caller commits."""
    now = now or utcnow()
    errors, user_ids = requirement_check(session, spec)
    if errors:
        raise RequirementError(errors)
    requirement = Requirement(name=spec.name.strip(), created_by_id=by.id, created_at=now)
    _apply(session, requirement, spec, user_ids, now)
    audit_record(
        session,
        action="requirement.create",
        actor=by,
        target_type="requirement",
        target_id=requirement.id,
        client_ip=client_ip,
        detail=_detail(requirement, spec, user_ids),
    )
    cycles_sync_requirement(session, requirement=requirement, now=now)
    return requirement


def requirement_update(
    session: Session,
    *,
    requirement: Requirement,
    spec: RequirementSpec,
    by: User,
    now: datetime | None = None,
    client_ip: str | None = None,
) -> Requirement:
    """Change the rule for people's next cycles (their current ones keep their dates); people who entered the
    audience get a first cycle now, and people who left it have their open cycle closed as "left"."""
    now = now or utcnow()
    if requirement.archived_at is not None:
        raise RequirementError({"form": gettext("This requirement is archived: it can no longer be changed.")})
    errors, user_ids = requirement_check(session, spec, requirement=requirement)
    if errors:
        raise RequirementError(errors)
    _apply(session, requirement, spec, user_ids, now)
    audit_record(
        session,
        action="requirement.update",
        actor=by,
        target_type="requirement",
        target_id=requirement.id,
        client_ip=client_ip,
        detail=_detail(requirement, spec, user_ids),
    )
    cycles_sync_requirement(session, requirement=requirement, now=now)
    return requirement


def requirement_archive(
    session: Session, *, requirement: Requirement, by: User, now: datetime | None = None, client_ip: str | None = None
) -> None:
    """No new cycles from now on; every cycle, exemption and certificate stays as it was."""
    if requirement.archived_at is not None:
        raise RequirementError({"form": gettext("This requirement is already archived.")})
    requirement.archived_at = now or utcnow()
    session.add(requirement)
    audit_record(
        session,
        action="requirement.archive",
        actor=by,
        target_type="requirement",
        target_id=requirement.id,
        client_ip=client_ip,
        detail={"name": requirement.name},
    )
