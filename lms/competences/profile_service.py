"""Job profiles: create, rename, delete, their required levels, and who has which. Callers commit."""

from __future__ import annotations

from sqlalchemy import func
from lms.db import known
from lms.hooks import users_changed
from sqlmodel import Session, delete, select

from lms.audit.service import audit_record
from lms.competences.models import MAX_LEVEL, Competence, JobProfile, JobProfileRequirement, JobProfileTranslation
from lms.competences.service import CompetenceError
from lms.competences.translation_selectors import language_name
from lms.i18n import SUPPORTED_LANGUAGES, gettext, ngettext
from lms.people.models import User

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def _clean(session: Session, name: str, description: str, *, profile_id: int | None = None) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise CompetenceError(gettext("Enter a name for the job profile."), "name")
    if len(name) > MAX_NAME:
        raise CompetenceError(gettext("Use a name of at most %(max)s characters.") % {"max": MAX_NAME}, "name")
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise CompetenceError(gettext("Use a description of at most %(max)s characters.") % {"max": MAX_DESCRIPTION}, "description")
    clash = job_profile_by_name(session, name)
    if clash is not None and clash.id != profile_id:
        raise CompetenceError(gettext("There is already a job profile called %(profile)s.") % {"profile": clash.name}, "name")
    return name, description


def job_profile_by_name(session: Session, name: str) -> JobProfile | None:
    """Names are unique regardless of case, as people type them in forms and CSV files."""
    return session.exec(select(JobProfile).where(func.lower(JobProfile.name) == name.strip().lower())).first()


def job_profile_create(
    session: Session,
    *,
    name: str,
    description: str = "",
    language: str = "en",
    by: User | None,
    client_ip: str | None = None,
) -> JobProfile:
    """`language` is the one the name and description are written in: the organisation's default."""
    name, description = _clean(session, name, description)
    profile = JobProfile(name=name, description=description, language=language if language in SUPPORTED_LANGUAGES else "en")
    session.add(profile)
    session.flush()
    audit_record(
        session,
        action="job_profile.create",
        actor=by,
        target_type="job_profile",
        target_id=profile.id,
        client_ip=client_ip,
        detail={"name": name},
    )
    return profile


def job_profile_update(
    session: Session,
    *,
    profile: JobProfile,
    name: str,
    description: str,
    by: User | None,
    client_ip: str | None = None,
) -> None:
    name, description = _clean(session, name, description, profile_id=profile.id)
    changes = {k: v for k, v in {"name": name, "description": description}.items() if getattr(profile, k) != v}
    for key, value in changes.items():
        setattr(profile, key, value)
    session.add(profile)
    if changes:
        audit_record(
            session,
            action="job_profile.update",
            actor=by,
            target_type="job_profile",
            target_id=profile.id,
            client_ip=client_ip,
            detail=changes,
        )


def job_profile_language_set(
    session: Session, *, profile: JobProfile, language: str, by: User | None, client_ip: str | None = None
) -> bool:
    """Say which language the profile's own name and description are written in; False when
    unchanged. Refused while it has a version in that language (two names in one language)."""
    if language not in SUPPORTED_LANGUAGES:
        raise CompetenceError(gettext("Choose one of the languages Proficio supports."), "language")
    if language == profile.language:
        return False
    if session.get(JobProfileTranslation, (profile.id, language)) is not None:
        raise CompetenceError(
            gettext(
                "This job profile already has a version in %(language)s. "
                "Clear that version's name and description first, then change its language."
            )
            % {"language": language_name(language)},
            "language",
        )
    previous, profile.language = profile.language, language
    session.add(profile)
    audit_record(
        session,
        action="job_profile.language",
        actor=by,
        target_type="job_profile",
        target_id=profile.id,
        client_ip=client_ip,
        detail={"from": previous, "to": language},
    )
    return True


def job_profile_translation_save(
    session: Session,
    *,
    profile: JobProfile,
    language: str,
    name: str,
    description: str,
    by: User | None,
    client_ip: str | None = None,
) -> bool:
    """The profile's name and description in another language; both empty removes that version.
    Returns whether anything changed."""
    if language not in SUPPORTED_LANGUAGES or language == profile.language:
        raise CompetenceError(gettext("Choose a supported language other than the job profile's own."), "form")
    name, description = " ".join((name or "").split()), (description or "").strip()
    field = f"name-{language}"
    if description and not name:
        raise CompetenceError(gettext("Enter the name in this language, or clear the description to remove this version."), field)
    if len(name) > MAX_NAME:
        raise CompetenceError(gettext("Use a name of at most %(max)s characters.") % {"max": MAX_NAME}, field)
    if len(description) > MAX_DESCRIPTION:
        raise CompetenceError(
            gettext("Use a description of at most %(max)s characters.") % {"max": MAX_DESCRIPTION}, f"description-{language}"
        )
    row = session.get(JobProfileTranslation, (profile.id, language))
    if not name:
        if row is None:
            return False
        session.delete(row)
    elif row is None:
        session.add(JobProfileTranslation(job_profile_id=known(profile.id), language=language, name=name, description=description))
    elif (row.name, row.description) == (name, description):
        return False
    else:
        row.name, row.description = name, description
        session.add(row)
    audit_record(
        session,
        action="job_profile.translation.save",
        actor=by,
        target_type="job_profile",
        target_id=profile.id,
        client_ip=client_ip,
        detail={"language": language, "name": name or None},
    )
    return True


