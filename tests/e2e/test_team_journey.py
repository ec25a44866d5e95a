"""The demo manager filters the team heatmap, rates one person and sees the cell change; exports the heatmap as CSV.

The browser tests share one database, so nothing here assumes a level: every expectation is read from
the page before acting, and the rated person is never the demo employee, whom other tests use.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from lms.export_headings import heading

from tests.e2e.support.accounts import ADMIN, EMPLOYEE, MANAGER, TRAINER
from tests.e2e.support.pages import check_page, field, sign_in, visit
from tests.e2e.support.skills import expect_status, heatmap, verified_and_required
from tests.support.exports import identifier_of

EMPLOYEE_NAME = "Sam Okafor"
MANAGER_NAME = "Priya Raman"
CSV_COLUMNS = [
    "person",
    "email",
    "job_profile",
    "competence_code",
    "competence_name",
    "required",
    "verified",
    "gap",
    "self_assessed",
    "lapsed",
]


def wait_for_heatmap(page: Page, condition: str) -> None:
    """Wait until the swapped-in heatmap satisfies a JS condition on `codes` and `rows` (its body rows)."""
    page.wait_for_function(
        f"""() => {{
            const table = document.querySelector('table.heatmap');
            if (!table) return false;
            const codes = [...table.querySelectorAll('thead abbr')].map(a => a.innerText.trim());
            const rows = table.querySelectorAll('tbody tr');
            return {condition};
        }}"""
    )


def shared_area(people: list[dict]) -> str:
    """An area every person's profile draws on, so the filtered view still has someone to rate."""
    codes = [code for code in people[0]["levels"] if all(code in p["levels"] for p in people)]
    assert codes, "the demo team should share at least one required competence"
    return codes[0].split(".")[0]


def test_manager_filters_the_heatmap_rates_a_person_and_sees_the_cell_change(page: Page):
    sign_in(page, MANAGER)
    visit(page, "/team")
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    everyone = heatmap(page)
    assert len(everyone["people"]) > 1

    # Filter by area: the table updates in place and the address bar says what is shown.
    area = shared_area(everyone["people"])
    labels = page.locator("#area option").all_inner_texts()
    label = next(text for text in labels if text.startswith(f"{area} ·"))
    field(page, "Competence area").select_option(label=label)
    expect(page).to_have_url(re.compile(r"[?&]area=\d+"))
    wait_for_heatmap(page, f"codes.length > 0 && codes.every(c => c.startsWith('{area}.'))")
    check_page(page)

    # Direct reports only: the sub-team's members drop out.
    page.get_by_text("Direct reports only", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]direct=1"))
    wait_for_heatmap(page, f"rows.length < {len(everyone['people'])}")
    check_page(page)

    field(page, "Sort people by").select_option(label="Largest gap first")
    expect(page).to_have_url(re.compile(r"[?&]sort=gap"))
    expect(page.locator("table.heatmap caption")).to_contain_text("sorted by largest total gap")
    check_page(page)
    direct = heatmap(page)
    gaps = [p["total_gap"] for p in direct["people"]]
    assert gaps == sorted(gaps, reverse=True), f"largest gap first should order the total gaps; got {gaps}"
    names = {p["name"] for p in direct["people"]}
    assert names < {p["name"] for p in everyone["people"]}
    assert all(code.startswith(f"{area}.") for code in direct["codes"])

    # The address is the view: loading it afresh shows the same filtered, sorted table.
    filtered_url = page.url
    visit(page, filtered_url)
    assert heatmap(page) == direct
    expect(field(page, "Direct reports only")).to_be_checked()

    # Someone other than the demo employee, in a cell that can still go up and has not lapsed.
    person, code = next(
        (p, code)
        for p in direct["people"]
        if p["name"] != EMPLOYEE_NAME
        for code, cell in p["levels"].items()
        if verified_and_required(cell)[0] < 8 and code not in p["lapsed"]
    )
    verified, required = verified_and_required(person["levels"][code])
    new_level = verified + 1

    with page.expect_navigation():
        page.locator("table.heatmap").get_by_role("link", name=person["name"], exact=True).click()
    assert page.url.endswith(person["href"])
    expect(page.get_by_role("heading", level=1)).to_have_text(person["name"])
    check_page(page)

    option = page.locator("#competence_id option").filter(has_text=re.compile(rf"^{re.escape(code)} "))
    field(page, "Competence").select_option(value=option.get_attribute("value"))
    field(page, "Level").select_option(value=str(new_level))
    field(page, "Note").fill("Led the recovery exercise for the platform this quarter.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record rating").click()
    expect(page.get_by_text(f"Rating recorded: {person['name']} is at level {new_level} in {code}")).to_be_visible()
    check_page(page)

    # Lowering the level needs a reason: the error sits next to the Note field, nothing is recorded.
    here = page.url
    expect_status(page, f"{person['href']}/ratings", 422)
    field(page, "Competence").select_option(value=option.get_attribute("value"))
    field(page, "Level").select_option(value=str(new_level - 1))
    field(page, "Note").fill("")
    page.get_by_role("button", name="Record rating").click()
    error = page.locator("#note-error")
    expect(error).to_have_text("Give a reason when you rate below the current verified level.")
    expect(field(page, "Note")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Note")).to_have_attribute("aria-describedby", re.compile(r"\bnote-error\b"))
    assert page.url == here
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Back to My team").click()
    check_page(page)
    rated = next(p for p in heatmap(page)["people"] if p["href"] == person["href"])
    assert rated["levels"][code] == f"{new_level} / {required}", (
        f"{person['name']}'s {code} cell should now read {new_level} / {required}; it reads {rated['levels'][code]}"
    )


def test_manager_exports_only_their_reporting_line_as_csv(page: Page):
    sign_in(page, MANAGER)
    visit(page, "/team")
    shown = heatmap(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    download = info.value
    assert re.fullmatch(r"team-skills-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    check_page(page)

    headings, *body = list(csv.reader(io.StringIO(text)))
    # The manager reads English: the headings are English, each standing for its column's identifier.
    assert headings == [heading(column) for column in CSV_COLUMNS]
    header = [identifier_of("en")[name] for name in headings]
    rows = [dict(zip(header, row, strict=True)) for row in body]
    assert rows, "the demo manager's export should have rows"

    people = {p["name"]: p for p in shown["people"]}
    exported = {row["person"] for row in rows}
    assert exported == {name for name, p in people.items() if p["profile"] != "No job profile"}
    emails = {row["email"] for row in rows}
    assert EMPLOYEE in emails
    assert not emails & {MANAGER, ADMIN, TRAINER}, "the export should hold only the manager's reporting line"
    assert MANAGER_NAME not in exported
    # Each row says what the heatmap cell says.
    for row in rows:
        assert people[row["person"]]["levels"][row["competence_code"]] == f"{row['verified']} / {row['required']}"
