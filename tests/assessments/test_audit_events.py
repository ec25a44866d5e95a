"""Learner and author events reach the audit log with who did what to what, never answer or comment text."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from assessments.attempts.service import attempt_start, attempt_submit, response_save
from assessments.bank.service import question_archive, question_create, question_duplicate, question_update
from courses.learning.service import enrol
from lms.audit.models import AuditEvent
from lms.competences.service import self_assess
from tests.assessments.factories import make_category, quiz_of, short_text, single_choice
from tests.courses.factories import lessons_of, make_course
from tests.courses.test_feedback import _complete
from tests.lms.competences.factories import make_competences


def events(db: Session, action: str) -> list[AuditEvent]:
    with Session(db.get_bind()) as other:
        return list(other.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all())


def test_question_create_edit_duplicate_archive_are_audited_without_content(db, make_user):
    author = make_user(email="author@example.gov")
    category = make_category(db)
    data = single_choice("Secret question name")
    question = question_create(db, category=category, data=data, by=author)
    question_update(db, question=question, data=data, category=category, by=author)
    copy = question_duplicate(db, question=question, by=author)
    question_archive(db, question=question, by=author)
    question_archive(db, question=question, archived=False, by=author)
    db.commit()
    created = events(db, "question.create")
    assert [(e.actor_email, e.target_type, e.target_id) for e in created] == [("author@example.gov", "question", str(question.id))]
    assert json.loads(events(db, "question.update")[0].detail)["version"] == 2
    duplicated = events(db, "question.duplicate")
    assert duplicated[0].target_id == str(copy.id) and json.loads(duplicated[0].detail)["copied_from"] == question.id
    # The copy records one event, not a create as well.
    assert len(created) == 1
    assert [e.target_id for e in events(db, "question.archive") + events(db, "question.restore")] == [str(question.id)] * 2
    everything = " ".join(e.detail for e in db.exec(select(AuditEvent)).all())
    assert "Secret question name" not in everything and "Option B" not in everything


def test_enrolment_is_audited_once(db, make_user):
    learner = make_user(email="learner@example.gov")
    course = make_course(db)
    enrol(db, course=course, user=learner)
    enrol(db, course=course, user=learner)  # already enrolled: nothing new happens
    db.commit()
    [event] = events(db, "course.enrol")
    assert (event.actor_email, event.target_type, event.target_id) == ("learner@example.gov", "course", str(course.id))


def test_self_assessment_is_audited(db, make_user):
    person = make_user(email="self@example.gov")
    [skill] = make_competences(db, "1.1")
    self_assess(db, user=person, competence=skill, level=3)
    db.commit()
    [event] = events(db, "competence.self_assess")
    assert event.actor_email == "self@example.gov" and event.target_id == str(person.id)
    assert json.loads(event.detail) == {"competence": "1.1", "level": 3}


def test_course_rating_is_audited_without_the_comment(db, signed_in):
    course = make_course(db, modules=(("One", "Two"),))
    browser, me = signed_in()
    _complete(browser, lessons_of(db, course))
    response = browser.post(f"/courses/{course.id}/feedback", data={"rating": "4", "comment": "My private opinion here"})
    assert response.status_code == 303
    [event] = events(db, "course.rate")
    assert (event.actor_id, event.target_type, event.target_id) == (me.id, "course", str(course.id))
    assert json.loads(event.detail) == {"rating": 4} and "private opinion" not in event.detail


def test_quiz_submission_is_audited_with_the_outcome_not_the_answers(db, make_user):
    learner = make_user(email="quiz@example.gov")
    quiz, _ = quiz_of(db, [short_text(accepted="phishing")], pass_percent=50)
    attempt = attempt_start(db, quiz=quiz, user=learner)
    response_save(db, attempt=attempt, slot=0, answer={"text": "my unusual wrong answer"}, sequence=0)
    attempt_submit(db, attempt=attempt)
    attempt_submit(db, attempt=attempt)  # a double submit grades, and audits, once
    db.commit()
    [event] = events(db, "quiz.submit")
    assert (event.actor_email, event.target_type, event.target_id) == ("quiz@example.gov", "quiz", str(quiz.id))
    detail = json.loads(event.detail)
    assert detail["attempt_id"] == attempt.id and detail["passed"] is False and detail["percent"] == 0
    assert "unusual" not in event.detail and "phishing" not in event.detail
