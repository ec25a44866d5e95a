"""On a phone-sized screen the navigation folds behind a Menu button (USWDS's script, under our CSP)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.axe import assert_accessible
from tests.e2e.support.pages import check_page, sign_in, watch


def focus_in_nav(page: Page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('nav.usa-nav')")


def test_small_screen_menu_works_with_the_keyboard(new_context):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(10_000)
    page_watch = watch(page)
    sign_in(page, EMPLOYEE)

    menu = page.get_by_role("button", name="Menu")
    account_link = page.get_by_role("link", name="My account")
    expect(account_link).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(account_link).to_be_visible()
    # While open, the menu behaves as a dialog: USWDS hides the rest of the page from assistive
    # technology (aria-hidden) and traps focus, so axe checks the open menu itself.
    assert_accessible(page, within="nav.usa-nav")
    for _ in range(6):
        page.keyboard.press("Tab")
        assert focus_in_nav(page), "Tab left the open menu"

    page.keyboard.press("Escape")
    expect(account_link).to_be_hidden()
    expect(menu).to_be_focused()

    page.keyboard.press("Enter")
    expect(account_link).to_be_visible()
    account_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    check_page(page)
    page_watch.assert_clean()
