"""The quiz attempt page breaks no rule of the Content Security Policy (issue 20).

The page watch (tests/e2e/support/pages.py) sees CSP refusals only as console errors; this test also
listens for the `securitypolicyviolation` events themselves, which name the directive and the element,
from before the first byte of each page (an init script, which the CSP does not govern) and across an
htmx autosave that swaps part of the page.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from assessments.demo.questions import WEB_WRITING
from courses.demo.content.web_writing import COURSE
from tests.e2e.support.accounts import EMPLOYEE
from tests.e2e.support.pages import check_page, sign_in, visit

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.violatedDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile || document.URL}:${e.lineNumber}`
    + (e.target && e.target.outerHTML ? ` in ${e.target.outerHTML.slice(0, 120)}` : '')));
"""


def violations(page: Page) -> list[str]:
    return page.evaluate("() => window.__cspViolations || ['the listener was not installed']")


def test_the_attempt_page_and_its_autosave_break_no_csp_rule(page: Page):
    page.add_init_script(LISTEN)
    sign_in(page, EMPLOYEE)
    # The demo leaves the employee an attempt in progress on this quiz; continuing it changes nothing.
    visit(page, "/learning")
    with page.expect_navigation():
        page.get_by_role("link", name=COURSE.title, exact=True).first.click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name=WEB_WRITING.title).click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the quiz").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue your attempt").click()
    check_page(page)
    expect(page.locator(".quiz-question").first).to_be_visible()
    assert violations(page) == []

    # An autosave swaps the save status in place; nothing it brings may be refused either.
    page.locator(".quiz-question input[type=radio], .quiz-question input[type=checkbox]").first.check()
    expect(page.locator(".save-status").first).to_contain_text("Saved at")
    check_page(page)
    assert violations(page) == []

    # The listener does hear a refusal: an empty style attribute, the kind of slip this test guards against.
    page.evaluate("() => document.querySelector('main').setAttribute('style', '')")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert "style-src" in violations(page)[0]
    page._proficio_watch.problems.clear()  # the console error of that refusal was on purpose
