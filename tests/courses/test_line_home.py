"""A manager's home panels over their line (overdue courses, late mandatory training) are kept per manager
(courses/line_home.py): counted once while nothing they come from changes, recounted after a write, and
never kept past a minute, since a due date passing changes them with no write at all."""

from __future__ import annotations

from datetime import timedelta

from courses.line_home import MAX_AGE, kept_for_manager
from courses.models import Enrolment
from lms.clock import utcnow
from tests.courses.factories import make_course
from tests.lms.competences.factories import load_digcomp, make_profile
from tests.lms.competences.test_team_pages import text
from tests.support.queries import counting


def _line_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "enrolment" in s.lower() and "count(distinct" in s.lower()]


def test_the_overdue_panel_is_counted_once_until_a_write_moves_it(app, db, signed_in, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    browser, me = signed_in("manager")
    course = make_course(db, "Spotting phishing", develops={"1.1": 3})
    now = utcnow()

    def report(name: str) -> None:
        person = make_user(name=name, manager_id=me.id, job_profile_id=profile.id)
        db.add(Enrolment(course_id=course.id, user_id=person.id, source="assigned", due_at=now - timedelta(days=2)))
        db.commit()

    report("Olu Overdue")
    assert "1 person has 1 overdue course" in text(browser.get("/"))
    with counting(app.state.engine) as statements:
        assert "1 person has 1 overdue course" in text(browser.get("/"))
    assert not _line_statements(statements), "the line was counted again with nothing changed"
    report("Late Person")
    with counting(app.state.engine) as statements:
        assert "2 people have 2 overdue courses" in text(browser.get("/"))
    assert _line_statements(statements)


def test_kept_figures_age_out_after_a_minute_and_are_per_manager(db, make_user):
    first, second = make_user(name="First"), make_user(name="Second")
    now = utcnow()
    calls: list[int] = []

    def count(manager_id: int) -> int:
        calls.append(manager_id)
        return len(calls)

    assert kept_for_manager(db, "test", first.id, now, lambda: count(first.id)) == 1
    assert kept_for_manager(db, "test", first.id, now + timedelta(seconds=5), lambda: count(first.id)) == 1
    assert kept_for_manager(db, "test", second.id, now, lambda: count(second.id)) == 2
    assert kept_for_manager(db, "test", first.id, now + MAX_AGE, lambda: count(first.id)) == 3
    assert calls == [first.id, second.id, first.id]
