"""The demo employee finds a new course by its title, completes it (once by pointer, once by keyboard), rates it,
and sees the competence it develops verified on My skills from the course; My learning lists it as completed.

The course is built in the test, by the demo trainer, for a competence the employee's role requires and
where the employee is below the required level, so completing it visibly changes My skills.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import EMPLOYEE, TRAINER
from tests.e2e.support.courses import (
    assert_not_reloaded,
    build_published_course,
    competence_to_improve,
    mark_navigation,
    required_skills,
    unique_title,
)
from tests.e2e.support.pages import check_page, field, sign_in, sign_out, visit
from tests.e2e.support.skills import focused, tab_until


def progress_text(page: Page):
    return page.locator("#lesson-progress .course-progress__text")


def test_employee_finds_completes_and_rates_a_course_and_sees_the_evidence(page: Page):
    sign_in(page, EMPLOYEE)
    visit(page, "/skills")
    competence, level = competence_to_improve(page)
    sign_out(page)

    sign_in(page, TRAINER)
    title = unique_title("Sharing files safely")
    course_id, (first, second) = build_published_course(page, title=title, competence=competence, level=level)
    sign_out(page)

    # Find it in the catalogue by its title: the results update in place and the address says what was searched.
    sign_in(page, EMPLOYEE)
    visit(page, "/courses")
    # Leaving the field searches (a change event). Enter would also submit, and the two requests make
    # htmx abort one and log an error: reported as a product issue.
    field(page, "Search").fill(title)
    field(page, "Search").press("Tab")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    results = page.locator("#catalogue-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 course")
    card = results.locator("li.usa-card").filter(has_text=title)
    expect(card).to_contain_text(f"{competence} → level {level}")
    check_page(page)
    with page.expect_navigation():
        card.get_by_role("link", name=title).click()
    assert page.url.endswith(f"/courses/{course_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Enrol").click()
    expect(page.locator("#flashes")).to_contain_text("You are enrolled.")
    expect(page.locator("#course-progress-text")).to_contain_text("0% complete")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Start", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text("Lesson 1 of 2")).to_be_visible()
    expect(page.locator("article.lesson-body h2")).to_have_text("Check the sender")
    # Opening the lesson recorded nothing; the page itself posts the view (with the CSRF header) on load
    # and the answer replaces the progress block without asking again.
    expect(page.locator("#lesson-progress")).not_to_have_attribute("hx-trigger", "load")
    check_page(page)

    # Mark complete with htmx: the progress updates in place.
    here = page.url
    mark_navigation(page)
    page.get_by_role("button", name="Mark complete").click()
    expect(progress_text(page)).to_contain_text("50% complete")
    expect(progress_text(page)).to_contain_text("1 of 2 lessons done")
    expect(page.locator("#lesson-progress")).to_contain_text("Lesson completed")
    assert_not_reloaded(page)
    assert page.url == here
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name=f"Go to the next lesson: {second.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)
    expect(page.locator("#lesson-progress")).not_to_have_attribute("hx-trigger", "load")
    check_page(page)

    # The last lesson with the keyboard alone: skip link, then Tab to the button and press Enter.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    mark_navigation(page)
    button = tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Mark complete")
    assert button["text"] == "Mark complete"
    page.keyboard.press("Enter")
    expect(progress_text(page)).to_contain_text("100% complete")
    expect(page.locator("#lesson-progress")).to_contain_text("You completed this course.")
    assert_not_reloaded(page)
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name="See what it recorded and rate the course").click()
    completion = page.get_by_role("region", name="Course completed")
    expect(completion).to_contain_text(f"{competence} → level {level}")
    check_page(page)

    # USWDS draws its own radio, so the label is what a user clicks.
    page.get_by_text("5 – very useful", exact=True).click()
    expect(page.get_by_label("5 – very useful")).to_be_checked()
    field(page, "Comment (optional)").fill("Short and practical; the reporting table is handy.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send rating").click()
    expect(page.locator("#flashes")).to_contain_text("Thank you. Your rating is saved")
    expect(page.get_by_text("You rated this course 5 out of 5.")).to_be_visible()
    check_page(page)

    # My skills: the competence is now verified at the course's level, from the course.
    with page.expect_navigation():
        completion.get_by_role("link", name="See it on My skills").click()
    check_page(page)
    row = next(r for r in required_skills(page) if r["competence"] == competence)
    assert row["verified_level"] == level, f"{competence} should be verified at {level}; My skills shows {row}"
    assert "Course" in row["verified"], f"the verified level should come from the course; it reads {row['verified']!r}"

    visit(page, row["href"])
    latest = page.locator("table tbody tr").first
    expect(latest.locator("td").nth(0)).to_have_text("Course")
    expect(latest).to_contain_text(f"Completed the course “{title}”.")

    visit(page, "/learning")
    completed = page.locator(".learning-section--completed")
    expect(completed.get_by_role("link", name=title)).to_be_visible()
    expect(page.locator(".learning-section:not(.learning-section--completed)").get_by_role("link", name=title)).to_have_count(0)


def test_learner_pages_are_accessible(page: Page):
    sign_in(page, EMPLOYEE)
    visit(page, "/courses")
    visit(page, "/learning")
    # A demo course the employee has already completed, so opening a lesson changes nothing that matters.
    course = page.locator(".learning-section--completed .usa-card__heading a").first
    visit(page, course.get_attribute("href"))
    lesson = page.locator("ol.course-outline a").first
    visit(page, lesson.get_attribute("href"))
    expect(page.locator("article.lesson-body")).not_to_be_empty()
