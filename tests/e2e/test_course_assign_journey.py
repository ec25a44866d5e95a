"""The demo manager closes a skills gap from the heatmap: one action assigns the recommended course to everyone
in the line below the required level; the assignments page lists them. Assigning again, with a due date, does
not duplicate anything and gives everyone not yet finished a due date.

Nothing here assumes who has which gap: the people and counts are read from the pages before acting.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import ADMIN, MANAGER
from tests.e2e.support.courses import assignment_rows, close_gap_actions, is_test_course
from tests.e2e.support.pages import check_page, field, sign_in, visit


def choose_people_page(page: Page, code: str) -> list[str]:
    """Open "Choose people and a due date" for a gap; the names it ticks are the people with the gap."""
    with page.expect_navigation():
        page.locator(".close-gaps").get_by_role("link", name=f"Choose people and a due date for {code}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign a course")
    check_page(page)
    return [
        label.strip()
        for label in page.evaluate(
            """() => [...document.querySelectorAll('.assign-people input:checked')]
                  .map(i => document.querySelector(`label[for="${i.id}"]`).childNodes[0].textContent)"""
        )
    ]


def test_manager_assigns_a_recommended_course_to_everyone_with_a_gap(page: Page):
    sign_in(page, MANAGER)
    visit(page, "/team")
    expect(page.get_by_role("heading", level=2, name="Close the gaps")).to_be_visible()
    actions = close_gap_actions(page)
    assert actions, "the demo team should have a gap that a published course closes"
    # Prefer a demo course: courses other browser tests build come and go with the order the tests run in.
    action = next((a for a in actions if not is_test_course(a["course"])), actions[0])
    code, course, below = action["code"], action["course"], action["below"]

    people = choose_people_page(page, code)
    assert len(people) == below, f"{below} people are below requirement in {code}; the form ticks {people}"
    expect(page.get_by_role("region", name=f"Courses for {action['competence']}")).to_contain_text(course)
    expect(field(page, "Course").locator("option:checked")).to_have_text(course)

    # One action from the heatmap: everyone with the gap, whatever the filters show.
    visit(page, "/team")
    with page.expect_navigation():
        page.locator(".close-gaps").get_by_role("button", name=f"Assign “{course}” to everyone with this gap in {code}").click()
    expect(page.locator("#flashes")).to_contain_text(
        f"“{course}”, for the gap in {action['competence']}: Assigned to {below} {'person' if below == 1 else 'people'}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Team assignments")
    check_page(page)
    expect(field(page, "Course").locator("option:checked")).to_have_text(course)
    rows = assignment_rows(page)
    assert {r["course"] for r in rows} == {course}, "the page should show the assigned course only"
    listed = Counter(r["person"] for r in rows)
    assert not Counter(people) - listed, f"everyone with the gap should be listed: {people}; the page lists {listed}"
    assert max(listed.values()) == 1, "one row per person and course"

    # The same people again, by hand, with a due date: nobody is assigned twice, and the date is kept.
    visit(page, "/team")
    choose_people_page(page, code)
    today = dt.date.fromisoformat(field(page, "Due date (optional)").get_attribute("min"))
    due = today + dt.timedelta(days=30)
    field(page, "Due date (optional)").fill(due.isoformat())
    field(page, "Message (optional)").fill("Please finish this before the next team review.")
    with page.expect_navigation():
        page.get_by_role("button", name="Assign course").click()
    expect(page.locator("#flashes")).to_contain_text(f"Assigned to {below} {'person' if below == 1 else 'people'}")
    expect(page.locator("#flashes")).to_contain_text("already had this course")
    check_page(page)
    again = assignment_rows(page)
    assert Counter(r["person"] for r in again) == listed, "assigning again must not add rows"
    for row in again:
        if row["person"] in people and row["status"] != "Completed":
            assert row["due"] != "No due date", f"{row['person']} should now have a due date: {row}"

    visit(page, "/team/assignments")
    expect(page.locator("#assignment-results tbody tr").first).to_be_visible()


def test_admin_assignment_rules_page_is_accessible(page: Page):
    sign_in(page, ADMIN)
    visit(page, "/admin/assignment-rules")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignment rules")
