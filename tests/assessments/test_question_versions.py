"""A question's versions in other languages through HTTP: the editor's Versions section, saving,
refusals, removing, the question's own language, the bank's "missing" column, and the audit trail."""

from __future__ import annotations

import re

from sqlmodel import select

from assessments.models import Question, QuestionTranslation
from assessments.questions import MATCHING, NUMERIC, Choice, MatchPair, NumericAnswer, QuestionData, localised, text_fields
from assessments.grading import grade
from lms.audit.models import AuditEvent
from tests.assessments.factories import make_category, make_question, single_choice


def french_texts(question: Question) -> dict[str, str]:
    q = QuestionData.from_dict(question.data)
    return {key: f"FR {original}" for key, original, _required in text_fields(q)}


def test_a_trainer_adds_edits_and_removes_a_french_version(db, signed_in):
    question = make_question(db, single_choice("Safe links"))
    browser, _ = signed_in("trainer")
    editor = browser.get(f"/author/questions/{question.id}")
    assert 'id="versions"' in editor.text and "Add a French version" in editor.text and "Missing" in editor.text

    form = browser.get(f"/author/questions/{question.id}/versions/fr")
    assert form.status_code == 200 and 'lang="fr"' in form.text and 'lang="en"' in form.text
    texts = french_texts(question)
    # Grading's fields are not on the form: a version cannot change what is right.
    assert "fraction" not in form.text

    refused = browser.post(f"/author/questions/{question.id}/versions/fr", data={**texts, "stem_markdown": " "})
    assert refused.status_code == 422 and "Translate this text" in refused.text
    assert db.exec(select(QuestionTranslation)).first() is None

    saved = browser.post(f"/author/questions/{question.id}/versions/fr", data={**texts, "fraction": "9"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("#versions")
    db.expire_all()
    row = db.get(QuestionTranslation, (question.id, "fr"))
    assert row is not None and row.data == texts
    editor = browser.get(f"/author/questions/{question.id}")
    assert "Edit the French version" in editor.text and "Translated" in editor.text

    removed = browser.post(f"/author/questions/{question.id}/versions/fr/remove")
    assert removed.status_code == 303
    db.expire_all()
    assert db.get(QuestionTranslation, (question.id, "fr")) is None
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_type == "question", AuditEvent.target_id == question.id)).all()
    assert "question.translation.save" in actions and "question.translation.remove" in actions


def test_the_question_language_and_what_has_no_version_page(db, signed_in):
    question = make_question(db, single_choice("Written in English"))
    browser, _ = signed_in("trainer")
    # No version in the question's own language, nor in an unsupported one.
    assert browser.get(f"/author/questions/{question.id}/versions/en").status_code == 404
    assert browser.get(f"/author/questions/{question.id}/versions/de").status_code == 404
    assert browser.post(f"/author/questions/{question.id}/language", data={"language": "fr"}).status_code == 303
    db.expire_all()
    assert db.get(Question, question.id).language == "fr"
    assert browser.get(f"/author/questions/{question.id}/versions/en").status_code == 200
    browser.post(f"/author/questions/{question.id}/versions/en", data=french_texts(db.get(Question, question.id)))
    # The language a version holds cannot become the question's own.
    browser.post(f"/author/questions/{question.id}/language", data={"language": "en"})
    db.expire_all()
    assert db.get(Question, question.id).language == "fr"
    assert "question.language" in db.exec(select(AuditEvent.action).where(AuditEvent.target_id == question.id)).all()


def test_a_learner_cannot_reach_the_versions(db, signed_in):
    question = make_question(db)
    browser, _ = signed_in()
    assert browser.get(f"/author/questions/{question.id}/versions/fr").status_code in (403, 404)


