"""Erasure: an admin anonymises a person in place with a typed confirmation; reports keep their figures
and no text column anywhere still holds the person's name or e-mail (both engines)."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text, func, select as sa_select
from sqlmodel import Session, SQLModel, select

from assessments.models import Attempt, Quiz
from assessments.results.selectors import quiz_results
from courses.models import CourseFeedback, Enrolment
from courses.requirements.models import Extension, RequirementCycle
from lms.audit.models import AuditEvent
from lms.auth.models import UserIdentity, UserSession
from lms.competences.models import CompetenceStatus, Evidence
from lms.people.models import User
from lms.reports.selectors import org_report
from tests.conftest import Browser, sign_in
from tests.lms.privacy.seeding import EMAIL, NAME, seed_person

EXTERNAL_ID = "HR-778812"


def report_figures(db: Session) -> list:
    """Every figure of the organisation report by area and by competence, rows and cells as shown."""
    figures = []
    for view in ("area", "competence"):
        report = org_report(db, by=view, min_group=3)
        figures.append([(row.label, row.cells) for row in (report.total, *report.parts)])
    return figures


def traces(db: Session, *needles: str) -> list[str]:
    """Every (table.column, value) in the whole database whose text holds a needle, ignoring case."""
    found = []
    wanted = [needle.lower() for needle in needles]
    for table in SQLModel.metadata.sorted_tables:
        for column in table.c:
            if not isinstance(column.type, String | Text | JSON):
                continue
            as_text = column.cast(Text) if isinstance(column.type, JSON) else column
            for (value,) in db.exec(sa_select(as_text).where(as_text.is_not(None))).all():
                if any(needle in str(value).lower() for needle in wanted):
                    found.append(f"{table.name}.{column.name}: {str(value)[:120]}")
    return found


def counts(db: Session, person_id: int) -> dict[str, int]:
    def n(model, column) -> int:
        return db.exec(sa_select(func.count()).select_from(model).where(column == person_id)).one()[0]

    return {
        "evidence": n(Evidence, Evidence.user_id),
        "statuses": n(CompetenceStatus, CompetenceStatus.user_id),
        "enrolments": n(Enrolment, Enrolment.user_id),
        "attempts": n(Attempt, Attempt.user_id),
        "cycles": n(RequirementCycle, RequirementCycle.user_id),
    }


def test_erasure_keeps_the_reports_and_leaves_no_trace_of_the_person(client, db, make_user):
    seeded = seed_person(db, make_user)
    person_id = seeded.person.id
    # Two colleagues in the unit too, so its figures are shown rather than hidden as a small group.
    make_user(org_unit_id=seeded.person.org_unit_id, job_profile_id=seeded.person.job_profile_id)
    before = report_figures(db)
    # The person is in the figures: shown, not hidden, their self-assessment counted.
    unit_cell = before[0][1][1][0]
    assert not unit_cell.suppressed and unit_cell.people == 3 and unit_cell.figures.self_count == 1
    kept_before = counts(db, person_id)
    quiz = db.get(Quiz, db.exec(select(Attempt.quiz_id).where(Attempt.user_id == person_id)).first())
    quiz_stats = quiz_results(db, quiz=quiz).stats
    assert traces(db, NAME, EMAIL, EXTERNAL_ID), "the seed does write the name and e-mail"

    assert sign_in(client, seeded.admin.email).status_code == 303
    admin = Browser(client)
    plan = admin.get(f"/admin/users/{person_id}/data")
    assert plan.status_code == 200
    assert "Kept by law" in plan.text and "Mandatory-training completions" in plan.text and "6 years" in plan.text
    assert "This account is active" in plan.text

    wrong = admin.post(f"/admin/users/{person_id}/erase", data={"confirm": "someone.else@example.gov"})
    assert wrong.status_code == 422 and "Type the person" in wrong.text
    db.expire_all()
    assert db.get(User, person_id).name == NAME

    done = admin.post(f"/admin/users/{person_id}/erase", data={"confirm": EMAIL.upper()})
    assert done.status_code == 303, done.text
    db.expire_all()

    person = db.get(User, person_id)
    assert person.name == f"Former employee #{person_id}" and person.erased_at is not None
    assert person.password_hash is None and person.external_id is None and person.is_active
    assert traces(db, NAME, EMAIL, EXTERNAL_ID) == []
    # What the statistics rest on is still there, attached to the same id, and the figures agree.
    assert counts(db, person_id) == kept_before
    assert report_figures(db) == before
    assert quiz_results(db, quiz=quiz).stats == quiz_stats
    # Free text about them is gone; what identified them is removed.
    assert set(db.exec(select(Evidence.note).where(Evidence.user_id == person_id)).all()) == {""}
    assert db.exec(select(Extension.reason)).all() == [""]
    assert db.exec(select(CourseFeedback.comment, CourseFeedback.rating)).all() == [("", 4)]
    assert db.exec(select(UserSession).where(UserSession.user_id == person_id)).all() == []
    assert db.exec(select(UserIdentity).where(UserIdentity.user_id == person_id)).all() == []
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user.erase")).one()
    assert event.actor_id == seeded.admin.id and event.target_id == str(person_id)
    assert "Mandatory-training completions" in event.detail

    page = admin.get(f"/admin/users/{person_id}/data")
    assert "was erased on" in page.text and "nothing left to export" in page.text
    assert "Kept by law" in page.text
    again = admin.post(f"/admin/users/{person_id}/erase", data={"confirm": person.email})
    assert again.status_code == 422 and "already been erased" in again.text
    assert admin.post(f"/admin/users/{person_id}/exports").status_code == 422
    client.cookies.clear()
    assert sign_in(client, EMAIL).status_code != 303


def test_only_an_admin_erases_and_never_themselves(client, db, signed_in, make_user):
    person = make_user(email="erase.me@example.gov")
    browser, _ = signed_in("manager")
    assert browser.post(f"/admin/users/{person.id}/erase", data={"confirm": person.email}).status_code == 403
    client.cookies.clear()
    browser, admin = signed_in("admin")
    own = browser.post(f"/admin/users/{admin.id}/erase", data={"confirm": admin.email})
    assert own.status_code == 422 and "your own account" in own.text
    db.expire_all()
    assert db.get(User, person.id).erased_at is None and db.get(User, admin.id).erased_at is None
