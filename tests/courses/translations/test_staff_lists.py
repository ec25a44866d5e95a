"""Trainers' and administrators' lists name a course in the reader's language: the certificates list and
its revocation page, assignment rules, requirements (list, page, form), a person's compliance cell, the
employee's mandatory-training panel and the trainer's quiz flags; the original title, marked with its
lang, where a course has no version in theirs. Both engines, through HTTP, with no statement more."""

from __future__ import annotations

import re
from datetime import timedelta

from courses.models import AssignmentRule, Course, CourseTranslation, Enrolment, LessonTranslation
from lms.clock import utcnow
from lms.people.models import OrgUnit
from tests.assessments.factories import quiz_lesson, quiz_of, single_choice
from tests.courses.certificates.factories import complete_course
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course
from tests.lms.test_home_pages import submitted_attempts
from tests.support.exports import rows_by_identifier
from tests.support.queries import counting
from tests.conftest import sign_in

TRANSLATED = "Repérer l’hameçonnage"


def in_french(db, course: Course, title: str = TRANSLATED) -> None:
    db.add(CourseTranslation(course_id=course.id, language="fr", title=title, summary=""))
    db.commit()


def two_courses(db) -> tuple[Course, Course]:
    translated, untranslated = make_course(db, "Spotting phishing"), make_course(db, "Data basics")
    in_french(db, translated)
    return translated, untranslated


def clean(html: str) -> str:
    return html.replace("&#39;", "’").replace("&rsquo;", "’")


def test_the_certificates_list_and_revocation_page_name_the_course_in_french(db, signed_in, make_user):
    translated, untranslated = two_courses(db)
    learner = make_user()
    complete_course(db, learner, translated)
    complete_course(db, learner, untranslated)
    browser, _admin = signed_in("admin", language="fr")
    page = clean(browser.get("/admin/certificates").text)
    assert f"<td>{TRANSLATED}</td>" in page and '<td lang="en">Data basics</td>' in page
    assert "Spotting phishing" not in page
    revoke = re.search(r'href="(/admin/certificates/\d+/revoke)"', page)
    assert revoke
    confirm = clean(browser.get(revoke.group(1)).text)
    assert f"<dd>{TRANSLATED}</dd>" in confirm or '<dd lang="en">Data basics</dd>' in confirm


def test_the_certificates_list_in_english_shows_the_original_unmarked(db, signed_in, make_user):
    translated, _untranslated = two_courses(db)
    complete_course(db, make_user(), translated)
    browser, _admin = signed_in("admin", language="en")
    page = browser.get("/admin/certificates").text
    assert "<td>Spotting phishing</td>" in page and "hameçonnage" not in page


def test_assignment_rules_name_the_course_in_french(db, signed_in):
    translated, untranslated = two_courses(db)
    unit = OrgUnit(name="Information Governance")
    db.add(unit)
    db.commit()
    for course in (translated, untranslated):
        db.add(AssignmentRule(course_id=course.id, org_unit_id=unit.id))
    db.commit()
    browser, _admin = signed_in("admin", language="fr")
    page = clean(browser.get("/admin/assignment-rules").text)
    assert f'<a href="/courses/{translated.id}">{TRANSLATED}</a>' in page
    assert f'<a href="/courses/{untranslated.id}"><span lang="en">Data basics</span></a>' in page
    assert "Spotting phishing" not in page


def test_requirement_pages_name_their_courses_in_french(db, signed_in):
    translated, untranslated = two_courses(db)
    requirement = make_requirement(db, "Protection des données", courses=[translated, untranslated])
    browser, _admin = signed_in("admin", language="fr")
    listed = clean(browser.get("/admin/requirements").text)
    assert f'<span lang="en">Data basics</span>, {TRANSLATED}' in listed and "Spotting phishing" not in listed
    detail = clean(browser.get(f"/admin/requirements/{requirement.id}").text)
    assert f'<a href="/courses/{translated.id}">{TRANSLATED}</a>' in detail
    assert f'<a href="/courses/{untranslated.id}"><span lang="en">Data basics</span></a>' in detail
    form = clean(browser.get(f"/admin/requirements/{requirement.id}/edit").text)
    assert f'for="course_ids-{translated.id}">{TRANSLATED}</label>' in form
    assert f'for="course_ids-{untranslated.id}"><span lang="en">Data basics</span></label>' in form


