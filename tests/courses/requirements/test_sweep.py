"""The daily sweep: a year of days at injected "today"s gives exactly the expected cycles and messages;
a second run on the same day changes nothing; the statements do not grow with the number of people."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from courses.requirements.dates import add_months, end_of
from courses.requirements.models import Exemption, RequirementCycle
from courses.requirements.sweep import requirement_sweep, sweep_job
from lms.jobs.registry import registry
from lms.notifications.models import Outbox
from tests.courses.factories import make_course
from tests.courses.requirements.test_cycles import complete_at, cycles_of, make_requirement
from tests.lms.factories import make_unit
from tests.support.queries import counting

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def outbox(db: Session) -> list[Outbox]:
    return list(db.exec(select(Outbox).order_by(Outbox.id)).all())


def counts(db: Session) -> tuple[int, int]:
    return (
        db.execute(sa_select(func.count()).select_from(RequirementCycle)).scalar_one(),
        db.execute(sa_select(func.count()).select_from(Outbox)).scalar_one(),
    )


def test_a_simulated_year(db, make_user, settings):
    digital, management = make_unit(db, "Digital"), make_unit(db, "Management")
    boss = make_user(org_unit_id=management.id, name="Bea Boss")
    lead = make_user(org_unit_id=management.id, manager_id=boss.id, name="Lee Lead")
    ann = make_user(org_unit_id=digital.id, manager_id=lead.id, name="Ann")
    ben = make_user(org_unit_id=digital.id, manager_id=lead.id, name="Ben")
    phishing_course, privacy_course = make_course(db, "Spotting phishing"), make_course(db, "Data protection basics")
    audience = [{"kind": "org_unit", "org_unit_id": digital.id}]
    phishing = make_requirement(db, [phishing_course], audience=audience, name="Phishing", recurrence="months", every_months=12)
    privacy = make_requirement(
        db, [privacy_course], audience=audience, name="Data protection", recurrence="annual", annual_month=3, annual_day=31
    )
    ann_done = {}
    for offset in range(365):
        today = START + timedelta(days=offset)
        requirement_sweep(db, now=today, settings=settings)
        db.commit()
        if today.date() == date(2026, 1, 15):
            ann_done["phishing"] = complete_at(db, phishing_course, ann, today + timedelta(minutes=30)).completed_at
            ann_done["privacy"] = complete_at(db, privacy_course, ann, today + timedelta(minutes=30)).completed_at
        if today.date() == date(2026, 3, 20):
            complete_at(db, privacy_course, ann, today + timedelta(hours=1))

    first_done = START + timedelta(days=10, minutes=30)
    p1, p2 = cycles_of(db, phishing, ann)
    assert (p1.completed_at, p1.valid_until, p1.outcome) == (first_done, add_months(first_done, 12), "completed")
    assert (p2.opened_at, p2.due_at, p2.completed_at) == (datetime(2027, 1, 2, 9, tzinfo=UTC), p1.valid_until, None)
    d1, d2 = cycles_of(db, privacy, ann)
    assert d1.valid_until == end_of(date(2026, 3, 31))
    assert (d2.opened_at, d2.due_at) == (datetime(2026, 3, 18, 9, tzinfo=UTC), d1.valid_until)
    assert d2.valid_until == end_of(date(2027, 3, 31))  # renewed before the fixed day: no validity lost
    [ben_phishing] = cycles_of(db, phishing, ben)
    [ben_privacy] = cycles_of(db, privacy, ben)
    assert ben_phishing.outcome is None and ben_privacy.outcome is None
    assert cycles_of(db, phishing, lead) == []

    messages = outbox(db)
    by_kind = Counter(m.kind for m in messages)
    overdue_weeks = {
        (START + timedelta(days=n)).isocalendar()[:2]
        for n in range(365)
        if START + timedelta(days=n) > datetime(2026, 2, 11, 9, tzinfo=UTC)
    }
    assert len(overdue_weeks) == 48
    assert by_kind == {
        "assigned": 6,  # Ann twice per requirement (first and renewal), Ben once each
        "due_soon": 4,  # Ben: 14 and 3 days before, per requirement
        "overdue": 2,
        "overdue_weekly": 2 * 48,
        "escalation": 4,  # the line manager (level 1) and their manager (level 2), per requirement
        "expiring": 2,  # Ann, 30 days before each validity ends
    }
    per_person = Counter((m.user_id, m.kind) for m in messages)
    assert per_person[(lead.id, "escalation")] == 2 and per_person[(boss.id, "escalation")] == 2
    assert per_person[(ann.id, "assigned")] == 4 and per_person[(ann.id, "expiring")] == 2
    assert not any(m.user_id == ann.id and m.kind in {"overdue", "due_soon", "overdue_weekly"} for m in messages)
    dates = {(m.user_id, m.kind, m.period): m.created_at.date() for m in messages}
    assert dates[(ben.id, "due_soon", "d14-2026-02-04")] == date(2026, 1, 21)
    assert dates[(ben.id, "due_soon", "d3-2026-02-04")] == date(2026, 2, 1)
    assert dates[(ben.id, "overdue", "2026-02-04")] == date(2026, 2, 5)
    assert dates[(lead.id, "escalation", "l1")] == date(2026, 2, 11)
    assert dates[(boss.id, "escalation", "l2")] == date(2026, 2, 18)
    assert dates[(ann.id, "expiring", "30d-2026-03-31")] == date(2026, 3, 2)
    escalation = next(m for m in messages if m.user_id == lead.id and m.kind == "escalation")
    assert escalation.link == "/team/compliance" and "Ben has not completed" in escalation.body_text
    assigned = next(m for m in messages if m.user_id == ben.id and m.kind == "assigned")
    assert assigned.link == f"/courses/{phishing_course.id}" or assigned.link == f"/courses/{privacy_course.id}"
    assert "4 February 2026" in assigned.body_text and "4 February 2026" in assigned.body_html


def test_a_second_run_on_the_same_day_changes_nothing(db, make_user, settings):
    unit = make_unit(db, "Digital")
    lead = make_user()
    for _ in range(3):
        make_user(org_unit_id=unit.id, manager_id=lead.id)
    course = make_course(db)
    make_requirement(db, [course], audience=[{"kind": "org_subtree", "org_unit_id": unit.id}], recurrence="months", every_months=6)
    first = requirement_sweep(db, now=START, settings=settings)
    db.commit()
    assert (first.opened, first.queued) == (3, 3)
    later = START + timedelta(days=45)
    requirement_sweep(db, now=later, settings=settings)
    db.commit()
    before = counts(db)
    again = requirement_sweep(db, now=later, settings=settings)
    db.commit()
    assert (again.opened, again.renewed, again.left, again.queued) == (0, 0, 0, 0)
    assert counts(db) == before


def test_exempt_and_deactivated_people_get_no_messages(db, make_user, settings):
    exempt, gone = make_user(), make_user()
    course = make_course(db)
    requirement = make_requirement(db, [course], everyone=True)
    db.add(Exemption(requirement_id=requirement.id, user_id=exempt.id, reason="equivalent"))
    db.commit()
    report = requirement_sweep(db, now=START, settings=settings)
    db.commit()
    assert report.opened == 2 and {m.user_id for m in outbox(db)} == {gone.id}
    gone.is_active = False
    db.add(gone)
    db.commit()
    report = requirement_sweep(db, now=START + timedelta(days=40), settings=settings)
    db.commit()
    assert report.left == 1 and report.queued == 0
    [closed] = cycles_of(db, requirement, gone)
    assert closed.outcome == "left"


def test_statements_do_not_grow_with_people(db, make_user, settings, app):
    unit = make_unit(db, "Digital")
    course = make_course(db)
    make_requirement(db, [course], audience=[{"kind": "org_unit", "org_unit_id": unit.id}], recurrence="months", every_months=12)
    make_requirement(db, [course], everyone=True, name="Everyone", recurrence="annual", annual_month=3, annual_day=31)
    engine = app.state.engine

    def sweep_statements(day: datetime) -> tuple[int, int]:
        with counting(engine) as statements:
            requirement_sweep(db, now=day, settings=settings)
            db.commit()
        # Without notify()'s own statements for each message queued (key check, preference, insert, read back).
        queuing = ("WHERE outbox.idempotency_key =", "FROM notification_preference", "INSERT INTO outbox", "WHERE outbox.id =")
        mine = [s for s in statements if not any(marker in s for marker in queuing)]
        return len(mine), len(statements)

    for _ in range(2):
        make_user(org_unit_id=unit.id)
    few_first, _ = sweep_statements(START)
    few_again = sweep_statements(START)
    for _ in range(20):
        make_user(org_unit_id=unit.id)
    many_first, _ = sweep_statements(START + timedelta(days=1))
    many_again = sweep_statements(START + timedelta(days=1))
    assert few_first == many_first
    assert few_again == many_again


def test_the_sweep_is_a_daily_job(db, make_user):
    assert registry.handlers["requirements.sweep"] is sweep_job
    assert registry.periodic["requirements.sweep"] == timedelta(days=1)
    make_user()
    make_requirement(db, [make_course(db)], everyone=True)
    sweep_job(db, {"period": "2026-12-02T00:00:00Z"})
    db.commit()
    assert len(outbox(db)) == 1
