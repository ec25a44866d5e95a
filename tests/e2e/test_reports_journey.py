"""A skills lead drills from the organisation to a team, compares units, looks at trends and exports.

The demo organisation is a department with directorates and teams; the demo's evidence log gives six
months of rebuilt snapshots, so the trend has lines to draw.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE, LEAD
from tests.e2e.support.pages import check_page, field, sign_in, visit


def open_unit(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=f"Open {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Skills report: {name}")
    check_page(page)


def part_names(page: Page) -> list[str]:
    labels = page.locator("table.report-parts tbody th label").all_text_contents()
    return [re.sub(r"^\s*Compare\s*", "", label).strip() for label in labels]


def test_skills_lead_drills_from_organisation_to_team_and_exports(page: Page):
    sign_in(page, LEAD)
    with page.expect_navigation():
        page.get_by_role("link", name="Open the skills report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills report: Whole organisation")
    check_page(page)

    department = part_names(page)[0]
    open_unit(page, department)
    directorates = part_names(page)
    assert len(directorates) >= 2
    open_unit(page, directorates[0])
    teams = part_names(page)
    assert teams, "a directorate is made of teams"

    # By competence: the table is swapped in place and the address says what is shown.
    field(page, "Show figures by").select_option(label="Competence")
    expect(page).to_have_url(re.compile(r"by=competence"))
    expect(page.locator("#overview-heading")).to_be_visible()
    expect(page.locator("table.report-table tbody th").first).to_contain_text(re.compile(r"^\d\.\d"))
    check_page(page)

    # Compare two teams side by side.
    for team in teams[:2]:
        # USWDS draws its own box: the real checkbox sits off-screen and the label is what people click.
        page.locator("table.report-parts label", has_text=team).click()
        expect(page.get_by_label(f"Compare {team}")).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Compare selected units").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare units")
    for team in teams[:2]:
        expect(page.locator("th[scope=colgroup]", has_text=team)).to_be_visible()
    check_page(page)
    page.go_back()

    open_unit(page, teams[0])
    crumbs = page.get_by_role("navigation", name="Breadcrumbs")
    for name in ("Whole organisation", department, directorates[0]):
        expect(crumbs.get_by_role("link", name=name)).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "the export has the page's rows"
    assert not any(re.search(r"@example\.gov", line) for line in text.splitlines())
    check_page(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download Excel").click()
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"  # an .xlsx is a zip

    with page.expect_navigation():
        page.get_by_role("link", name="Change over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change over time: {teams[0]}")
    months = page.locator("#trend-results thead th").all_inner_texts()[1:]
    assert len(months) >= 3 and months[-1] == "Now", months
    check_page(page)
    # Both views draw a chart (competences too); switching waits for the areas' one to be swapped in.
    expect(page.locator("svg.trend-chart")).to_be_visible()
    field(page, "Show figures by").select_option(label="Competence area")
    expect(page.locator("#trend-results thead th").first).to_have_text("Competence area")
    expect(page.locator("svg.trend-chart desc")).to_contain_text("A line per competence area")
    check_page(page)

    visit(page, "/reports/open-data")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_reports_are_not_offered_to_employees(page: Page):
    sign_in(page, EMPLOYEE)
    assert "/reports" not in page.get_by_role("navigation", name="Primary").inner_html()
    visit(page, "/reports", status=403)
