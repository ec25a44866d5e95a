"""The xAPI outbox and privacy: sent statements are pruned by the retention job after their period,
unsent ones stay; erasing a person removes theirs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from courses.learning.service import lesson_complete
from lms.clock import utcnow
from lms.privacy.erasure import erasure_plan, person_erase
from lms.privacy.retention import retention_apply
from lms.xapi.models import StatementState, XapiStatement
from tests.courses.factories import lessons_of, make_course


def _queue(db, make_user, email: str):
    person = make_user(email=email)
    course = make_course(db, f"Course of {email}")
    lesson_complete(db, user=person, lesson=lessons_of(db, course)[0])
    db.commit()
    return person


def _left(db) -> list[tuple[int, str]]:
    db.expire_all()
    return [(row.user_id, row.state) for row in db.exec(select(XapiStatement).order_by(XapiStatement.id))]


def test_sent_statements_go_after_thirty_days_and_unsent_ones_stay(db, make_user, xapi, settings):
    person = _queue(db, make_user, "ines@example.gov")
    now = utcnow()
    ids = [row.id for row in db.exec(select(XapiStatement).order_by(XapiStatement.id))]
    sent = {ids[0]: now - timedelta(days=31), ids[1]: now - timedelta(days=29)}
    for row_id, at in sent.items():
        db.exec(update(XapiStatement).where(XapiStatement.id == row_id).values(state=StatementState.SENT.value, sent_at=at))
    db.commit()
    run = retention_apply(db, settings=settings, now=now)
    db.commit()
    assert run.counts["xapi_statements"] == 1
    assert _left(db) == [(person.id, StatementState.SENT.value), (person.id, StatementState.PENDING.value)]


def test_erasing_a_person_removes_their_statements_only(db, make_user, xapi, settings):
    leaver = _queue(db, make_user, "leaver@example.gov")
    stayer = _queue(db, make_user, "stayer@example.gov")
    admin = make_user("admin")
    plan = {line.what: line.count for line in erasure_plan(db, person=leaver)}
    assert plan["Their learning activity queued for the learning record store (xAPI)"] == 3
    person_erase(db, person=leaver, by=admin, confirm=leaver.email, settings=settings)
    db.commit()
    assert {user_id for user_id, _ in _left(db)} == {stayer.id}
