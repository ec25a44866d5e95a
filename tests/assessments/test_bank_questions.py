"""The question bank through HTTP: each kind's form, validation, preview, duplicate, archive."""

import re

import pytest
from sqlmodel import select

from assessments.models import Attempt, Question, Quiz
from assessments.questions import (
    ALL_OR_NOTHING,
    MATCHING,
    MULTIPLE_CHOICE,
    NUMERIC,
    SHORT_TEXT,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Choice,
    QuestionData,
)
from courses.models import Lesson
from tests.assessments.factories import make_category, make_question
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence, load_digcomp


def single(name: str = "Phishing", stem: str = "Which link is **safe**?", *, feedback: str = "") -> QuestionData:
    return QuestionData(
        SINGLE_CHOICE,
        name,
        stem,
        general_feedback=feedback,
        choices=[
            Choice("c1", "The one you typed yourself", 1.0, "Right: typing avoids look-alikes."),
            Choice("c2", "The one in the email", 0.0, "Wrong: emails can lie."),
        ],
    )


THIRD = repr(1 / 3)

# kind -> (posted answer fields, a check of the saved QuestionData)
FORMS = {
    SINGLE_CHOICE: (
        {"row_text": ["Paris", "Lyon", ""], "row_fraction": ["1.0", "0.0", "0.0"], "row_feedback": ["Yes", "No", ""]},
        lambda q: [(c.text, c.fraction, c.feedback) for c in q.choices] == [("Paris", 1.0, "Yes"), ("Lyon", 0.0, "No")],
    ),
    MULTIPLE_CHOICE: (
        {
            "multiple_rule": ALL_OR_NOTHING,
            "row_text": ["2", "3", "5", "4"],
            "row_fraction": [THIRD, THIRD, THIRD, "-1.0"],
            "row_feedback": ["", "", "", "Not prime"],
        },
        lambda q: (
            q.multiple_rule == ALL_OR_NOTHING
            and len(q.choices) == 4
            and q.choices[3].fraction == -1.0
            and abs(sum(c.fraction for c in q.choices[:3]) - 1) < 1e-9
        ),
    ),
    TRUE_FALSE: (
        {"tf_correct": "false", "tf_feedback_true": "It is not.", "tf_feedback_false": "Indeed."},
        lambda q: {c.id: c.fraction for c in q.choices} == {"true": 0.0, "false": 1.0} and q.choices[0].feedback == "It is not.",
    ),
    SHORT_TEXT: (
        {"row_text": ["  Paris ", "Ville de Paris"], "row_fraction": ["1.0", "0.5"], "row_feedback": ["", ""]},
        lambda q: [(a.text, a.fraction) for a in q.accepted] == [("Paris", 1.0), ("Ville de Paris", 0.5)],
    ),
    NUMERIC: (
        {"row_text": ["3,14", ""], "row_tolerance": ["0.01", ""], "row_fraction": ["1.0", "0.0"], "row_feedback": ["Good", ""]},
        lambda q: [(a.value, a.tolerance, a.fraction) for a in q.numeric] == [(3.14, 0.01, 1.0)],
    ),
    MATCHING: (
        {"row_text": ["cat", "dog", "", ""], "row_answer": ["meow", "woof", "quack", ""]},
        lambda q: [(p.prompt, p.answer) for p in q.pairs] == [("cat", "meow"), ("dog", "woof"), ("", "quack")],
    ),
}


def post_question(browser, url, kind, category, **fields):
    data = {
        "kind": kind,
        "category_id": str(category.id),
        "name": f"A {kind} question",
        "stem_markdown": "What is *this*?",
        "points": "2",
        **FORMS[kind][0],
        **fields,
    }
    return browser.post(url, data=data)


