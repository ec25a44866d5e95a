"""Rating a course: only after completing it, validated, and a re-rating updates the learner's own row."""

from __future__ import annotations

from sqlmodel import select

from courses.models import CourseFeedback
from tests.courses.factories import lessons_of, make_course
from tests.courses.test_learning import TWO_LESSONS, lesson_url
from tests.lms.competences.test_skills_pages import text


def _complete(browser, lessons) -> None:
    for lesson in lessons:
        assert browser.post(lesson_url(lesson) + "/complete").status_code == 303


def _rows(db, course):
    db.expire_all()
    return db.exec(select(CourseFeedback).where(CourseFeedback.course_id == course.id)).all()


def test_feedback_only_after_completion(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    browser.post(lesson_url(lessons[0]) + "/complete")
    assert "Rate this course" not in text(browser.get(f"/courses/{course.id}"))
    response = browser.post(f"/courses/{course.id}/feedback", data={"rating": "5"})
    assert response.status_code == 403 and "once you have completed it" in text(response)
    assert _rows(db, course) == []


def test_feedback_is_validated(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    _complete(browser, lessons)
    for data, message in (
        ({}, "Choose a rating."),
        ({"rating": "6"}, "Choose a rating from 1 to 5."),
        ({"rating": "x"}, "Choose a rating from 1 to 5."),
        ({"rating": "4", "comment": "x" * 2001}, "Keep your comment to 2,000 characters or fewer"),
    ):
        response = browser.post(f"/courses/{course.id}/feedback", data=data)
        assert response.status_code == 422, data
        page = text(response)
        assert message in page and "There is a problem" in page
    # What the learner typed is kept for them to correct.
    response = browser.post(f"/courses/{course.id}/feedback", data={"rating": "4", "comment": "y" * 2001})
    assert 'id="rating-4" type="radio" name="rating" value="4" checked' in response.text
    assert _rows(db, course) == []


def test_rating_and_re_rating_update_the_learners_own_row(db, signed_in, make_user):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    other = make_user()
    db.add(CourseFeedback(course_id=course.id, user_id=other.id, rating=1, comment="Not for me"))
    db.commit()
    browser, me = signed_in()
    _complete(browser, lessons)
    response = browser.post(f"/courses/{course.id}/feedback", data={"rating": "4", "comment": "  Clear and short. "})
    assert response.status_code == 303 and response.headers["location"] == f"/courses/{course.id}#feedback"
    page = browser.get(f"/courses/{course.id}")
    assert "You rated this course 4 out of 5" in text(page) and "Your rating is saved" in text(page)
    assert ">Clear and short.</textarea>" in page.text
    browser.post(f"/courses/{course.id}/feedback", data={"rating": "2", "comment": ""})
    mine = [(f.rating, f.comment) for f in _rows(db, course) if f.user_id == me.id]
    assert mine == [(2, "")]
    assert [(f.rating, f.comment) for f in _rows(db, course) if f.user_id == other.id] == [(1, "Not for me")]
    assert "Update rating" in browser.get(f"/courses/{course.id}").text
