"""Demo mandatory training: two annual requirements for everyone and a one-off one for content authors,
with a year of history, added to `lms demo` through `hooks.demo_loaders` after the courses.

The history is written directly (set-based inserts of cycles with past dates, not a year of sweeps),
using the same date rules as the sweep (courses/requirements/dates.py), so every standing is what the
sweep and the pages would derive. The spread is deterministic (a fixed seed): most people compliant,
some expiring within 30 days, some overdue and escalated to their manager (with the messages already
sent in the outbox), two exemptions, and a monthly compliance count for each of the last 12 months.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from lms.clock import utcnow
from lms.db import known
from lms.people.models import Role, RoleGrant, User
from lms.people.selectors import user_by_email

from courses.models import Course
from courses.requirements.dates import next_cycle_opens_at, valid_until
from courses.requirements.demo_history import DemoCycle, DemoPlan, outbox_write, snapshots_write
from courses.requirements.models import (
    AudienceKind,
    CycleOutcome,
    Exemption,
    ExemptionReason,
    Recurrence,
    Requirement,
    RequirementAudience,
    RequirementCourse,
    RequirementCycle,
)

ADMIN_EMAIL = "admin@example.gov"
# (name, course title, days since it was set up); annual ones renew 12 months after each completion.
ANNUAL = [
    ("Data protection essentials", "Handling personal data under data-protection law", 400),
    ("Phishing awareness", "Spotting phishing and social engineering", 390),
]
AUTHORS = ("Accessible content", "Writing accessible documents", 150)
RENEW_WINDOW_DAYS, GRACE_DAYS, DUE_DAYS = 30, 14, 30
# What happened to each person on an annual requirement, and how often (the rest: renewed on time).
SHARES = [("late", 0.16), ("expiring", 0.12), ("lapsed", 0.08), ("never", 0.04)]
# Named demo accounts get a fixed story, so the demo's home pages show each case.
FIXED = {
    ("employee@example.gov", "Phishing awareness"): "expiring",
    ("employee@example.gov", "Data protection essentials"): "renewed",
    ("admin@example.gov", "Data protection essentials"): "renewed",
    ("admin@example.gov", "Phishing awareness"): "renewed",
}


def requirements_demo_load(session: Session) -> int:
    """Add the demo requirements and their history (the caller commits). Returns how many were added."""
    admin = user_by_email(session, ADMIN_EMAIL)
    titles = {title for _, title, _ in ANNUAL} | {AUTHORS[1]}
    courses = {c.title: c for c in session.exec(select(Course).where(col(Course.title).in_(titles))).all()}
    if admin is None or set(courses) != titles:  # the demo people or courses are not there
        return 0
    now = utcnow()
    rng = random.Random(2030)
    people = list(session.exec(select(User).where(col(User.is_active).is_(True)).order_by(User.email)).all())
    trainer_ids = set(session.exec(select(RoleGrant.user_id).where(RoleGrant.role == Role.TRAINER.value)).all())
    plans = [_annual(session, rng, now, name, courses[title], age, people, admin) for name, title, age in ANNUAL]
    plans.append(_authors(session, rng, now, courses[AUTHORS[1]], [p for p in people if p.id in trainer_ids], admin))
    _exemptions(session, now, plans, people, admin)
    _insert_cycles(session, plans)
    outbox_write(session, now, plans, {known(p.id): p for p in people})
    snapshots_write(session, now, plans)
    session.flush()
    return len(plans)


def _requirement(
    session: Session, *, name: str, description: str, course: Course, created: datetime, by: User, **rule: object
) -> Requirement:
    requirement = Requirement(
        name=name, description=description, created_by_id=by.id, created_at=created, updated_at=created, grace_days=GRACE_DAYS, **rule
    )
    session.add(requirement)
    session.flush()
    session.add(RequirementCourse(requirement_id=requirement.id, course_id=course.id))
    return requirement


def _annual(
    session: Session, rng: random.Random, now: datetime, name: str, course: Course, age: int, people: Sequence[User], by: User
) -> DemoPlan:
    start = now - timedelta(days=age)
    requirement = _requirement(
        session,
        name=name,
        description=f"Everyone completes {course.title} once a year; renewing up to {RENEW_WINDOW_DAYS} days early loses nothing.",
        course=course,
        created=start,
        by=by,
        everyone=True,
        due_days=DUE_DAYS,
        recurrence=Recurrence.MONTHS.value,
        every_months=12,
        renew_window_days=RENEW_WINDOW_DAYS,
    )
    plan = DemoPlan(requirement, course)
    for person in people:
        story = FIXED.get((person.email, name)) or _pick(rng)
        plan.cycles += _story(rng, now, start, person, story)
    return plan


def _pick(rng: random.Random) -> str:
    roll = rng.random()
    for story, share in SHARES:
        if roll < share:
            return story
        roll -= share
    return "renewed"


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high), hours=rng.randint(8, 17), minutes=rng.randint(0, 59))


def _valid(completed: datetime, previous: datetime | None = None) -> datetime:
    until = valid_until(
        completed_at=completed,
        recurrence=Recurrence.MONTHS.value,
        every_months=12,
        renew_window_days=RENEW_WINDOW_DAYS,
        previous_valid_until=previous,
    )
    assert until is not None  # a monthly recurrence always has an end
    return until


def _story(rng: random.Random, now: datetime, start: datetime, person: User, story: str) -> list[DemoCycle]:
    """One person's cycles on an annual requirement set up at `start` (about 13 months ago)."""
    first = DemoCycle(person, 1, start, start + timedelta(days=DUE_DAYS))
    if story == "never":  # overdue for most of a year: escalated twice
        return [first]
    # Completed early enough in the first year for the validity to end around now (renewal due),
    # or, for late completers, well into the year (still valid, no renewal yet).
    offsets = {"renewed": (3, 36), "lapsed": (3, 22), "expiring": (44, 56), "late": (110, 290)}[story]
    first.completed_at = start + _days(rng, *offsets)
    first.valid_until = _valid(first.completed_at)
    first.ended_at, first.outcome = first.completed_at, CycleOutcome.COMPLETED.value
    if story == "late":
        return [first]
    opens = next_cycle_opens_at(first.valid_until, renew_window_days=RENEW_WINDOW_DAYS, reminder_days=(14, 3))
    second = DemoCycle(person, 2, opens, first.valid_until)
    if story == "renewed":
        second.completed_at = min(opens + _days(rng, 1, 20), now - timedelta(hours=rng.randint(2, 48)))
        second.valid_until = _valid(second.completed_at, first.valid_until)
        second.ended_at, second.outcome = second.completed_at, CycleOutcome.COMPLETED.value
    return [first, second]


