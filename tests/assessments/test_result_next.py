"""The quiz result says where the learner stands and where to go next (issue 20): course complete or not,
the levels the attempt recorded as evidence, and links to the course, its next lesson and My skills."""

from __future__ import annotations

from tests.assessments.factories import make_quiz, questions, start
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import competence, load_digcomp

TWO = questions()[:2]  # single choice (a is right), multiple choice (m1 + m2 are right)


def take(browser, quiz, *, right: bool) -> str:
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a" if right else "b"})
    browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "choices": ["m1", "m2"] if right else ["m3"]})
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    response = browser.get(f"/attempts/{attempt_id}/result")
    assert response.status_code == 200
    return response.text


def test_a_pass_mid_course_names_the_evidence_and_links_on_to_the_next_lesson(db, signed_in):
    load_digcomp(db)
    safety = competence(db, "4.1")
    course = make_course(db, "Staying safe", modules=[["Read this", "Check yourself", "Wrap-up"]])
    intro, middle, last = lessons_of(db, course)
    quiz = make_quiz(db, data=TWO, lesson=middle, proves_competence_id=safety.id, proves_level=3, pass_percent=100)
    browser, _ = signed_in()
    assert browser.post(f"/courses/{course.id}/enrol").status_code == 303

    failed = take(browser, quiz, right=False)
    assert "recorded as evidence" not in failed
    assert "is not complete yet: you have done 0 of 3 lessons" in failed

    page = take(browser, quiz, right=True)
    assert "This attempt is recorded as evidence of your skills:" in page
    assert f"<li>4.1 {safety.name}: level 3</li>" in page
    assert "The course “Staying safe” is not complete yet: you have done 1 of 3 lessons." in page
    assert f'<a href="/courses/{course.id}/lessons/{last.id}">Next lesson: Wrap-up</a>' in page
    assert f'<a href="/courses/{course.id}">Back to the course' in page
    assert '<a href="/skills">My skills</a>' in page
    assert f'<a href="/quizzes/{quiz.id}">Back to the quiz</a>' in page
    assert f"/lessons/{intro.id}" not in page


def test_passing_the_last_lesson_says_the_course_is_complete(db, signed_in):
    course = make_course(db, "Short course", modules=[["Check yourself"]])
    quiz = make_quiz(db, data=TWO, course=course, pass_percent=100)
    browser, _ = signed_in()
    assert browser.post(f"/courses/{course.id}/enrol").status_code == 303
    page = take(browser, quiz, right=True)
    assert "You have completed the course “Short course”." in page
    assert "Next lesson" not in page
    assert "recorded as evidence" not in page  # this quiz proves no level
    assert f'<a href="/courses/{course.id}">Back to the course' in page
