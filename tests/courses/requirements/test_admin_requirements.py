"""Administrators create, change and archive requirements through the admin pages; skills leads read them."""

from __future__ import annotations

from sqlmodel import select

from courses.models import Enrolment
from courses.requirements.models import Requirement, RequirementAudience, RequirementCourse
from lms.audit.models import AuditEvent
from lms.clock import utcnow
from tests.courses.factories import make_course
from tests.courses.test_assign_pages import follow
from tests.lms.competences.test_team_pages import text
from tests.lms.factories import make_unit


def _form(**changes):
    data = {
        "name": "Data protection",
        "description": "Handling personal data lawfully.",
        "course_ids": [],
        "unit_id": [],
        "unit_scope": [],
        "emails": "",
        "due_days": "30",
        "recurrence": "annual",
        "annual_month": "3",
        "annual_day": "31",
        "renew_window_days": "30",
        "grace_days": "7",
        "action": "save",
    }
    data.update(changes)
    return data


def _requirement(db, name="Data protection"):
    db.expire_all()
    return db.exec(select(Requirement).where(Requirement.name == name)).one()


def test_an_admin_creates_a_requirement_for_a_unit_and_named_people(db, signed_in, make_user):
    browser, admin = signed_in("admin")
    course = make_course(db, "Handling personal data")
    other = make_course(db, "Data protection refresher")
    governance = make_unit(db, "Governance")
    records = make_unit(db, "Records", governance)
    make_user(org_unit_id=records.id)
    named = make_user(email="nina@example.gov")

    assert "Mandatory training" in text(browser.get("/admin"))
    form = browser.get("/admin/requirements/new")
    assert form.status_code == 200 and "Check who this assigns" in form.text
    response = browser.post(
        "/admin/requirements/new",
        _form(
            course_ids=[str(course.id), str(other.id)],
            unit_id=[str(governance.id), ""],
            unit_scope=["subtree", "subtree"],
            emails="NINA@example.gov\n",
        ),
    )
    page = text(follow(browser, response))
    assert "The requirement is saved" in page
    requirement = _requirement(db)
    assert (requirement.recurrence, requirement.annual_month, requirement.annual_day) == ("annual", 3, 31)
    assert (requirement.renew_window_days, requirement.grace_days, requirement.due_days) == (30, 7, 30)
    assert requirement.created_by_id == admin.id
    courses = db.exec(select(RequirementCourse.course_id).where(RequirementCourse.requirement_id == requirement.id)).all()
    assert sorted(courses) == sorted([course.id, other.id])
    parts = db.exec(select(RequirementAudience).where(RequirementAudience.requirement_id == requirement.id)).all()
    assert {(p.kind, p.org_unit_id, p.user_id) for p in parts} == {("org_subtree", governance.id, None), ("user", None, named.id)}
    assert "Governance and its sub-units" in page and "nina@example.gov" in page and "Each year by 31 March" in page
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "requirement.create")).one().target_id == str(requirement.id)

    listing = text(browser.get("/admin/requirements"))
    assert "Data protection Data protection refresher, Handling personal data Each year" in listing


def test_every_problem_is_reported_at_once_with_422(db, signed_in):
    browser, _ = signed_in("admin")
    response = browser.post(
        "/admin/requirements/new",
        _form(
            name="",
            annual_month="2",
            annual_day="31",
            emails="ghost@example.gov, nobody@example.gov",
            due_days="soon",
            renew_window_days="400",
        ),
    )
    assert response.status_code == 422
    page = text(response)
    assert "There are 6 problems" in page
    assert "Enter a name" in page
    assert "Choose at least one course" in page
    assert "February has 28 days at most" in page
    assert "Nobody in Proficio has these e-mail addresses: ghost@example.gov, nobody@example.gov." in page
    assert "Enter a whole number" in page
    assert "from 0 to 365" in page
    assert db.exec(select(Requirement)).first() is None


