"""Home page panels: the employee's own mandatory training, and the manager's line; fixed query counts."""

from __future__ import annotations

from datetime import timedelta

from courses.compliance.panels import compliance_home_panels, line_attention, my_requirements
from courses.requirements.status import Status
from lms.clock import utcnow
from lms.people.models import Role
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course
from tests.support.queries import counting

DAY = timedelta(days=1)


def test_employee_panel_lists_what_is_due_most_urgent_first(db, signed_in):
    browser, me = signed_in()
    now = utcnow()
    course = make_course(db, "Data protection basics")
    first, second, done = (
        make_requirement(db, "Data protection", courses=[course]),
        make_requirement(db, "Phishing", courses=[course, make_course(db, "Phishing two")]),
        make_requirement(db, "Accessibility"),
    )
    make_cycle(db, first, me, opened_at=now - 5 * DAY, due_at=now + 40 * DAY)
    make_cycle(db, second, me, opened_at=now - 50 * DAY, due_at=now - 2 * DAY)
    make_cycle(db, done, me, opened_at=now - 50 * DAY, due_at=now - 20 * DAY, completed_at=now - 30 * DAY)

    todo, held = my_requirements(db, me, now)
    assert held == 3
    assert [(t.requirement, t.standing.status, t.link) for t in todo] == [
        ("Phishing", Status.OVERDUE, "/learning"),
        ("Data protection", Status.NOT_STARTED, f"/courses/{course.id}"),
    ]
    html = browser.get("/").text
    assert "Mandatory training" in html and "Choose a course for Phishing" in html
    assert f'href="/courses/{course.id}">Data protection</a>' in html


def test_employee_panel_all_current_and_absent_without_requirements(db, signed_in, make_user):
    browser, me = signed_in()
    assert "Mandatory training" not in browser.get("/").text
    now = utcnow()
    req = make_requirement(db)
    make_cycle(db, req, me, opened_at=now - 50 * DAY, due_at=now - 20 * DAY, completed_at=now - 30 * DAY, valid_until=now + 200 * DAY)
    assert "All your mandatory training is current." in browser.get("/").text


def test_manager_panel_counts_late_and_expiring_people(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    now = utcnow()
    req, other = make_requirement(db, "Data protection"), make_requirement(db, "Phishing")
    late = make_user(name="Lee Late", manager_id=manager.id)
    lapsing = make_user(name="Lou Lapsing", manager_id=manager.id)
    away = make_user(name="Ali Away", manager_id=make_user("manager").id)
    for person in (late, away):
        make_cycle(db, req, person, opened_at=now - 50 * DAY, due_at=now - 2 * DAY)
    make_cycle(db, other, late, opened_at=now - 50 * DAY, due_at=now - 2 * DAY)
    make_cycle(
        db, req, lapsing, opened_at=now - 400 * DAY, due_at=now - 370 * DAY, completed_at=now - 350 * DAY, valid_until=now + 10 * DAY
    )
    # Archived: kept on record, but nobody is chased for it.
    make_cycle(db, make_requirement(db, "Old rule", archived_at=now), lapsing, opened_at=now - 50 * DAY, due_at=now - 2 * DAY)

    line = line_attention(db, manager, now)
    assert [(p.name, n) for p, n in line.late] == [("Lee Late", 2)]
    assert (line.late_total, line.expiring) == (1, 1)
    html = browser.get("/").text
    assert "Mandatory training in your team" in html and "Lee Late</a>: 2 overdue" in html and "Ali Away" not in html
    assert "1 more person has training that expires within 30 days" in html
    assert 'href="/team/compliance?status=overdue"' in html


def test_manager_panel_when_nobody_is_late(db, signed_in):
    browser, _manager = signed_in("manager")
    html = browser.get("/").text
    assert "Nobody in your team is overdue on mandatory training." in html and 'href="/team/compliance"' in html


def test_panels_take_a_fixed_number_of_queries(db, make_user):
    manager = make_user("manager")
    now = utcnow()
    req = make_requirement(db, courses=[make_course(db)])

    def add(n):
        for _ in range(n):
            person = make_user(manager_id=manager.id)
            make_cycle(db, req, person, opened_at=now - 50 * DAY, due_at=now - 2 * DAY)
        make_cycle(db, req, manager, number=n, opened_at=now - DAY, due_at=now + DAY) if n == 1 else None

    roles = frozenset({Role.MANAGER.value})
    add(1)
    with counting(db.get_bind()) as few:
        compliance_home_panels(db, manager, roles, now)
    add(8)
    with counting(db.get_bind()) as many:
        panels = compliance_home_panels(db, manager, roles, now)
    assert len(few) == len(many) <= 6  # the sixth reads the data version the line's figures are kept by
    assert panels[1].context["line"].late_total == 9