def job_profile_holders(session: Session, profile_id: int) -> int:
    return session.exec(select(func.count()).select_from(User).where(User.job_profile_id == profile_id)).one()


def job_profile_delete(session: Session, *, profile: JobProfile, by: User | None, client_ip: str | None = None) -> None:
    """Refused while anyone has the profile: removing it would silently drop their requirements."""
    holders = job_profile_holders(session, profile.id)
    if holders:
        message = ngettext(
            "%(profile)s cannot be deleted: %(num)s person has this job profile. Give them another "
            "profile (or none) on their user page or by CSV import first.",
            "%(profile)s cannot be deleted: %(num)s people have this job profile. Give them another "
            "profile (or none) on their user page or by CSV import first.",
            holders,
        )
        raise CompetenceError(message % {"profile": profile.name, "num": holders}, "form")
    audit_record(
        session,
        action="job_profile.delete",
        actor=by,
        target_type="job_profile",
        target_id=profile.id,
        client_ip=client_ip,
        detail={"name": profile.name},
    )
    session.exec(delete(JobProfileRequirement).where(JobProfileRequirement.job_profile_id == profile.id))
    session.delete(profile)


def requirements_set(
    session: Session,
    *,
    profile: JobProfile,
    levels: dict[int, int],
    by: User | None,
    client_ip: str | None = None,
) -> int:
    """Set required levels by competence id; level 0 removes the requirement. Competences not
    named keep their level. Returns how many requirements changed."""
    bad = sorted(cid for cid, level in levels.items() if not 0 <= level <= MAX_LEVEL)
    if bad:
        raise CompetenceError(gettext("Required levels must be from 0 to %(max)s.") % {"max": MAX_LEVEL}, "form")
    codes = dict(session.exec(select(Competence.id, Competence.code).where(Competence.id.in_(list(levels)))).all()) if levels else {}
    unknown = sorted(set(levels) - set(codes))
    if unknown:
        raise CompetenceError(gettext("Unknown competence id(s): %(ids)s.") % {"ids": ", ".join(map(str, unknown))}, "form")
    current = {
        r.competence_id: r
        for r in session.exec(select(JobProfileRequirement).where(JobProfileRequirement.job_profile_id == profile.id)).all()
    }
    changes: dict[str, list[int]] = {}
    for cid, level in levels.items():
        row = current.get(cid)
        before = row.level if row else 0
        if before == level:
            continue
        changes[codes[cid]] = [before, level]
        if level == 0:
            session.delete(row)
        elif row is None:
            session.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=cid, level=level))
        else:
            row.level = level
            session.add(row)
    if changes:
        audit_record(
            session,
            action="job_profile.requirements",
            actor=by,
            target_type="job_profile",
            target_id=profile.id,
            client_ip=client_ip,
            detail=changes,
        )
    return len(changes)


def user_job_profile_set(
    session: Session,
    *,
    user: User,
    job_profile_id: int | None,
    by: User | None,
    client_ip: str | None = None,
    via: str | None = None,
) -> bool:
    """Give a person a job profile (None: no profile). Returns whether it changed. ``via`` names a
    non-person actor in the audit log (a SCIM token), as in lms.people.service."""
    profile = session.get(JobProfile, job_profile_id) if job_profile_id is not None else None
    if job_profile_id is not None and profile is None:
        raise CompetenceError(gettext("Choose a job profile from the list."), "job_profile_id")
    if user.job_profile_id == job_profile_id:
        return False
    before = session.get(JobProfile, user.job_profile_id) if user.job_profile_id else None
    user.job_profile_id = job_profile_id
    session.add(user)
    audit_record(
        session,
        action="user.job_profile",
        actor=by,
        actor_email=via,
        target_type="user",
        target_id=user.id,
        client_ip=client_ip,
        detail={"from": before.name if before else None, "to": profile.name if profile else None},
    )
    session.flush()
    users_changed(session, [known(user.id)])
    return True
