"""A French learner takes a quiz with one question translated into French and one not: the first reads
in French, the second in English with a note and its lang; the answers grade as in English; axe-clean."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect
from sqlmodel import select

from assessments.bank.version_service import question_version_save
from assessments.models import Question, QuizSlot
from assessments.questions import QuestionData, text_fields
from lms.people.models import User
from tests.assessments.factories import make_quiz, short_text, single_choice
from tests.courses.factories import make_course
from tests.e2e.support.accounts import DEMO_PASSWORD, EMPLOYEE
from tests.e2e.support.courses import unique_title
from tests.e2e.support.pages import check_page, visit, watch
from tests.e2e.support.requirements import live_db


def _quiz_with_one_french_question(live_server) -> int:
    with live_db(live_server) as session:
        course = make_course(session, unique_title("Quiz in two languages"), modules=[["Check yourself"]], minutes=5)
        quiz = make_quiz(
            session,
            data=[single_choice("Sender check", right="b"), short_text("Name the attack", accepted="phishing")],
            course=course,
            one_per_page=False,
            review_policy="after_submit",
        )
        first = session.exec(
            select(Question)
            .join(QuizSlot, QuizSlot.question_id == Question.id)
            .where(QuizSlot.quiz_id == quiz.id)
            .order_by(QuizSlot.position)
        ).first()
        texts = {key: f"FR {original}" for key, original, _required in text_fields(QuestionData.from_dict(first.data))}
        texts["stem_markdown"] = "Quelle option est la bonne ?"
        question_version_save(session, question=first, language="fr", texts=texts, by=None)
        # The browser's French must decide: another test in this worker may have left the shared demo
        # employee with a language of their own (the language switch, the pseudo-locale walk).
        session.exec(select(User).where(User.email == EMPLOYEE)).one().language = None
        session.commit()
        return int(quiz.id or 0)


def test_a_french_learner_takes_a_quiz_with_a_translated_and_an_untranslated_question(browser: Browser, base_url: str, live_server):
    quiz_id = _quiz_with_one_french_question(live_server)
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page_watch = watch(page)
    visit(page, "/login")
    page.get_by_label("Adresse e-mail").fill(EMPLOYEE)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()

    visit(page, f"/quizzes/{quiz_id}")
    with page.expect_navigation():
        page.locator(f'form[action="/quizzes/{quiz_id}/start"] button[type="submit"]').click()
    attempt_url = page.url
    assert re.search(r"/attempts/\d+$", attempt_url), attempt_url

    first, second = page.locator(".question-stem").nth(0), page.locator(".question-stem").nth(1)
    expect(first).to_have_text("Quelle option est la bonne ?")
    expect(first).not_to_have_attribute("lang", "en")
    expect(second).to_have_attribute("lang", "en")
    expect(page.locator(".question-language-note")).to_have_count(1)
    expect(page.locator(".question-language-note")).to_contain_text("anglais")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    check_page(page)  # axe: a French page holding an English question

    page.get_by_text("FR Option B", exact=True).click()  # the label: USWDS hides the radio itself
    expect(page.get_by_label("FR Option B")).to_be_checked()
    expect(page.locator("#q-0-status")).not_to_be_empty()
    answer = page.locator('input[name="text"]')
    answer.fill("Phishing")
    answer.press("Tab")
    expect(page.locator("#q-1-status")).not_to_be_empty()

    visit(page, attempt_url.split("?")[0].removeprefix(base_url) + "/summary")
    with page.expect_navigation():
        page.locator('form[action$="/submit"] button[type="submit"]').click()
    score = page.locator(".quiz-score")
    expect(score).to_contain_text("100")
    expect(page.locator(".quiz-review--correct")).to_have_count(2)
    expect(page.locator(".question-language-note")).to_have_count(1)
    check_page(page)
    page_watch.assert_clean()
    context.close()
