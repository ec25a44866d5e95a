"""An administrator issues an API token, copies it from the page shown once, uses it, and revokes it."""

from __future__ import annotations

import re
import uuid

import httpx2
from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import ADMIN
from tests.e2e.support.pages import check_page, field, sign_in, visit


def test_admin_creates_uses_and_revokes_a_token(page: Page, base_url: str):
    name = f"HR dashboard {uuid.uuid4().hex[:6]}"
    sign_in(page, ADMIN)
    visit(page, "/admin/api-tokens")

    # Nothing ticked: the form says what is missing and keeps what was typed.
    field(page, "Name").fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()
    expect(page.locator(".usa-error-message").first).to_be_visible()
    expect(field(page, "Name")).to_have_value(name)
    check_page(page)

    page.locator("label", has_text="frameworks:read").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API token created")
    check_page(page)
    secret = page.locator("#secret").input_value()
    assert re.fullmatch(r"prf_[A-Za-z0-9_-]{20,}", secret)

    answer = httpx2.get(f"{base_url}/api/v1/frameworks", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and answer.json()
    assert (
        httpx2.get(f"{base_url}/api/v1/job-profiles", headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    )  # not its scope

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("back to API tokens")).click()
    assert secret not in page.content(), "the secret is shown once, never again"
    row = page.get_by_role("row", name=re.compile(re.escape(name)))
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile("Revoke")).click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_contain_text("Revoked")
    check_page(page)
    assert httpx2.get(f"{base_url}/api/v1/frameworks", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
