"""The demo employee claims a digital badge for a verified level, downloads it, and a visitor who is
not signed in checks it on the verify page: valid. Every page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.pages import check_page, sign_in, sign_out, visit


def test_employee_claims_downloads_and_a_visitor_verifies_a_badge(page: Page, tmp_path):
    sign_in(page, EMPLOYEE)
    visit(page, "/skills")
    with page.expect_navigation():
        page.get_by_role("link", name="Claim a credential").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My credentials")
    claims = page.get_by_role("button", name="Claim a credential")
    held = page.get_by_role("link", name="View your credential")
    assert claims.count() + held.count() > 0, "the demo employee should hold a verified level to claim"
    with page.expect_navigation():
        (claims.first if claims.count() else held.first).click()
    check_page(page)
    expect(page.get_by_role("link", name="Badge image (PNG)")).to_be_visible()

    with page.expect_download() as png_download:
        page.get_by_role("link", name="Badge image (PNG)").click()
    png = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(png)
    assert png.suffix == ".png" and png.read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Credential (JSON)").click()
    saved = tmp_path / json_download.value.suggested_filename
    json_download.value.save_as(saved)

    sign_out(page)
    visit(page, "/badges/verify")
    page.locator("input#image[type=file]").set_input_files(str(png))
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    check_page(page)
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()

    page.get_by_label("The credential").fill(saved.read_text())
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    check_page(page)
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()

    page.get_by_label("The credential").fill("not a credential")
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    check_page(page)
    expect(page.get_by_role("heading", name="Not a credential we can read")).to_be_visible()
