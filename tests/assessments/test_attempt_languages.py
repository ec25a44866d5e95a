"""A learner's attempt in their language: each question in a version of their language where one
exists, else the original marked with its language and a note; grading never depends on it."""

from __future__ import annotations

import re

from sqlmodel import select

from assessments.bank.version_service import question_version_save
from assessments.models import Attempt, Question, Response
from assessments.questions import QuestionData, text_fields
from tests.assessments.factories import quiz_of, short_text, single_choice, start
from tests.support.queries import counting

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def french_version(db, question: Question) -> None:
    texts = {key: f"FR {original}" for key, original, _required in text_fields(QuestionData.from_dict(question.data))}
    question_version_save(db, question=question, language="fr", texts=texts, by=None)
    db.commit()


def a_quiz(db):
    quiz, (translated, untranslated) = quiz_of(
        db,
        [single_choice("Sender", right="b"), short_text("Attack", accepted="phishing")],
        one_per_page=False,
        review_policy="after_submit",
    )
    return quiz, translated, untranslated


def stems(html: str) -> dict[int, str]:
    return {int(n): attrs for n, attrs in re.findall(r'<div class="question-stem usa-prose" id="q-(\d+)-stem"([^>]*)>', html)}


def take(browser, db, quiz, answers: dict[int, dict]) -> Attempt:
    attempt_id = start(browser, quiz)
    for slot, fields in answers.items():
        assert browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", **fields}).status_code == 303
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    db.expire_all()
    return db.get(Attempt, attempt_id)


def test_a_french_learner_reads_the_french_version_and_the_original_with_a_note(db, signed_in):
    quiz, translated, untranslated = a_quiz(db)
    french_version(db, translated)
    browser, _ = signed_in()
    browser.client.headers.update(FRENCH)
    attempt_id = start(browser, quiz)
    page = browser.get(f"/attempts/{attempt_id}").text
    assert "FR Which is right in *Sender*?".replace("*Sender*", "<em>Sender</em>") in page
    assert "FR Option B" in page and ">Option B<" not in page
    assert stems(page) == {1: "", 2: ' lang="en"'}
    assert page.count("question-language-note") == 1 and "anglais" in page

    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "b"})
    browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "text": "Phishing"})
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    assert attempt.percent == 100 and attempt.passed
    result = browser.get(f"/attempts/{attempt_id}/result").text
    # The review is in French too: the version's feedback, the original's marked.
    assert "FR Yes." in result and "FR Think about the sender." in result
    assert result.count("question-language-note") == 1 and 'lang="en"' in result


def test_the_same_answers_grade_the_same_in_english_and_in_french(db, signed_in, make_user):
    quiz, translated, _untranslated = a_quiz(db)
    french_version(db, translated)
    outcomes = []
    for headers, answers in (
        ({"Accept-Language": "en"}, {0: {"choice": "b"}, 1: {"text": "nope"}}),
        (FRENCH, {0: {"choice": "b"}, 1: {"text": "nope"}}),
        ({"Accept-Language": "en"}, {0: {"choice": "a"}, 1: {"text": "phishing"}}),
        (FRENCH, {0: {"choice": "a"}, 1: {"text": "phishing"}}),
    ):
        browser, _ = signed_in()
        browser.client.headers.update(headers)
        attempt = take(browser, db, quiz, answers)
        fractions = [r.fraction for r in db.exec(select(Response).where(Response.attempt_id == attempt.id).order_by(Response.slot))]
        outcomes.append((attempt.score, attempt.percent, attempt.passed, fractions))
    assert outcomes[0] == outcomes[1] and outcomes[2] == outcomes[3]
    assert outcomes[0][1] == 50 and outcomes[2][1] == 50


def test_a_version_added_during_an_attempt_does_not_change_it(db, signed_in):
    quiz, translated, untranslated = a_quiz(db)
    browser, _ = signed_in()
    browser.client.headers.update(FRENCH)
    attempt_id = start(browser, quiz)
    french_version(db, translated)
    french_version(db, untranslated)
    page = browser.get(f"/attempts/{attempt_id}").text
    # The attempt shows what it started with: the originals, noted, until it is submitted.
    assert stems(page) == {1: ' lang="en"', 2: ' lang="en"'} and "FR " not in page
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "b"})
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    db.expire_all()
    assert db.get(Attempt, attempt_id).percent == 50
    # The next attempt has the versions.
    assert "FR Option B" in browser.get(f"/attempts/{start(browser, quiz)}").text


def test_an_attempt_from_before_versions_shows_as_it_did(db, signed_in):
    quiz, translated, _untranslated = a_quiz(db)
    french_version(db, translated)
    browser, _ = signed_in()
    browser.client.headers.update(FRENCH)
    attempt_id = start(browser, quiz)
    attempt = db.get(Attempt, attempt_id)
    attempt.layout = [{k: v for k, v in entry.items() if k not in ("language", "versions")} for entry in attempt.layout]
    db.add(attempt)
    db.commit()
    page = browser.get(f"/attempts/{attempt_id}").text
    assert stems(page) == {1: "", 2: ""} and "question-language-note" not in page


def test_a_question_page_sends_no_statement_more_in_another_language(app, db, signed_in):
    quiz, translated, _untranslated = a_quiz(db)
    french_version(db, translated)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    counts = {}
    for language in ("en", "fr"):
        browser.client.headers["Accept-Language"] = language
        browser.get(f"/attempts/{attempt_id}")
        with counting(app.state.engine) as statements:
            page = browser.get(f"/attempts/{attempt_id}")
        assert page.status_code == 200 and ("FR Option B" in page.text) == (language == "fr")
        counts[language] = len(statements)
    assert counts["en"] == counts["fr"], counts
