"""Page helpers: every page a test sees is checked for console errors, CSP violations and axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Locator, Page, Response, expect

from tests.e2e.support.accounts import DEMO_PASSWORD
from tests.e2e.support.axe import assert_accessible

# A 4xx page the test asked for (403, 422) makes Chromium log "Failed to load resource" for the
# document itself; that is the status under test, not a broken page. The browser's own guess at
# /favicon.ico is not the page's doing either (no favicon ships yet). Every other sub-resource counts.
_DOCUMENT_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")
# The same message for a sub-resource (an htmx 422 answer, say) is expected only when a test said so.
_ANY_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")


class PageWatch:
    """Collects what a user would never see but that means a broken page: JS errors, CSP refusals."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        self.documents: set[str] = set()
        self.expected: set[tuple[str, int]] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception: {exc}"))
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        if response.request.is_navigation_request():
            self.documents.add(response.url.split("#")[0])

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if _DOCUMENT_STATUS.match(msg.text) and (where.split("#")[0] in self.documents or where.endswith("/favicon.ico")):
            return
        failed = _ANY_STATUS.match(msg.text)
        if failed and (where.split("#")[0], int(failed.group(1))) in self.expected:
            return
        self.problems.append(f"console error at {where or self.page.url}: {msg.text}")

    def expect_status(self, url: str, status: int) -> None:
        """The test will make a request to ``url`` that answers ``status`` on purpose (htmx posting an invalid form)."""
        self.expected.add((url.split("#")[0], status))

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "The browser reported errors:\n" + "\n".join(f"- {p}" for p in problems)


def watch(page: Page) -> PageWatch:
    page_watch = PageWatch(page)
    page._proficio_watch = page_watch  # the helpers below find it from the page alone
    return page_watch


def check_page(page: Page) -> None:
    """The page as it is now: fully loaded, no browser errors, no axe-core violations."""
    page.wait_for_load_state("load")
    page._proficio_watch.assert_clean()
    assert_accessible(page)
    page._proficio_watch.assert_clean()


def visit(page: Page, path: str, status: int = 200) -> Response:
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"GET {path} answered {response.status}, expected {status}"
    check_page(page)
    return response


def field(page: Page, label: str) -> Locator:
    """The control labelled exactly ``label``; a required field's label ends in a "*" marker."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def submit_login(page: Page, email: str, password: str) -> None:
    visit(page, "/login")
    field(page, "Email address").fill(email)
    field(page, "Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    submit_login(page, email, password)
    expect(page, f"signing in as {email} failed").not_to_have_url(re.compile(r"/login(\?|$)"))
    # Attached rather than visible: on a small screen the header folds behind the Menu button.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()
    check_page(page)


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Proficio")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    check_page(page)


def nav_paths(page: Page) -> list[str]:
    """The same-site pages the primary navigation offers this user, in order."""
    links = page.get_by_role("navigation", name="Primary").get_by_role("link")
    paths = []
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        if href and href.startswith("/") and not href.startswith("//") and href not in paths:
            paths.append(href.split("#")[0])
    return paths