def test_the_requirements_list_sends_no_statement_more_in_french(app, db, signed_in):
    for n in range(3):
        course = make_course(db, f"Course {n}")
        in_french(db, course, f"Formation {n}")
        make_requirement(db, f"Requirement {n}", courses=[course])
    browser, admin = signed_in("admin", language="en")
    counts = {}
    for language in ("en", "fr"):
        admin.language = language
        db.add(admin)
        db.commit()
        browser.get("/admin/requirements")
        with counting(app.state.engine) as statements:
            page = browser.get("/admin/requirements").text
        assert ("Formation 0" in page) == (language == "fr")
        counts[language] = len(statements)
    assert counts["en"] == counts["fr"], counts


def test_a_compliance_cell_and_the_employees_panel_name_the_course_in_french(db, signed_in, make_user):
    translated, untranslated = two_courses(db)
    requirement = make_requirement(db, "Sécurité", courses=[translated, untranslated])
    single = make_requirement(db, "Hameçonnage", courses=[translated])
    browser, manager = signed_in("manager", language="fr")
    person = make_user(name="Léa Lefèvre", manager_id=manager.id, language="fr")
    for each, late in ((requirement, 30), (single, 40)):  # the single course's is the most urgent: the panel's button
        make_cycle(db, each, person, opened_at=utcnow() - timedelta(days=60), due_at=utcnow() - timedelta(days=late))
    cell = clean(browser.get(f"/team/compliance/{person.id}/{requirement.id}").text)
    assert f'<a href="/courses/{translated.id}">{TRANSLATED}</a>' in cell
    assert f'<a href="/courses/{untranslated.id}"><span lang="en">Data basics</span></a>' in cell

    assert sign_in(browser.client, person.email).status_code == 303
    home = clean(browser.get("/").text)
    assert f'<a class="usa-button" href="/courses/{translated.id}">' in home
    assert TRANSLATED in home and "Spotting phishing" not in home


def test_the_trainers_quiz_flags_name_course_and_quiz_in_french(db, signed_in, make_user):
    browser, trainer = signed_in("trainer", language="fr")
    quiz, questions = quiz_of(db, [single_choice("Nobody gets this")], editors=[trainer])
    lesson = quiz_lesson(db, quiz)
    course = db.get(Course, lesson.course_id)
    in_french(db, course, "Formation traduite")
    db.add(LessonTranslation(lesson_id=lesson.id, language="fr", title="Quiz traduit", body_markdown="", body_html=""))
    db.commit()
    submitted_attempts(db, quiz, make_user(), questions, [0.0], 5)
    home = clean(browser.get("/").text)
    assert "Formation traduite" in home and "Quiz traduit" in home
    assert course.title not in home


def test_the_teams_assignments_download_and_course_filter_name_courses_in_french(db, signed_in, make_user):
    translated, untranslated = two_courses(db)
    browser, manager = signed_in("manager", language="fr")
    person = make_user(name="Léa Lefèvre", manager_id=manager.id)
    for course in (translated, untranslated):
        db.add(Enrolment(user_id=person.id, course_id=course.id, source="assigned"))
    db.commit()
    rows = rows_by_identifier(browser.get("/team/assignments.csv"), "fr")
    assert sorted(r["course"] for r in rows) == ["Data basics", TRANSLATED]
    page = clean(browser.get("/team/assignments").text)
    assert f">{TRANSLATED}</option>" in page and "Spotting phishing" not in page  # the course filter
