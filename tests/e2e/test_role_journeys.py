"""Each demo role signs in, walks every page it can reach, and signs out; every page is axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import ADMIN, EMPLOYEE, LEAD, MANAGER, TRAINER
from tests.e2e.support.pages import nav_paths, sign_in, sign_out, visit

ADMIN_PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/users/import",
    "/admin/org-units",
    "/admin/audit",
    "/admin/jobs",
    "/admin/api-tokens",
    "/admin/retention",
    "/reports/open-data",
]
# Pages reached from a list rather than the navigation: the walk opens the first of each kind it finds.
ADMIN_DETAIL_LINKS = [re.compile(r"^/admin/users/\d+$"), re.compile(r"^/admin/org-units/\d+$")]
ROLES = {
    ADMIN: {"nav": ["/", "/admin", "/reports", "/account"], "extra": ADMIN_PAGES, "details": ADMIN_DETAIL_LINKS},
    LEAD: {"nav": ["/", "/reports", "/account"], "extra": ["/reports?by=competence", "/reports/open-data"]},
    TRAINER: {"nav": ["/", "/account"], "extra": []},
    MANAGER: {"nav": ["/", "/account"], "extra": []},
    EMPLOYEE: {"nav": ["/", "/account"], "extra": []},
}


def main_links(page: Page) -> list[str]:
    return page.get_by_role("main").get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")


@pytest.mark.parametrize("email", list(ROLES))
def test_role_walks_its_pages(page: Page, email: str):
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    offered = nav_paths(page)
    for path in ROLES[email]["nav"]:
        assert path in offered, f"{email} should see {path} in the navigation; it offers {offered}"

    details = {pattern: None for pattern in ROLES[email].get("details", [])}
    for path in dict.fromkeys([*offered, "/", "/account", *ROLES[email]["extra"]]):
        visit(page, path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if path in offered:
            # Screen reader users learn where they are from the navigation, as sighted users do.
            current = page.get_by_role("navigation", name="Primary").locator(f'a[href="{path}"]')
            expect(current).to_have_attribute("aria-current", "page")
        for href in main_links(page):
            for pattern, found in details.items():
                if found is None and pattern.match(href):
                    details[pattern] = href

    for pattern, href in details.items():
        assert href, f"no link matching {pattern.pattern} on {email}'s pages"
        visit(page, href)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    sign_out(page)
    # Signed out means signed out: a signed-in page now asks for the password again.
    visit(page, "/account")
    assert "/login" in page.url
