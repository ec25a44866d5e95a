"""Monthly snapshots: what they store, the CLI, and the worker job being safe to run twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.jobs.registry import registry
from lms.reports.aggregate import direct_cells
from lms.reports.models import ReportSnapshot, ReportSnapshotCell
from lms.reports.snapshot import SnapshotError, snapshot_cells, snapshot_job, snapshot_take
from tests.lms.reports.factories import make_org
from tests.lms.test_cli import fresh_settings, lms  # noqa: F401 - the CLI test needs fresh settings


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user)
    org.unit("Team")
    org.people("Team", [{"1.1": 3, "4.2": 1}] * 6, self_levels=[{"1.1": 2}] * 6)
    org.people(None, [{"1.1": 1}] * 2)
    return org


def test_a_snapshot_stores_todays_counters_for_every_unit(org, db):
    taken = snapshot_take(db, period="2026-10")
    db.commit()
    assert snapshot_cells(db, taken.id) == direct_cells(db)
    team = org.units["Team"].id
    row = (
        db.execute(select(ReportSnapshotCell).where(ReportSnapshotCell.org_unit_id == team).order_by(ReportSnapshotCell.competence_id))
        .scalars()
        .first()
    )
    assert (row.people, row.meeting, row.self_count, row.self_sum, row.verified_self_sum) == (6, 6, 6, 12, 18)
    assert row.levels[3] == 6
    # People in no unit are kept too, under unit 0.
    assert (
        db.execute(select(func.count()).select_from(ReportSnapshotCell).where(ReportSnapshotCell.org_unit_id == 0)).scalar_one() == 2
    )


def test_a_month_is_taken_once_unless_replaced(org, db):
    snapshot_take(db, period="2026-10")
    db.commit()
    with pytest.raises(SnapshotError, match="already a snapshot for 2026-10"):
        snapshot_take(db, period="2026-10")
    db.rollback()
    org.people("Team", [{"1.1": 5}] * 3)
    snapshot_take(db, period="2026-10", replace=True)
    db.commit()
    assert db.execute(select(func.count()).select_from(ReportSnapshot)).scalar_one() == 1
    assert sum(c[0] for c in direct_cells(db).values()) == sum(db.execute(select(ReportSnapshotCell.people)).scalars())


@pytest.mark.parametrize("period", ["2026-13", "26-10", "october", "2026-1"])
def test_a_bad_period_is_refused(db, period):
    with pytest.raises(SnapshotError, match="Period must look like 2026-11"):
        snapshot_take(db, period=period)


def test_the_monthly_job_is_registered_and_a_second_run_changes_nothing(org, db):
    assert registry.handlers["reports.snapshot"] is snapshot_job
    assert registry.periodic["reports.snapshot"] == "monthly"
    snapshot_job(db, {"period": "2026-11"})
    db.commit()
    first = db.execute(select(ReportSnapshot)).scalar_one()
    org.people("Team", [{"1.1": 5}] * 3)
    snapshot_job(db, {"period": "2026-11"})
    db.commit()
    assert db.execute(select(ReportSnapshot)).scalar_one().taken_at == first.taken_at


def test_cli_takes_a_snapshot_and_refuses_a_second_in_one_line(org, db_url):
    first = lms(db_url, "reports", "snapshot", "--period", "2026-09")
    assert first.exit_code == 0 and "Snapshot 2026-09 taken" in first.output
    again = lms(db_url, "reports", "snapshot", "--period", "2026-09")
    assert again.exit_code == 1
    assert "already a snapshot for 2026-09; use --replace" in again.stderr
    assert lms(db_url, "reports", "snapshot", "--period", "2026-09", "--replace").exit_code == 0
