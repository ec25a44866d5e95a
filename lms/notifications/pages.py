"""The notification choices on /account, built for the account page's routes and ours alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from lms.notifications.kinds import DELIVERY_LABELS, configurable_kinds
from lms.notifications.selectors import preferences_of
from lms.people.models import User


@dataclass(frozen=True)
class KindRow:
    code: str
    label: str
    mandatory: bool
    choices: list[tuple[str, str]]
    current: str


def preferences_context(
    session: Session, *, user: User, chosen: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Template values for templates/notifications/preferences.html: one row per kind a person may choose
    for, with what they chose (or, re-shown after an error, what they just posted)."""
    assert user.id is not None
    current = {**preferences_of(session, user_id=user.id), **(chosen or {})}
    rows = [
        KindRow(k.code, k.label, k.mandatory, [(d.value, DELIVERY_LABELS[d.value]) for d in k.choices], current[k.code])
        for k in configurable_kinds()
    ]
    return {"notification_kinds": rows, "notification_errors": errors or {}}
