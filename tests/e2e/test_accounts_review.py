"""An administrator reaches "Accounts to review" from Administration and deactivates a stale account with
the keyboard alone, confirming first; every page on the way is axe-clean."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect

from lms.auth.passwords import hash_password
from lms.clock import utcnow
from lms.people.models import User, UserOrigin
from tests.e2e.support.accounts import ADMIN
from tests.e2e.support.pages import check_page, sign_in, visit
from tests.e2e.support.requirements import live_db

MAX_TABS = 80


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), text: (el.innerText || '').trim()};
        }"""
    )


def tab_to(page: Page, tag: str, text: str) -> None:
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        # innerText breaks the line before a visually hidden part of the name; compare words only.
        if now["tag"] == tag and " ".join(now["text"].split()) == text:
            return
        seen.append(now["text"][:30] or now["tag"])
    raise AssertionError(f"Tab never reached the {tag} '{text}'; focus went through {seen}")


def test_admin_deactivates_a_stale_account_with_the_keyboard(page: Page, live_server):
    name = f"Stella Stale {uuid.uuid4().hex[:6]}"
    # The oldest silence of all, so the row comes first: made years ago, never signed in.
    long_ago = utcnow() - timedelta(days=3000)
    unplaced_name = f"Sid Unplaced {uuid.uuid4().hex[:6]}"
    with live_db(live_server) as session:
        stale = User(
            email=f"{uuid.uuid4().hex[:8]}@example.gov", name=name, password_hash=hash_password("x" * 20), created_at=long_ago
        )
        # So the second list shows a row too, and axe checks its table.
        unplaced = User(email=f"{uuid.uuid4().hex[:8]}@example.gov", name=unplaced_name, created_via=UserOrigin.SCIM.value)
        session.add_all([stale, unplaced])
        session.commit()

    sign_in(page, ADMIN)
    visit(page, "/admin")
    tab_to(page, "a", "Accounts to review")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts to review")
    row = page.get_by_role("row", name=name)
    expect(row).to_contain_text("Never (account made")
    expect(page.get_by_role("row", name=unplaced_name)).to_contain_text("Organisation unit, Job profile")
    check_page(page)

    # The row's own button: its accessible name carries the person's name.
    tab_to(page, "button", f"Deactivate {name}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate 1 account?")
    expect(page.get_by_role("listitem").filter(has_text=name)).to_be_visible()
    check_page(page)

    tab_to(page, "button", "Deactivate 1 account")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts to review")
    expect(page.get_by_text(f"Deactivated 1 account ({name})")).to_be_visible()
    expect(page.get_by_role("row", name=name)).to_have_count(0)
    check_page(page)

    with live_db(live_server) as session:
        assert session.get(User, stale.id).is_active is False
        # Leave the shared server as the other tests expect it: nobody left to review.
        session.get(User, unplaced.id).is_active = False
        session.commit()
