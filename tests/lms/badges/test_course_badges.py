"""With BADGES_FOR_COURSES on, a person may also claim a digital badge for a course they completed;
with it off (the default), nothing about courses is offered."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from courses.models import Enrolment
from lms.clock import utcnow
from tests.conftest import csrf_token
from tests.courses.factories import make_course

SCHEMA = json.loads((Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential.json").read_text())


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"badges_for_courses": True})


def _completed(db, user, title: str):
    course = make_course(db, title, summary="Recognise and report phishing.")
    db.add(
        Enrolment(course_id=course.id, user_id=user.id, source="self", status="completed", completed_at=utcnow(), progress_percent=100)
    )
    db.commit()
    return course


def test_a_completed_course_can_be_claimed_as_a_badge(signed_in, client, db):
    browser, user = signed_in()
    course = _completed(db, user, "Spotting phishing")
    unfinished = make_course(db, "Handling records")
    db.add(Enrolment(course_id=unfinished.id, user_id=user.id, source="self", status="in_progress"))
    db.commit()

    page = browser.get("/badges").text
    assert "Courses you completed" in page and "Spotting phishing" in page and "Handling records" not in page
    response = browser.post("/badges/claim-course", {"course_id": str(course.id)})
    assert response.status_code == 303
    credential_id = int(response.headers["location"].rsplit("/", 1)[1])
    download = browser.get(f"/badges/{credential_id}/credential.json").json()
    credential = download["credential"]
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert [e.message for e in validator.iter_errors(credential)] == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Course" and achievement["name"] == "Spotting phishing"
    assert achievement["id"] == f"http://testserver/courses/{course.id}"
    assert "result" not in credential["credentialSubject"]
    # Claiming again gives the same credential; an unfinished course is refused.
    assert browser.post("/badges/claim-course", {"course_id": str(course.id)}).headers["location"] == f"/badges/{credential_id}"
    refused = browser.post("/badges/claim-course", {"course_id": str(unfinished.id)})
    assert refused.status_code == 422 and "only for a course you have completed" in refused.text
    assert "View your credential" in browser.get("/badges").text

    client.cookies.clear()
    checked = client.post("/badges/verify", data={"text": download["jwt"], "csrf_token": csrf_token(client)})
    assert "Valid credential" in checked.text
