"""Writes for Open Badges: claiming a credential for a verified competence level, and revoking one."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from lms.audit.service import audit_record
from lms.badges.credential import (
    AchievementFacts,
    CredentialFacts,
    Issuer,
    achievement,
    competence_result,
    course_achievement,
    did_web,
    open_badge_credential,
    verification_method,
)
from lms.badges.keys import signing_key
from lms.badges.models import STATUS_LIST_SIZE, BadgeCredential
from lms.badges.selectors import claimable, claimable_courses, level_of, used_indices
from lms.badges.signing import sign
from lms.clock import utcnow
from lms.competences.framework_case import competence_case_uri, framework_case_uri
from lms.competences.models import Competence, Framework
from lms.errors import FieldError
from lms.competences.localised import names_for
from lms.i18n import current_language, gettext, speaking
from lms.people.models import User

REASON_MAX = 500
STATUS_PATH = "/badges/status/revocation"


class BadgeError(FieldError):
    pass


@dataclass(frozen=True)
class IssuerSettings:
    """What signing needs from the app: its public address, the organisation and where the key is."""

    base_url: str
    org_name: str
    keys_dir: Path
    secret: str

    @property
    def did(self) -> str:
        return did_web(self.base_url)

    @property
    def status_list_url(self) -> str:
        return f"{self.base_url.rstrip('/')}{STATUS_PATH}"


def _free_index(session: Session) -> int:
    # Random rather than in order, so a position tells nobody when a credential was issued.
    for _ in range(20):
        candidates = [secrets.randbelow(STATUS_LIST_SIZE) for _ in range(16)]
        free = [i for i in candidates if i not in used_indices(session, candidates)]
        if free:
            return free[0]
    raise BadgeError(gettext("The revocation list is full."))


def _achievement(session: Session, competence: Competence, framework: Framework, level: int, base_url: str) -> AchievementFacts:
    """What the credential says was achieved, in the recipient's language (the request's: they claim
    it themselves) where the framework has a version of the competence's name, else in its own."""
    band = level_of(session, framework.id or 0, level)
    names = names_for(session, [framework])
    shown, framework_shown = names.of(competence), names.of(framework)
    band = names.of(band) if band is not None else None
    language = names.language if shown is not competence or framework.language == names.language else framework.language
    with speaking(language):
        level_name = (
            gettext("Level %(level)s (%(band)s)") % {"level": level, "band": band.band}
            if band and band.band
            else gettext("Level %(level)s") % {"level": level}
        )
        criteria = gettext(
            "Holds %(level)s in %(code)s %(competence)s (%(framework)s), verified by evidence recorded in the "
            "organisation's learning platform: a manager's rating, a completed course, a passed quiz or an imported "
            "record. Self-assessment does not count."
        ) % {"level": level_name.lower(), "code": competence.code, "competence": shown.name, "framework": framework_shown.name}
        if band and band.summary:
            criteria += " " + gettext("At this level: %(summary)s") % {"summary": band.summary}
    return AchievementFacts(
        id=competence_case_uri(base_url, framework, competence),
        name=f"{competence.code} {shown.name}",
        description=shown.description,
        criteria=criteria,
        code=competence.code,
        level=level,
        level_name=level_name,
        framework_name=framework_shown.name,
        framework_uri=framework_case_uri(base_url, framework),
        language=language,
    )


def credential_claim(
    session: Session, *, user: User, competence_id: int, issuer: IssuerSettings, now: datetime | None = None
) -> BadgeCredential:
    """Issue the person's credential for their verified level in the competence; claiming the same
    level again gives back the credential they already hold."""
    now = now or utcnow()
    found = next((c for c in claimable(session, user, now) if c.row.competence.id == competence_id), None)
    if found is None:
        raise BadgeError(gettext("You can claim a credential only for a competence where you hold a verified level."), "competence_id")
    if found.held is not None:
        return found.held
    row = found.row
    what = _achievement(session, row.competence, row.framework, row.verified, issuer.base_url)
    credential = BadgeCredential(
        user_id=user.id or 0,
        competence_id=row.competence.id,
        level=row.verified,
        achievement_name=what.name[:400],
        valid_until=row.verified_until,
    )
    detail = {"competence": row.competence.code, "level": row.verified}
    return _issue(
        session,
        user=user,
        credential=credential,
        issuer=issuer,
        now=now,
        what=achievement(what),
        result=competence_result(what),
        detail=detail,
    )