def test_months_out_of_range_and_an_empty_audience_are_refused(db, signed_in):
    browser, _ = signed_in("admin")
    course = make_course(db)
    response = browser.post(
        "/admin/requirements/new", _form(course_ids=[str(course.id)], recurrence="months", every_months="121", emails="")
    )
    assert response.status_code == 422
    page = text(response)
    assert "Enter a number of months from 1 to 120." in page
    assert "Choose who this applies to" in page


def test_the_dry_run_counts_people_and_completions_without_saving(db, signed_in, make_user):
    browser, _ = signed_in("admin")
    course = make_course(db)
    unit = make_unit(db, "Finance")
    people = [make_user(org_unit_id=unit.id) for _ in range(3)]
    make_user(org_unit_id=unit.id, is_active=False)
    db.add(Enrolment(course_id=course.id, user_id=people[0].id, status="completed", completed_at=utcnow()))
    db.commit()

    response = browser.post(
        "/admin/requirements/new",
        _form(course_ids=[str(course.id)], unit_id=[str(unit.id)], unit_scope=["unit"], action="preview"),
    )
    assert response.status_code == 200
    assert "This will assign 3 people; 1 of them has already completed one of these courses." in text(response)
    assert 'value="unit" selected' in response.text  # the form keeps what was chosen
    assert response.text.count('name="unit_id"') == 3  # the chosen unit and two empty rows
    assert db.exec(select(Requirement)).first() is None

    everyone = browser.post("/admin/requirements/new", _form(course_ids=[str(course.id)], everyone="1", action="preview"))
    assert "This will assign 4 people" in text(everyone)  # the admin too


def test_editing_replaces_the_rule_and_archiving_keeps_the_record(db, signed_in, make_user):
    browser, _ = signed_in("admin")
    course = make_course(db)
    unit = make_unit(db, "Finance")
    browser.post("/admin/requirements/new", _form(course_ids=[str(course.id)], unit_id=[str(unit.id)]))
    requirement = _requirement(db)

    edit = browser.get(f"/admin/requirements/{requirement.id}/edit")
    assert "the cycles people have now keep their due and expiry dates" in text(edit)
    assert f'<option value="{unit.id}" selected>' in edit.text
    response = browser.post(
        f"/admin/requirements/{requirement.id}/edit",
        _form(name="Data protection 2027", course_ids=[str(course.id)], roles=["manager"], recurrence="months", every_months="24"),
    )
    assert "people's current cycles keep their dates" in text(follow(browser, response))
    requirement = _requirement(db, "Data protection 2027")
    assert (requirement.recurrence, requirement.every_months, requirement.annual_month) == ("months", 24, None)
    parts = db.exec(select(RequirementAudience).where(RequirementAudience.requirement_id == requirement.id)).all()
    assert [(p.kind, p.role) for p in parts] == [("role", "manager")]

    archived = browser.post(f"/admin/requirements/{requirement.id}/archive")
    assert "no new cycles open" in text(follow(browser, archived))
    assert _requirement(db, "Data protection 2027").archived_at is not None
    assert "archived" in text(browser.get(f"/admin/requirements/{requirement.id}/edit"))
    again = browser.post(f"/admin/requirements/{requirement.id}/edit", _form(course_ids=[str(course.id)], everyone="1"))
    assert again.status_code == 422
    assert "already archived" in text(follow(browser, browser.post(f"/admin/requirements/{requirement.id}/archive")))
    assert "There are no active requirements" in text(browser.get("/admin/requirements?status=active"))
    assert "No requirements match" in text(browser.get("/admin/requirements?q=zzz"))
    assert "Data protection 2027" in text(browser.get("/admin/requirements?status=archived&q=2027"))
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_type == "requirement")).all()
    assert sorted(actions) == ["requirement.archive", "requirement.create", "requirement.update"]


