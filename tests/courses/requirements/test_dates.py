"""The date rules of mandatory training: examples, then properties over any date (Hypothesis). Pure, no database."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from courses.requirements.dates import (
    add_months,
    end_of,
    first_due,
    fixed_day,
    grace_until,
    next_cycle_opens_at,
    next_fixed_day,
    valid_until,
)

instants = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC))
months_n = st.integers(min_value=1, max_value=120)
windows = st.integers(min_value=0, max_value=120)
fixed_days = st.tuples(st.integers(1, 12), st.integers(1, 31))


def at(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def test_examples():
    assert add_months(at(2026, 1, 31), 1) == at(2026, 2, 28)
    assert add_months(at(2028, 1, 31), 1) == at(2028, 2, 29)
    assert add_months(at(2028, 2, 29), 12) == at(2029, 2, 28)
    assert add_months(at(2026, 11, 30), 3) == at(2027, 2, 28)
    assert fixed_day(2027, 2, 29) == date(2027, 2, 28) and fixed_day(2028, 2, 29) == date(2028, 2, 29)
    assert next_fixed_day(date(2026, 3, 30), 3, 31) == date(2026, 3, 31)
    assert next_fixed_day(date(2026, 3, 31), 3, 31) == date(2027, 3, 31)
    assert first_due(at(2026, 1, 5), 30) == at(2026, 2, 4)
    assert grace_until(at(2026, 2, 4), 7) == at(2026, 2, 11)
    assert valid_until(completed_at=at(2026, 5, 1), recurrence="none") is None
    assert valid_until(completed_at=at(2026, 1, 31), recurrence="months", every_months=1) == at(2026, 2, 28)
    annual = {"recurrence": "annual", "annual_month": 3, "annual_day": 31}
    # Without a window, a first completion just before the fixed day runs only to it...
    assert valid_until(completed_at=at(2026, 3, 15), **annual) == end_of(date(2026, 3, 31))
    # ...with a 60-day window it counts for the following year.
    assert valid_until(completed_at=at(2026, 3, 15), renew_window_days=60, **annual) == end_of(date(2027, 3, 31))
    # A renewal done before the current validity ends extends from it: no validity lost.
    previous = end_of(date(2026, 3, 31))
    assert valid_until(completed_at=at(2026, 3, 20), previous_valid_until=previous, **annual) == end_of(date(2027, 3, 31))
    twelve = {"recurrence": "months", "every_months": 12, "renew_window_days": 30}
    assert valid_until(completed_at=at(2026, 5, 20), previous_valid_until=at(2026, 6, 1), **twelve) == at(2027, 6, 1)
    # Before the window the new validity runs from the completion.
    assert valid_until(completed_at=at(2026, 4, 20), previous_valid_until=at(2026, 6, 1), **twelve) == at(2027, 4, 20)
    # Late: the old validity had ended, so from the completion.
    assert valid_until(completed_at=at(2026, 6, 20), previous_valid_until=at(2026, 6, 1), **twelve) == at(2027, 6, 20)
    assert next_cycle_opens_at(at(2027, 6, 1), renew_window_days=30, reminder_days=(14, 3)) == at(2027, 5, 2)
    assert next_cycle_opens_at(at(2027, 6, 1), renew_window_days=0, reminder_days=(14, 3)) == at(2027, 5, 18)


def test_incomplete_recurrences_are_refused():
    with pytest.raises(ValueError):
        valid_until(completed_at=at(2026, 1, 1), recurrence="months")
    with pytest.raises(ValueError):
        valid_until(completed_at=at(2026, 1, 1), recurrence="annual", annual_month=3)


@given(instants, months_n)
def test_add_months_keeps_the_day_or_clamps_to_month_end(when, months):
    result = add_months(when, months)
    assert (result.year * 12 + result.month) - (when.year * 12 + when.month) == months
    assert result.time() == when.time() and result.tzinfo == when.tzinfo
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(when.day, last)
    assert result > when


@given(instants, instants, months_n)
def test_add_months_is_monotonic(a, b, months):
    if a <= b:
        assert add_months(a, months) <= add_months(b, months)


@given(instants, months_n, windows)
def test_rolling_validity_from_the_completion(completed, months, window):
    result = valid_until(completed_at=completed, recurrence="months", every_months=months, renew_window_days=window)
    assert result == add_months(completed, months)


@given(instants, months_n, windows, st.integers(min_value=0, max_value=200))
def test_early_renewal_never_loses_validity(previous, months, window, days_before):
    completed = previous - timedelta(days=days_before, seconds=1)
    result = valid_until(
        completed_at=completed, recurrence="months", every_months=months, renew_window_days=window, previous_valid_until=previous
    )
    assert result is not None
    if previous - completed <= timedelta(days=window):
        assert result == add_months(previous, months)
    else:
        assert result == add_months(completed, months)
    assert result >= add_months(completed, months)


@given(instants, fixed_days, windows)
def test_annual_validity_lands_on_the_fixed_day(completed, fixed, window):
    month, day = fixed
    result = valid_until(completed_at=completed, recurrence="annual", annual_month=month, annual_day=day, renew_window_days=window)
    assert result is not None
    assert result.month == month and result.day == min(day, calendar.monthrange(result.year, month)[1])
    assert result.date() > completed.date()
    assert result - completed > timedelta(days=window)
    # At most a year past the window (a year and a day across 29 February).
    assert result - completed <= timedelta(days=window + 367)
    if window == 0:
        assert result.date() == next_fixed_day(completed.date(), month, day)


@given(st.integers(2001, 2090), fixed_days, st.integers(0, 40), windows)
def test_annual_renewal_before_the_fixed_day_runs_to_the_next_one(year, fixed, days_before, window):
    month, day = fixed
    previous = end_of(fixed_day(year, month, day))
    completed = previous - timedelta(days=days_before, hours=1)
    result = valid_until(
        completed_at=completed,
        recurrence="annual",
        annual_month=month,
        annual_day=day,
        renew_window_days=window,
        previous_valid_until=previous,
    )
    assert result is not None
    assert result.date() >= fixed_day(year + 1, month, day)
    assert result.date() <= fixed_day(year + 2, month, day)


@given(instants, st.integers(0, 365), st.integers(0, 90))
def test_grace_and_first_due(entered, due_days, grace):
    due = first_due(entered, due_days)
    assert due - entered == timedelta(days=due_days)
    assert grace_until(due, grace) >= due
    assert grace_until(due, 0) == due


@given(instants, windows, st.lists(st.integers(0, 60), max_size=3))
def test_next_cycle_opens_before_the_validity_ends(until, window, reminders):
    opens = next_cycle_opens_at(until, renew_window_days=window, reminder_days=tuple(reminders))
    assert opens <= until
    assert until - opens == timedelta(days=max([window, *reminders]))
