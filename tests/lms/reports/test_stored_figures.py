"""Report figures published by the worker (lms.reports.stored): pages read them per unit, a write shows
once the worker has run, stale figures say their time, a threshold change recomputes, trends read stored months."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from lms.clock import utcnow
from lms.competences.models import CompetenceStatus
from lms.jobs.registry import registry
from lms.jobs.worker import run_worker
from lms.people.models import User
from lms.reports import plugin
from lms.reports.cube import AREA, COMPETENCE
from lms.reports.models import ReportFigureRow, ReportFigureSet
from lms.reports.selectors import live_cube, org_report, report_columns, unit_report
from lms.reports.snapshot import snapshot_take
from lms.reports.stored import StoredFigures, figures_publish, live_set, publish_job
from lms.reports.tree import org_tree
from tests.lms.reports.test_report_pages import org  # noqa: F401  (the pages' organisation)
from tests.lms.reports.test_report_pages import row
from tests.lms.reports.test_report_recount import MIN_GROUP, Recount, _units_to_check, generated  # noqa: F401
from tests.support.queries import counting


def publish(db: Session, *, min_group: int = 5, **kw) -> int:
    written = figures_publish(db, min_group=min_group, **kw)
    db.commit()
    return written


def stored(db: Session, min_group: int = MIN_GROUP) -> StoredFigures:
    found = live_set(db, None, min_group)
    assert found is not None
    return StoredFigures(db, found, org_tree(db, with_no_unit=True))


def test_stored_figures_equal_a_person_by_person_recount_and_the_cube_they_came_from(generated):
    db = generated
    assert publish(db, min_group=MIN_GROUP) == 1
    figures, columns, recount = stored(db), report_columns(db), Recount(db)
    checked = hidden = 0
    for unit in _units_to_check(db):
        for view in (AREA, COMPETENCE):
            report = unit_report(figures, columns, unit_id=unit, view=view)
            live = org_report(db, unit_id=unit, by=view, min_group=MIN_GROUP)
            assert [(r.node, r.label, r.cells) for r in [report.total, *report.parts]] == [
                (r.node, r.label, r.cells) for r in [live.total, *live.parts]
            ]
            for part in [report.total, *report.parts]:
                group, node_unit = part.node
                if group != "unit":
                    continue
                for column, cell in zip(report.columns, part.cells, strict=True):
                    expected = recount.figures(node_unit, view, column.key)
                    if cell.suppressed:
                        hidden += 1
                        continue
                    if expected["people"] == 0:
                        assert cell.figures is None
                        continue
                    f = cell.figures
                    assert f is not None
                    assert (f.people, f.requirements, f.meeting, f.gap_sum, f.levels) == (
                        expected["people"],
                        expected["requirements"],
                        expected["meeting"],
                        expected["gap_sum"],
                        expected["levels"],
                    )
                    assert (f.self_count, f.self_sum, f.verified_self_sum) == (
                        expected["self_count"],
                        expected["self_sum"],
                        expected["verified_self_sum"],
                    )
                    checked += 1
    assert checked > 50 and hidden > 0
    # Every unit's row is stored, so an export of all units reads the same as the cube's.
    keys = [c.key for c in columns.competences]
    cube = live_cube(db, columns, min_group=MIN_GROUP)
    assert list(figures.unit_rows(COMPETENCE, keys)) == list(cube.unit_rows(COMPETENCE, keys))


def test_a_page_reads_stored_figures_a_write_shows_after_the_worker_runs_and_stale_figures_say_their_time(
    org,
    lead,
    db,
    app,
):
    published_at = utcnow() - timedelta(minutes=3)
    publish(db, now=published_at)
    with counting(app.state.engine) as statements:
        page = lead.get("/reports?by=competence").text
    assert "60%" in row(page, "Policy")
    assert not [s for s in statements if "GROUP BY" in s.upper()], "the page aggregated people itself"
    assert f"{published_at:%H:%M:%S} UTC" in page

    policy_team = org.units["Policy team"].id
    status = (
        db.execute(select(CompetenceStatus).join(User).where(User.org_unit_id == policy_team, CompetenceStatus.verified_level == 1))
        .scalars()
        .first()
    )
    status.verified_level = 4
    db.add(status)
    db.commit()
    stale = lead.get("/reports?by=competence").text
    # The first status at level 1 is someone's 4.2 (everyone in Policy team is at 1 against a required 2).
    assert "10%" not in row(stale, "Policy") and f"{published_at:%H:%M:%S} UTC" in stale  # as of the worker's last run

    publish_job(db, {})
    db.commit()
    fresh = lead.get("/reports?by=competence").text
    assert "10%" in row(fresh, "Policy") and f"{published_at:%H:%M:%S} UTC" not in fresh


def test_the_worker_publishes_on_its_own_and_does_nothing_while_the_data_stands_still(org, db, app):
    plugin.register()
    assert registry.periodic["reports.publish"] == timedelta(minutes=1)
    assert run_worker(app.state.engine, once=True, worker_id="test") >= 1
    db.rollback()
    first = live_set(db, None, 5)
    assert first is not None and first.data_version is not None
    assert publish(db) == 0  # same data version, minutes younger than the lapse bound
    assert publish(db, now=utcnow() + timedelta(minutes=16)) == 1  # evidence may have lapsed since
    live_sets = select(func.count()).select_from(ReportFigureSet).where(ReportFigureSet.snapshot_id.is_(None))
    assert db.execute(live_sets).scalar() == 1  # replaced, not added


def test_a_threshold_change_recomputes(org, lead, db, app):
    publish(db, min_group=5)
    operations = org.units["Operations"].id
    assert "Hidden" in row(lead.get(f"/reports/units/{operations}?by=competence").text, "Small team")
    app.state.settings = app.state.settings.model_copy(update={"report_min_group": 3})
    # Until the worker runs with the new threshold, the page computes its figures itself: never the old suppression.
    assert "3 people" in row(lead.get(f"/reports/units/{operations}?by=competence").text, "Small team")
    assert publish(db, min_group=3) == 1
    assert live_set(db, None, 5) is None
    with counting(app.state.engine) as statements:
        page = lead.get(f"/reports/units/{operations}?by=competence").text
    assert "100%" in row(page, "Small team") and "3 people" in row(page, "Small team")
    assert not [s for s in statements if "GROUP BY" in s.upper()]


def test_a_trend_reads_stored_months_not_snapshot_cells(org, lead, db, app):
    snapshot_take(db, period="2026-10")
    db.commit()
    org.people("Policy team", [{"1.1": 5, "4.2": 2}] * 10)
    policy = org.units["Policy team"].id
    computed = lead.get(f"/reports/units/{policy}/trend?by=competence").text
    assert publish(db) == 2  # today's figures and the snapshot's
    with counting(app.state.engine) as statements:
        page = lead.get(f"/reports/units/{policy}/trend?by=competence").text
    assert "60% 80%" in row(page, "1.1") and row(page, "1.1") == row(computed, "1.1")
    assert not [s for s in statements if "report_snapshot_cell" in s], "a month was rolled up again"
    small = lead.get(f"/reports/units/{org.units['Small team'].id}/trend?by=competence").text
    assert row(small, "1.1").endswith("Hidden Hidden")
    # A snapshot taken again drops its stored figures with it; the next run stores them anew.
    snapshot_take(db, period="2026-10", replace=True)
    db.commit()
    assert publish(db) == 2  # the snapshot moved the data version too
    # Only the months a trend shows keep stored figures.
    for month in range(1, 13):
        snapshot_take(db, period=f"2027-{month:02d}")
    db.commit()
    publish(db)
    stored_months = select(func.count()).select_from(ReportFigureSet).where(ReportFigureSet.snapshot_id.is_not(None))
    assert db.execute(stored_months).scalar() == 12  # 2026-10 has dropped out of the last twelve


def test_compare_and_exports_read_the_stored_rows(org, lead, db):
    before_csv = lead.get("/reports/export/all.csv?by=competence").text
    operations, policy = org.units["Operations"].id, org.units["Policy"].id
    before_compare = lead.get(f"/reports/compare?by=competence&unit={operations}&unit={policy}").text
    publish(db)
    assert db.execute(select(func.count()).select_from(ReportFigureRow)).scalar() > 0
    assert lead.get("/reports/export/all.csv?by=competence").text == before_csv
    after_compare = lead.get(f"/reports/compare?by=competence&unit={operations}&unit={policy}").text
    assert row(after_compare, "1.1") == row(before_compare, "1.1")


def test_a_named_framework_and_a_trend_without_snapshots_read_stored_figures(org, lead, db, app):
    publish(db)
    framework = report_columns(db).framework
    with counting(app.state.engine) as statements:
        page = lead.get(f"/reports?by=competence&framework={framework.id}").text
        trend = lead.get("/reports/units/-1/trend?by=competence").text
    assert "60%" in row(page, "Policy") and "No snapshots yet" in trend
    assert not [s for s in statements if "GROUP BY" in s.upper()]
