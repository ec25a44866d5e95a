"""The translation forms' other parts: module titles, quiz lessons, refused input, the image rules."""

from __future__ import annotations

from sqlmodel import select

from courses.models import LessonTranslation, Module, ModuleTranslation
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.test_skills_pages import text


def test_a_module_title_in_french_shows_to_french_readers(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, "Spotting phishing", editors=[trainer], modules=(("Red flags",),))
    module = db.exec(select(Module).where(Module.course_id == course.id)).one()
    url = f"/author/courses/{course.id}/translations/fr/modules/{module.id}"
    form = browser.get(url)
    assert form.status_code == 200 and "Module 1" in form.text
    refused = browser.post(url, {"title": "   "})
    assert refused.status_code == 422 and "Enter the title in this language." in text(refused)
    too_long = browser.post(url, {"title": "x" * 201})
    assert too_long.status_code == 422 and "200 characters or fewer" in text(too_long)
    assert browser.post(url, {"title": "Les  signaux"}).status_code == 303
    assert db.get(ModuleTranslation, (module.id, "fr")).title == "Les signaux"  # white space tidied
    assert "Les signaux" in browser.get(url).text  # the form shows what is saved
    # A module of another course is not found under this one.
    other = make_course(db, "Other", editors=[trainer])
    assert browser.get(f"/author/courses/{other.id}/translations/fr/modules/{module.id}").status_code == 404
    reader, _ = signed_in(language="fr")
    assert "<h3>Les signaux</h3>" in reader.get(f"/courses/{course.id}").text


def test_a_quiz_lessons_version_is_its_title_only(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, "Spotting phishing", editors=[trainer], modules=(("Read", "Check yourself"),))
    quiz = lessons_of(db, course)[1]
    quiz.kind = "quiz"
    db.add(quiz)
    db.commit()
    url = f"/author/courses/{course.id}/translations/fr/lessons/{quiz.id}"
    form = browser.get(url)
    assert "only its title is translated" in form.text and 'name="body_markdown"' not in form.text
    assert browser.post(url, {"title": "Vérifiez-vous", "body_markdown": "ignored"}).status_code == 303
    row = db.get(LessonTranslation, (quiz.id, "fr"))
    assert row.title == "Vérifiez-vous" and row.body_markdown == ""
    reader, _ = signed_in(language="fr")
    page = reader.get(f"/courses/{course.id}/lessons/{quiz.id}")
    assert "<h1>Vérifiez-vous</h1>" in page.text and "lesson-language-note" not in page.text


def test_a_version_follows_the_originals_rules_for_images_and_length(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, "Spotting phishing", editors=[trainer], summary="Short.")
    lesson = lessons_of(db, course)[0]
    url = f"/author/courses/{course.id}/translations/fr/lessons/{lesson.id}"
    foreign = browser.post(url, {"title": "Titre", "body_markdown": "![x](/courses/999999/files/1)"})
    assert foreign.status_code == 422 and 'id="body_markdown-error"' in foreign.text
    assert db.get(LessonTranslation, (lesson.id, "fr")) is None
    long_summary = browser.post(f"/author/courses/{course.id}/translations/fr", {"title": "Titre", "summary": "x" * 10_001})
    assert long_summary.status_code == 422 and "10,000 characters" in text(long_summary)
    long_body = browser.post(url, {"title": "Titre", "body_markdown": "x" * 100_001})
    assert long_body.status_code == 422 and "too long" in text(long_body)


def test_an_unsupported_default_language_is_refused(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, "Spotting phishing", editors=[trainer])
    refused = browser.post(f"/author/courses/{course.id}/language", {"default_language": "xx"}, follow_redirects=True)
    assert "Choose one of the languages Proficio supports." in refused.text
    same = browser.post(f"/author/courses/{course.id}/language", {"default_language": "en"}, follow_redirects=True)
    assert same.status_code == 200 and "is now written in" not in same.text
    db.refresh(course)
    assert course.default_language == "en"


def test_deleting_a_lesson_or_module_deletes_its_versions(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, "Spotting phishing", editors=[trainer], status="draft", modules=(("Red flags", "Reporting"),))
    first, second = lessons_of(db, course)
    module = db.exec(select(Module).where(Module.course_id == course.id)).one()
    for lesson in (first, second):
        browser.post(f"/author/courses/{course.id}/translations/fr/lessons/{lesson.id}", {"title": "Titre", "body_markdown": "Texte."})
    browser.post(f"/author/courses/{course.id}/translations/fr/modules/{module.id}", {"title": "Module"})
    assert browser.post(f"/author/courses/{course.id}/lessons/{first.id}/delete").status_code == 303
    db.expire_all()
    assert [row.lesson_id for row in db.exec(select(LessonTranslation)).all()] == [second.id]
    assert browser.post(f"/author/courses/{course.id}/modules/{module.id}/delete").status_code == 303
    db.expire_all()
    assert db.exec(select(LessonTranslation)).all() == [] and db.exec(select(ModuleTranslation)).all() == []