def test_a_version_changes_text_never_grading():
    q = QuestionData(
        MATCHING,
        "Capitals",
        "Match",
        pairs=[MatchPair("p1", "France", "Paris"), MatchPair("p2", "Italy", "Rome"), MatchPair("p3", "", "Berlin")],
        general_feedback="Geography",
    )
    texts = {"pair-p1": "La France", "pair-p2": "L’Italie", "general_feedback": "Géographie", "stem_markdown": "Associez"}
    french = localised(q, texts)
    assert [p.prompt for p in french.real_pairs] == ["La France", "L’Italie"]
    assert [p.answer for p in french.pairs] == ["Paris", "Rome", "Berlin"]
    for answer in ({"matches": {"p1": "Paris", "p2": "Rome"}}, {"matches": {"p1": "Rome"}}, {}):
        assert (grade(q, answer).fraction, grade(q, answer).points) == (grade(french, answer).fraction, grade(french, answer).points)
    choice = QuestionData("single_choice", "c", "Stem", choices=[Choice("a", "Yes", 1.0, "Good"), Choice("b", "No")])
    french_choice = localised(choice, {"choice-a-text": "Oui", "choice-a-feedback": "Bien", "choice-b-text": "Non"})
    assert grade(french_choice, {"choice": "a"}).feedback == ["Bien"] and grade(french_choice, {"choice": "a"}).fraction == 1.0
    assert localised(choice, None) is choice


def test_the_bank_shows_which_questions_lack_a_version_started_in_their_category(db, signed_in):
    category = make_category(db)
    done = make_question(db, single_choice("Translated one"), category=category)
    todo = make_question(db, single_choice("Untranslated one"), category=category)
    elsewhere = make_question(db, single_choice("Another category"))
    browser, _ = signed_in("trainer")
    browser.post(f"/author/questions/{done.id}/versions/fr", data=french_texts(done))
    page = browser.get(f"/author/questions?category={category.id}")
    assert page.status_code == 200 and "Other languages" in page.text
    rows = {
        name: row
        for name, row in re.findall(r'<th scope="row"><a href="/author/questions/\d+">([^<]+)</a>(.*?)</tr>', page.text, re.S)
    }
    assert "French" in rows["Translated one"] and "missing" not in rows["Translated one"]
    assert "missing: French" in rows["Untranslated one"]
    other = browser.get(f"/author/questions?category={elsewhere.category_id}").text
    assert "missing:" not in other and todo.id


def test_every_text_a_learner_reads_has_a_field_and_a_long_one_is_refused(db, signed_in):
    numeric = QuestionData(
        NUMERIC,
        "Ports",
        "Which port does HTTPS use?",
        numeric=[NumericAnswer(443, 0, 1.0, "Right."), NumericAnswer(80, 0, 0.0, "That is HTTP.")],
        other_feedback="Look it up.",
        correct_feedback="Well done.",
        partial_feedback="Nearly.",
        incorrect_feedback="Not quite.",
    )
    matching = QuestionData(MATCHING, "Pairs", "Match them", pairs=[MatchPair("p1", "Cat", "Chat"), MatchPair("p2", "Dog", "Chien")])
    browser, _ = signed_in("trainer")
    form = browser.get(f"/author/questions/{make_question(db, numeric).id}/versions/fr").text
    for label in (
        "Question text",
        "Feedback for answer 1",
        "Feedback for answer 2",
        "General feedback" if numeric.general_feedback else "Feedback for a right answer",
        "Feedback for a partly right answer",
        "Feedback for a wrong answer",
        "Feedback for any other number",
    ):
        assert label in form, label
    question = make_question(db, matching)
    form = browser.get(f"/author/questions/{question.id}/versions/fr").text
    assert "Prompt 1" in form and "Prompt 2" in form and "Chien" not in form
    texts = {"stem_markdown": "Associez", "pair-p1": "x" * 20_001, "pair-p2": "Chien"}
    refused = browser.post(f"/author/questions/{question.id}/versions/fr", data=texts)
    assert refused.status_code == 422 and "too long" in refused.text
    # Removing a version that does not exist changes nothing.
    assert browser.post(f"/author/questions/{question.id}/versions/fr/remove").status_code == 303