@pytest.mark.parametrize("kind", list(FORMS))
def test_each_kind_is_created_shown_and_edited(signed_in, db, kind):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    assert browser.get(f"/author/questions/new?kind={kind}").status_code == 200
    response = post_question(browser, "/author/questions/new", kind, category)
    assert response.status_code == 303, response.text
    question = db.exec(select(Question)).one()
    assert response.headers["location"] == f"/author/questions/{question.id}"
    data = QuestionData.from_dict(question.data)
    assert question.kind == data.kind == kind and data.points == 2.0 and question.version == 1
    assert FORMS[kind][1](data), data

    page = browser.get(f"/author/questions/{question.id}")
    assert page.status_code == 200 and f"A {kind} question" in page.text
    # Saving the form exactly as shown changes nothing but the version.
    response = post_question(browser, f"/author/questions/{question.id}", kind, category, name="Renamed")
    assert response.status_code == 303
    db.refresh(question)
    assert question.name == "Renamed" and question.version == 2
    assert FORMS[kind][1](QuestionData.from_dict(question.data))


def test_edit_form_round_trips_every_field(signed_in, db):
    """What the edit form shows, posted back unchanged, gives the same question."""
    browser, _ = signed_in("admin")
    category = make_category(db, "Safety")
    question = make_question(db, single(feedback="General **note**"), category=category)
    html = browser.get(f"/author/questions/{question.id}").text
    texts = re.findall(r'<textarea[^>]*name="row_text"[^>]*>([^<]*)</textarea>', html)
    fractions = re.findall(r'name="row_fraction">.*?<option value="([^"]+)" selected', html, re.S)
    feedback = re.findall(r'name="row_feedback" type="text" value="([^"]*)"', html)
    assert texts[:2] == ["The one you typed yourself", "The one in the email"] and fractions[:2] == ["1.0", "0.0"]
    before = dict(question.data)
    response = browser.post(
        f"/author/questions/{question.id}",
        data={
            "kind": SINGLE_CHOICE,
            "category_id": str(category.id),
            "name": question.name,
            "stem_markdown": before["stem_markdown"],
            "points": "1",
            "general_feedback": "General **note**",
            "row_text": texts,
            "row_fraction": fractions,
            "row_feedback": feedback,
        },
    )
    assert response.status_code == 303
    db.refresh(question)
    assert question.data == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "needs a name"),
        ({"stem_markdown": ""}, "needs a question text"),
        ({"points": "lots"}, "Enter the points as a number"),
        ({"row_fraction": ["0.0", "0.0", "0.0"]}, "At least one choice must be worth 100%."),
        ({"row_text": ["Only one", "", ""], "row_feedback": ["", "", ""]}, "at least two choices"),
        ({"row_text": ["Only one", "", ""]}, "Choices cannot be empty."),
        ({"row_fraction": ["7", "0.0", "0.0"]}, "choose a grade from the list"),
        ({"category_id": ""}, "Choose a category"),
        ({"level": "3"}, "Choose the competence this level is for"),
    ],
)
def test_invalid_questions_are_refused_with_a_message(signed_in, db, fields, message):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    response = post_question(browser, "/author/questions/new", SINGLE_CHOICE, category, **fields)
    assert response.status_code == 422
    assert message in response.text and 'id="error-summary"' in response.text
    assert db.exec(select(Question)).all() == []


def test_numeric_and_matching_specific_checks(signed_in, db):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    response = post_question(browser, "/author/questions/new", NUMERIC, category, row_text=["three", ""], row_tolerance=["", ""])
    assert response.status_code == 422 and "enter a number" in response.text
    response = post_question(browser, "/author/questions/new", MATCHING, category, row_text=["cat", ""], row_answer=["meow", ""])
    assert response.status_code == 422 and "at least two pairs" in response.text
    assert db.exec(select(Question)).all() == []


def test_competence_tag_is_saved_and_checked(signed_in, db):
    browser, _ = signed_in("trainer")
    load_digcomp(db)
    category = make_category(db, "Safety")
    comp = competence(db, "4.2")
    assert (
        post_question(browser, "/author/questions/new", SINGLE_CHOICE, category, competence_id=str(comp.id), level="9").status_code
        == 422
    )
    assert (
        post_question(browser, "/author/questions/new", SINGLE_CHOICE, category, competence_id="99999", level="3").status_code == 422
    )
    assert (
        post_question(browser, "/author/questions/new", SINGLE_CHOICE, category, competence_id=str(comp.id), level="3").status_code
        == 303
    )
    question = db.exec(select(Question)).one()
    assert (question.competence_id, question.level) == (comp.id, 3)


