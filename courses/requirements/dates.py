"""The date rules of mandatory training, as pure functions (docs/mandatory-training.md has examples).

All datetimes are timezone-aware UTC. A cycle is due `due_days` after it opens for someone who enters
the audience; a renewal cycle is due when the validity it renews ends. Validity after a completion:

- none: valid for good (None);
- months: N calendar months after the completion, the day clamped to the month's end
  (31 January + 1 month = 28 or 29 February), keeping the time of day;
- annual: to the end (23:59:59.999999 UTC) of the first fixed day (e.g. 31 March) whose date is
  strictly after the completion's date; 29 February is 28 February in other years.

Early renewal: completing before the validity being renewed ends extends from its end, so nothing
is lost — for months when the completion falls within `renew_window_days` of the end (earlier, the
new validity runs from the completion), for annual always (a renewal cycle exists to reach the next
fixed day). And for annual, a completion within `renew_window_days` before the fixed day it would
run to counts for the following one: with a 60-day window, completing on 15 March gives validity
until 31 March next year, not this year's 31 March a fortnight away.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

from courses.requirements.models import Recurrence


def add_months(when: datetime, months: int) -> datetime:
    """`when` plus calendar months; a day the target month lacks becomes its last day."""
    index = when.year * 12 + (when.month - 1) + months
    year, month = divmod(index, 12)
    day = min(when.day, calendar.monthrange(year, month + 1)[1])
    return when.replace(year=year, month=month + 1, day=day)


def fixed_day(year: int, month: int, day: int) -> date:
    """The fixed day in `year`: clamped to the month's length (29 February -> 28 in other years)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=UTC)


def next_fixed_day(after: date, month: int, day: int) -> date:
    """The first fixed day whose date is strictly after `after`."""
    candidate = fixed_day(after.year, month, day)
    return candidate if candidate > after else fixed_day(after.year + 1, month, day)


def first_due(entered_at: datetime, due_days: int) -> datetime:
    """Due date of the first cycle of someone who entered the audience at `entered_at`."""
    return entered_at + timedelta(days=due_days)


def grace_until(due_at: datetime, grace_days: int) -> datetime:
    return due_at + timedelta(days=grace_days)


def valid_until(
    *,
    completed_at: datetime,
    recurrence: str,
    every_months: int | None = None,
    annual_month: int | None = None,
    annual_day: int | None = None,
    renew_window_days: int = 0,
    previous_valid_until: datetime | None = None,
) -> datetime | None:
    """Validity of a completion; `previous_valid_until` is the end of the validity this cycle renews
    (None for a first cycle, or when the earlier validity had already ended)."""
    renewing = previous_valid_until is not None and completed_at < previous_valid_until
    window = timedelta(days=max(renew_window_days, 0))
    if recurrence == Recurrence.MONTHS:
        if every_months is None:
            raise ValueError("a monthly recurrence needs every_months")
        base = completed_at
        if renewing and previous_valid_until is not None and previous_valid_until - completed_at <= window:
            base = previous_valid_until
        return add_months(base, every_months)
    if recurrence == Recurrence.ANNUAL:
        if annual_month is None or annual_day is None:
            raise ValueError("an annual recurrence needs annual_month and annual_day")
        base_day = completed_at.date()
        if renewing and previous_valid_until is not None:
            base_day = max(base_day, previous_valid_until.date())
        until = next_fixed_day(base_day, annual_month, annual_day)
        if end_of(until) - completed_at <= window:
            until = next_fixed_day(until, annual_month, annual_day)
        return end_of(until)
    return None


def next_cycle_opens_at(valid_until: datetime, *, renew_window_days: int, reminder_days: tuple[int, ...]) -> datetime:
    """When the renewal cycle opens: early enough for the renewal window and the first reminder."""
    lead = max((renew_window_days, *reminder_days), default=0)
    return valid_until - timedelta(days=max(lead, 0))
