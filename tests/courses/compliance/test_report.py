"""The organisation's compliance report: rates per unit × requirement rolled up the tree, small groups hidden,
exports, the monthly snapshot job and the 12-month trend."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from courses.compliance.models import ComplianceSnapshotCell
from courses.compliance.report_selectors import build_cube, unit_report
from courses.compliance.snapshot import SnapshotError, compliance_snapshot_job, compliance_snapshot_take
from courses.requirements.models import CycleOutcome, Exemption, ExemptionReason
from lms.clock import utcnow
from lms.jobs.registry import registry
from lms.people.models import OrgUnit
from lms.reports.tree import ORG, NO_UNIT, OrgTree
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course
from tests.lms.competences.test_team_pages import text
from tests.lms.factories import make_unit
from tests.support.exports import rows_by_identifier


@dataclass
class Org:
    directorate: OrgUnit
    team_a: OrgUnit
    team_b: OrgUnit
    finance: OrgUnit
    requirement_id: int


def _compliant(db, requirement, person, now):
    make_cycle(
        db, requirement, person, opened_at=now - timedelta(days=60), due_at=now - timedelta(days=30),
        completed_at=now - timedelta(days=40), valid_until=now + timedelta(days=300),
    )  # fmt: skip


def _open(db, requirement, person, now, *, overdue=False):
    due = now - timedelta(days=5) if overdue else now + timedelta(days=40)
    make_cycle(db, requirement, person, opened_at=now - timedelta(days=50), due_at=due)


@pytest.fixture
def org(db, make_user) -> Org:
    """Directorate: Team A (4 compliant, 1 overdue, 1 exempt) and Team B (2 compliant); Finance: 5 not started."""
    now = utcnow()
    directorate = make_unit(db, "Directorate")
    team_a = make_unit(db, "Team A", directorate)
    team_b = make_unit(db, "Team B", directorate)
    finance = make_unit(db, "Finance")
    requirement = make_requirement(db, "Data protection", courses=[make_course(db)], everyone=True)
    for _ in range(4):
        _compliant(db, requirement, make_user(org_unit_id=team_a.id), now)
    _open(db, requirement, make_user(org_unit_id=team_a.id), now, overdue=True)
    exempt = make_user(org_unit_id=team_a.id)
    _open(db, requirement, exempt, now)
    db.add(Exemption(requirement_id=requirement.id, user_id=exempt.id, reason=ExemptionReason.EQUIVALENT.value))
    for _ in range(2):
        _compliant(db, requirement, make_user(org_unit_id=team_b.id), now)
    for _ in range(5):
        _open(db, requirement, make_user(org_unit_id=finance.id), now)
    # Neither counts: an inactive person, and one who left the audience.
    _compliant(db, requirement, make_user(org_unit_id=finance.id, is_active=False), now)
    leaver = make_user(org_unit_id=finance.id)
    make_cycle(db, requirement, leaver, opened_at=now - timedelta(days=9), due_at=now, ended_at=now, outcome=CycleOutcome.LEFT.value)
    make_requirement(db, "Retired rule", archived_at=now)  # archived: no column
    db.commit()
    return Org(directorate, team_a, team_b, finance, requirement.id)


def _row(html: str, label: str) -> str:
    """The text of the table row whose heading cell reads `label`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        words = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        if words.startswith(label + " "):
            return words
    raise AssertionError(f"no row {label!r}")


def test_the_organisation_report_rolls_up_and_hides_small_groups(db, signed_in, org):
    browser, _ = signed_in("skills_lead")
    page = browser.get("/reports/compliance")
    assert page.status_code == 200
    assert "Retired rule" not in page.text
    assert "50% 6 of 12" in _row(page.text, "Whole organisation")
    assert "86% 6 of 7" in _row(page.text, "Directorate")
    assert "0% 0 of 5" in _row(page.text, "Finance")

    unit = browser.get(f"/reports/compliance/units/{org.directorate.id}")
    assert "86% 6 of 7" in _row(unit.text, "Directorate (all)")
    # Team B has 2 people; with only it hidden, Team A would give it away (7 - 5), so both are hidden.
    assert "Hidden" in _row(unit.text, "Team A") and "Hidden" in _row(unit.text, "Team B")
    assert "4 of 5" not in unit.text
    assert browser.get("/reports/compliance/units/999999").status_code == 404
    assert browser.get(f"/reports/compliance/units/{org.team_a.id}").status_code == 200


