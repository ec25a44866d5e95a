"""A person's standing on one requirement, derived from their cycles, exemption and today — never stored.

Every page, export, API answer and reminder asks this one function, so "overdue" means the same
everywhere. It is pure: the callers fetch the facts in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from lms.i18n import N_, gettext


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"  # past due, never compliant before
    COMPLIANT = "compliant"
    EXPIRING = "expiring"  # compliant, but the validity ends within EXPIRING_WINDOWS[-1] days
    EXPIRED = "expired"  # was compliant; the validity ended and the renewal is not done
    EXEMPT = "exempt"


STATUS_LABELS = {
    Status.NOT_STARTED: N_("Not started"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.DUE_SOON: N_("Due soon"),
    Status.OVERDUE: N_("Overdue"),
    Status.COMPLIANT: N_("Compliant"),
    Status.EXPIRING: N_("Expiring"),
    Status.EXPIRED: N_("Expired"),
    Status.EXEMPT: N_("Exempt"),
}

# Counted as trained and current in compliance rates. Exempt people are left out of the rate altogether.
COMPLIANT_STATUSES = frozenset({Status.COMPLIANT, Status.EXPIRING})
EXPIRING_WINDOWS = (30, 60, 90)
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Standing:
    status: Status
    # The date that matters for the status: due (open), valid until (compliant, expiring, expired),
    # exemption end (exempt; None if open-ended), None when there is nothing to date.
    date: datetime | None = None
    # For EXPIRING: the smallest of EXPIRING_WINDOWS the expiry falls within (30, 60 or 90).
    within_days: int | None = None

    @property
    def label(self) -> str:
        if self.status is Status.EXPIRING and self.within_days:
            return gettext("Expiring within %(days)s days") % {"days": self.within_days}
        return gettext(STATUS_LABELS[self.status])


def standing(
    *,
    now: datetime,
    open_due_at: datetime | None,
    started: bool,
    last_valid_until: datetime | None,
    has_completion: bool,
    exempt: bool = False,
    exempt_until: datetime | None = None,
) -> Standing:
    """Standing on a requirement.

    open_due_at: due date of the open cycle (None: no open cycle).
    started: the learner has started a qualifying course in the open cycle.
    has_completion / last_valid_until: whether any cycle was completed, and the latest completed cycle's
    validity (None with has_completion: valid for good).
    exempt / exempt_until: an exemption in force now, and when it ends.
    """
    if exempt:
        return Standing(Status.EXEMPT, exempt_until)
    if has_completion and (last_valid_until is None or last_valid_until > now):
        if last_valid_until is not None:
            for window in EXPIRING_WINDOWS:
                if last_valid_until - now <= timedelta(days=window):
                    return Standing(Status.EXPIRING, last_valid_until, window)
        return Standing(Status.COMPLIANT, last_valid_until)
    if open_due_at is not None:
        if now > open_due_at:
            return Standing(Status.EXPIRED if has_completion else Status.OVERDUE, open_due_at)
        if open_due_at - now <= timedelta(days=DUE_SOON_DAYS):
            return Standing(Status.DUE_SOON, open_due_at)
        return Standing(Status.IN_PROGRESS if started else Status.NOT_STARTED, open_due_at)
    if has_completion:
        return Standing(Status.EXPIRED, last_valid_until)
    return Standing(Status.NOT_STARTED)
