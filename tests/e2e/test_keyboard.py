"""A whole journey with the keyboard alone: sign in, skip to content, reach the account page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import DEMO_PASSWORD, EMPLOYEE
from tests.e2e.support.pages import check_page, visit

MAX_TABS = 15


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    text: (el.innerText || '').trim(), href: el.getAttribute('href'),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
        }"""
    )


def tab_until(page: Page, matches, *, key: str = "Tab") -> dict:
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
        seen.append(now.get("id") or now.get("name") or now.get("text") or now["tag"])
    raise AssertionError(f"{key} never reached the target; focus went through {seen}")


def test_keyboard_only_journey(page: Page):
    visit(page, "/login")

    tab_until(page, lambda f: f["id"] == "email")
    page.keyboard.type(EMPLOYEE)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "password", "Tab from the email field should reach the password field"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    check_page(page)

    # The first Tab on a page lands on the skip link, which shows itself when focused.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content", f"first Tab focused {skip}"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    assert skip["outline"], "the focused skip link has no visible focus outline"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content", "the skip link should move focus to <main>"

    # The navigation sits before <main>, so walk back to it.
    link = tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "My account", key="Shift+Tab")
    assert link["outline"], "the focused navigation link has no visible focus outline"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    assert page.url.endswith("/account")
    check_page(page)
