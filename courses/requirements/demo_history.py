"""The demo's mandatory-training history beyond the cycles: the messages the sweep would have sent
(already sent, with the sweep's own keys, so its first run after `lms demo` has nothing to add) and the
monthly compliance counts the snapshot job would have taken. Used by courses/requirements/demo.py."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from lms.db import known
from lms.notifications.models import Delivery, Outbox, OutboxState
from lms.people.models import User

from courses.compliance.models import ComplianceSnapshotCell
from courses.models import Course
from courses.requirements.dates import add_months
from courses.requirements.models import Exemption, Requirement

ESCALATION_DAYS = 7  # the ESCALATION_DAYS setting's default


@dataclass
class DemoCycle:
    user: User
    number: int
    opened_at: datetime
    due_at: datetime
    completed_at: datetime | None = None
    valid_until: datetime | None = None
    ended_at: datetime | None = None
    outcome: str | None = None
    id: int | None = None


@dataclass
class DemoPlan:
    requirement: Requirement
    course: Course
    cycles: list[DemoCycle] = field(default_factory=list)
    exempt: dict[int, Exemption] = field(default_factory=dict)


def outbox_write(session: Session, now: datetime, plans: list[DemoPlan], by_id: dict[int, User]) -> None:
    """The messages the sweep would have sent for this history, already sent, so the pages show them."""
    rows: list[dict[str, object]] = []

    def sent(to: User, cycle: DemoCycle, link: str, kind: str, period: str, at: datetime, subject: str, text: str) -> None:
        if at >= now:
            return
        rows.append(
            {
                "user_id": to.id,
                "kind": kind,
                "object_ref": f"cycle:{cycle.id}",
                "period": period,
                "idempotency_key": f"{to.id}:{kind}:cycle:{cycle.id}:{period}",
                "subject": subject,
                "body_text": f"Hello {to.name},\n\n{text}\n",
                "body_html": f"<p>Hello {html.escape(to.name)},</p>\n<p>{html.escape(text)}</p>\n",
                "link": link,
                "delivery": Delivery.IMMEDIATE.value,
                "state": OutboxState.SENT.value,
                "attempts": 1,
                "next_attempt_at": at,
                "last_error": "",
                "created_at": at,
                "sent_at": at + timedelta(seconds=40),
            }
        )

    for plan in plans:
        name, link = plan.requirement.name, f"/courses/{plan.course.id}"
        latest = {c.user.id: c for c in sorted(plan.cycles, key=lambda c: c.number)}
        by_number = {(c.user.id, c.number): c for c in plan.cycles}
        for cycle in latest.values():
            if cycle.ended_at is not None:
                continue
            person, due, day = cycle.user, cycle.due_at, f"{cycle.due_at:%-d %B %Y}"
            what = (person, cycle, link)
            sent(
                *what,
                "assigned",
                f"{cycle.opened_at:%Y-%m-%d}",
                cycle.opened_at + timedelta(hours=1),
                f"Mandatory training: {name}, due {day}",
                f"You need to complete {name} by {day}.",
            )
            renewed = by_number.get((person.id, cycle.number - 1))
            if renewed is not None and renewed.valid_until is not None:  # warned 30 days before its validity ended
                until = renewed.valid_until
                sent(
                    person,
                    renewed,
                    link,
                    "expiring",
                    f"30d-{until:%Y-%m-%d}",
                    until - timedelta(days=30),
                    f"{name} expires on {until:%-d %B %Y}",
                    f"Your {name} training expires on {until:%-d %B %Y}. Renewing early loses nothing.",
                )
            if due > now:
                for days in (14, 3):
                    if due - timedelta(days=days) <= now and due - cycle.opened_at > timedelta(days=days):
                        sent(
                            *what,
                            "due_soon",
                            f"d{days}-{due:%Y-%m-%d}",
                            due - timedelta(days=days),
                            f"Reminder: {name} is due on {day}",
                            f"Your mandatory training {name} is due on {day}.",
                        )
                continue
            sent(
                *what,
                "overdue",
                f"{due:%Y-%m-%d}",
                due + timedelta(hours=7),
                f"Overdue: {name} was due on {day}",
                f"Your mandatory training {name} was due on {day} and is not done yet.",
            )
            weeks = [due + timedelta(weeks=n, hours=7) for n in range(1, (now - due).days // 7 + 1)]
            for at in {
                f"{w.isocalendar().year}-W{w.isocalendar().week:02d}": w
                for w in [*weeks, now - timedelta(minutes=5)]
                if w > due + timedelta(days=7)
            }.values():
                iso = at.isocalendar()
                sent(
                    *what,
                    "overdue_weekly",
                    f"{iso.year}-W{iso.week:02d}",
                    at,
                    f"Still overdue: {name}",
                    f"Your mandatory training {name} is still overdue (it was due on {day}).",
                )
            manager = by_id.get(person.manager_id) if person.manager_id else None
            grace_end = due + timedelta(days=plan.requirement.grace_days)
            for level in (1, 2):
                if manager is None:
                    break
                sent(
                    manager,
                    cycle,
                    "/team/compliance",
                    "escalation",
                    f"l{level}",
                    grace_end + timedelta(days=ESCALATION_DAYS * level, hours=7),
                    f"{person.name}'s {name} is overdue",
                    f"{person.name} in your reporting line has not completed {name}, due on {day}.",
                )
                manager = by_id.get(manager.manager_id) if manager.manager_id else None
    if rows:
        session.execute(insert(Outbox), rows)


def month_ends(now: datetime, months: int = 12) -> list[tuple[str, datetime]]:
    """The last `months` whole months before this one: ("2026-11", the instant it ended)."""
    this_month = datetime(now.year, now.month, 1, tzinfo=UTC)
    return [(f"{add_months(this_month, -n):%Y-%m}", add_months(this_month, 1 - n)) for n in range(months, 0, -1)]


def snapshots_write(session: Session, now: datetime, plans: list[DemoPlan]) -> None:
    """Monthly counts per own org unit, as the snapshot job would have taken them at each month's end."""
    rows = []
    for period, end in month_ends(now):
        for plan in plans:
            if plan.requirement.created_at >= end:
                continue
            unit_of: dict[int, int] = {}
            valid: set[int] = set()
            for cycle in plan.cycles:
                person = cycle.user
                exemption = plan.exempt.get(person.id)
                if cycle.opened_at >= end or (exemption and exemption.created_at < end):
                    continue  # not in the audience yet, or left out of the rate as exempt
                unit_of[known(person.id)] = person.org_unit_id or 0
                done = cycle.completed_at is not None and cycle.completed_at < end
                if done and (cycle.valid_until is None or cycle.valid_until > end):
                    valid.add(person.id)
            people = Counter(unit_of.values())
            compliant = Counter(unit_of[p] for p in valid)
            rows += [
                {
                    "period": period,
                    "org_unit_id": unit,
                    "requirement_id": plan.requirement.id,
                    "people": count,
                    "compliant": compliant[unit],
                    "taken_at": end,
                }
                for unit, count in people.items()
            ]
    session.execute(insert(ComplianceSnapshotCell), rows)
