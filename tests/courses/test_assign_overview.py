"""The manager's overview of assignments in their line: filters, order, CSV export and strict scope."""

from __future__ import annotations


from sqlmodel import select

from courses.models import Enrolment
from tests.courses.factories import make_course
from tests.courses.test_assign_pages import line  # noqa: F401 - pytest fixtures, used as test parameters
from tests.courses.test_my_learning import enrol
from tests.lms.competences.test_team_pages import text
from tests.support.exports import rows_by_identifier


def _setup(db, line):
    """Alice overdue, Bob due soon, Carol completed; a self-enrolment and the outsider's assignment."""
    other = make_course(db, "Writing for the web")
    enrol(db, line.course, line.alice, due_days=-3, status="in_progress", progress=50, by=line.manager)
    enrol(db, line.course, line.bob, due_days=6, by=line.manager)
    enrol(db, other, line.carol, status="completed", by=line.manager)
    enrol(db, other, line.alice, status="in_progress")  # self-enrolled: not an assignment
    enrol(db, line.course, line.outsider, due_days=-10, by=line.manager)
    return other


def test_the_list_shows_the_lines_assignments_overdue_first(db, line):
    _setup(db, line)
    page = line.browser.get("/team/assignments")
    assert page.status_code == 200
    words = text(page)
    assert "Showing 1–3 of 3 assignments" in words
    assert words.index("Alice Able") < words.index("Bob Baker") < words.index("Carol Clark")
    assert "Overdue" in words and "3 days overdue" in words and "Due soon" in words and "Completed" in words
    assert "Oscar Outside" not in words
    assert "Writing for the web" in words  # Carol's, not Alice's self-enrolment
    assert words.count("Writing for the web") == 2  # the row and the course filter option


def test_filters_by_status_course_and_name(db, line):
    other = _setup(db, line)
    cases = {
        "?status=overdue": {"Alice Able"},
        "?status=due_soon": {"Bob Baker"},
        "?status=completed": {"Carol Clark"},
        "?status=not_started": set(),
        f"?course={other.id}": {"Carol Clark"},
        "?q=bak": {"Bob Baker"},
        f"?q=a&course={line.course.id}": {"Alice Able", "Bob Baker"},
    }
    for query, expected in cases.items():
        for headers in ({}, {"HX-Request": "true"}):
            page = line.browser.get("/team/assignments" + query, headers=headers)
            shown = {name for name in ("Alice Able", "Bob Baker", "Carol Clark", "Oscar Outside") if f">{name}</a>" in page.text}
            assert shown == expected, (query, shown)
    empty = text(line.browser.get("/team/assignments?status=not_started"))
    assert "No assignments match these filters" in empty


def test_csv_export_uses_the_filters_and_is_safe_for_spreadsheets(db, line):
    _setup(db, line)
    line.bob.name = '=HYPERLINK("http://evil")'
    db.add(line.bob)
    db.commit()
    response = line.browser.get("/team/assignments.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="team-assignments-')
    assert response.headers["content-type"].startswith("text/csv")
    rows = rows_by_identifier(response)
    assert [r["email"] for r in rows] == [line.alice.email, line.bob.email, line.carol.email]
    assert rows[0]["status"] == "Overdue" and rows[0]["days_overdue"] == "3" and rows[0]["progress_percent"] == "50"
    assert rows[0]["assigned_by"] == "Mona Manager"
    assert rows[1]["person"].startswith("'=")
    overdue = rows_by_identifier(line.browser.get("/team/assignments.csv?status=overdue"))
    assert [r["email"] for r in overdue] == [line.alice.email]
    assert line.outsider.email not in response.text


def test_the_line_only_even_when_the_outsider_has_the_same_course(db, line):
    _setup(db, line)
    for url in (
        "/team/assignments",
        f"/team/assignments?course={line.course.id}",
        "/team/assignments.csv",
        "/team/assignments?q=oscar",
    ):
        response = line.browser.get(url)
        assert "Oscar Outside" not in response.text and line.outsider.email not in response.text
    # The outsider's assignment exists; it is only never shown to this manager.
    assert db.exec(select(Enrolment).where(Enrolment.user_id == line.outsider.id)).one().due_at is not None


def test_an_empty_line_says_how_to_start(signed_in):
    browser, _manager = signed_in("manager")
    words = text(browser.get("/team/assignments"))
    assert "Nobody in your reporting line has an assigned course yet." in words
