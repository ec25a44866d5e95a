"""xAPI activity definitions carry every language a course, lesson, competence or framework is written
in: `name` and `description` are language maps (xAPI 1.0.3), so an LRS can show each reader theirs.
Checked on what the real LRS holds after delivery, and against Ralph's models."""

from __future__ import annotations

from sqlmodel import select

from courses.learning.service import lesson_complete, lesson_viewed
from courses.models import CourseTranslation, LessonTranslation
from lms.config import get_settings
from lms.xapi.delivery import statements_deliver
from lms.xapi.models import XapiStatement
from lms.xapi.statements import VERBS
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import load_digcomp
from tests.lms.xapi.lrs import ralph_validate

BASE = "https://lms.example.gov"


def _held(db, lrs, homepage: str) -> list[dict]:
    db.expire_all()
    rows = list(db.exec(select(XapiStatement)))
    assert ralph_validate([row.statement for row in rows]) == []
    report = statements_deliver(db, settings=get_settings())
    assert (report.sent, report.failed) == (len(rows), 0)
    return [s for s in lrs.statements() if s["actor"].get("account", {}).get("homePage") == homepage]


def _definition(statements: list[dict], verb: str, object_id: str) -> dict:
    found = [s for s in statements if s["verb"]["id"] == VERBS[verb] and s["object"]["id"] == object_id]
    assert found, (verb, object_id)
    return found[0]["object"]["definition"]


def test_course_lesson_and_competence_are_named_in_every_language_they_have(db, make_user, xapi, lrs):
    load_digcomp(db)  # ships French names for its areas and competences
    learner = make_user(language="fr")
    course = make_course(
        db, "Spotting phishing", summary="Recognise and report phishing.", modules=(("Read me", "Untranslated"),), develops={"1.1": 1}
    )
    read, other = lessons_of(db, course)
    db.add(
        CourseTranslation(course_id=course.id, language="fr", title="Repérer l’hameçonnage", summary="Le reconnaître et le signaler.")
    )
    db.add(LessonTranslation(lesson_id=read.id, language="fr", title="Lisez-moi"))
    db.commit()
    for lesson in (read, other):
        lesson_viewed(db, user=learner, lesson=lesson)
        lesson_complete(db, user=learner, lesson=lesson)
    db.commit()

    held = _held(db, lrs, xapi)
    course_id = f"{BASE}/courses/{course.id}"
    done = _definition(held, "completed", course_id)
    assert done["name"] == {"en": "Spotting phishing", "fr": "Repérer l’hameçonnage"}
    assert done["description"] == {"en": "Recognise and report phishing.", "fr": "Le reconnaître et le signaler."}
    lesson = _definition(held, "experienced", f"{course_id}/lessons/{read.id}")
    assert lesson["name"] == {"en": "Read me", "fr": "Lisez-moi"}
    # A lesson without a version carries its own language only.
    assert _definition(held, "experienced", f"{course_id}/lessons/{other.id}")["name"] == {"en": "Untranslated"}

    (achieved,) = [s for s in held if s["verb"]["id"] == VERBS["achieved"]]
    names = achieved["object"]["definition"]["name"]
    assert names["en"] == "Browsing, searching and filtering data, information and digital content"
    assert names["fr"] == "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
    assert set(achieved["object"]["definition"]["description"]) == {"en", "fr"}
    framework = achieved["context"]["contextActivities"]["parent"][0]["definition"]["name"]
    assert set(framework) == {"en", "fr"}
