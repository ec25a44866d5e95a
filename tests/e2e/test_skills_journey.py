"""The demo employee self-assesses with the keyboard alone and sees My skills change, verified levels untouched."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.pages import check_page, sign_in, visit
from tests.e2e.support.skills import focused, my_skills_levels, tab_until


def choose_with_arrows(page: Page) -> int:
    """From the focused radio, an arrow key moves to and selects the next level: always a change."""
    radio = focused(page)
    key = "ArrowUp" if radio["checked"] and radio["value"] == "8" else "ArrowDown"
    page.keyboard.press(key)
    now = focused(page)
    assert now["type"] == "radio" and now["checked"], f"{key} did not select a level; focus is on {now}"
    assert not (radio["checked"] and now["value"] == radio["value"]), "the arrow key did not change the answer"
    return int(now["value"])


def test_employee_self_assesses_two_competences_with_the_keyboard(page: Page):
    sign_in(page, EMPLOYEE)
    visit(page, "/skills")
    expect(page.get_by_role("heading", level=1)).to_have_text("My skills")
    before = my_skills_levels(page)
    assert len(before) >= 2, f"the demo employee's role should require competences; My skills shows {before}"

    visit(page, "/skills/self-assessment")
    answers: dict[str, int] = {}
    for step in range(2):
        competence = page.get_by_role("main").get_by_role("heading", level=2).first.inner_text().strip()
        assert competence in before, f"step {step + 1} ({competence}) should be one of the role's competences"

        # Keyboard only: skip link, into <main>, then Tab to the level radio group.
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Skip to main content"
        page.keyboard.press("Enter")
        here = page.url
        tab_until(page, lambda f: f["type"] == "radio")
        level = choose_with_arrows(page)

        # Save as you go: the answer is saved in place, the page stays where it is.
        expect(page.locator("#save-status")).to_contain_text(f"Saved: you said {level}")
        expect(page.locator("#save-status")).to_contain_text(competence)
        # The skip link may or may not have added #main-content yet; only the page itself matters.
        assert page.url.split("#")[0] == here.split("#")[0], "saving an answer should not leave the page"
        check_page(page)

        button = tab_until(page, lambda f: f["tag"] == "button")
        assert button["text"] == "Save and continue", f"Tab from the levels reached {button} first"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        check_page(page)
        answers[competence] = level

    next_step = page.get_by_role("main").get_by_role("heading", level=2).first.inner_text().strip()
    assert next_step not in answers, "Save and continue should move on to the next competence"

    visit(page, "/skills")
    after = my_skills_levels(page)
    for competence, level in answers.items():
        shown = after[competence]["self"]
        assert re.match(rf"^You said: {level}\b.*\(not verified\)", shown), (
            f"My skills should show the new self-assessment for {competence}; it shows {shown!r}"
        )
        assert shown != before[competence]["self"]
    # Self-assessment never counts as verified.
    assert {c: v["verified"] for c, v in after.items()} == {c: v["verified"] for c, v in before.items()}

    with page.expect_navigation():
        page.get_by_role("link", name="How is my level worked out?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How is my level worked out?")
    check_page(page)
