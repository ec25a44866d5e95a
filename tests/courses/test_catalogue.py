"""The catalogue: only published courses, search, filters, sort, pagination, the learner's status, htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from courses.models import CourseFeedback
from lms.clock import utcnow
from tests.courses.factories import lessons_of, make_course
from tests.courses.test_learning import TWO_LESSONS, lesson_url
from tests.lms.competences.factories import competence as comp, load_digcomp
from tests.lms.competences.test_skills_pages import text


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="usa-card__heading"><a href="/courses/\d+">([^<]+)</a>', response.text)


@pytest.fixture
def library(db):
    load_digcomp(db)
    now = utcnow()
    return {
        "phishing": make_course(
            db,
            "Recognising phishing",
            summary="Spot fake emails before you click.",
            audience="Everyone with a work mailbox",
            minutes=20,
            develops={"4.2": 3, "4.1": 2},
            published_at=now - timedelta(days=10),
            modules=TWO_LESSONS,
        ),
        "privacy": make_course(
            db,
            "Personal data under data-protection law",
            summary="Handling citizens' records.",
            audience="Caseworkers",
            minutes=90,
            develops={"4.2": 5},
            published_at=now - timedelta(days=1),
            modules=TWO_LESSONS,
        ),
        "sheets": make_course(
            db,
            "Working with shared spreadsheets",
            summary="Formulas, sharing and versions.",
            audience="Analysts and caseworkers",
            minutes=45,
            develops={"1.3": 4},
            published_at=now - timedelta(days=5),
            modules=TWO_LESSONS,
        ),
        "draft": make_course(db, "Unfinished draft about phishing", status="draft", develops={"4.2": 6}, modules=TWO_LESSONS),
    }


def test_only_published_courses_with_what_they_develop_and_how_long(db, signed_in, library):
    browser, me = signed_in()
    response = browser.get("/courses")
    assert response.status_code == 200
    assert titles(response) == ["Personal data under data-protection law", "Recognising phishing", "Working with shared spreadsheets"]
    page = text(response)
    assert "Unfinished draft" not in page
    assert "4.2 Protecting personal data and privacy → level 5" in page
    assert "Takes about 1 h 30 min" in page and "Takes about 20 min" in page
    assert "Spot fake emails before you click." in page


def test_search_by_words_in_title_summary_and_audience(db, signed_in, library):
    browser, me = signed_in()
    assert titles(browser.get("/courses?q=PHISHING")) == ["Recognising phishing"]
    assert titles(browser.get("/courses?q=citizens")) == ["Personal data under data-protection law"]
    assert titles(browser.get("/courses?q=caseworkers")) == [
        "Personal data under data-protection law",
        "Working with shared spreadsheets",
    ]
    assert titles(browser.get("/courses?q=caseworkers+formulas")) == ["Working with shared spreadsheets"]
    assert titles(browser.get("/courses?q=100%25")) == []


def test_filter_by_area_competence_and_level(db, signed_in, library):
    browser, me = signed_in()
    safety_area = comp(db, "4.2").area_id
    assert titles(browser.get(f"/courses?area={safety_area}")) == ["Personal data under data-protection law", "Recognising phishing"]
    c42 = comp(db, "4.2").id
    assert len(titles(browser.get(f"/courses?competence={c42}"))) == 2
    assert titles(browser.get(f"/courses?competence={c42}&level=4")) == ["Personal data under data-protection law"]
    assert titles(browser.get("/courses?level=4")) == ["Personal data under data-protection law", "Working with shared spreadsheets"]
    # Junk in the filters is ignored rather than an error.
    assert len(titles(browser.get("/courses?area=abc&level=99&sort=nonsense"))) == 3
    # Only competences that published courses develop are offered.
    options = browser.get("/courses").text
    assert "Protecting personal data and privacy</option>" in options
    assert "Protecting health and well-being</option>" not in options


def test_sort_orders(db, signed_in, make_user, library):
    browser, me = signed_in()
    assert titles(browser.get("/courses?sort=shortest"))[0] == "Recognising phishing"
    assert titles(browser.get("/courses?sort=newest")) == [
        "Personal data under data-protection law",
        "Working with shared spreadsheets",
        "Recognising phishing",
    ]
    for user_id, course, rating in ((make_user().id, "sheets", 5), (make_user().id, "phishing", 3), (make_user().id, "phishing", 4)):
        db.add(CourseFeedback(course_id=library[course].id, user_id=user_id, rating=rating))
    db.commit()
    rated = browser.get("/courses?sort=rated")
    assert titles(rated) == ["Working with shared spreadsheets", "Recognising phishing", "Personal data under data-protection law"]
    assert "3.5 out of 5 (2 ratings)" in text(rated)


def test_pagination_twelve_per_page(db, signed_in):
    for i in range(14):
        make_course(db, f"Course {i:02d}", modules=())
    browser, me = signed_in()
    first = browser.get("/courses")
    assert len(titles(first)) == 12 and "14 courses" in text(first) and "Page 1 of 2" in text(first)
    assert 'href="/courses?page=2"' in first.text
    second = browser.get("/courses?page=2")
    assert titles(second) == ["Course 12", "Course 13"]
    assert titles(browser.get("/courses?page=9")) == ["Course 12", "Course 13"]
    partial = browser.get("/courses?q=course", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and 'href="/courses?q=course&amp;page=2"' in partial.text


def test_cards_show_the_learners_own_status(db, signed_in, library):
    browser, me = signed_in()
    started = make_course(db, "Started course", modules=(("a", "b", "c", "d", "e"),))
    lessons = lessons_of(db, started)
    finished = make_course(db, "Finished course", modules=(("only",),))
    finished_lessons = lessons_of(db, finished)
    browser.post(f"/courses/{library['sheets'].id}/enrol")
    browser.post(lesson_url(lessons[0]) + "/complete")
    browser.post(lesson_url(lessons[1]) + "/complete")
    browser.post(lesson_url(finished_lessons[0]) + "/complete")
    page = text(browser.get("/courses"))
    assert "Working with shared spreadsheets" in page and "Your status Enrolled" in page
    assert "Your status 40% complete" in page and "Your status Completed" in page
    assert page.count("Your status") == 3


def test_htmx_gets_only_the_results_block(db, signed_in, library):
    browser, me = signed_in()
    response = browser.get("/courses?q=phishing", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and response.text.lstrip().startswith('<div id="catalogue-results"')
    assert titles(response) == ["Recognising phishing"]
    form = browser.get("/courses").text
    assert 'hx-get="/courses"' in form and 'hx-push-url="true"' in form and 'hx-target="#catalogue-results"' in form


def test_empty_states(db, signed_in, library):
    browser, me = signed_in()
    page = browser.get("/courses?q=astronomy")
    assert "No courses match your search" in text(page) and '<a href="/courses">clear filters</a>' in page.text


def test_empty_catalogue_says_what_happens_next(db, signed_in):
    browser, me = signed_in()
    assert "There are no courses yet" in text(browser.get("/courses"))
