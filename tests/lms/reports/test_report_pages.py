"""Organisation reports in the browser's terms: figures, drill-down, hiding small groups, trends, compare."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from lms.reports.snapshot import snapshot_take
from tests.lms.reports.factories import make_org
from tests.support.queries import counting

POLICY_LEVELS = [3, 3, 4, 3, 5, 3, 0, 1, 2, 2]  # against a required 3: 6 of 10 meet it, gaps add up to 7


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row(page: str, label: str) -> str:
    """The text of the first table row whose header mentions `label`."""
    for tr in re.findall(r"<tr>.*?</tr>", page, flags=re.S):
        th = re.search(r"<th[^>]*>(.*?)</th>", tr, flags=re.S)
        if th and label in _text(th.group(1)):
            return _text(tr)
    raise AssertionError(f"no row for {label!r}")


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user)
    org.unit("Operations")
    org.unit("Small team", "Operations")
    org.unit("Large team", "Operations")
    org.unit("Policy")
    org.unit("Policy team", "Policy")
    org.people("Small team", [{"1.1": 3, "4.2": 2}] * 3)
    org.people("Large team", [{"1.1": 1, "4.2": 2}] * 8)
    org.people("Policy team", [{"1.1": lv, "4.2": 1} for lv in POLICY_LEVELS], self_levels=[{"1.1": 4}] * 10)
    return org


def test_organisation_page_gives_each_directorate_its_figures(org, lead):
    page = lead.get("/reports?by=competence").text
    assert "Skills report: Whole organisation" in page
    policy = row(page, "Policy")
    assert "60%" in policy and "10 people" in policy  # 1.1: 6 of 10 meet level 3
    assert "0%" in policy  # 4.2: everyone is at 1 against a required 2
    operations = row(page, "Operations")
    assert "27%" in operations and "11 people" in operations  # 1.1: the 3 small-team people of 11


def test_unit_page_shows_distribution_gap_and_self_against_verified(org, lead):
    policy = org.units["Policy team"]
    page = lead.get(f"/reports/units/{policy.id}?by=competence").text
    line = row(page, "1.1")
    # people, met, average gap 0.7, self 4.0 vs verified 2.6 (26 / 10), then the bands
    assert line.startswith("1.1 Browsing, searching and filtering data, information and digital content 10 60% 0.7")
    assert "4.0 vs 2.6" in line and "10 self-assessed" in line
    assert "No verified level" in page and "Foundation" in page


def test_a_small_team_is_hidden_and_so_is_the_sibling_that_would_give_it_away(org, lead):
    operations = org.units["Operations"]
    page = lead.get(f"/reports/units/{operations.id}?by=competence").text
    small, large = row(page, "Small team"), row(page, "Large team")
    assert "Hidden" in small and "%" not in small and "people" not in small
    # Operations (11) minus a visible Large team (8) would reveal the Small team: so Large is hidden too.
    assert "Hidden" in large and "%" not in large
    assert "11" in row(page, "1.1")  # the directorate's own total stays visible


def test_drilling_into_a_small_team_shows_nothing_about_it(org, lead):
    small = org.units["Small team"]
    page = lead.get(f"/reports/units/{small.id}?by=competence").text
    assert "Hidden to protect a small group" in row(page, "1.1")
    assert "3 people" not in page and "100%" not in page


def test_the_threshold_is_configurable(org, lead, app):
    app.state.settings = app.state.settings.model_copy(update={"report_min_group": 3})
    operations = org.units["Operations"]
    page = lead.get(f"/reports/units/{operations.id}?by=competence").text
    assert "100%" in row(page, "Small team") and "3 people" in row(page, "Small team")


def test_the_threshold_can_not_go_below_three():
    from pydantic import ValidationError

    from lms.config import Settings

    with pytest.raises(ValidationError):
        Settings(report_min_group=2)


def test_lapsed_levels_and_inactive_people_do_not_count(db, make_user, signed_in):
    org = make_org(db, make_user)
    org.unit("Team")
    org.people("Team", [{"1.1": 3, "4.2": 2}] * 5)
    org.people("Team", [{"1.1": 3, "4.2": 2}] * 5, lapsed=True)
    org.people("Team", [{"1.1": 3, "4.2": 2}] * 4, active=False)
    page = signed_in("admin")[0].get("/reports?by=competence").text
    assert "50%" in row(page, "Team") and "10 people" in row(page, "Team")


def test_area_view_counts_people_once_and_requirements_per_competence(org, lead):
    page = lead.get(f"/reports/units/{org.units['Policy team'].id}").text
    assert "Information and data literacy" in row(page, "Information and data literacy")
    assert row(page, "Safety").split("Safety", 1)[1].strip().startswith("10 0%")


def test_the_view_form_swaps_only_the_results(org, lead, db):
    snapshot_take(db, period="2026-10")
    db.commit()
    headers = {"HX-Request": "true", "HX-Target": "report-results"}
    part = lead.get(f"/reports/units/{org.units['Policy team'].id}?by=competence", headers=headers).text
    assert part.lstrip().startswith('<div id="report-results"') and "<h1" not in part
    assert "60%" in row(part, "1.1")
    headers["HX-Target"] = "trend-results"
    trend = lead.get(f"/reports/units/{org.units['Policy team'].id}/trend?by=competence", headers=headers).text
    assert trend.lstrip().startswith('<div id="trend-results"') and "60%" in row(trend, "1.1")


def test_compare_puts_units_side_by_side(org, lead):
    ids = [org.units["Policy team"].id, org.units["Large team"].id]
    page = lead.get(f"/reports/compare?by=competence&unit={ids[0]}&unit={ids[1]}").text
    assert "Policy / Policy team" in page and "Operations / Large team" in page
    assert "Hidden" in row(page, "1.1")  # the large team's cell stays hidden here too
    assert "60%" in row(page, "1.1")


def test_compare_needs_two_units(org, lead):
    response = lead.get(f"/reports/compare?unit={org.units['Policy'].id}")
    assert response.status_code == 422
    assert "Choose at least two units" in response.text


def test_trend_has_the_snapshot_and_now_with_the_same_suppression(org, lead, db, make_user):
    snapshot_take(db, period="2026-10")
    db.commit()
    org.people("Policy team", [{"1.1": 5, "4.2": 2}] * 10)
    policy = org.units["Policy team"]
    page = lead.get(f"/reports/units/{policy.id}/trend?by=competence").text
    assert "2026-10" in page and "Now" in page
    assert "60% 80%" in row(page, "1.1")  # 6 of 10 then, 16 of 20 now
    small = lead.get(f"/reports/units/{org.units['Small team'].id}/trend?by=competence").text
    assert row(small, "1.1").endswith("Hidden Hidden")
    area = lead.get(f"/reports/units/{policy.id}/trend").text
    assert "<svg" in area and "trend-series-0" in area


def test_trend_breadcrumb_links_back_to_the_report_it_came_from(org, lead):
    policy = org.units["Policy team"]
    crumbs = re.search(
        r'<nav aria-label="Breadcrumbs".*?</nav>', lead.get(f"/reports/units/{policy.id}/trend?by=competence").text, re.S
    )
    assert crumbs and f'href="/reports/units/{policy.id}?by=competence"' in crumbs.group(0)
    organisation = re.search(r'<nav aria-label="Breadcrumbs".*?</nav>', lead.get("/reports/units/-1/trend").text, re.S)
    assert organisation and 'href="/reports"' in organisation.group(0) and "Whole organisation" in organisation.group(0)


def test_trend_by_competence_has_a_chart_with_a_marker_and_dash_per_line(org, lead, db):
    snapshot_take(db, period="2026-10")
    db.commit()
    page = lead.get(f"/reports/units/{org.units['Policy team'].id}/trend?by=competence").text
    chart = page[page.index('<svg class="trend-chart"') : page.index("</figure>")]
    assert "A line per competence," in chart
    # Two competences, two lines told apart by more than colour, each named in the legend.
    assert "trend-series-0 trend-dash-0" in chart and "trend-series-1 trend-dash-1" in chart
    assert '<circle class="trend-marker trend-series-0"' in chart and '<rect class="trend-marker trend-series-1"' in chart
    legend = _text(chart[chart.index('<ul class="trend-legend">') :])
    assert "1.1" in legend and "4.2" in legend and "digital content (no figures" not in legend.split("1.2")[0]
    # A hidden group draws no line, and its legend says so rather than showing a key for nothing.
    small = lead.get(f"/reports/units/{org.units['Small team'].id}/trend?by=competence").text
    assert "1.1 Browsing" in _text(small) and "(no figures to draw)" in small


def test_trend_without_snapshots_says_what_happens_next(org, lead):
    page = lead.get("/reports/units/-1/trend").text
    assert "No snapshots yet" in page


def test_empty_organisation_says_what_to_do(lead):
    page = lead.get("/reports").text
    assert "No competence framework is loaded yet" in page


def test_unknown_unit_is_404(org, lead):
    assert lead.get("/reports/units/999999").status_code == 404
    assert lead.get("/reports/units/999999/trend").status_code == 404


def test_reports_never_name_a_person(org, lead):
    for url in [
        "/reports",
        f"/reports/units/{org.units['Policy team'].id}?by=competence",
        f"/reports/units/{org.units['Operations'].id}",
    ]:
        assert "Person 0" not in lead.get(url).text


def test_query_count_does_not_grow_with_the_organisation(db, make_user, signed_in, app):
    org = make_org(db, make_user)
    org.unit("Dept")
    org.unit("Team 0", "Dept")
    org.people("Team 0", [{"1.1": 3}] * 5)
    lead, _ = signed_in("skills_lead")
    with counting(app.state.engine) as few:
        assert lead.get(f"/reports/units/{org.units['Dept'].id}").status_code == 200
    for i in range(1, 12):
        org.unit(f"Team {i}", "Dept")
        org.people(f"Team {i}", [{"1.1": 2, "4.2": 3}] * 6)
    with counting(app.state.engine) as many:
        assert lead.get(f"/reports/units/{org.units['Dept'].id}").status_code == 200
    assert len(many) == len(few) <= 12


def test_home_page_points_skills_leads_to_reports_and_no_one_else(signed_in, client):
    lead, _ = signed_in("skills_lead")
    assert 'href="/reports"' in lead.get("/").text
    client.cookies.clear()
    employee, _ = signed_in()
    assert 'href="/reports"' not in employee.get("/").text
