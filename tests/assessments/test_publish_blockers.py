"""Publishing a course is refused while one of its quiz lessons could not be completed (issue 20)."""

from __future__ import annotations

from assessments.models import QuizSlot
from courses.models import Course
from tests.assessments.factories import make_category, make_question, make_quiz, quiz_lesson, single_choice
from tests.courses.factories import lessons_of, make_course


def publish(browser, course: Course):
    return browser.post(f"/author/courses/{course.id}/status", data={"action": "publish"})


def status_of(db, course: Course) -> str:
    db.expire_all()
    return db.get(Course, course.id).status


def test_a_quiz_without_questions_blocks_publishing_until_it_has_one(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], status="draft", modules=[["Read this", "Check your knowledge"]])
    quiz = make_quiz(db, course=course)

    response = publish(browser, course)
    assert response.status_code == 422
    assert "This course cannot be published yet" in response.text
    assert "Lesson “Check your knowledge”: the quiz has no questions." in response.text
    assert status_of(db, course) == "draft"

    db.add(QuizSlot(quiz_id=quiz.id, position=0, question_id=make_question(db, single_choice()).id))
    db.commit()
    assert publish(browser, course).status_code == 303
    assert status_of(db, course) == "published"


def test_every_blocker_is_listed_archived_questions_and_short_random_draws(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], status="draft", modules=[["Fixed quiz", "Random quiz"]])

    fixed_lesson, random_lesson = lessons_of(db, course)
    archived = make_question(db, single_choice(), archived=True)
    make_quiz(db, lesson=fixed_lesson, questions=[archived])
    category = make_category(db, "Passwords")
    make_question(db, single_choice(), category=category)
    make_question(db, single_choice(), category=category, archived=True)
    make_quiz(db, lesson=random_lesson, draws=[(category, 2)])

    response = publish(browser, course)
    assert response.status_code == 422
    assert "Lesson “Fixed quiz”: 1 question in the quiz is archived." in response.text
    assert "Lesson “Random quiz”: the quiz draws 2 random questions from “Passwords”, which has only 1 available." in response.text
    assert status_of(db, course) == "draft"

    make_question(db, single_choice(), category=category)
    response = publish(browser, course)
    assert response.status_code == 422
    assert "Random quiz" not in response.text.split("Before you publish")[1].split("</ul>")[0]
    assert "Fixed quiz”: 1 question" in response.text


def test_hidden_quiz_lessons_do_not_block(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], status="draft", modules=[["Read this", "Later"]])
    quiz = make_quiz(db, course=course)

    lesson = quiz_lesson(db, quiz)
    lesson.hidden = True
    db.add(lesson)
    db.commit()
    assert publish(browser, course).status_code == 303
    assert status_of(db, course) == "published"