def test_a_skills_lead_reads_but_cannot_change(db, signed_in, make_user, client):
    admin = make_user("admin")
    course = make_course(db)
    from courses.requirements.service import RequirementSpec, requirement_create

    requirement = requirement_create(db, spec=RequirementSpec(name="Phishing", course_ids=[course.id], everyone=True), by=admin)
    db.commit()
    browser, _ = signed_in("skills_lead")
    listing = browser.get("/admin/requirements")
    assert listing.status_code == 200 and "Phishing" in listing.text and "Create a requirement" not in listing.text
    detail = browser.get(f"/admin/requirements/{requirement.id}")
    assert detail.status_code == 200 and "Everyone with an active account" in text(detail)
    assert "Archive this requirement" not in detail.text and "/edit" not in detail.text
    assert browser.get(f"/admin/requirements/{requirement.id}/edit").status_code == 403
    assert browser.post(f"/admin/requirements/{requirement.id}/archive").status_code == 403
    assert browser.post("/admin/requirements/new", _form(course_ids=[str(course.id)], everyone="1")).status_code == 403
    assert browser.get("/admin/requirements/999999").status_code == 404


def test_saving_assigns_people_at_once_and_archiving_stops_new_cycles(db, signed_in, make_user):
    from courses.requirements.cycles import cycles_sync_requirement
    from courses.requirements.models import RequirementCycle

    browser, _ = signed_in("admin")
    course = make_course(db)
    unit = make_unit(db, "Finance")
    first = [make_user(org_unit_id=unit.id) for _ in range(2)]
    response = browser.post("/admin/requirements/new", _form(course_ids=[str(course.id)], unit_id=[str(unit.id)]))
    assert "It now covers 2 people" in text(follow(browser, response))
    requirement = _requirement(db)
    cycles = db.exec(select(RequirementCycle).where(RequirementCycle.requirement_id == requirement.id)).all()
    assert sorted(c.user_id for c in cycles) == sorted(p.id for p in first)

    browser.post(f"/admin/requirements/{requirement.id}/archive")
    newcomer = make_user(org_unit_id=unit.id)
    cycles_sync_requirement(db, requirement=_requirement(db), now=utcnow())
    db.commit()
    assert db.exec(select(RequirementCycle).where(RequirementCycle.user_id == newcomer.id)).first() is None
    assert len(db.exec(select(RequirementCycle).where(RequirementCycle.requirement_id == requirement.id)).all()) == 2


def test_the_service_names_each_problem(db, make_user):
    import pytest

    from courses.requirements.forms import RequirementForm
    from courses.requirements.service import (
        MAX_EMAILS,
        RequirementError,
        RequirementSpec,
        requirement_check,
        requirement_create,
        requirement_update,
    )

    draft = make_course(db, status="draft")
    errors, _ = requirement_check(
        db,
        RequirementSpec(
            name="x" * 201,
            description="y" * 5001,
            course_ids=[draft.id],
            units=[(999999, True)],
            job_profile_ids=[999999],
            roles=["wizard"],
            emails=[f"p{n}@example.gov" for n in range(MAX_EMAILS + 1)],
            recurrence="sometimes",
        ),
    )
    assert set(errors) == {"name", "description", "course_ids", "units", "job_profile_ids", "roles", "emails", "recurrence"}
    errors, _ = requirement_check(db, RequirementSpec(name="A", everyone=True, recurrence="annual", annual_month=13, annual_day=0))
    assert errors["annual_month"] == "Choose the month of the fixed day." and "from 1 to 31" in errors["annual_day"]
    errors, _ = requirement_check(db, RequirementSpec(name="A", everyone=True, renew_window_days=10))
    assert "only applies to a requirement that recurs" in errors["renew_window_days"]

    form = RequirementForm(course_ids=["x"], job_profile_ids=["y"], unit_ids=["z"], unit_scopes=["unit"])
    _, form_errors = form.to_spec()
    assert set(form_errors) == {"course_ids", "job_profile_ids", "units"}

    admin = make_user("admin")
    course = make_course(db)
    requirement = requirement_create(db, spec=RequirementSpec(name="A", course_ids=[course.id], everyone=True), by=admin)
    requirement.archived_at = utcnow()
    with pytest.raises(RequirementError, match="archived"):
        requirement_update(
            db, requirement=requirement, spec=RequirementSpec(name="B", course_ids=[course.id], everyone=True), by=admin
        )
