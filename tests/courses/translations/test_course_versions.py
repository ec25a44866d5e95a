"""A course in several languages over HTTP: trainers add versions and see what is missing; learners
read their language, or the default with a note and its lang attribute; progress belongs to the course."""

from __future__ import annotations

import re

from sqlmodel import select

from courses.models import CourseTranslation, LessonProgress, LessonTranslation, ModuleTranslation
from lms.audit.models import AuditEvent
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.test_skills_pages import text
from tests.support.queries import counting

FRENCH = {"Accept-Language": "fr"}


def _course(db, trainer):
    return make_course(
        db,
        "Spotting phishing",
        editors=[trainer],
        summary="Tell a fake e-mail from a real one.",
        modules=(("Red flags", "Reporting"),),
    )


def _translate(db, course, lesson, *, title="Les signaux d’alerte", body="Un *courriel* urgent est suspect."):
    from courses.markdown import markdown_to_html
    from courses.models import Module

    module = db.exec(select(Module).where(Module.course_id == course.id)).one()
    db.add(
        CourseTranslation(course_id=course.id, language="fr", title="Repérer l’hameçonnage", summary="Distinguer un faux courriel.")
    )
    db.add(ModuleTranslation(module_id=module.id, language="fr", title="Premier module"))
    db.add(LessonTranslation(lesson_id=lesson.id, language="fr", title=title, body_markdown=body, body_html=markdown_to_html(body)))
    db.commit()


def test_a_trainer_adds_versions_and_sees_what_is_missing(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = _course(db, trainer)
    first, second = lessons_of(db, course)
    page = browser.get(f"/author/courses/{course.id}")
    assert page.status_code == 200 and "Start a version in French" in page.text

    form = browser.get(f"/author/courses/{course.id}/translations/fr")
    assert form.status_code == 200 and "Spotting phishing" in form.text and 'lang="fr"' in form.text
    saved = browser.post(
        f"/author/courses/{course.id}/translations/fr", {"title": "Repérer l’hameçonnage", "summary": "Distinguer un faux."}
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("#translations")

    page = browser.get(f"/author/courses/{course.id}")
    table = re.search(r'<table class="usa-table usa-table--borderless translation-table">.*?</table>', page.text, re.S).group(0)
    # Title done; the module and both lessons missing, each linking straight to its form.
    assert text(table).count("Missing") == 3 and "Still missing 3" in text(table)
    lesson_form = f"/author/courses/{course.id}/translations/fr/lessons/{first.id}"
    assert f'href="{lesson_form}"' in table

    edit = browser.get(lesson_form)
    assert "Text of" in edit.text  # the original to translate from, and a copy to start the body from
    bad = browser.post(lesson_form, {"title": "", "body_markdown": "x"})
    assert bad.status_code == 422 and "Enter the title in this language." in bad.text
    unsafe = browser.post(lesson_form, {"title": "Signaux", "body_markdown": "<script>alert(1)</script> **gras**"})
    assert unsafe.status_code == 303
    row = db.get(LessonTranslation, (first.id, "fr"))
    db.refresh(row)
    assert "<script>" not in row.body_html and "<strong>gras</strong>" in row.body_html

    page = browser.get(f"/author/courses/{course.id}")
    assert "Still missing 2" in text(page)
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.target_id == str(course.id))).all())
    assert "course.translation.save" in actions


def test_versions_need_the_same_access_as_editing_the_course(db, signed_in, make_user):
    owner = make_user("trainer")
    course = _course(db, owner)
    lesson = lessons_of(db, course)[0]
    other, _ = signed_in("trainer")
    for url in (f"/author/courses/{course.id}/translations/fr", f"/author/courses/{course.id}/translations/fr/lessons/{lesson.id}"):
        assert other.get(url).status_code == 404
        assert other.post(url, {"title": "Volé"}).status_code == 404
    learner, _ = signed_in()
    assert learner.get(f"/author/courses/{course.id}/translations/fr").status_code == 403
    assert db.exec(select(LessonTranslation)).all() == []


