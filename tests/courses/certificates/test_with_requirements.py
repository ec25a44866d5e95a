"""End to end with mandatory training: completing a qualifying course gives a certificate valid as long as the cycle."""

from __future__ import annotations

from sqlmodel import select

from courses.requirements.cycles import cycles_sync_requirement
from courses.requirements.models import RequirementCycle
from courses.requirements.service import RequirementSpec, requirement_create
from lms.clock import utcnow
from tests.courses.certificates.factories import certificate_of, complete_course
from tests.courses.factories import make_course
from tests.lms.competences.test_skills_pages import text


def test_the_certificate_of_a_recurring_requirement_says_until_when_it_is_valid(db, signed_in, make_user):
    browser, learner = signed_in()
    admin = make_user("admin")
    course = make_course(db, "Phishing awareness")
    requirement = requirement_create(
        db,
        spec=RequirementSpec(name="Annual phishing", course_ids=[course.id], everyone=True, recurrence="months", every_months=12),
        by=admin,
    )
    cycles_sync_requirement(db, requirement=requirement, now=utcnow())  # opens the learner's first cycle
    db.commit()
    complete_course(db, learner, course)
    [certificate] = certificate_of(db, learner)
    cycle = db.exec(
        select(RequirementCycle).where(RequirementCycle.requirement_id == requirement.id, RequirementCycle.user_id == learner.id)
    ).one()
    assert cycle.completed_at == certificate.completed_at and cycle.valid_until is not None
    assert certificate.cycle_id == cycle.id and certificate.valid_until == cycle.valid_until

    until = f"{cycle.valid_until.day} {cycle.valid_until:%B %Y}"
    assert until in browser.get("/learning/certificates").text
    assert f"Valid until {until}" in text(browser.get(f"/verify/{certificate.code}"))
