"""What people see when sign-in fails or a page is not theirs."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.pages import check_page, field, sign_in, submit_login, visit


def test_wrong_password_shows_an_accessible_error_summary(page: Page):
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")) as answer:
        submit_login(page, EMPLOYEE, "not the right password at all")
    assert answer.value.status == 422

    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("email address or password is not correct")
    # The email is kept so only the password needs typing again; the password is never echoed back.
    expect(field(page, "Email address")).to_have_value(EMPLOYEE)
    expect(field(page, "Password")).to_have_value("")
    check_page(page)


def test_employee_sees_the_403_page_on_admin_pages(page: Page):
    sign_in(page, EMPLOYEE)
    visit(page, "/admin/users", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()


def test_unknown_page_shows_the_404_page(page: Page):
    visit(page, "/no-such-page", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