def course_credential_claim(
    session: Session, *, user: User, course_id: int, issuer: IssuerSettings, now: datetime | None = None
) -> BadgeCredential:
    """Issue the person's credential for a course they completed (offered when BADGES_FOR_COURSES is on)."""
    now = now or utcnow()
    found = next((c for c in claimable_courses(session, user.id or 0) if c.course.course_id == course_id), None)
    if found is None:
        raise BadgeError(gettext("You can claim a credential only for a course you have completed."), "course_id")
    if found.held is not None:
        return found.held
    course = found.course
    credential = BadgeCredential(user_id=user.id or 0, course_id=course.course_id, achievement_name=course.title[:400])
    # The course as the recipient reads it (the hook gives its version in the request's language, if any).
    language = course.language or current_language()
    with speaking(language):
        criteria = gettext("Completed every required lesson of the course %(course)s.") % {"course": course.title}
    what = course_achievement(
        url=f"{issuer.base_url.rstrip('/')}/courses/{course.course_id}",
        title=course.title,
        summary=course.summary,
        criteria=criteria,
        language=language,
    )
    return _issue(
        session, user=user, credential=credential, issuer=issuer, now=now, what=what, result=None, detail={"course": course.course_id}
    )


def _issue(
    session: Session,
    *,
    user: User,
    credential: BadgeCredential,
    issuer: IssuerSettings,
    now: datetime,
    what: dict,
    result: list[dict] | None,
    detail: dict,
) -> BadgeCredential:
    key = signing_key(session, directory=issuer.keys_dir, secret=issuer.secret)
    credential.uuid = str(uuid.uuid4())
    credential.key_id = key.row.id or 0
    credential.status_index = _free_index(session)
    credential.issued_at = now.replace(microsecond=0)
    facts = CredentialFacts(
        uuid=credential.uuid,
        issued_at=credential.issued_at,
        valid_until=credential.valid_until,
        email=user.email,
        salt=secrets.token_hex(16),
        status_list_url=issuer.status_list_url,
        status_index=credential.status_index,
    )
    document = open_badge_credential(Issuer(issuer.did, issuer.org_name, issuer.base_url), facts, what, result)
    credential.jwt = sign(document, key.private, verification_method(issuer.did, key.row.thumbprint))
    session.add(credential)
    session.flush()
    audit_record(
        session,
        action="badge.issued",
        actor=user,
        target_type="badge_credential",
        target_id=credential.id,
        detail={**detail, "credential": f"urn:uuid:{credential.uuid}"},
    )
    return credential


def credential_revoke(session: Session, *, credential: BadgeCredential, by: User, reason: str, now: datetime | None = None) -> None:
    """Set the credential's bit in the revocation list; verifiers see it as revoked from then on."""
    reason = reason.strip()
    if credential.revoked_at is not None:
        raise BadgeError(gettext("This credential is already revoked."))
    if len(reason) > REASON_MAX:
        raise BadgeError(gettext("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}, "reason")
    credential.revoked_at = now or utcnow()
    credential.revoked_by_id = by.id
    credential.revoked_reason = reason
    session.add(credential)
    audit_record(
        session,
        action="badge.revoked",
        actor=by,
        target_type="badge_credential",
        target_id=credential.id,
        detail={"credential": f"urn:uuid:{credential.uuid}", "by_holder": by.id == credential.user_id},
    )
