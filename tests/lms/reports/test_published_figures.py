"""Report figures computed once and kept while the data stands still (lms.reports.published, lms.data_versions).

These run with the development default (REPORT_REFRESH_SECONDS 0): every change shows on the next
request. tests/lms/reports/test_published_figures_debounced.py covers production's minute.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from lms import data_versions
from lms.competences.models import CompetenceStatus
from lms.db import make_engine
from lms.people.models import User
from tests.conftest import sign_in
from tests.lms.reports.factories import make_org
from tests.lms.reports.test_report_pages import row
from tests.support.queries import counting


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user)
    org.unit("Policy")
    org.people("Policy", [{"1.1": 3, "4.2": 2}] * 3 + [{"1.1": 1, "4.2": 2}] * 3)
    return org


def version(db: Session) -> int | None:
    db.rollback()  # a fresh transaction, so the counter is read as committed now
    return data_versions.current(db, "reports")


def test_second_view_reads_no_person_rows_and_says_when_figures_were_computed(org, lead, app):
    first = lead.get("/reports?by=competence").text
    assert "Figures as of" in first
    with counting(app.state.engine) as statements:
        again = lead.get("/reports?by=competence").text
    assert row(again, "Policy") == row(first, "Policy")
    assert not [s for s in statements if "GROUP BY" in s.upper()], "the aggregate scan ran again"


def test_a_rating_shows_on_the_next_view(org, lead, db):
    assert "50%" in row(lead.get("/reports?by=competence").text, "Policy")  # 3 of 6 meet 1.1 at 3
    policy = org.units["Policy"].id
    status = db.exec(
        select(CompetenceStatus).join(User).where(User.org_unit_id == policy, CompetenceStatus.verified_level == 1)
    ).first()
    status.verified_level = 4
    db.add(status)
    db.commit()
    assert "67%" in row(lead.get("/reports?by=competence").text, "Policy")


def test_a_write_from_another_process_shows_too(org, lead, settings):
    lead.get("/reports?by=competence")
    # The worker and the CLI have their own engines: the bump travels with the data, not with the process.
    other = make_engine(settings.database_url)
    try:
        with other.begin() as conn:
            conn.execute(text("UPDATE competence_status SET verified_level = 5"))
    finally:
        other.dispose()
    assert "100%" in row(lead.get("/reports?by=competence").text, "Policy")


def test_deactivating_someone_counts_but_signing_in_does_not(org, db, client):
    person = org.people("Policy", [{"1.1": 3}])[0]
    before = version(db)
    assert sign_in(client, person.email).status_code == 303  # stamps last_login_at
    assert version(db) == before
    person = db.get(User, person.id)
    person.is_active = False
    db.add(person)
    db.commit()
    assert version(db) == before + 1


def test_a_rolled_back_write_leaves_the_version(org, db):
    before = version(db)
    db.execute(text("UPDATE competence_status SET verified_level = 0"))
    db.rollback()
    assert version(db) == before


def test_figures_older_than_the_lapse_bound_are_recomputed_without_a_write(org, lead, app):
    """Evidence lapses with time alone; no counter moves when it does."""
    figures = app.state.report_figures
    lead.get("/reports")
    start = figures.clock()
    figures.clock = lambda: start + timedelta(minutes=16)
    with counting(app.state.engine) as statements:
        lead.get("/reports")
    assert [s for s in statements if "GROUP BY" in s.upper()]
