"""`lms demo` brings mandatory training with a year of history: a realistic spread, messages and a trend."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import func, select

from courses.compliance.models import ComplianceSnapshotCell
from courses.compliance.selectors import standings
from courses.models import Course
from courses.requirements.demo import requirements_demo_load
from courses.requirements.sweep import requirement_sweep
from courses.requirements.models import Exemption, Requirement, RequirementCycle
from courses.requirements.status import COMPLIANT_STATUSES, Status
from lms.clock import utcnow
from lms.notifications.models import Outbox, OutboxState
from lms.people.models import Role, RoleGrant
from lms.people.selectors import user_by_email


@pytest.mark.demo
def test_demo_requirements_have_a_realistic_spread(db):
    now = utcnow()
    requirements = {r.name: r for r in db.exec(select(Requirement)).all()}
    assert set(requirements) == {"Data protection essentials", "Phishing awareness", "Accessible content"}
    found = standings(db, now=now)
    assert db.exec(select(func.count()).select_from(RequirementCycle)).one() > 200

    for name in ("Data protection essentials", "Phishing awareness"):
        rid = requirements[name].id
        mine = [s for (_, r), s in found.items() if r == rid]
        statuses = Counter(s.status for s in mine)
        assert len(mine) > 100  # everyone
        assert sum(statuses[s] for s in COMPLIANT_STATUSES) > len(mine) * 0.7, statuses
        assert sum(1 for s in mine if s.status is Status.EXPIRING and s.within_days == 30) >= 3, statuses
        assert statuses[Status.EXPIRED] + statuses[Status.OVERDUE] >= 3, statuses
        assert statuses[Status.EXEMPT] == 1

    # The one-off requirement reaches the content authors only.
    authors = [u for (u, r) in found if r == requirements["Accessible content"].id]
    trainers = set(db.exec(select(RoleGrant.user_id).where(RoleGrant.role == Role.TRAINER.value)).all())
    assert authors and set(authors) <= trainers
    assert requirements["Accessible content"].recurrence == "none"

    assert len(db.exec(select(Exemption)).all()) == 2

    # The employee's phishing renewal is coming up, so their home page has something to do.
    employee = user_by_email(db, "employee@example.gov")
    phishing = found[(employee.id, requirements["Phishing awareness"].id)]
    assert phishing.status is Status.EXPIRING and phishing.within_days == 30


@pytest.mark.demo
def test_demo_has_sent_messages_and_a_year_of_snapshots(db):
    now = utcnow()
    kinds = Counter(db.exec(select(Outbox.kind).where(Outbox.state == OutboxState.SENT.value)).all())
    assert kinds["overdue"] >= 3 and kinds["escalation"] >= 3 and kinds["expiring"] >= 3
    assert db.exec(select(func.max(Outbox.sent_at)).where(Outbox.state == OutboxState.SENT.value)).one() < now
    # Escalations go to the person's line manager.
    escalated = db.exec(select(Outbox).where(Outbox.kind == "escalation", Outbox.period == "l1")).first()
    cycle = db.get(RequirementCycle, int(escalated.object_ref.split(":")[1]))
    grant = db.exec(select(RoleGrant).where(RoleGrant.user_id == escalated.user_id, RoleGrant.role == Role.MANAGER.value)).first()
    assert grant is not None and cycle.user_id != escalated.user_id

    periods = db.exec(select(ComplianceSnapshotCell.period).distinct().order_by(ComplianceSnapshotCell.period)).all()
    assert len(periods) == 12 and periods[-1] < f"{now:%Y-%m}"
    totals = db.exec(
        select(func.sum(ComplianceSnapshotCell.people), func.sum(ComplianceSnapshotCell.compliant)).where(
            ComplianceSnapshotCell.period == periods[-1]
        )
    ).one()
    assert 0.6 < totals[1] / totals[0] < 1


@pytest.mark.demo
def test_demo_requirements_need_the_demo_courses(db):
    # Without its courses (a catalogue changed since) it adds nothing rather than failing the demo.
    before = db.exec(select(func.count()).select_from(Requirement)).one()
    for course in db.exec(select(Course).where(Course.title == "Writing accessible documents")).all():
        course.title = "Renamed"
        db.add(course)
    db.flush()
    assert requirements_demo_load(db) == 0
    assert db.exec(select(func.count()).select_from(Requirement)).one() == before


@pytest.mark.demo
def test_the_first_sweep_after_the_demo_finds_its_history_complete(db):
    # The demo wrote cycles and messages as the sweep would have: nothing to open, nobody to tell again.
    report = requirement_sweep(db, now=utcnow())
    assert (report.opened, report.renewed, report.left) == (0, 0, 0)
    assert not {k: n for k, n in report.messages.items() if k in {"assigned", "overdue", "escalation", "expiring"} and n}
