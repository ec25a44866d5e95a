"""A short-text question's accepted answers in other languages: a version lists its own, an attempt
accepts the original's and those of the language it started in (never another's), as snapshotted
when it started. Through HTTP on both engines."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from assessments.grading import grade
from assessments.models import Attempt, QuestionTranslation, Response
from assessments.questions import (
    NUMERIC,
    SHORT_TEXT,
    AcceptedAnswer,
    NumericAnswer,
    QuestionData,
    answering_in,
    graded_question,
    localised,
    text_fields,
    version_answers,
)
from lms.audit.models import AuditEvent
from tests.assessments.factories import make_question, quiz_of, short_text, start
from tests.conftest import Browser, sign_in

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en"}


def version_form(question, *answers: tuple[str, str, str]) -> dict[str, str]:
    texts = {key: f"FR {original}" for key, original, _required in text_fields(QuestionData.from_dict(question.data))}
    for n, (text, fraction, feedback) in enumerate(answers):
        texts |= {f"answer-{n}-text": text, f"answer-{n}-fraction": fraction, f"answer-{n}-feedback": feedback}
    return texts


@pytest.fixture
def trainer(app, make_user):
    """A trainer in a browser of their own, so that learners stay signed in beside them."""
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        assert sign_in(client, make_user("trainer").email).status_code == 303
        yield Browser(client)


def save_version(trainer, question, *answers: tuple[str, str, str]):
    return trainer.post(f"/author/questions/{question.id}/versions/fr", data=version_form(question, *answers))


def answer_quiz(browser, db, quiz, text: str, attempt_id: int | None = None) -> Attempt:
    attempt_id = attempt_id or start(browser, quiz)
    assert browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "text": text}).status_code == 303
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    db.expire_all()
    return db.get(Attempt, attempt_id)


def a_quiz(db):
    quiz, (question,) = quiz_of(db, [short_text("Attack", accepted="phishing")], review_policy="after_submit")
    return quiz, question


def test_the_version_form_lists_the_original_answers_beside_the_french_ones(db, trainer):
    _quiz, question = a_quiz(db)
    form = trainer.get(f"/author/questions/{question.id}/versions/fr").text
    assert "Accepted answers in French" in form and "<li>phishing · 100" in form
    assert 'name="answer-0-text"' in form and 'name="answer-1-fraction"' in form

    saved = save_version(trainer, question, ("hameçonnage", "1.0", "Oui."), ("  filoutage ", "0.5", ""))
    assert saved.status_code == 303
    db.expire_all()
    data = db.get(QuestionTranslation, (question.id, "fr")).data
    assert data["accepted"] == [
        {"text": "hameçonnage", "fraction": 1.0, "feedback": "Oui."},
        {"text": "filoutage", "fraction": 0.5, "feedback": ""},
    ]
    again = trainer.get(f"/author/questions/{question.id}/versions/fr").text
    assert 'value="hameçonnage"' in again and 'value="filoutage"' in again and 'name="answer-3-text"' in again
    assert "question.translation.save" in db.exec(select(AuditEvent.action).where(AuditEvent.target_id == question.id)).all()


def test_an_answer_row_with_feedback_but_no_text_or_an_odd_grade_is_refused(db, trainer):
    _quiz, question = a_quiz(db)
    refused = save_version(trainer, question, ("", "1.0", "Oui."))
    assert refused.status_code == 422 and "Type the answer this grade and feedback are for" in refused.text
    assert 'href="#answer-0-text"' in refused.text and 'value="Oui."' in refused.text
    odd = save_version(trainer, question, ("hameçonnage", "0.42", ""))
    assert odd.status_code == 422 and "Choose a grade from the list." in odd.text
    long = save_version(trainer, question, ("hameçonnage", "1.0", "x" * 20_001))
    assert long.status_code == 422 and "This text is too long." in long.text and 'href="#answer-0-feedback"' in long.text
    db.expire_all()
    assert db.get(QuestionTranslation, (question.id, "fr")) is None


def test_a_french_attempt_accepts_the_french_answer_and_an_english_one_does_not(db, signed_in, trainer):
    quiz, question = a_quiz(db)
    assert save_version(trainer, question, ("hameçonnage", "1.0", "Oui, en français.")).status_code == 303

    french, _ = signed_in()
    french.client.headers.update(FRENCH)
    attempt = answer_quiz(french, db, quiz, "  Hameçonnage ")
    assert attempt.percent == 100 and attempt.settings["language"] == "fr"
    result = french.get(f"/attempts/{attempt.id}/result").text
    assert "Oui, en français." in result and "hameçonnage" in result

    english, _ = signed_in()
    english.client.headers.update(ENGLISH)
    attempt = answer_quiz(english, db, quiz, "hameçonnage")
    assert attempt.percent == 0 and attempt.settings["language"] == "en"
    # The original's answer is accepted in every language.
    again, _ = signed_in()
    again.client.headers.update(FRENCH)
    assert answer_quiz(again, db, quiz, "phishing").percent == 100


def test_an_attempt_started_before_a_version_changed_keeps_its_answers(db, signed_in, trainer):
    quiz, question = a_quiz(db)
    save_version(trainer, question, ("hameçonnage", "1.0", ""))
    learner, _ = signed_in()
    learner.client.headers.update(FRENCH)
    attempt_id = start(learner, quiz)
    # Changed while the attempt is open: the attempt grades with what it started with.
    assert save_version(trainer, question, ("filoutage", "1.0", "")).status_code == 303
    assert answer_quiz(learner, db, quiz, "hameçonnage", attempt_id).percent == 100
    later = answer_quiz(learner, db, quiz, "hameçonnage")
    assert later.id != attempt_id and later.percent == 0
    # And the stored marks of the first stay as they were when the version is removed.
    trainer.post(f"/author/questions/{question.id}/versions/fr/remove")
    db.expire_all()
    assert db.get(Attempt, attempt_id).percent == 100
    assert db.exec(select(Response.fraction).where(Response.attempt_id == attempt_id)).one() == 1.0


def test_an_attempt_started_before_the_version_existed_accepts_the_original_only(db, signed_in, trainer):
    quiz, question = a_quiz(db)
    learner, _ = signed_in()
    learner.client.headers.update(FRENCH)
    attempt_id = start(learner, quiz)
    save_version(trainer, question, ("hameçonnage", "1.0", ""))
    assert answer_quiz(learner, db, quiz, "hameçonnage", attempt_id).percent == 0


def test_grading_reads_the_attempt_language_only():
    q = QuestionData(SHORT_TEXT, "Attack", "Name the attack.", accepted=[AcceptedAnswer("phishing")])
    entry = {
        "question": q.to_dict(),
        "language": "en",
        "versions": {
            "fr": {"accepted": [{"text": "hameçonnage", "fraction": 1.0}]},
            "de": {"accepted": [{"text": "Phishing-Angriff"}]},
        },
    }
    assert grade(graded_question(entry, "fr"), {"text": "hameçonnage"}).fraction == 1.0
    assert grade(graded_question(entry, "fr"), {"text": "Phishing-Angriff"}).fraction == 0.0
    assert grade(graded_question(entry, "en"), {"text": "hameçonnage"}).fraction == 0.0
    assert grade(graded_question(entry, None), {"text": "hameçonnage"}).fraction == 0.0
    # Malformed stored answers are ignored rather than failing a submit.
    assert (
        version_answers({"accepted": [{"text": ""}, "x", {"text": "a", "fraction": "1"}, {"text": "b", "fraction": float("nan")}]})
        == ()
    )
    assert version_answers({"accepted": "hameçonnage"}) == ()
    # Numbers are the same in every language: a numeric question never takes a version's answers.
    n = QuestionData(NUMERIC, "Count", "How many?", numeric=[NumericAnswer(3)])
    assert answering_in(n, {"accepted": [{"text": "trois"}]}) is n


def test_hints_have_versions_like_the_other_texts(db, trainer):
    q = QuestionData(SHORT_TEXT, "Attack", "Name the attack.", accepted=["phishing"], hints=["Think of fishing.", ""])
    assert ("hint-0", "Think of fishing.", False) in text_fields(q)
    assert localised(q, {"hint-0": "Pensez à la pêche."}).hints == ("Pensez à la pêche.", "")
    question = make_question(db, q)
    form = trainer.get(f"/author/questions/{question.id}/versions/fr").text
    assert "Hint 1" in form and 'name="hint-0"' in form
    saved = trainer.post(
        f"/author/questions/{question.id}/versions/fr", data={**version_form(question), "hint-0": "Pensez à la pêche."}
    )
    assert saved.status_code == 303
    db.expire_all()
    assert db.get(QuestionTranslation, (question.id, "fr")).data["hint-0"] == "Pensez à la pêche."