def test_preview_shows_the_question_without_grades_or_feedback(signed_in, db):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    question = make_question(db, single(feedback="SECRET general feedback"), category=category)
    html = browser.get(f"/author/questions/{question.id}/preview").text
    assert "Which link is <strong>safe</strong>?" in html and "The one in the email" in html
    for leak in ("SECRET", "Right:", "Wrong:", "100%", "fraction", "correct", "1.0"):
        assert leak.lower() not in html.lower(), leak

    checked = browser.post(f"/author/questions/{question.id}/preview", data={"choice": "c2"})
    assert checked.status_code == 200
    assert "scores 0 of 1" in checked.text and "emails can lie" in checked.text and "SECRET" in checked.text
    assert "scores 1 of 1" in browser.post(f"/author/questions/{question.id}/preview", data={"choice": "c1"}).text


@pytest.mark.parametrize("kind", [MULTIPLE_CHOICE, SHORT_TEXT, NUMERIC, MATCHING, TRUE_FALSE])
def test_preview_of_other_kinds_leaks_nothing(signed_in, db, kind):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    post_question(browser, "/author/questions/new", kind, category, general_feedback="SECRET")
    question = db.exec(select(Question)).one()
    html = browser.get(f"/author/questions/{question.id}/preview").text.lower()
    hidden = {
        SHORT_TEXT: ["paris"],
        NUMERIC: ["3.14", "good"],
        TRUE_FALSE: ["indeed", "it is not"],
        MULTIPLE_CHOICE: ["not prime", "33.3"],
        MATCHING: [],
    }[kind]
    for leak in ["secret", "correct", "100%", *hidden]:
        assert leak not in html, leak
    assert browser.post(f"/author/questions/{question.id}/preview", data={}).status_code == 200


def test_duplicate_and_archive(signed_in, db):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    question = make_question(db, single(), category=category)
    response = browser.post(f"/author/questions/{question.id}/duplicate")
    assert response.status_code == 303
    copy = db.exec(select(Question).where(Question.id != question.id)).one()
    assert copy.name == "Phishing (copy)" and copy.data["choices"] == question.data["choices"]
    assert response.headers["location"] == f"/author/questions/{copy.id}"

    assert browser.post(f"/author/questions/{copy.id}/archive", data={"action": "archive"}).status_code == 303
    db.refresh(copy)
    assert copy.archived
    listing = browser.get("/author/questions").text
    assert "Phishing (copy)" not in listing and ">Phishing<" in listing
    assert "Phishing (copy)" in browser.get("/author/questions?archived=1").text
    browser.post(f"/author/questions/{copy.id}/archive", data={"action": "restore"})
    db.refresh(copy)
    assert not copy.archived
    assert browser.post("/author/questions/999999/duplicate").status_code == 404


def test_editing_a_question_leaves_past_attempts_as_they_were(signed_in, db, make_user):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    question = make_question(db, single(), category=category)
    course = make_course(db)
    lesson = db.exec(select(Lesson).where(Lesson.course_id == course.id)).one()
    lesson.kind = "quiz"
    db.add(lesson)
    quiz = Quiz(lesson_id=lesson.id)
    db.add(quiz)
    db.flush()
    learner = make_user()
    layout = [{"question_id": question.id, "question": dict(question.data), "choice_order": ["c2", "c1"], "competence_id": None}]
    attempt = Attempt(quiz_id=quiz.id, user_id=learner.id, layout=layout)
    db.add(attempt)
    db.commit()

    response = post_question(
        browser, f"/author/questions/{question.id}", SINGLE_CHOICE, category, name="Phishing v2", stem_markdown="A different text"
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Question, question.id).version == 2
    assert db.get(Attempt, attempt.id).layout == layout
    assert layout[0]["question"]["stem_markdown"] == "Which link is **safe**?"


def test_kind_cannot_be_changed_by_posting_another(signed_in, db):
    browser, _ = signed_in("trainer")
    category = make_category(db, "Safety")
    question = make_question(db, single(), category=category)
    response = post_question(browser, f"/author/questions/{question.id}", NUMERIC, category)
    # The stored kind wins: the numeric rows are read as choices, which are then incomplete.
    assert response.status_code == 422
    db.refresh(question)
    assert question.kind == SINGLE_CHOICE and question.version == 1
