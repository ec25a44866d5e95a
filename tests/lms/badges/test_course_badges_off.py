"""BADGES_FOR_COURSES is off by default: no course is offered, and claiming one is not found."""

from __future__ import annotations

from courses.models import Enrolment
from lms.clock import utcnow
from tests.courses.factories import make_course


def test_course_badges_are_off_by_default(signed_in, db):
    browser, user = signed_in()
    course = make_course(db, "Spotting phishing")
    db.add(
        Enrolment(course_id=course.id, user_id=user.id, source="self", status="completed", completed_at=utcnow(), progress_percent=100)
    )
    db.commit()
    assert "Courses you completed" not in browser.get("/badges").text
    assert browser.post("/badges/claim-course", {"course_id": str(course.id)}).status_code == 404
