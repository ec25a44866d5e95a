"""Past months rebuilt from the evidence log agree with what a snapshot would have said then."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from lms.competences.selectors import competence_by_code
from lms.competences.service import evidence_record
from lms.reports.backfill import snapshot_backfill
from lms.reports.models import ReportSnapshotCell
from lms.reports.snapshot import SnapshotError, snapshot_take
from tests.lms.reports.factories import make_org

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def _cells(db, snapshot_id):
    return {
        (c.org_unit_id, c.competence_id): (c.people, c.meeting, c.gap_sum, c.self_count, c.levels)
        for c in db.execute(select(ReportSnapshotCell).where(ReportSnapshotCell.snapshot_id == snapshot_id)).scalars()
    }


@pytest.fixture
def team(db, make_user):
    org = make_org(db, make_user, {"1.1": 3})
    org.unit("Team")
    people = org.people("Team", [{}] * 6)
    comp = competence_by_code(db, "1.1")
    for i, person in enumerate(people):
        evidence_record(
            db, user=person, competence=comp, level=2, source="course", by=None, recorded_at=datetime(2026, 8, 10, tzinfo=UTC)
        )
        if i < 4:  # four of six reach the required level in October
            evidence_record(
                db, user=person, competence=comp, level=3, source="quiz", by=None, recorded_at=datetime(2026, 10, 5, tzinfo=UTC)
            )
        evidence_record(
            db, user=person, competence=comp, level=4, source="self", by=None, recorded_at=datetime(2026, 9, 1, tzinfo=UTC)
        )
    db.commit()
    return org, comp


def test_each_past_month_shows_what_the_log_knew_by_its_end(team, db):
    org, comp = team
    unit = org.units["Team"].id
    september = snapshot_backfill(db, period="2026-09", now=NOW)
    october = snapshot_backfill(db, period="2026-10", now=NOW)
    db.commit()
    assert _cells(db, september.id)[(unit, comp.id)][:4] == (6, 0, 6, 6)
    assert _cells(db, october.id)[(unit, comp.id)][:4] == (6, 4, 2, 6)
    # Nothing was recorded after October, so a snapshot of today says the same as October's rebuild.
    today = snapshot_take(db, period="2026-11", now=NOW)
    db.commit()
    assert _cells(db, today.id) == _cells(db, october.id)


def test_a_month_not_over_or_already_taken_is_refused(team, db):
    with pytest.raises(SnapshotError, match="has not ended yet"):
        snapshot_backfill(db, period="2026-11", now=NOW)
    snapshot_take(db, period="2026-10", now=NOW)
    db.commit()
    with pytest.raises(SnapshotError, match="already a snapshot for 2026-10"):
        snapshot_backfill(db, period="2026-10", now=NOW)


def test_cli_rebuilds_a_past_month_and_needs_a_period(team, db_url):
    from tests.lms.test_cli import lms

    done = lms(db_url, "reports", "snapshot", "--from-evidence", "--period", "2026-09")
    assert done.exit_code == 0 and "Snapshot 2026-09 taken" in done.output
    refused = lms(db_url, "reports", "snapshot", "--from-evidence")
    assert refused.exit_code == 1 and "--from-evidence needs --period" in refused.stderr
