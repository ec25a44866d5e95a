"""Changing one's own password in the browser, then signing in with it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import CHANGER_EMAIL, CHANGER_PASSWORD
from tests.e2e.support.pages import check_page, field, sign_in, sign_out, submit_login, visit

NEW_PASSWORD = "lantern orbit walnut 73 cascade"


def test_change_password_then_sign_in_with_it(page: Page):
    sign_in(page, CHANGER_EMAIL, CHANGER_PASSWORD)
    visit(page, "/account")
    field(page, "Current password").fill(CHANGER_PASSWORD)
    field(page, "New password").fill(NEW_PASSWORD)
    field(page, "New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    check_page(page)
    sign_out(page)

    submit_login(page, CHANGER_EMAIL, CHANGER_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("email address or password is not correct")
    check_page(page)

    sign_in(page, CHANGER_EMAIL, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
