"""My learning: overdue first, then due soon, in progress, not started and completed; then recommendations."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from courses.models import Assignment, AssignmentRule, Enrolment
from lms.clock import utcnow
from lms.people.models import OrgUnit
from tests.conftest import sign_in
from tests.courses.factories import make_course
from tests.lms.competences.factories import load_digcomp, make_profile, record
from tests.lms.competences.test_team_pages import text
from tests.support.queries import counting


def enrol(db, course, user, *, due_days=None, status="enrolled", progress=0, by=None, rule=None, message="", completed_days_ago=None):
    now = utcnow()
    e = Enrolment(
        course_id=course.id,
        user_id=user.id,
        status=status,
        progress_percent=progress,
        source="rule" if rule else ("assigned" if by else "self"),
        due_at=now + timedelta(days=due_days) if due_days is not None else None,
    )
    if status == "completed":
        e.completed_at = now - timedelta(days=completed_days_ago or 1)
        e.progress_percent = 100
    db.add(e)
    db.flush()
    if by or rule:
        db.add(
            Assignment(
                enrolment_id=e.id,
                assigned_by_id=by.id if by else None,
                rule_id=rule.id if rule else None,
                due_at=e.due_at,
                message=message,
            )
        )
    db.commit()
    return e


def test_sections_come_in_order_with_progress_due_dates_and_who_assigned(db, signed_in, make_user):
    browser, me = signed_in(name="Lena Learner")
    boss = make_user("manager", name="Mona Manager")
    courses = {
        name: make_course(db, name)
        for name in ("Overdue course", "Due soon course", "Started course", "Waiting course", "Done course", "Rule course")
    }
    unit = OrgUnit(name="Records")
    db.add(unit)
    db.flush()
    rule = AssignmentRule(course_id=courses["Rule course"].id, org_unit_id=unit.id)
    db.add(rule)
    db.commit()
    enrol(db, courses["Overdue course"], me, due_days=-3, status="in_progress", progress=40, by=boss, message="Needed for the audit")
    enrol(db, courses["Due soon course"], me, due_days=5, by=boss)
    enrol(db, courses["Started course"], me, status="in_progress", progress=60)
    enrol(db, courses["Waiting course"], me, due_days=60, by=boss)
    enrol(db, courses["Done course"], me, status="completed", by=boss)
    enrol(db, courses["Rule course"], me, due_days=90, rule=rule)

    page = browser.get("/learning")
    assert page.status_code == 200
    words = text(page)
    order = [
        "Overdue",
        "Overdue course",
        "Due in the next 14 days",
        "Due soon course",
        "In progress",
        "Started course",
        "Not started yet",
        "Waiting course",
        "Completed",
        "Done course",
    ]
    positions = [words.index(w) for w in order]
    assert positions == sorted(positions), words
    assert "3 days overdue" in words
    assert "Due soon course" in words and "(in 5 days)" in words
    assert "Assigned by Mona Manager: “Needed for the audit”" in words
    assert "You enrolled yourself" in words
    assert words.index("Waiting course") < words.index("Rule course") < words.index("Completed")
    assert "Assigned to your role by your organisation" in words
    assert '<progress id="overdue-progress-' in page.text and 'value="40"' in page.text
    assert 'aria-label="Progress in Overdue course"' in page.text and "40% complete" in words
    assert f'href="/courses/{courses["Overdue course"].id}"' in page.text
    assert "Nothing assigned yet" not in words


def test_completed_shows_the_latest_ten_and_a_link_to_all(db, signed_in):
    browser, me = signed_in()
    for i in range(12):
        enrol(db, make_course(db, f"Finished {i:02d}"), me, status="completed", completed_days_ago=i + 1)
    words = text(browser.get("/learning"))
    assert "Finished 00" in words and "Finished 09" in words and "Finished 10" not in words
    assert words.index("Finished 00") < words.index("Finished 09")
    assert "Show all 12 completed courses" in words
    everything = text(browser.get("/learning/completed"))
    assert "Finished 11" in everything and "12 completed courses, most recent first" in everything


def test_the_empty_state_points_to_the_catalogue(signed_in):
    browser, _me = signed_in()
    page = browser.get("/learning")
    assert "Nothing assigned yet — browse the catalogue" in text(page)
    assert 'href="/courses"' in page.text
    assert browser.get("/").text.count('href="/learning"') >= 2  # the nav and the dashboard


def test_recommendations_close_my_gaps_and_skip_courses_i_already_have(db, signed_in):
    load_digcomp(db)
    profile = make_profile(db)  # 1.1 at 3, 2.1 at 2, 4.2 at 4
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "2.1", 2)  # met
    make_course(db, "Search skills", develops={"1.1": 3}, minutes=45)
    make_course(db, "Too basic search", develops={"1.1": 2})
    make_course(db, "Privacy in practice", develops={"4.2": 5}, minutes=20)
    make_course(db, "Draft privacy", develops={"4.2": 4}, status="draft")
    make_course(db, "Collaboration", develops={"2.1": 4})
    taken = make_course(db, "Privacy essentials", develops={"4.2": 4})
    enrol(db, taken, me, status="in_progress")

    words = text(browser.get("/learning"))
    recommended = words[words.index("Recommended for you") :]
    assert "Search skills" in recommended and "Privacy in practice" in recommended
    for absent in ("Too basic search", "Draft privacy", "Collaboration", "Privacy essentials"):
        assert absent not in recommended
    assert "you are at 0, your role needs 3; the course brings you to 3" in recommended


def _learner_with(db, make_user, boss, n: int, tag: str, profile_id: int):
    learner = make_user(email=f"{tag}@example.gov", job_profile_id=profile_id)
    kinds = [
        dict(due_days=-2, status="in_progress", progress=20),
        dict(due_days=4),
        dict(status="in_progress"),
        dict(),
        dict(status="completed"),
    ]
    for i in range(n):
        enrol(db, make_course(db, f"{tag} course {i}", develops={"1.1": 3 + i % 3}), learner, by=boss, **kinds[i % len(kinds)])
    return learner


def test_my_learning_query_count_does_not_grow_with_enrolments(app, db, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    boss = make_user("manager")
    few = _learner_with(db, make_user, boss, 2, "few", profile.id)
    many = _learner_with(db, make_user, boss, 15, "many", profile.id)
    make_course(db, "Unenrolled search", develops={"1.1": 4})
    counts = []
    for learner in (few, many):
        with TestClient(app, follow_redirects=False) as client:
            assert sign_in(client, learner.email).status_code == 303
            with counting(app.state.engine) as statements:
                page = client.get("/learning")
            assert page.status_code == 200 and "Unenrolled search" in page.text
            counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12
