"""Notifications in the app (issue 10): the list and the count in the header, the choices on /account (with
and without JavaScript), and the one-click unsubscribe page a mail links to.

Run as the dedicated changer account, so the demo people's choices stay as shipped. The message is queued
in-process with notify(), as the sweep or a certificate would queue it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from lms.notifications.service import notify
from lms.notifications.tokens import unsubscribe_token
from tests.e2e.support.accounts import CHANGER_EMAIL, CHANGER_PASSWORD
from tests.e2e.support.pages import check_page, field, sign_in, sign_out, visit, watch
from tests.e2e.support.requirements import live_db, person, plain_check, plain_visit, worker_settings

CERTIFICATE_READY = "Your certificate is ready"
EXPIRING = "Training that expires soon"


def choice(page: Page, kind_label: str, delivery: str):
    """The radio for one delivery inside one kind's fieldset on /account."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(kind_label)}")).get_by_label(delivery, exact=True)


def choose(page: Page, kind_label: str, delivery: str) -> None:
    # USWDS draws its own radios: the label is what a person clicks.
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(kind_label)}"))
    group.locator("label").filter(has_text=re.compile(rf"^{re.escape(delivery)}$")).click()
    expect(choice(page, kind_label, delivery)).to_be_checked()


def save_choices(page: Page) -> None:
    """Press Save and wait for the server's answer (with htmx the page may or may not change)."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/account/notifications")) as answer:
        page.get_by_role("button", name="Save notification choices").click()
    assert answer.value.status in (200, 303), answer.value.status


def test_notification_list_header_count_and_choices(page: Page, live_server, tmp_path):
    sign_in(page, CHANGER_EMAIL, CHANGER_PASSWORD)
    visit(page, "/notifications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".header-notifications")).to_have_attribute("aria-current", "page")
    before = page.locator(".header-notifications .usa-tag")
    already = int(re.match(r"\d+", before.inner_text()).group(0)) if before.count() else 0

    subject = "Your certificate for “Writing for the web (browser test)” is ready"
    with live_db(live_server) as db:
        changer = person(db, CHANGER_EMAIL)
        queued = notify(
            db,
            user=changer,
            kind="certificate_ready",
            object_ref=f"user:{changer.id}",
            period="browser-test-notifications",
            subject=subject,
            template="message",
            context={"text": "Your certificate is ready to download."},
            link="/learning/certificates",
            settings=worker_settings(live_server, tmp_path / "outbox"),
        )
        db.commit()
    if queued is None:  # the test ran before in this database (a rerun): the message is there already
        already -= 1

    visit(page, "/notifications")
    badge = page.locator(".header-notifications .usa-tag")
    expect(badge).to_have_text(re.compile(rf"^{already + 1}\b"))
    expect(badge).to_contain_text("unread")
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=subject))
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=subject)).to_have_attribute("href", "/learning/certificates")
    expect(row).to_contain_text(CERTIFICATE_READY)
    expect(row).to_contain_text("Being sent")

    # Unread only (the list updates in place and the address follows), then mark all as read: the count goes.
    page.get_by_text("Unread only", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]unread=1"))
    expect(page.locator(".result-count")).to_contain_text(f"of {already + 1} notification")
    expect(page.get_by_role("link", name=subject)).to_be_visible()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#flashes")).to_contain_text("Marked all as read.")
    expect(page.locator(".header-notifications .usa-tag")).to_have_count(0)
    check_page(page)
    visit(page, "/notifications?unread=1")
    expect(page.get_by_text("Nothing unread.")).to_be_visible()

    # Choices on /account: mandatory training offers no "Off"; a saved choice is kept.
    with page.expect_navigation():
        page.get_by_role("link", name="Choose how you get them").click()
    check_page(page)
    expect(page.get_by_role("heading", level=2, name="Notifications")).to_be_visible()
    expect(choice(page, EXPIRING, "Off")).to_have_count(0)
    expect(choice(page, CERTIFICATE_READY, "Off")).to_have_count(1)
    choose(page, CERTIFICATE_READY, "Daily digest")
    choose(page, EXPIRING, "Weekly digest")
    save_choices(page)
    visit(page, "/account")
    expect(choice(page, CERTIFICATE_READY, "Daily digest")).to_be_checked()
    expect(choice(page, EXPIRING, "Weekly digest")).to_be_checked()
    # Back as they were, for whoever runs next.
    choose(page, CERTIFICATE_READY, "Immediately")
    choose(page, EXPIRING, "Immediately")
    save_choices(page)
    visit(page, "/account")
    expect(choice(page, CERTIFICATE_READY, "Immediately")).to_be_checked()
    expect(choice(page, EXPIRING, "Immediately")).to_be_checked()
    sign_out(page)


def test_one_click_unsubscribe_page(browser: Browser, base_url: str, live_server):
    """The page a mail's unsubscribe link opens, signed out: one button, then what changed."""
    with live_db(live_server) as db:
        changer_id = person(db, CHANGER_EMAIL).id
    secret = live_server.env["SECRET_KEY"]
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page_watch = watch(page)
        visit(page, f"/unsubscribe/{unsubscribe_token(secret, user_id=changer_id, kind='expiring')}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
        expect(page.locator("main")).to_contain_text(f"“{EXPIRING}” messages")
        with page.expect_navigation():
            page.get_by_role("button", name="Unsubscribe").click()
        check_page(page)
        expect(page.locator("main")).to_contain_text("now come once a week in a digest")
        visit(page, "/unsubscribe/1.expiring." + "0" * 64, status=404)
        page_watch.assert_clean()
    finally:
        context.close()

    # The choice shows on /account; set it back.
    page = browser.new_page(base_url=base_url)
    try:
        watch(page)
        sign_in(page, CHANGER_EMAIL, CHANGER_PASSWORD)
        visit(page, "/account")
        expect(choice(page, EXPIRING, "Weekly digest")).to_be_checked()
        choose(page, EXPIRING, "Immediately")
        save_choices(page)
        visit(page, "/account")
        expect(choice(page, EXPIRING, "Immediately")).to_be_checked()
    finally:
        page.close()


def test_notification_choices_work_without_javascript(browser: Browser, base_url: str):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch(page)
        plain_visit(page, "/login")
        field(page, "Email address").fill(CHANGER_EMAIL)
        field(page, "Password").fill(CHANGER_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        plain_visit(page, "/account")
        choose(page, CERTIFICATE_READY, "Weekly digest")
        with page.expect_navigation():
            page.get_by_role("button", name="Save notification choices").click()
        expect(page.locator("#flashes")).to_contain_text("Your notification choices are saved.")
        plain_check(page)
        expect(choice(page, CERTIFICATE_READY, "Weekly digest")).to_be_checked()
        choose(page, CERTIFICATE_READY, "Immediately")
        with page.expect_navigation():
            page.get_by_role("button", name="Save notification choices").click()
        expect(choice(page, CERTIFICATE_READY, "Immediately")).to_be_checked()
        plain_visit(page, "/notifications")
        with page.expect_navigation():
            page.get_by_role("button", name="Mark all as read").click()
        expect(page.locator("#flashes")).to_contain_text(re.compile(r"Marked all as read\.|Nothing was unread\."))
    finally:
        context.close()


def test_saving_notification_choices_says_so_with_javascript(page: Page):
    """With JavaScript (htmx) on, saving the choices confirms it, as it does without JavaScript.

    Found by this test: answering htmx with HX-Redirect: /account#notifications is a fragment-only navigation
    from /account, so the page never reloaded and the "saved" message waited for the person's next page."""
    sign_in(page, CHANGER_EMAIL, CHANGER_PASSWORD)
    visit(page, "/account")
    choose(page, CERTIFICATE_READY, "Daily digest")
    save_choices(page)
    try:
        expect(page.locator("#flashes")).to_contain_text("Your notification choices are saved.")
        check_page(page)
    finally:
        visit(page, "/account")
        choose(page, CERTIFICATE_READY, "Immediately")
        save_choices(page)
