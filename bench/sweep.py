"""Benchmark: the daily mandatory-training sweep over the whole generated organisation.

Five requirements (everyone annual, everyone every 12 months, managers every 24 months, trainers
once, one directorate's subtree every 12 months) on the five most-enrolled courses, then:

1. the first sweep: opens a cycle for everyone in each audience (crediting completions people
   already have) and queues an "assigned" message for every cycle left open;
2. the same sweep again on the same day: must change nothing (idempotent);
3. the next day's sweep: what a typical day costs once everyone has been told.

Everything runs in one transaction that is rolled back, so the generated database is left as it was
for the other benchmarks.

    python -m bench.sweep --database-url sqlite:///var/bench/bench-S.db
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select as sa_select
from sqlmodel import Session

from courses.models import Course, CourseStatus, Enrolment
from courses.requirements.models import Requirement, RequirementAudience, RequirementCourse, RequirementCycle
from courses.requirements.sweep import SweepReport, requirement_sweep
from lms.app import load_features
from lms.clock import utcnow
from lms.db import make_engine
from lms.notifications.models import Outbox
from lms.people.models import OrgUnit, User
from tests.support.queries import counting

# What notify() sends for each message: the key check, the preference, the insert, reading the row back.
QUEUING = ("WHERE outbox.idempotency_key =", "FROM notification_preference", "INSERT INTO outbox", "WHERE outbox.id =")


def is_queuing(statement: str) -> bool:
    return any(marker in statement for marker in QUEUING)


@dataclass
class SweepRun:
    name: str
    seconds: float
    statements: int
    sweep_statements: int  # without those of queuing each message (notify)
    report: SweepReport


def _requirements(session: Session) -> list[Requirement]:
    courses = session.execute(
        sa_select(Course.id)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Course.status == CourseStatus.PUBLISHED.value)
        .group_by(Course.id)
        .order_by(func.count().desc(), Course.id)
        .limit(5)
    ).scalars()
    course_ids = list(courses)
    root = session.execute(sa_select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)).scalars().first()
    directorate = session.execute(sa_select(OrgUnit.id).where(OrgUnit.parent_id == root).order_by(OrgUnit.id)).scalars().first()
    specs: list[tuple[dict, list[dict]]] = [
        ({"name": "Bench: data protection", "everyone": True, "recurrence": "annual", "annual_month": 3, "annual_day": 31}, []),
        ({"name": "Bench: phishing", "everyone": True, "recurrence": "months", "every_months": 12, "renew_window_days": 30}, []),
        ({"name": "Bench: security for managers", "recurrence": "months", "every_months": 24}, [{"kind": "role", "role": "manager"}]),
        ({"name": "Bench: accessibility for authors"}, [{"kind": "role", "role": "trainer"}]),
        (
            {"name": "Bench: directorate safety", "recurrence": "months", "every_months": 12, "grace_days": 7},
            [{"kind": "org_subtree", "org_unit_id": directorate}],
        ),
    ]
    made = []
    for (fields, parts), course_id in zip(specs, course_ids, strict=False):
        requirement = Requirement(due_days=30, **fields)
        session.add(requirement)
        session.flush()
        session.add(RequirementCourse(requirement_id=requirement.id, course_id=course_id))
        for part in parts:
            session.add(RequirementAudience(requirement_id=requirement.id, **part))
        made.append(requirement)
    session.flush()
    return made


def _timed(session: Session, name: str, now: datetime) -> SweepRun:
    with counting(session.get_bind()) as statements:
        started = time.perf_counter()
        report = requirement_sweep(session, now=now)
        session.flush()
        seconds = time.perf_counter() - started
    own = [s for s in statements if not is_queuing(s)]
    return SweepRun(name, seconds, len(statements), len(own), report)


def _rows(session: Session) -> tuple[int, int]:
    return (
        session.execute(sa_select(func.count()).select_from(RequirementCycle)).scalar_one(),
        session.execute(sa_select(func.count()).select_from(Outbox)).scalar_one(),
    )


def sweep_timing(database_url: str) -> tuple[list[SweepRun], bool, int]:
    """The three runs, whether the second changed nothing, and the number of active people."""
    load_features()
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            people = session.execute(sa_select(func.count()).select_from(User).where(User.is_active)).scalar_one()
            _requirements(session)
            now = utcnow()
            first = _timed(session, "first run (opens every cycle, queues assigned)", now)
            before = _rows(session)
            again = _timed(session, "second run, same day", now)
            unchanged = _rows(session) == before and again.report.opened + again.report.renewed + again.report.left == 0
            unchanged = unchanged and again.report.queued == 0
            typical = _timed(session, "next day", now + timedelta(days=1))
            session.rollback()
    finally:
        engine.dispose()
    return [first, again, typical], unchanged, people


def describe(run: SweepRun) -> str:
    r = run.report
    return (
        f"{run.name}: {run.seconds:.1f} s, {run.statements} statements ({run.sweep_statements} without queuing messages); "
        f"opened {r.opened} (credited {r.credited}), renewed {r.renewed}, left {r.left}, messages {r.queued}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    runs, unchanged, people = sweep_timing(args.database_url)
    print(f"{people} active people, 5 requirements")
    for run in runs:
        print(describe(run))
    print("second run changed nothing" if unchanged else "SECOND RUN CHANGED SOMETHING")
    return 0 if unchanged else 2


if __name__ == "__main__":
    sys.exit(main())
