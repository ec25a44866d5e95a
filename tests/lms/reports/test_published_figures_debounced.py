"""Production's REPORT_REFRESH_SECONDS: under a stream of changes a report recomputes at most once a minute,
says how old its figures are, and never shows figures older than the setting once it has passed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.lms.reports.factories import make_org
from tests.lms.reports.test_report_pages import row


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"report_refresh_seconds": 60})


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user)
    org.unit("Policy")
    org.people("Policy", [{"1.1": 3, "4.2": 2}] * 3 + [{"1.1": 1, "4.2": 2}] * 3)
    return org


def as_of(page: str) -> str:
    found = re.search(r'class="figures-as-of" datetime="([^"]+)"', page)
    assert found, "the page does not say when its figures were computed"
    return found.group(1)


def test_changes_within_the_minute_wait_and_show_after_it(org, lead, db, app):
    figures = app.state.report_figures
    first = lead.get("/reports?by=competence").text
    assert "50%" in row(first, "Policy")
    db.execute(text("UPDATE competence_status SET verified_level = 5"))
    db.commit()

    start = figures.clock()
    figures.clock = lambda: start + timedelta(seconds=30)
    held = lead.get("/reports?by=competence").text
    assert "50%" in row(held, "Policy") and as_of(held) == as_of(first)

    figures.clock = lambda: start + timedelta(seconds=61)
    fresh = lead.get("/reports?by=competence").text
    assert "100%" in row(fresh, "Policy") and as_of(fresh) > as_of(first)


def test_without_changes_the_figures_stay_current_past_the_minute(org, lead, app):
    figures = app.state.report_figures
    first = lead.get("/reports").text
    start = figures.clock()
    figures.clock = lambda: start + timedelta(minutes=5)
    assert as_of(lead.get("/reports").text) == as_of(first)
