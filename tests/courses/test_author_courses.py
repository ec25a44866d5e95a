"""Authoring a course: create, edit details and competences, publish/archive/draft, co-editors, stats."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from courses.models import Course, CourseCompetence, CourseEditor, CourseFeedback, Enrolment, Lesson
from lms.clock import utcnow
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence, load_digcomp
from tests.support.queries import counting


def new_course(browser, **fields):
    data = {"title": "Writing for the web", "summary": "Plain words.", "audience": "Everyone", "estimated_minutes": "45", **fields}
    return browser.post("/author/courses/new", data=data)


def test_trainer_creates_a_draft_and_becomes_its_editor(signed_in, db):
    browser, trainer = signed_in("trainer")
    load_digcomp(db)
    c42, c31 = competence(db, "4.2"), competence(db, "3.1")
    empty = browser.get("/author")
    assert empty.status_code == 200 and "You have no courses yet" in empty.text
    form = browser.get("/author/courses/new")
    assert form.status_code == 200 and "<optgroup" in form.text and 'name="competence_id"' in form.text
    response = new_course(browser, competence_id=[str(c42.id), "", str(c31.id)], level=["4", "", "2"])
    assert response.status_code == 303
    course = db.exec(select(Course)).one()
    assert response.headers["location"] == f"/author/courses/{course.id}"
    assert course.status == "draft" and course.estimated_minutes == 45
    assert db.get(CourseEditor, (course.id, trainer.id)) is not None
    levels = {c.competence_id: c.level for c in db.exec(select(CourseCompetence)).all()}
    assert levels == {c42.id: 4, c31.id: 2}
    listing = browser.get("/author").text
    assert "Writing for the web" in listing and "Draft" in listing


def test_invalid_course_form_is_shown_again_with_messages(signed_in, db):
    browser, _ = signed_in("trainer")
    load_digcomp(db)
    c42 = competence(db, "4.2")
    response = new_course(
        browser, title=" ", estimated_minutes="soon", competence_id=[str(c42.id), str(c42.id), ""], level=["3", "4", "5"]
    )
    assert response.status_code == 422
    text = response.text
    assert "Enter a title for the course." in text and "whole number of minutes" in text
    assert "listed twice" in text and "Choose a competence for this level" in text
    assert db.exec(select(Course)).first() is None


def test_editing_details_replaces_competences(signed_in, db):
    browser, trainer = signed_in("trainer")
    load_digcomp(db)
    c42, c11 = competence(db, "4.2"), competence(db, "1.1")
    course = make_course(db, editors=[trainer], competences={c42.id: 3})
    page = browser.get(f"/author/courses/{course.id}/edit")
    assert page.status_code == 200 and f'<option value="{c42.id}" selected' in page.text
    response = browser.post(
        f"/author/courses/{course.id}/edit",
        data={
            "title": "Phishing, spotted",
            "summary": "",
            "audience": "",
            "estimated_minutes": "20",
            "competence_id": [str(c11.id)],
            "level": ["5"],
        },
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Course, course.id).title == "Phishing, spotted"
    assert {c.competence_id: c.level for c in db.exec(select(CourseCompetence)).all()} == {c11.id: 5}


def test_publish_needs_a_visible_lesson_then_archive_and_draft_rules(signed_in, db, make_user):
    browser, trainer = signed_in("trainer")
    empty = make_course(db, editors=[trainer], status="draft", modules=[[]])
    browser.post(f"/author/courses/{empty.id}/status", data={"action": "publish"})
    page = browser.get(f"/author/courses/{empty.id}").text
    assert "Add at least one visible lesson before publishing." in page
    db.expire_all()
    assert db.get(Course, empty.id).status == "draft"

    course = make_course(db, editors=[trainer], status="draft", modules=[["One"]])
    assert browser.post(f"/author/courses/{course.id}/status", data={"action": "publish"}).status_code == 303
    db.expire_all()
    assert db.get(Course, course.id).status == "published" and db.get(Course, course.id).published_at
    # Back to draft while nobody is enrolled is allowed...
    browser.post(f"/author/courses/{course.id}/status", data={"action": "draft"})
    db.expire_all()
    assert db.get(Course, course.id).status == "draft"
    browser.post(f"/author/courses/{course.id}/status", data={"action": "publish"})
    # ...but not once someone is.
    db.add(Enrolment(course_id=course.id, user_id=make_user().id))
    db.commit()
    browser.post(f"/author/courses/{course.id}/status", data={"action": "draft"})
    assert "cannot go back to draft" in browser.get(f"/author/courses/{course.id}").text
    browser.post(f"/author/courses/{course.id}/status", data={"action": "archive"})
    db.expire_all()
    assert db.get(Course, course.id).status == "archived"
    assert browser.post(f"/author/courses/{course.id}/status", data={"action": "bogus"}).status_code == 400


def test_co_editors_can_be_added_by_email_and_removed_but_not_the_last(signed_in, db, make_user):
    browser, trainer = signed_in("trainer")
    colleague = make_user("trainer", email="Colleague@Example.gov")
    plain = make_user(email="plain@example.gov")
    course = make_course(db, editors=[trainer])
    browser.post(f"/author/courses/{course.id}/editors", data={"email": "plain@example.gov"})
    assert "no active trainer with that email" in browser.get(f"/author/courses/{course.id}").text
    assert db.get(CourseEditor, (course.id, plain.id)) is None
    browser.post(f"/author/courses/{course.id}/editors", data={"email": "colleague@example.gov"})
    assert db.get(CourseEditor, (course.id, colleague.id)) is not None
    # Removing yourself when another editor remains takes you back to your list.
    leave = browser.post(f"/author/courses/{course.id}/editors/{trainer.id}/remove")
    assert leave.headers["location"] == "/author"
    assert browser.get(f"/author/courses/{course.id}").status_code == 404


def test_the_last_editor_cannot_be_removed(signed_in, db):
    browser, admin = signed_in("admin")
    trainer_course = make_course(db, editors=[admin])
    browser.post(f"/author/courses/{trainer_course.id}/editors/{admin.id}/remove")
    assert "at least one editor" in browser.get(f"/author/courses/{trainer_course.id}").text
    assert db.get(CourseEditor, (trainer_course.id, admin.id)) is not None


def test_admins_see_every_course_trainers_only_theirs(signed_in, db, make_user, client):
    other = make_user("trainer")
    theirs = make_course(db, title="Someone else's course", editors=[other], status="draft")
    browser, trainer = signed_in("trainer")
    make_course(db, title="My own course", editors=[trainer])
    listing = browser.get("/author").text
    assert "My own course" in listing and "Someone else" not in listing
    client.cookies.clear()
    admin_browser, _ = signed_in("admin")
    listing = admin_browser.get("/author").text
    assert "My own course" in listing and "Someone else&#39;s course" in listing
    assert admin_browser.get(f"/author/courses/{theirs.id}").status_code == 200


def test_course_page_shows_stats_in_a_constant_number_of_queries(app, signed_in, db, make_user):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["One", "Two"], ["Three"]])
    now = utcnow()

    def add_learners(n, offset):
        for i in range(n):
            learner = make_user()
            done = i % 2 == 0
            db.add(
                Enrolment(
                    course_id=course.id,
                    user_id=learner.id,
                    status="completed" if done else "in_progress",
                    started_at=now - timedelta(hours=3),
                    completed_at=now - timedelta(hours=1) if done else None,
                )
            )
            if done:
                db.add(
                    CourseFeedback(course_id=course.id, user_id=learner.id, rating=4 + (i % 4 == 0), comment=f"Useful {offset + i}")
                )
        db.commit()

    add_learners(2, 0)
    few = count_queries(app.state.engine, lambda: browser.get(f"/author/courses/{course.id}"))
    add_learners(6, 10)
    many = count_queries(app.state.engine, lambda: browser.get(f"/author/courses/{course.id}"))
    assert many == few
    page = browser.get(f"/author/courses/{course.id}").text
    # 8 enrolled, 4 completed, each in two hours; ratings 5, 5, 4, 5 → 4.75.
    assert ">8<" in page and "50%" in page and "2 hours" in page and "4.8 / 5" in page and "Useful 14" in page


def count_queries(engine, call) -> int:
    with counting(engine) as statements:
        assert call().status_code == 200
    return len(statements)


def test_editing_a_published_course_keeps_lessons_in_place(signed_in, db):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], modules=[["One"]])
    lesson = db.exec(select(Lesson)).one()
    response = browser.post(
        f"/author/courses/{course.id}/lessons/{lesson.id}/edit",
        data={"title": "One, revised", "estimated_minutes": "12", "body_markdown": "New **text**", "module_id": str(lesson.module_id)},
    )
    assert response.status_code == 303
    db.expire_all()
    same = db.get(Lesson, lesson.id)
    assert same.title == "One, revised" and "<strong>text</strong>" in same.body_html