def _authors(session: Session, rng: random.Random, now: datetime, course: Course, trainers: Sequence[User], by: User) -> DemoPlan:
    start = now - timedelta(days=AUTHORS[2])
    requirement = _requirement(
        session,
        name=AUTHORS[0],
        description="Everyone who writes course content completes Writing accessible documents once.",
        course=course,
        created=start,
        by=by,
        due_days=60,
        recurrence=Recurrence.NONE.value,
    )
    session.add(RequirementAudience(requirement_id=requirement.id, kind=AudienceKind.ROLE.value, role=Role.TRAINER.value))
    plan = DemoPlan(requirement, course)
    for index, person in enumerate(trainers):
        if index == len(trainers) - 1 and index > 1:  # a new trainer, just given the role: due in six weeks
            opened = now - timedelta(days=18)
            plan.cycles.append(DemoCycle(person, 1, opened, opened + timedelta(days=60)))
        elif index == 1:  # one who never got round to it: overdue and escalated
            plan.cycles.append(DemoCycle(person, 1, start, start + timedelta(days=60)))
        else:
            done = start + _days(rng, 4, 70)
            plan.cycles.append(DemoCycle(person, 1, start, start + timedelta(days=60), done, None, done, CycleOutcome.COMPLETED.value))
    return plan


def _exemptions(session: Session, now: datetime, plans: list[DemoPlan], people: Sequence[User], by: User) -> None:
    """Two people excused, one from each annual requirement: their open cycle ends as exempted."""
    reasons = [
        (ExemptionReason.EQUIVALENT, "Holds a current data-protection practitioner certificate (renewed each spring).", None),
        (ExemptionReason.ADMINISTRATIVE, "On extended leave; the training is due on return.", now + timedelta(days=75)),
    ]
    candidates = [p for p in people if p.email not in {e for e, _ in FIXED} and p.manager_id is not None]
    for plan, person, (reason, note, ends) in zip(plans[:2], candidates[7::40], reasons, strict=False):
        granted = plan.requirement.created_at + timedelta(days=12)
        plan.exempt[known(person.id)] = Exemption(
            requirement_id=plan.requirement.id,
            user_id=person.id,
            reason=reason.value,
            note=note,
            approved_by_id=by.id,
            created_at=granted,
            ends_at=ends,
        )
        mine = [c for c in plan.cycles if c.user.id == person.id]
        plan.cycles = [c for c in plan.cycles if c.user.id != person.id]
        first = mine[0]
        first.completed_at = first.valid_until = None
        first.ended_at, first.outcome = granted, CycleOutcome.EXEMPTED.value
        plan.cycles.append(first)
    session.add_all([e for plan in plans for e in plan.exempt.values()])


def _insert_cycles(session: Session, plans: list[DemoPlan]) -> None:
    rows = [
        {
            "requirement_id": plan.requirement.id,
            "user_id": c.user.id,
            "number": c.number,
            "opened_at": c.opened_at,
            "due_at": c.due_at,
            "grace_until": c.due_at + timedelta(days=plan.requirement.grace_days),
            "completed_at": c.completed_at,
            "course_id": plan.course.id if c.completed_at else None,
            "valid_until": c.valid_until,
            "ended_at": c.ended_at,
            "outcome": c.outcome,
        }
        for plan in plans
        for c in plan.cycles
    ]
    session.execute(insert(RequirementCycle), rows)
    ids = {
        (rid, uid, number): cid
        for cid, rid, uid, number in session.exec(
            select(RequirementCycle.id, RequirementCycle.requirement_id, RequirementCycle.user_id, RequirementCycle.number).where(
                col(RequirementCycle.requirement_id).in_([p.requirement.id for p in plans])
            )
        ).all()
    }
    for plan in plans:
        for c in plan.cycles:
            c.id = ids[(known(plan.requirement.id), known(c.user.id), c.number)]
