"""Org-unit aggregates through the API: the reports package's figures, with the same cells suppressed as on
/reports, no numbers in a suppressed cell, and nothing outside a limited token's subtree."""

from __future__ import annotations

import pytest

from tests.lms.api.conftest import bearer
from tests.lms.reports.factories import make_org
from tests.lms.reports.test_report_pages import row

NUMBERS = [
    "people",
    "requirements",
    "meeting",
    "share_meeting",
    "average_gap",
    "average_verified",
    "self_assessed",
    "average_self",
    "average_verified_of_self_assessed",
    "levels",
]


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user)  # everyone requires 1.1 at level 3 and 4.2 at level 2
    org.unit("Operations")
    org.unit("Small team", "Operations")
    org.unit("Large team", "Operations")
    org.unit("Policy")
    org.people("Small team", [{"1.1": 3, "4.2": 2}] * 3)
    org.people("Large team", [{"1.1": 1, "4.2": 2}] * 8)
    org.people("Policy", [{"1.1": lv, "4.2": 1} for lv in [3, 3, 4, 3, 5, 3, 0, 1, 2, 2]], self_levels=[{"1.1": 4}] * 10)
    return org


def aggregates(client, secret, unit, by="competence"):
    r = client.get(f"/api/v1/org-units/{unit.id}/aggregates?by={by}", headers=bearer(secret))
    assert r.status_code == 200, r.text
    return r.json()


def test_figures_match_the_report(client, issue, org):
    _, secret = issue(["reports:read"])
    body = aggregates(client, secret, org.units["Policy"])
    assert (body["unit"]["name"], body["framework"], body["by"], body["min_group"]) == ("Policy", "DigComp", "competence", 5)
    assert [c["code"] for c in body["columns"]][:2] == ["1.1", "1.2"]
    cell = body["total"]["cells"][0]
    assert (cell["column"], cell["suppressed"], cell["people"], cell["meeting"]) == ("1.1", False, 10, 6)
    assert cell["share_meeting"] == pytest.approx(0.6) and cell["average_gap"] == pytest.approx(0.7)
    assert cell["self_assessed"] == 10 and cell["average_self"] == pytest.approx(4.0)
    assert sum(cell["levels"]) == 10 and cell["levels"][3] == 4
    # A competence nobody here needs is empty, not hidden.
    assert body["total"]["cells"][1] == {
        "column": "1.2",
        "suppressed": False,
        "people": 0,
        **{k: None for k in NUMBERS if k != "people"},
    }


def test_cells_hidden_on_reports_are_suppressed_in_the_api_without_numbers(client, signed_in, issue, org):
    operations = org.units["Operations"]
    lead, _ = signed_in("skills_lead")
    page = lead.get(f"/reports/units/{operations.id}?by=competence").text
    assert "Hidden" in row(page, "Small team") and "Hidden" in row(page, "Large team")

    _, secret = issue(["reports:read"])
    body = aggregates(client, secret, operations)
    parts = {p["label"]: p for p in body["parts"]}
    assert set(parts) == {"Small team", "Large team"}
    for label in ("Small team", "Large team"):
        assert parts[label]["kind"] == "unit" and parts[label]["unit_id"] == org.units[label].id
        for column in ("1.1", "4.2"):
            cell = next(c for c in parts[label]["cells"] if c["column"] == column)
            assert cell["suppressed"] is True
            assert all(cell[k] is None for k in NUMBERS), cell
    assert body["total"]["cells"][0]["people"] == 11  # the unit's own total stays visible, as on the page

    # Asking for the small team directly, or by area, gives nothing away either.
    small = aggregates(client, secret, org.units["Small team"])
    assert [c["suppressed"] for c in small["total"]["cells"] if c["column"] in ("1.1", "4.2")] == [True, True]
    by_area = aggregates(client, secret, org.units["Small team"], by="area")
    hidden = [c for c in by_area["total"]["cells"] if c["suppressed"]]
    assert hidden and all(c[k] is None for c in hidden for k in NUMBERS)
    assert not [c for c in by_area["total"]["cells"] if c["people"]]


def test_a_limited_token_sees_aggregates_only_inside_its_subtree(client, issue, org):
    _, secret = issue(["reports:read"], unit=org.units["Operations"])
    assert aggregates(client, secret, org.units["Operations"])["unit"]["name"] == "Operations"
    assert aggregates(client, secret, org.units["Large team"])["unit"]["name"] == "Large team"
    outside = client.get(f"/api/v1/org-units/{org.units['Policy'].id}/aggregates", headers=bearer(secret))
    missing = client.get("/api/v1/org-units/999999/aggregates", headers=bearer(secret))
    assert outside.status_code == missing.status_code == 404 and outside.json() == missing.json()


def test_unknown_view_or_framework_is_refused(client, issue, org):
    _, secret = issue(["reports:read"])
    unit = org.units["Policy"]
    assert client.get(f"/api/v1/org-units/{unit.id}/aggregates?by=person", headers=bearer(secret)).status_code == 422
    r = client.get(f"/api/v1/org-units/{unit.id}/aggregates?framework=Nope", headers=bearer(secret))
    assert r.status_code == 404
    assert aggregates(client, secret, unit, by="area")["framework"] == "DigComp"
