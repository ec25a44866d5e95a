"""Administrators assign courses by rule to org units and job profiles, including people who join later."""

from __future__ import annotations

import pytest
from sqlmodel import select

from courses.models import Assignment, AssignmentRule, Enrolment
from lms.audit.models import AuditEvent
from lms.people.models import OrgUnit
from lms.people.service import user_create, user_update
from tests.courses.factories import make_course
from tests.courses.test_assign_pages import follow
from tests.lms.competences.factories import load_digcomp, make_profile
from tests.lms.competences.test_team_pages import text


@pytest.fixture
def org(db):
    """Governance with a Records sub-unit, and an unrelated Finance unit."""
    governance = OrgUnit(name="Governance")
    finance = OrgUnit(name="Finance")
    db.add_all([governance, finance])
    db.flush()
    records = OrgUnit(name="Records", parent_id=governance.id)
    db.add(records)
    db.commit()
    return governance, records, finance


def _enrolment(db, user_id):
    db.expire_all()
    return db.exec(select(Enrolment).where(Enrolment.user_id == user_id)).first()


def test_a_rule_applies_now_to_the_unit_and_its_sub_units(db, signed_in, make_user, org):
    governance, records, finance = org
    browser, admin = signed_in("admin")
    course = make_course(db, "Handling personal data")
    inside = [make_user(org_unit_id=governance.id), make_user(org_unit_id=records.id)]
    elsewhere = make_user(org_unit_id=finance.id)
    make_user(org_unit_id=records.id, is_active=False)  # inactive people are not covered

    response = browser.post(
        "/admin/assignment-rules",
        {"course_id": course.id, "org_unit_id": governance.id, "due_days": "30", "message": "Required by law"},
    )
    assert "assigned the course to 2 people now" in text(follow(browser, response))
    for person in inside:
        enrolment = _enrolment(db, person.id)
        assert enrolment.source == "rule" and enrolment.due_at is not None
    assert _enrolment(db, elsewhere.id) is None

    page = text(browser.get("/admin/assignment-rules"))
    assert "Handling personal data “Required by law” Governance and sub-units Any 30 days after assignment 2 Active" in page
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "assignment_rule.create")).first()


def test_people_who_join_later_are_assigned_through_the_admin_form_and_the_service(db, signed_in, org):
    governance, records, _finance = org
    browser, admin = signed_in("admin")
    course = make_course(db, "Handling personal data")
    browser.post("/admin/assignment-rules", {"course_id": course.id, "org_unit_id": governance.id})

    created = browser.post("/admin/users/new", {"name": "Nina New", "email": "nina@example.gov", "org_unit_id": str(records.id)})
    assert created.status_code == 303
    nina_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert _enrolment(db, nina_id).source == "rule"

    sam = user_create(db, email="sam@example.gov", name="Sam Service", by=admin, org_unit_id=governance.id)
    db.commit()
    enrolment = _enrolment(db, sam.id)
    assert enrolment.source == "rule" and enrolment.course_id == course.id
    rule = db.exec(select(AssignmentRule)).one()
    assert db.exec(select(Assignment).where(Assignment.enrolment_id == enrolment.id)).one().rule_id == rule.id


def test_people_who_move_in_or_get_the_profile_are_assigned(db, signed_in, make_user, org):
    governance, _records, finance = org
    load_digcomp(db)
    profile = make_profile(db)
    browser, admin = signed_in("admin")
    course = make_course(db, "Data basics for policy")
    browser.post("/admin/assignment-rules", {"course_id": course.id, "job_profile_id": profile.id})
    mover = make_user(org_unit_id=finance.id)
    assert _enrolment(db, mover.id) is None
    response = browser.post(
        f"/admin/users/{mover.id}",
        {"name": mover.name, "email": mover.email, "org_unit_id": str(finance.id), "job_profile_id": str(profile.id)},
    )
    assert response.status_code == 303
    assert _enrolment(db, mover.id).source == "rule"

    # Org unit rule: moving into the unit assigns too.
    other = make_course(db, "Records management")
    browser.post("/admin/assignment-rules", {"course_id": other.id, "org_unit_id": governance.id})
    user_update(db, user=mover, by=admin, name=mover.name, email=mover.email, org_unit_id=governance.id, manager_id=None)
    db.commit()
    db.expire_all()
    assert {e.course_id for e in db.exec(select(Enrolment).where(Enrolment.user_id == mover.id))} == {course.id, other.id}


def test_a_switched_off_rule_no_longer_assigns_newcomers(db, signed_in, org):
    governance, _records, _finance = org
    browser, admin = signed_in("admin")
    course = make_course(db, "Handling personal data")
    browser.post("/admin/assignment-rules", {"course_id": course.id, "org_unit_id": governance.id})
    rule = db.exec(select(AssignmentRule)).one()
    response = browser.post(f"/admin/assignment-rules/{rule.id}/deactivate")
    assert "The rule is switched off" in text(follow(browser, response))
    assert "Switched off" in text(browser.get("/admin/assignment-rules"))
    late = user_create(db, email="late@example.gov", name="Late Joiner", by=admin, org_unit_id=governance.id)
    db.commit()
    assert _enrolment(db, late.id) is None
    assert browser.post("/admin/assignment-rules/999999/deactivate").status_code == 404


def test_rule_mistakes_are_shown_next_to_the_fields(db, signed_in, org):
    browser, _admin = signed_in("admin")
    draft = make_course(db, "Draft", status="draft")
    make_course(db, "Published")
    response = browser.post("/admin/assignment-rules", {"course_id": draft.id})
    assert response.status_code == 422 and "Choose a published course." in text(response)
    assert not db.exec(select(Enrolment)).all()
    course_id = make_course(db, "Another").id
    response = browser.post("/admin/assignment-rules", {"course_id": course_id})
    assert response.status_code == 422 and "Choose an organisation unit, a job profile, or both." in text(response)
    response = browser.post("/admin/assignment-rules", {"course_id": course_id, "org_unit_id": org[0].id, "due_days": "soon"})
    assert response.status_code == 422 and "Enter a whole number of days" in text(response)
    assert not db.exec(select(AssignmentRule)).all()


def test_rules_are_for_administrators_only(db, signed_in, org):
    browser, _user = signed_in("manager", "trainer")
    course = make_course(db)
    assert browser.get("/admin/assignment-rules").status_code == 403
    assert browser.post("/admin/assignment-rules", {"course_id": course.id, "org_unit_id": org[0].id}).status_code == 403
    assert not db.exec(select(AssignmentRule)).all()


def test_the_empty_page_says_what_to_do(signed_in):
    browser, _admin = signed_in("admin")
    words = text(browser.get("/admin/assignment-rules"))
    assert "There are no rules yet." in words
    assert "There are no published courses yet." in words