def test_the_default_language_is_not_a_version_and_can_change(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = _course(db, trainer)
    assert browser.get(f"/author/courses/{course.id}/translations/en").status_code == 404
    assert browser.get(f"/author/courses/{course.id}/translations/de").status_code == 404
    assert browser.post(f"/author/courses/{course.id}/language", {"default_language": "fr"}).status_code == 303
    db.refresh(course)
    assert course.default_language == "fr"
    assert browser.get(f"/author/courses/{course.id}/translations/en").status_code == 200
    # A version in French exists once French is no longer the default: refused as the default again.
    browser.post(f"/author/courses/{course.id}/language", {"default_language": "en"})
    browser.post(f"/author/courses/{course.id}/translations/fr", {"title": "Titre"})
    refused = browser.post(f"/author/courses/{course.id}/language", {"default_language": "fr"}, follow_redirects=True)
    assert "already has a version in that language" in refused.text
    db.refresh(course)
    assert course.default_language == "en"
    removed = browser.post(f"/author/courses/{course.id}/translations/fr/remove")
    assert removed.status_code == 303 and db.exec(select(CourseTranslation)).all() == []


def test_a_french_reader_sees_french_where_it_exists_and_a_note_elsewhere(db, signed_in, client):
    trainer_browser, trainer = signed_in("trainer")
    course = _course(db, trainer)
    first, second = lessons_of(db, course)
    _translate(db, course, first)
    browser, me = signed_in()

    outline = browser.get(f"/courses/{course.id}", headers=FRENCH)
    assert "Repérer l’hameçonnage" in outline.text and "Premier module" in outline.text
    assert "Les signaux d’alerte" in outline.text
    assert '<a href="/courses/%d/lessons/%d" lang="en">Reporting</a>' % (course.id, second.id) in outline.text

    page = browser.get(f"/courses/{course.id}/lessons/{first.id}", headers=FRENCH)
    assert "Un <em>courriel</em> urgent est suspect." in page.text and "Text of" not in page.text
    assert "not available" not in page.text and "pas encore disponible" not in text(page)

    other = browser.get(f"/courses/{course.id}/lessons/{second.id}", headers=FRENCH)
    assert "Text of <em>Reporting</em>" in other.text
    assert re.search(r'<article class="lesson-body usa-prose" lang="en">', other.text)
    assert re.search(r'<h1 lang="en">Reporting</h1>', other.text)
    note = re.search(r"lesson-language-note.*?</div></div>", other.text, re.S).group(0)
    assert "français" in text(note) or "French" in text(note)

    assert "course-language-note" not in outline.text  # the course itself has a French version
    untranslated = make_course(db, "Spreadsheets")
    assert "course-language-note" in browser.get(f"/courses/{untranslated.id}", headers=FRENCH).text
    # In English (the course's language) nothing is marked and nothing is noted.
    english = browser.get(f"/courses/{course.id}/lessons/{second.id}", headers={"Accept-Language": "en"})
    assert "lesson-language-note" not in english.text and 'lang="en">Reporting' not in english.text


def test_the_persons_setting_beats_the_browser(db, signed_in):
    _, trainer = signed_in("trainer")
    course = _course(db, trainer)
    first = lessons_of(db, course)[0]
    _translate(db, course, first)
    browser, me = signed_in(language="fr")
    page = browser.get(f"/courses/{course.id}/lessons/{first.id}", headers={"Accept-Language": "en"})
    assert "Les signaux d’alerte" in page.text


def test_switching_language_keeps_progress(db, signed_in):
    _, trainer = signed_in("trainer")
    course = _course(db, trainer)
    first, second = lessons_of(db, course)
    _translate(db, course, first)
    browser, me = signed_in()
    browser.post(f"/courses/{course.id}/enrol")
    assert browser.post(f"/courses/{course.id}/lessons/{first.id}/complete", headers=FRENCH).status_code == 303
    english = text(browser.get(f"/courses/{course.id}", headers={"Accept-Language": "en"}))
    french_page = browser.get(f"/courses/{course.id}", headers=FRENCH)
    assert "50% complete" in english
    assert "Red flags" in english and "Les signaux d’alerte" in french_page.text
    assert db.exec(select(LessonProgress.lesson_id).where(LessonProgress.user_id == me.id)).all() == [first.id]
    browser.post(f"/courses/{course.id}/lessons/{second.id}/complete", headers={"Accept-Language": "en"})
    page = text(browser.get(f"/courses/{course.id}", headers=FRENCH))
    assert "100" in page


def test_the_lesson_page_reads_the_versions_in_one_statement(app, db, signed_in):
    _, trainer = signed_in("trainer")
    course = _course(db, trainer)
    first = lessons_of(db, course)[0]
    browser, me = signed_in()
    url = f"/courses/{course.id}/lessons/{first.id}"
    browser.get(url)
    engine = app.state.engine
    with counting(engine) as english:
        browser.get(url, headers={"Accept-Language": "en"})
    with counting(engine) as untranslated:
        browser.get(url, headers=FRENCH)
    _translate(db, course, first)
    with counting(engine) as translated:
        assert "Les signaux" in browser.get(url, headers=FRENCH).text
    assert len(untranslated) == len(english) + 1 == len(translated)
