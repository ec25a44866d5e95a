"""Taking a course over HTTP: course page, lessons, position, marking complete, completion and evidence."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from courses.models import Assignment, Enrolment, Lesson, LessonProgress
from lms.clock import utcnow
from lms.competences.models import Evidence
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import load_digcomp
from tests.lms.competences.test_skills_pages import row_text, text


# What most of these tests take: one module of two lessons.
TWO_LESSONS = (("What counts as personal data", "Keeping it safe"),)


def lesson_url(lesson: Lesson) -> str:
    return f"/courses/{lesson.course_id}/lessons/{lesson.id}"


def enrolment_of(db, course, user) -> Enrolment | None:
    db.expire_all()
    return db.exec(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id)).first()


def test_drafts_are_not_found_for_learners(db, signed_in):
    draft = make_course(db, "Secret draft", status="draft", modules=TWO_LESSONS)
    lessons = lessons_of(db, draft)
    browser, me = signed_in()
    assert browser.get(f"/courses/{draft.id}").status_code == 404
    assert browser.get(lesson_url(lessons[0])).status_code == 404
    assert browser.post(f"/courses/{draft.id}/enrol").status_code == 404
    assert browser.post(lesson_url(lessons[0]) + "/complete").status_code == 404
    assert "Secret draft" not in browser.get(f"/courses/{draft.id}").text
    assert enrolment_of(db, draft, me) is None


def test_enrol_is_idempotent_then_start(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    browser, me = signed_in()
    page = browser.get(f"/courses/{course.id}")
    assert page.status_code == 200 and "Enrol" in page.text and "Course outline" in page.text
    for _ in range(2):
        response = browser.post(f"/courses/{course.id}/enrol")
        assert response.status_code == 303 and response.headers["location"] == f"/courses/{course.id}"
    assert db.exec(select(func.count()).select_from(Enrolment).where(Enrolment.user_id == me.id)).one() == 1
    page = text(browser.get(f"/courses/{course.id}"))
    assert "You are enrolled" in page and "Start" in page and "0% complete" in page


def test_opening_a_lesson_changes_nothing_until_the_page_records_the_view(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First", "Second"), ("Third",)))
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    browser.post(f"/courses/{course.id}/enrol")
    page = browser.get(lesson_url(lessons[1]))
    assert page.status_code == 200
    body = text(page)
    assert "Text of Second" in body and "Previous: First" in body and "Next: Third" in body
    assert "Lesson 2 of 3" in body
    # The GET wrote nothing (an <img> pointing here, or a link from another site, records no view);
    # the page itself asks to record it, by POST with the CSRF header, as soon as it loads.
    enrolment = enrolment_of(db, course, me)
    assert enrolment.last_lesson_id is None and enrolment.status == "enrolled"
    assert db.exec(select(func.count()).select_from(LessonProgress)).one() == 0
    view_url = lesson_url(lessons[1]) + "/view"
    assert f'hx-post="{view_url}" hx-trigger="load"' in page.text
    fragment = browser.post(view_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'id="lesson-progress"' in fragment.text
    assert "<html" not in fragment.text and 'hx-trigger="load"' not in fragment.text  # no loop
    enrolment = enrolment_of(db, course, me)
    assert enrolment.last_lesson_id == lessons[1].id and enrolment.status == "in_progress"
    course_page = browser.get(f"/courses/{course.id}").text
    assert f'href="{lesson_url(lessons[1])}">Resume where you left off' in course_page
    assert "You are here" in text(course_page)
    # Already recorded: opening it again does not ask again.
    assert 'hx-trigger="load"' not in browser.get(lesson_url(lessons[1])).text


def test_reading_without_enrolling_records_nothing_and_says_how_to_keep_progress(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First", "Second"),))
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    page = browser.get(lesson_url(lessons[0]))
    assert "You are not enrolled in this course, so your progress is not kept." in text(page)
    assert 'hx-trigger="load"' not in page.text
    # Even a forged view request (or a page that posted it) does not enrol anyone.
    response = browser.post(lesson_url(lessons[0]) + "/view")
    assert response.status_code == 303 and response.headers["location"] == lesson_url(lessons[0])
    assert enrolment_of(db, course, me) is None
    # Marking the lesson complete is a deliberate choice, and it does enrol.
    browser.post(lesson_url(lessons[0]) + "/complete")
    assert enrolment_of(db, course, me).status == "in_progress"


def test_mark_complete_without_javascript_goes_to_the_next_lesson(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First", "Second"),))
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    response = browser.post(lesson_url(lessons[0]) + "/complete")
    assert response.status_code == 303 and response.headers["location"] == lesson_url(lessons[1])
    page = text(browser.get(lesson_url(lessons[1])))
    assert "50% complete" in page and "1 of 2 lessons done" in page
    outline = text(browser.get(f"/courses/{course.id}"))
    assert "First ✓ Completed" in outline and "50% complete" in outline


def test_mark_complete_with_htmx_answers_the_progress_fragment(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("First", "Second", "Third", "Fourth"),))
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    browser.get(lesson_url(lessons[0]))
    response = browser.post(lesson_url(lessons[0]) + "/complete", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="lesson-progress"' in response.text
    assert 'aria-live="polite"' in response.text and "<progress" in response.text
    body = text(response)
    assert "25% complete" in body and "Lesson completed" in body and "Mark complete" not in body
    assert "Go to the next lesson: Second" in body


def test_completing_every_lesson_completes_the_course_and_records_evidence(db, signed_in):
    load_digcomp(db)
    course = make_course(db, "Handling personal data", develops={"4.2": 4, "1.1": 3}, modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    first = browser.post(lesson_url(lessons[0]) + "/complete", headers={"HX-Request": "true"})
    assert "You completed this course" not in first.text
    last = browser.post(lesson_url(lessons[1]) + "/complete")
    assert last.status_code == 303 and last.headers["location"] == f"/courses/{course.id}"
    enrolment = enrolment_of(db, course, me)
    assert enrolment.status == "completed" and enrolment.completed_at is not None
    evidence = db.exec(select(Evidence).where(Evidence.user_id == me.id)).all()
    assert sorted((e.source, e.level) for e in evidence) == [("course", 3), ("course", 4)]
    page = text(browser.get(f"/courses/{course.id}"))
    assert "You completed this course on" in page and "100% complete" in page
    assert "4.2 Protecting personal data and privacy → level 4" in page and "See it on My skills" in page
    assert "Rate this course" in page
    assert "4 · " in row_text(browser.get("/skills"), "Protecting personal data and privacy")
    # Completing again changes nothing and records no more evidence.
    browser.post(lesson_url(lessons[1]) + "/complete")
    assert db.exec(select(func.count()).select_from(Evidence).where(Evidence.user_id == me.id)).one() == 2


def test_htmx_completion_of_the_last_lesson_says_so(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("Only lesson",),))
    lessons = lessons_of(db, course)
    browser, me = signed_in()
    response = browser.post(lesson_url(lessons[0]) + "/complete", headers={"HX-Request": "true"})
    body = text(response)
    assert "100% complete" in body and "You completed this course" in body


def test_hidden_lessons_are_not_found_and_not_counted(db, signed_in):
    course = make_course(db, "Handling personal data", modules=(("Shown", "Hidden one", "Also shown"),))
    lessons = lessons_of(db, course)
    lessons[1].hidden = True
    db.add(lessons[1])
    db.commit()
    browser, me = signed_in()
    assert browser.get(lesson_url(lessons[1])).status_code == 404
    assert browser.post(lesson_url(lessons[1]) + "/complete").status_code == 404
    page = text(browser.get(lesson_url(lessons[0])))
    assert "Next: Also shown" in page and "Hidden one" not in page
    browser.post(lesson_url(lessons[0]) + "/complete")
    outline = text(browser.get(f"/courses/{course.id}"))
    assert "50% complete" in outline and "Hidden one" not in outline


def test_quiz_lessons_show_a_placeholder(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    lessons[1].kind = "quiz"
    db.add(lessons[1])
    db.commit()
    browser, me = signed_in()
    page = text(browser.get(lesson_url(lessons[1])))
    assert "Go to the quiz" in page and "Mark complete" not in page
    assert browser.post(lesson_url(lessons[1]) + "/complete").status_code == 403


def test_assigned_course_shows_due_date_and_who_assigned_it(db, signed_in, make_user):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    manager = make_user("manager", name="Mona Manager")
    browser, me = signed_in()
    due = utcnow() - timedelta(days=2)
    enrolment = Enrolment(course_id=course.id, user_id=me.id, source="assigned", due_at=due)
    db.add(enrolment)
    db.flush()
    db.add(Assignment(enrolment_id=enrolment.id, assigned_by_id=manager.id, due_at=due, message="For the audit"))
    db.commit()
    page = text(browser.get(f"/courses/{course.id}"))
    assert "By Mona Manager" in page and "For the audit" in page
    assert f"Overdue: was due {due.strftime('%d %b %Y')}" in page and "Start" in page


def test_lesson_bodies_are_sanitised_when_shown(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    lessons = lessons_of(db, course)
    lessons[0].body_html = '<p>Safe</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
    db.add(lessons[0])
    db.commit()
    browser, me = signed_in()
    page = browser.get(lesson_url(lessons[0])).text
    assert "<p>Safe</p>" in page and "<script>alert" not in page and "onerror" not in page


def test_lesson_from_another_course_is_not_found(db, signed_in):
    course = make_course(db, "Handling personal data", modules=TWO_LESSONS)
    other = make_course(db, "Other", modules=TWO_LESSONS)
    other_lessons = lessons_of(db, other)
    browser, me = signed_in()
    assert browser.get(f"/courses/{course.id}/lessons/{other_lessons[0].id}").status_code == 404
    assert db.exec(select(func.count()).select_from(LessonProgress)).one() == 0
