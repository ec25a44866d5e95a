"""Open Badges in subject access exports and erasure (see lms/privacy and lms/hooks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from lms.badges.models import BadgeCredential
from lms.hooks import ErasureLine, PersonalData
from lms.privacy.erasure import Action, Step, cleared, steps_run
from lms.privacy.rows import columns, stream

EXCLUDED: dict[str, str] = {
    "badge_credential.revoked_by_id": "a revocation is in the credential holder's export (badge_credentials)",
}


def _credentials(session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    return stream(
        session, select(*columns(BadgeCredential.__table__)).where(BadgeCredential.user_id == user_id).order_by(BadgeCredential.id)
    )


EXPORTERS = (
    PersonalData("badge_credentials", "Digital badges (Open Badges credentials)", ("badge_credential.user_id",), _credentials, 45),
)


def erase(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    # The credentials stay (their place in the public revocation list must not be reused, and the
    # holder may still show theirs), but our copies of the signed text, which carry a salted hash of
    # the person's e-mail address, and any revocation reason go.
    mine = BadgeCredential.user_id == user_id
    return steps_run(
        session,
        apply,
        [
            cleared("Their signed digital badges (a salted hash of their e-mail address)", BadgeCredential, "jwt", mine),
            cleared("Reasons their digital badges were revoked", BadgeCredential, "revoked_reason", mine),
            Step("Digital badges issued to them", Action.ANONYMOUS, BadgeCredential, mine),
        ],
    )
