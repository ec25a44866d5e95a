"""A SCORM package played in a real browser (issue 19): a trainer uploads a package built by the test
(a SCORM 1.2 manifest and a page that calls LMSInitialize, sets its place and suspend data, commits,
then sets its status and score, commits and finishes); a learner plays it, stops half way, leaves,
comes back to the same place (the suspend data the package saved, the last of it sent by the page's
beacon as it went away, is handed back to it), finishes, and
the lesson and the course show complete. Each page is checked for console errors, CSP refusals and
axe-core violations; the package runs under its own policy inside a sandboxed frame."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.courses.packages.factories import scorm12, scorm2004
from tests.e2e.support.accounts import DEMO_PASSWORD, EMPLOYEE, TRAINER
from tests.e2e.support.courses import add_module, create_course, publish, unique_title
from tests.e2e.support.pages import check_page, sign_in, sign_out, visit


def click(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_page(page)


def without_javascript(browser, base_url: str, lesson_url: str, course_url: str) -> None:
    """The one page that needs JavaScript says so; the course around it still works without."""
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label(re.compile("^Email address")).fill(EMPLOYEE)
        page.get_by_label(re.compile("^Password")).fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(lesson_url)
        expect(page.get_by_role("heading", name="This lesson needs JavaScript")).to_be_visible()
        expect(page.locator("iframe.package-frame")).to_be_hidden()
        page.get_by_role("link", name="Back to the course outline").click()
        expect(page).to_have_url(re.compile(re.escape(course_url) + "$"))
        expect(page.get_by_role("button", name="Enrol")).to_be_visible()
    finally:
        context.close()


def test_a_learner_plays_a_package_resumes_it_and_completes_the_course(page: Page, browser, base_url: str, tmp_path: Path):
    package = tmp_path / "phishing-awareness.zip"
    package.write_bytes(scorm12(title="Phishing awareness", status="passed", score=90))

    sign_in(page, TRAINER)
    visit(page, "/author/courses/new")
    competence = page.locator("#competence-0 option:not([value=''])").first.inner_text().strip()
    title = unique_title("Vendor e-learning")
    course_id = create_course(page, title=title, competence=competence, level=2)
    module = "The vendor's package"
    add_module(page, module)
    click(page, page.get_by_role("link", name=f"Add a SCORM package to {module}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add a SCORM package to “{module}”")
    page.locator("input#file[type=file]").set_input_files(str(package))
    click(page, page.get_by_role("button", name="Upload package"))
    expect(page.locator("#flashes")).to_contain_text("Package added as a lesson.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phishing awareness")
    expect(page.locator(".package-facts")).to_contain_text("SCORM 1.2")
    lesson_id = int(re.search(r"/lessons/(\d+)/package", page.url).group(1))
    visit(page, f"/author/courses/{course_id}")
    publish(page)
    sign_out(page)
    lesson_url = f"/courses/{course_id}/lessons/{lesson_id}"
    without_javascript(browser, base_url, lesson_url, f"/courses/{course_id}")

    sign_in(page, EMPLOYEE)
    visit(page, f"/courses/{course_id}")
    click(page, page.get_by_role("button", name="Enrol"))
    visit(page, lesson_url)
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#resumed")).to_have_text("First visit")
    with page.expect_response(lambda r: r.url.endswith(f"/packages/{lesson_id}/runtime") and r.request.method == "POST") as saved:
        frame.get_by_role("button", name="Stop half way").click()
    assert saved.value.json()["completed"] is False
    expect(frame.locator("#status")).to_have_text("Saved half way")
    expect(page.locator("#lesson-progress")).to_contain_text("working through the package")
    check_page(page)

    # A change the package does not commit reaches Proficio by the beacon sent when the page goes away;
    # coming back hands the saved state to the package.
    frame.get_by_role("button", name="Turn the page").click()
    expect(frame.locator("#status")).to_have_text("On page 3")
    visit(page, f"/courses/{course_id}")
    visit(page, lesson_url)
    expect(frame.locator("#resumed")).to_have_text("Resumed at page-3")
    frame.get_by_role("button", name="Finish").click()
    expect(frame.locator("#status")).to_have_text("Finished")
    expect(page.locator("#lesson-progress")).to_contain_text("Lesson completed")
    check_page(page)

    visit(page, f"/courses/{course_id}")
    expect(page.locator("main")).to_contain_text(re.compile("completed", re.IGNORECASE))
    sign_out(page)


def test_a_scorm_2004_package_completes_on_its_scaled_score(page: Page, tmp_path: Path):
    package = tmp_path / "phishing-2004.zip"
    package.write_bytes(scorm2004())
    sign_in(page, TRAINER)
    visit(page, "/author/courses/new")
    competence = page.locator("#competence-0 option:not([value=''])").first.inner_text().strip()
    course_id = create_course(page, title=unique_title("Vendor 2004"), competence=competence, level=2)
    module = "Package 2004"
    add_module(page, module)
    click(page, page.get_by_role("link", name=f"Add a SCORM package to {module}"))
    page.locator("input#file[type=file]").set_input_files(str(package))
    click(page, page.get_by_role("button", name="Upload package"))
    expect(page.locator(".package-facts")).to_contain_text("SCORM 2004")
    expect(page.locator(".package-facts")).to_contain_text("80.0")
    lesson_id = int(re.search(r"/lessons/(\d+)/package", page.url).group(1))
    visit(page, f"/author/courses/{course_id}")
    publish(page)
    sign_out(page)

    sign_in(page, EMPLOYEE)
    visit(page, f"/courses/{course_id}/lessons/{lesson_id}")
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#entry")).to_have_text("Location: none")
    frame.get_by_role("button", name="Finish").click()
    expect(frame.locator("#status")).to_have_text("Finished")
    expect(page.locator("#lesson-progress")).to_contain_text("Lesson completed")
    check_page(page)
    visit(page, f"/courses/{course_id}/lessons/{lesson_id}")
    expect(frame.locator("#entry")).to_have_text("Location: summary")
    sign_out(page)
