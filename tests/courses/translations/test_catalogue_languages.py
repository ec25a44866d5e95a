"""The catalogue finds a course by its title in each of its languages, and shows the reader's version."""

from __future__ import annotations

from courses.models import CourseTranslation
from tests.courses.factories import make_course
from tests.lms.competences.test_skills_pages import text


def test_a_course_is_found_by_its_title_in_either_language_accents_or_not(db, signed_in):
    course = make_course(db, "Spotting phishing", summary="Tell fakes apart.")
    make_course(db, "Spreadsheets for beginners")
    db.add(CourseTranslation(course_id=course.id, language="fr", title="Repérer l’hameçonnage", summary="Déjouer les faux courriels."))
    db.commit()
    browser, _ = signed_in()
    for query in ("hameçonnage", "HAMECONNAGE", "reperer", "phishing", "faux courriels"):
        found = text(browser.get("/courses", params={"q": query}))
        assert ("Spotting phishing" in found or "Repérer l’hameçonnage" in found) and "Spreadsheets" not in found, query
    assert "Spotting phishing" not in text(browser.get("/courses", params={"q": "tableur"}))


def test_the_catalogue_shows_the_readers_version_and_marks_the_rest(db, signed_in):
    course = make_course(db, "Spotting phishing", summary="Tell fakes apart.")
    make_course(db, "Spreadsheets for beginners")
    db.add(CourseTranslation(course_id=course.id, language="fr", title="Repérer l’hameçonnage", summary="Déjouer les faux courriels."))
    db.commit()
    browser, _ = signed_in(language="fr")
    page = browser.get("/courses")
    assert "Repérer l’hameçonnage" in page.text and "Déjouer les faux courriels." in page.text
    assert "Spotting phishing" not in page.text
    assert 'lang="en">Spreadsheets for beginners</a>' in page.text
    english, _ = signed_in(language="en")
    assert "Spotting phishing" in english.get("/courses").text
