"""An Open Badge is issued in its recipient's language: the achievement's name, description, criteria and
level in French for a French reader where the framework (or the course) has a French version, with
`inLanguage` saying so (OB 3.0); in the original, and its language, where there is none. Checked on the
signed credential a person downloads, against 1EdTech's schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from courses.models import CourseTranslation, Enrolment
from lms.clock import utcnow
from lms.i18n import gettext, speaking
from lms.competences.models import (
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
    ProficiencyLevel,
    ProficiencyLevelTranslation,
)
from tests.courses.factories import make_course
from tests.lms.badges.support import claim, verified

SCHEMA = json.loads((Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential.json").read_text())


def _achievement(browser, credential_id: int) -> dict:
    credential = browser.get(f"/badges/{credential_id}/credential.json").json()["credential"]
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)] == []
    assert credential["name"] == credential["credentialSubject"]["achievement"]["name"]
    return credential["credentialSubject"]["achievement"]


def test_a_french_reader_gets_the_competence_named_in_french(signed_in, db):
    browser, user = signed_in(language="fr")
    competence = verified(db, user, level=3)
    framework = db.get(Framework, competence.framework_id)
    db.add(
        CompetenceTranslation(competence_id=competence.id, language="fr", name="Compétence 4.1", description="Se protéger en ligne.")
    )
    db.add(FrameworkTranslation(framework_id=framework.id, language="fr", name="Sécurité"))
    level = ProficiencyLevel(framework_id=framework.id, level=3, band="Intermediate", summary="Works alone.")
    db.add(level)
    db.flush()
    db.add(ProficiencyLevelTranslation(level_id=level.id, language="fr", band="Intermédiaire", summary="Travaille seul."))
    db.commit()

    offered = browser.get("/badges").text
    assert "4.1 Compétence 4.1" in offered and "Sécurité" in offered  # what may be claimed, in French too
    achievement = _achievement(browser, claim(browser, competence))
    assert achievement["inLanguage"] == "fr"
    assert achievement["name"] == "4.1 Compétence 4.1" and achievement["description"] == "Se protéger en ligne."
    narrative = achievement["criteria"]["narrative"]
    assert "Compétence 4.1" in narrative and "(Sécurité)" in narrative and "Travaille seul." in narrative
    assert "Competence 4.1" not in narrative
    # The sentence around the names is the French catalogue's (whatever it holds when this runs).
    with speaking("fr"):
        holds = gettext(
            "Holds %(level)s in %(code)s %(competence)s (%(framework)s), verified by evidence recorded in the "
            "organisation's learning platform: a manager's rating, a completed course, a passed quiz or an imported "
            "record. Self-assessment does not count."
        )
    assert narrative.startswith(holds.split("%(")[0])
    assert achievement["alignment"][0]["targetFramework"] == "Sécurité"
    (rubric,) = achievement["resultDescription"][0]["rubricCriterionLevel"]
    assert "Intermédiaire" in rubric["name"]
    # My credentials lists it by the name it was issued under.
    assert "4.1 Compétence 4.1" in browser.get("/badges").text


def test_without_a_french_version_the_badge_keeps_the_original_and_says_its_language(signed_in, db):
    browser, user = signed_in(language="fr")
    competence = verified(db, user, level=2)
    achievement = _achievement(browser, claim(browser, competence))
    assert achievement["inLanguage"] == "en"
    assert achievement["name"] == "4.1 Competence 4.1"
    assert achievement["criteria"]["narrative"].startswith("Holds level 2 in 4.1 Competence 4.1 (Safety)")


def test_an_english_reader_gets_english_even_where_a_french_version_exists(signed_in, db):
    browser, user = signed_in(language="en")
    competence = verified(db, user, level=2)
    db.add(CompetenceTranslation(competence_id=competence.id, language="fr", name="Compétence 4.1"))
    db.commit()
    achievement = _achievement(browser, claim(browser, competence))
    assert achievement["inLanguage"] == "en" and achievement["name"] == "4.1 Competence 4.1"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"badges_for_courses": True})


@pytest.mark.parametrize("translated", [True, False])
def test_a_course_badge_is_named_in_the_recipients_language(signed_in, db, translated):
    browser, user = signed_in(language="fr")
    course = make_course(db, "Spotting phishing", summary="Recognise and report phishing.")
    if translated:
        db.add(CourseTranslation(course_id=course.id, language="fr", title="Repérer l’hameçonnage", summary="Le reconnaître."))
    db.add(
        Enrolment(course_id=course.id, user_id=user.id, source="self", status="completed", completed_at=utcnow(), progress_percent=100)
    )
    db.commit()
    response = browser.post("/badges/claim-course", {"course_id": str(course.id)})
    assert response.status_code == 303
    achievement = _achievement(browser, int(response.headers["location"].rsplit("/", 1)[1]))
    if translated:
        assert (achievement["name"], achievement["description"], achievement["inLanguage"]) == (
            "Repérer l’hameçonnage",
            "Le reconnaître.",
            "fr",
        )
    else:
        assert (achievement["name"], achievement["inLanguage"]) == ("Spotting phishing", "en")
        assert achievement["criteria"]["narrative"] == "Completed every required lesson of the course Spotting phishing."
