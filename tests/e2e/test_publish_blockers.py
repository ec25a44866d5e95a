"""A course a learner could not finish cannot be published (issue 20): the trainer adds a quiz with no
questions, is told why Publish is refused, adds a question and publishes."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.support.accounts import TRAINER
from tests.e2e.support.courses import add_module, create_course, publish, unique_title
from tests.e2e.support.pages import check_page, field, sign_in, visit

QUIZ = "Check your knowledge"


def test_an_empty_quiz_blocks_publishing_until_it_has_a_question(page: Page):
    sign_in(page, TRAINER)
    visit(page, "/author/courses/new")
    competence = page.locator("#competence-0 option:not([value=''])").first.inner_text().strip()
    course_id = create_course(page, title=unique_title("Quizzes that can be finished"), competence=competence, level=2)
    module = "Checking what you learnt"
    add_module(page, module)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Add a quiz to {module}").click()
    check_page(page)
    field(page, "Quiz title").fill(QUIZ)
    with page.expect_navigation():
        page.get_by_role("button", name="Add quiz").click()
    check_page(page)
    settings = page.url

    visit(page, f"/author/courses/{course_id}")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Publish", exact=True).click()
    assert navigation.value.status == 422
    check_page(page)
    expect(page.get_by_role("alert")).to_contain_text("This course cannot be published yet")
    expect(page.locator("#publish-blockers li")).to_have_text([f"Lesson “{QUIZ}”: the quiz has no questions."])
    expect(page.locator("main .course-status").first).to_have_text("Draft")

    visit(page, settings)
    with page.expect_navigation():
        page.get_by_role("button", name="Add this question").click()
    check_page(page)
    visit(page, f"/author/courses/{course_id}")
    publish(page)
