"""The catalogue runs a fixed number of SQL statements, however many courses a page shows."""

from __future__ import annotations


from tests.courses.factories import lessons_of, make_course
from tests.courses.test_catalogue import titles
from tests.courses.test_learning import TWO_LESSONS, lesson_url
from tests.lms.competences.factories import load_digcomp
from tests.support.queries import counting


def _count(app, browser, url: str) -> tuple[int, int]:
    with counting(app.state.engine) as statements:
        response = browser.get(url)
    assert response.status_code == 200
    return len(statements), len(titles(response))


def test_catalogue_query_count_does_not_grow_with_courses(app, db, signed_in):
    load_digcomp(db)
    browser, me = signed_in()
    for i in range(3):
        course = make_course(db, f"Small {i}", develops={"4.2": 3, "1.1": 2}, modules=TWO_LESSONS)
        lessons = lessons_of(db, course)
        browser.post(lesson_url(lessons[0]) + "/complete")
    few, shown_few = _count(app, browser, "/courses?q=small")
    for i in range(12):
        course = make_course(db, f"Large {i}", develops={"4.2": 4, "1.3": 2, "2.1": 1}, modules=TWO_LESSONS)
        lessons = lessons_of(db, course)
        browser.post(lesson_url(lessons[0]) + "/complete")
    many, shown_many = _count(app, browser, "/courses?q=large")
    assert (shown_few, shown_many) == (3, 12)
    assert few == many, f"{few} statements for 3 courses, {many} for 12"
    assert many <= 12
    rated, _ = _count(app, browser, "/courses?q=large&sort=rated")
    assert rated == many
