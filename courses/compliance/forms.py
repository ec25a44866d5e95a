"""The manager's cell forms: extend a due date, exempt someone; read from posted text into typed values."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from lms.i18n import gettext

from courses.requirements.models import ExemptionReason

EXEMPTION_REASONS: dict[str, str] = {
    ExemptionReason.TESTED_OUT.value: "Tested out: showed the knowledge in an assessment",
    ExemptionReason.EQUIVALENT.value: "Equivalent training taken elsewhere",
    ExemptionReason.OUTSIDE_ACTIVITY.value: "Outside the activity the training covers",
    ExemptionReason.ADMINISTRATIVE.value: "Administrative (for example long-term leave)",
}


def _day(raw: str, errors: dict[str, str], field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[field] = gettext("Enter the date as year-month-day, for example 2027-03-31.")
        return None


def parse_extension(new_due: str, old_due_at: datetime, errors: dict[str, str]) -> datetime | None:
    """The new due moment: the chosen day at the time of day the current due date has, so an
    extension keeps the cycle's own convention for when a day ends."""
    day = _day(new_due, errors, "new_due")
    if day is None:
        errors.setdefault("new_due", gettext("Choose the new due date."))
        return None
    return datetime.combine(day, old_due_at.timetz())


def parse_exemption(reason: str, ends_on: str, errors: dict[str, str]) -> tuple[ExemptionReason | None, datetime | None]:
    """The reason, and when the exemption stops (the start of the end date, UTC; None: until withdrawn)."""
    chosen = ExemptionReason(reason) if reason in EXEMPTION_REASONS else None
    if chosen is None:
        errors["exemption_reason"] = gettext("Choose why the person is exempt.")
    day = _day(ends_on, errors, "ends_on")
    return chosen, None if day is None else datetime.combine(day, time(0), tzinfo=UTC)