def test_exports_carry_the_same_suppression(db, signed_in, org):
    browser, _ = signed_in("admin")
    response = browser.get(f"/reports/compliance/units/{org.directorate.id}/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = rows_by_identifier(response)
    by_path = {r["unit_path"]: r for r in rows}
    assert by_path["Directorate"]["compliance_pct"] == "85.7" and by_path["Directorate"]["people"] == "7"
    assert by_path["Directorate / Team B"]["suppressed"] == "yes" and by_path["Directorate / Team B"]["people"] == ""
    assert by_path["Directorate / Team A"]["suppressed"] == "yes"

    every = rows_by_identifier(browser.get("/reports/compliance/export/all.csv"))
    assert [r["unit_path"] for r in every] == [
        "Whole organisation",
        "Directorate",
        "Directorate / Team A",
        "Directorate / Team B",
        "Finance",
    ]
    assert every[0]["compliant"] == "6" and every[0]["people"] == "12"

    workbook = load_workbook(io.BytesIO(browser.get("/reports/compliance/export/all.xlsx").content))
    sheet = workbook.active
    assert sheet["A1"].value == "Unit path" and sheet["A2"].value == "Whole organisation" and sheet["E2"].value == 12
    assert browser.get("/reports/compliance/export/all.pdf").status_code == 404
    assert browser.get("/reports/compliance/units/-1/export.xlsx").status_code == 200


def test_people_in_no_unit_are_a_group_of_their_own():
    tree = OrgTree(names={ORG: "Whole organisation", NO_UNIT: "Not in any unit", 1: "Sales"})
    tree.parent = {NO_UNIT: ORG, 1: ORG}
    tree.children = {ORG: [1, NO_UNIT]}
    from courses.compliance.report_selectors import Column

    cube = build_cube(tree, [Column(7, "Phishing")], {(1, 7): (9, 3), (NO_UNIT, 7): (6, 6), (1, 8): (4, 4)}, 5)
    report = unit_report(cube)
    assert [(r.label, r.link_unit, r.cells[0].people) for r in report.parts] == [("Sales", 1, 9), ("Not in any unit", None, 6)]
    assert report.total.cells[0].rate == 9 / 15


def test_nothing_to_show_without_requirements(db, signed_in):
    browser, _ = signed_in("admin")
    assert "There are no mandatory training requirements yet" in text(browser.get("/reports/compliance"))


def test_the_monthly_snapshot_writes_once_and_feeds_the_trend(db, signed_in, org):
    assert "compliance.snapshot" in registry.handlers and registry.periodic["compliance.snapshot"] == "monthly"
    compliance_snapshot_job(db, {"period": "2026-10"})
    db.commit()
    cells = db.exec(select(ComplianceSnapshotCell).where(ComplianceSnapshotCell.period == "2026-10")).all()
    assert {(c.org_unit_id, c.people, c.compliant) for c in cells} == {
        (org.team_a.id, 5, 4),
        (org.team_b.id, 2, 2),
        (org.finance.id, 5, 0),
    }
    compliance_snapshot_job(db, {"period": "2026-10"})  # a retry or a second worker changes nothing
    db.commit()
    assert db.exec(select(func.count()).select_from(ComplianceSnapshotCell)).one() == 3
    with pytest.raises(SnapshotError):
        compliance_snapshot_take(db, period="2026-10")
    with pytest.raises(SnapshotError):
        compliance_snapshot_take(db, period="October")
    # An earlier month with Finance fully compliant.
    for unit, people, compliant in ((org.team_a.id, 5, 1), (org.team_b.id, 2, 0), (org.finance.id, 5, 5)):
        db.add(
            ComplianceSnapshotCell(
                period="2026-09", org_unit_id=unit, requirement_id=org.requirement_id, people=people, compliant=compliant
            )
        )
    db.commit()
    assert compliance_snapshot_take(db, period="2026-10", replace=True) == 3

    browser, _ = signed_in("skills_lead")
    trend = browser.get("/reports/compliance/units/-1/trend")
    assert trend.status_code == 200
    assert "Requirement 2026-09 2026-10 Now" in text(trend)
    assert "Data protection 50% 50% 50%" in text(trend)
    assert "<polyline" in trend.text
    finance = text(browser.get(f"/reports/compliance/units/{org.finance.id}/trend"))
    assert "Data protection 100% 0% 0%" in finance
    team_b = text(browser.get(f"/reports/compliance/units/{org.team_b.id}/trend"))
    assert "Data protection Hidden Hidden Hidden" in team_b
    assert browser.get("/reports/compliance/units/999999/trend").status_code == 404


def test_the_trend_without_snapshots_says_so(db, signed_in, org):
    browser, _ = signed_in("admin")
    assert "No snapshots yet" in text(browser.get("/reports/compliance/units/-1/trend"))


def test_employees_and_managers_cannot_see_the_report(db, signed_in):
    browser, _ = signed_in("manager")
    assert browser.get("/reports/compliance").status_code == 403
    assert browser.get("/reports/compliance/export/all.csv").status_code == 403
