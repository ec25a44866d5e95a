"""A manager assigns courses to their reporting line: idempotent, earliest due date, strict scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import select

from courses.models import Assignment, Course, Enrolment
from lms.audit.models import AuditEvent
from lms.clock import utcnow
from lms.people.models import User
from tests.conftest import Browser, sign_in
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence as comp, load_digcomp, make_profile, record
from tests.lms.competences.test_team_pages import text


@dataclass
class Line:
    browser: object
    manager: User
    alice: User
    bob: User
    carol: User
    outsider: User
    course: Course


@pytest.fixture
def line(db, signed_in, make_user) -> Line:
    """Alice and Bob report to the manager, Carol to Bob; the outsider reports to another manager.
    The profile requires 1.1 at 3: Alice has it (verified 3), Bob (2), Carol (0) and the outsider do not."""
    load_digcomp(db)
    profile = make_profile(db)
    browser, manager = signed_in("manager", name="Mona Manager")
    other = make_user("manager", name="Otto Other")
    alice = make_user(name="Alice Able", manager_id=manager.id, job_profile_id=profile.id)
    bob = make_user(name="Bob Baker", manager_id=manager.id, job_profile_id=profile.id)
    carol = make_user(name="Carol Clark", manager_id=bob.id, job_profile_id=profile.id)
    outsider = make_user(name="Oscar Outside", manager_id=other.id, job_profile_id=profile.id)
    record(db, alice, "1.1", 3)
    record(db, bob, "1.1", 2)
    course = make_course(db, develops={"1.1": 4})
    return Line(browser, manager, alice, bob, carol, outsider, course)


def enrolments(db, course=None) -> dict[int, Enrolment]:
    db.expire_all()
    stmt = select(Enrolment)
    if course is not None:
        stmt = stmt.where(Enrolment.course_id == course.id)
    return {e.user_id: e for e in db.exec(stmt).all()}


def follow(browser, response):
    assert response.status_code == 303, response.text
    return browser.get(response.headers["location"])


def test_the_form_offers_the_line_with_direct_reports_marked(line):
    page = line.browser.get("/team/assign")
    assert page.status_code == 200
    words = text(page)
    assert "Alice Able (direct report)" in words and "Bob Baker (direct report)" in words
    assert "Carol Clark" in words and "Carol Clark (direct report)" not in words
    assert "Oscar Outside" not in words and f'id="person-{line.manager.id}"' not in page.text
    assert 'name="whole_line" value="1"' in page.text and 'type="date"' in page.text
    assert f'min="{utcnow().date().isoformat()}"' in page.text
    assert f'<option value="{line.course.id}">Spotting phishing</option>' in page.text


def test_assigning_twice_keeps_one_enrolment_and_the_earliest_due_date(line, db):
    later, sooner = (date.today() + timedelta(days=40)).isoformat(), (date.today() + timedelta(days=10)).isoformat()
    people = [str(line.alice.id), str(line.carol.id)]
    first = line.browser.post(
        "/team/assign", {"course_id": line.course.id, "user_ids": people, "due_date": later, "message": "Before the audit"}
    )
    assert "Assigned to 2 people. They will see your message on the course page." in text(follow(line.browser, first))
    again = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": people, "due_date": sooner})
    assert "Assigned to 2 people. All 2 already had this course; their due date was updated." in text(follow(line.browser, again))
    third = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": [str(line.alice.id)], "due_date": later})
    assert (
        "Assigned to 1 person, who already had this course; their due date is unchanged (it was already this "
        "date or earlier, or they have finished)." in text(follow(line.browser, third))
    )

    found = enrolments(db)
    assert set(found) == {line.alice.id, line.carol.id}
    for e in found.values():
        assert e.source == "assigned" and e.due_at.date().isoformat() == sooner
    log = db.exec(select(Assignment).order_by(Assignment.id)).all()
    assert len(log) == 5 and {a.assigned_by_id for a in log} == {line.manager.id}
    assert log[0].message == "Before the audit"


def test_the_confirmation_says_who_was_new_and_whose_due_date_changed(line, db):
    sooner, later = (date.today() + timedelta(days=10)).isoformat(), (date.today() + timedelta(days=40)).isoformat()
    line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": [str(line.alice.id)]})
    everyone = [str(line.alice.id), str(line.bob.id), str(line.carol.id)]
    mixed = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": everyone, "due_date": later})
    assert "Assigned to 3 people: 2 new, 1 already had it (their due date was updated)." in text(follow(line.browser, mixed))
    line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": [str(line.bob.id)], "due_date": sooner})
    some = line.browser.post(
        "/team/assign", {"course_id": line.course.id, "user_ids": everyone, "due_date": later, "message": "Please"}
    )
    assert (
        "Assigned to 3 people. All 3 already had this course; their due date is unchanged (it was already this "
        "date or earlier, or they have finished). They will see your message" in text(follow(line.browser, some))
    )
    # Bob already has the sooner date; Alice and Carol move to it.
    again = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": everyone, "due_date": sooner})
    assert (
        "Assigned to 3 people. All 3 already had this course; the due date was updated for 2 (the others' was "
        "already this date or earlier, or they have finished)." in text(follow(line.browser, again))
    )
    undated = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": everyone, "message": "A reminder"})
    assert (
        "Assigned to 3 people. All 3 already had this course; their due date is unchanged. They will see your "
        "message on the course page." in text(follow(line.browser, undated))
    )


def test_the_learner_sees_every_assignment_message_newest_first(line, db, client):
    sooner, later = date.today() + timedelta(days=10), date.today() + timedelta(days=40)
    for due, message in ((later, "Before the audit"), (sooner, ""), (None, "Now for the spring review")):
        form = {"course_id": line.course.id, "user_ids": [str(line.alice.id)], "message": message}
        if due:
            form["due_date"] = due.isoformat()
        assert line.browser.post("/team/assign", form).status_code == 303
    assert sign_in(client, line.alice.email).status_code == 303
    page = text(Browser(client).get(f"/courses/{line.course.id}"))
    assert page.count("By Mona Manager") == 3
    assert page.index("Now for the spring review") < page.index("Before the audit")
    assert f"Due {sooner.strftime('%d %b %Y')}" in page  # the earliest due date of them all


def test_the_whole_line_option_assigns_everyone_below_the_manager(line, db):
    response = line.browser.post("/team/assign", {"course_id": line.course.id, "whole_line": "1"})
    assert "Assigned to 3 people" in text(follow(line.browser, response))
    assert set(enrolments(db)) == {line.alice.id, line.bob.id, line.carol.id}


def test_anyone_outside_the_line_refuses_the_whole_request(line, db):
    for ids in ([line.outsider.id], [line.alice.id, line.outsider.id], [line.manager.id], [999_999], ["x1"]):
        response = line.browser.post("/team/assign", {"course_id": line.course.id, "user_ids": [str(i) for i in ids]})
        assert response.status_code == 404, ids
        assert "Oscar Outside" not in response.text
    assert enrolments(db) == {}
    assert not db.exec(select(Assignment)).all()
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "course.assign")).all()


def test_mistakes_are_shown_next_to_the_fields(line, db):
    draft = make_course(db, "Unfinished", status="draft")
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    response = line.browser.post("/team/assign", {"course_id": draft.id, "due_date": yesterday})
    assert response.status_code == 422
    words = text(response)
    assert "There are 3 problems" in words
    assert "Choose a published course." in words
    assert "Choose at least one person, or the whole reporting line." in words
    assert "The due date cannot be in the past." in words
    assert enrolments(db) == {}
    today = line.browser.post(
        "/team/assign", {"course_id": line.course.id, "user_ids": [str(line.bob.id)], "due_date": utcnow().date().isoformat()}
    )
    assert today.status_code == 303
    assert enrolments(db)[line.bob.id].due_at > utcnow()  # due at the end of today, not overdue yet


def test_a_gap_link_preselects_everyone_in_the_line_with_that_gap(line, db):
    competence = comp(db, "1.1")
    page = line.browser.get(f"/team/assign?course={line.course.id}&competence={competence.id}&gap=1")
    assert page.status_code == 200
    assert f'value="{line.bob.id}" checked' in page.text and f'value="{line.carol.id}" checked' in page.text
    assert f'value="{line.alice.id}" checked' not in page.text  # she meets the requirement
    assert f'<option value="{line.course.id}" selected>' in page.text
    assert "Courses for 1.1 Browsing, searching and filtering data, information and digital content" in text(page)


def test_assign_gap_reaches_everyone_below_the_requirement_in_one_action(line, db):
    competence = comp(db, "1.1")
    due = (date.today() + timedelta(days=20)).isoformat()
    response = line.browser.post("/team/assign-gap", {"competence_id": competence.id, "course_id": line.course.id, "due_date": due})
    words = text(follow(line.browser, response))
    assert "for the gap in 1.1" in words and "Assigned to 2 people." in words and "your message" not in words
    found = enrolments(db)
    assert set(found) == {line.bob.id, line.carol.id}  # not Alice (met), never the outsider (gap too)
    assert all(e.due_at.date().isoformat() == due for e in found.values())

    # Once Bob and Carol are verified at the level, nobody is left with the gap.
    record(db, line.bob, "1.1", 3, source="manager", by=line.manager)
    record(db, line.carol, "1.1", 4, source="manager", by=line.manager)
    again = line.browser.post("/team/assign-gap", {"competence_id": competence.id, "course_id": line.course.id})
    assert "Nobody in your team is below the required level" in text(follow(line.browser, again))


def test_assign_gap_needs_a_published_course_for_that_competence(line, db):
    unrelated = make_course(db, "Writing for the web", develops={"3.1": 4})
    draft = make_course(db, "Draft phishing", status="draft", develops={"1.1": 4})
    for course in (unrelated, draft):
        response = line.browser.post("/team/assign-gap", {"competence_id": comp(db, "1.1").id, "course_id": course.id})
        assert response.status_code == 404
    assert enrolments(db) == {}
