"""From a cell of the matrix: extend a due date, exempt and withdraw, remind now; audited, scoped, validated."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from courses.compliance.selectors import standings
from courses.compliance.service import (
    ComplianceError,
    exemption_grant,
    exemption_revoke,
    extension_grant,
    reminder_send_now,
)
from courses.requirements.models import Exemption, ExemptionReason, Extension, RequirementCycle
from courses.requirements.status import Status
from lms.audit.models import AuditEvent
from lms.clock import utcnow
from lms.notifications.models import Outbox
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.courses.factories import make_course

DAY = timedelta(days=1)


def _events(db, action: str) -> list[dict]:
    rows = db.exec(select(AuditEvent).where(AuditEvent.action == action)).all()
    return [json.loads(e.detail) | {"actor_id": e.actor_id, "target_id": e.target_id} for e in rows]


@pytest.fixture
def setup(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    course = make_course(db, "Data protection basics")
    req = make_requirement(db, "Data protection", courses=[course], grace_days=7)
    person = make_user(name="Ann Archer", manager_id=manager.id)
    now = utcnow()
    cycle = make_cycle(db, req, person, opened_at=now - 40 * DAY, due_at=now - 2 * DAY)
    return browser, manager, req, person, cycle, course


def test_extend_moves_due_and_grace_and_is_audited(db, setup):
    browser, manager, req, person, cycle, _course = setup
    url = f"/team/compliance/{person.id}/{req.id}"
    page = browser.get(url)
    assert page.status_code == 200 and "Extend the due date" in page.text and "Overdue" in page.text
    assert "compliance-standing" in page.text  # the browser journey finds the standing by this class
    old_due, old_grace = cycle.due_at, cycle.grace_until
    new_day = (utcnow() + 20 * DAY).date()

    response = browser.post(f"{url}/extension", {"new_due": new_day.isoformat(), "extension_reason": "Back from leave on Monday"})
    assert response.status_code == 303 and response.headers["location"] == url
    db.expire_all()
    stored = db.get(RequirementCycle, cycle.id)
    assert stored.due_at.date() == new_day and stored.due_at.timetz() == old_due.timetz()
    assert stored.grace_until - old_grace == stored.due_at - old_due
    extension = db.exec(select(Extension)).one()
    assert (extension.old_due_at, extension.new_due_at, extension.granted_by_id) == (old_due, stored.due_at, manager.id)
    [event] = _events(db, "requirement.extension_granted")
    assert event["actor_id"] == manager.id and event["target_id"] == str(person.id) and event["reason"] == "Back from leave on Monday"
    page = browser.get(url).text
    assert "is now due on" in page and "Back from leave on Monday" in page
    assert standings(db, now=utcnow(), user_ids=[person.id])[(person.id, req.id)].status is Status.NOT_STARTED


@pytest.mark.parametrize(
    ("new_due", "reason", "field", "message"),
    [
        ("", "Leave", "new_due", "Choose the new due date."),
        ("31/12/2030", "Leave", "new_due", "year-month-day"),
        ("2001-01-01", "Leave", "new_due", "after the current one"),
        ("+20", "", "extension_reason", "Say why the due date is extended."),
    ],
)
def test_extend_refuses_bad_input_with_422(db, setup, new_due, reason, field, message):
    browser, _manager, req, person, cycle, _course = setup
    if new_due == "+20":
        new_due = (utcnow() + 20 * DAY).date().isoformat()
    response = browser.post(f"/team/compliance/{person.id}/{req.id}/extension", {"new_due": new_due, "extension_reason": reason})
    assert response.status_code == 422
    assert message in response.text and f'href="#{field}"' in response.text
    assert db.exec(select(Extension)).all() == []


def test_extension_service_rules(db, setup, make_user):
    _browser, manager, req, person, cycle, _course = setup
    now = utcnow()
    with pytest.raises(ComplianceError, match="in the future"):
        extension_grant(db, cycle=cycle, new_due_at=now - DAY, reason="x", by=manager)
    with pytest.raises(ComplianceError, match="characters"):
        extension_grant(db, cycle=cycle, new_due_at=now + DAY, reason="x" * 501, by=manager)
    stranger = make_user("manager")
    with pytest.raises(ComplianceError, match="line manager or an administrator"):
        extension_grant(db, cycle=cycle, new_due_at=now + DAY, reason="x", by=stranger)
    # An administrator may act on anyone.
    admin = make_user("admin")
    extension_grant(db, cycle=cycle, new_due_at=now + DAY, reason="Agreed by HR", by=admin)
    done = make_cycle(db, req, make_user(manager_id=manager.id), opened_at=now - 9 * DAY, due_at=now, completed_at=now - DAY)
    with pytest.raises(ComplianceError, match="still to do"):
        extension_grant(db, cycle=done, new_due_at=now + DAY, reason="x", by=manager)


def test_exempt_then_withdraw(db, setup):
    browser, manager, req, person, _cycle, _course = setup
    url = f"/team/compliance/{person.id}/{req.id}"
    ends = (utcnow() + 90 * DAY).date()
    response = browser.post(
        f"{url}/exemption", {"exemption_reason": "equivalent", "note": "Took the NCSC course", "ends_on": ends.isoformat()}
    )
    assert response.status_code == 303
    exemption = db.exec(select(Exemption)).one()
    assert (exemption.reason, exemption.note, exemption.approved_by_id) == ("equivalent", "Took the NCSC course", manager.id)
    assert exemption.ends_at == datetime(ends.year, ends.month, ends.day, tzinfo=UTC)
    # The cycle stays open: the standing is exempt while the exemption is in force.
    assert db.get(RequirementCycle, _cycle.id).ended_at is None
    page = browser.get(url).text
    assert "is exempt from Data protection until" in page and "Equivalent training taken elsewhere" in page
    assert "Withdraw the exemption" in page
    [event] = _events(db, "requirement.exemption_granted")
    assert event["reason"] == "equivalent" and event["target_id"] == str(person.id)
    assert ">Exempt<" in browser.get("/team/compliance").text.replace("<strong>", ">").replace("</strong>", "<")

    assert browser.post(f"{url}/exemption/revoke").status_code == 303
    db.expire_all()
    assert db.get(Exemption, exemption.id).revoked_at is not None
    assert len(_events(db, "requirement.exemption_revoked")) == 1
    assert "Exemption withdrawn" in browser.get(url).text
    # Nothing left to withdraw.
    assert browser.post(f"{url}/exemption/revoke").status_code == 422


def test_exempt_refuses_bad_input(db, setup):
    browser, manager, req, person, _cycle, _course = setup
    url = f"/team/compliance/{person.id}/{req.id}/exemption"
    response = browser.post(url, {"exemption_reason": "", "note": "", "ends_on": ""})
    assert response.status_code == 422 and "Choose why the person is exempt." in response.text
    response = browser.post(url, {"exemption_reason": "administrative", "note": "", "ends_on": "2001-01-01"})
    assert response.status_code == 422 and "The end date must be in the future." in response.text
    response = browser.post(url, {"exemption_reason": "administrative", "note": "n" * 2001, "ends_on": ""})
    assert response.status_code == 422 and "Keep the note to 2000 characters." in response.text
    assert db.exec(select(Exemption)).all() == []
    exemption_grant(db, requirement=req, user=person, reason=ExemptionReason.ADMINISTRATIVE, note="", ends_at=None, by=manager)
    db.commit()
    with pytest.raises(ComplianceError, match="already exempt"):
        exemption_grant(db, requirement=req, user=person, reason=ExemptionReason.TESTED_OUT, note="", ends_at=None, by=manager)
    exemption = db.exec(select(Exemption)).one()
    exemption_revoke(db, exemption=exemption, by=manager)
    with pytest.raises(ComplianceError, match="no longer in force"):
        exemption_revoke(db, exemption=exemption, by=manager)


def test_remind_now_queues_one_message_per_minute(db, setup, app):
    browser, manager, req, person, cycle, course = setup
    url = f"/team/compliance/{person.id}/{req.id}"
    assert browser.post(f"{url}/reminder").status_code == 303
    assert "Reminder sent to Ann Archer" in browser.get(url).text
    [message] = db.exec(select(Outbox)).all()
    assert (message.user_id, message.kind, message.object_ref) == (person.id, "overdue", f"cycle:{cycle.id}")
    assert message.period.startswith("manual-") and message.link == f"/courses/{course.id}"
    assert manager.name in message.body_text and "Data protection" in message.subject
    assert len(_events(db, "requirement.reminder_sent")) == 1

    now = (utcnow() + timedelta(minutes=2)).replace(second=1)
    first = reminder_send_now(db, cycle=cycle, by=manager, now=now, settings=app.state.settings)
    again = reminder_send_now(db, cycle=cycle, by=manager, now=now + timedelta(seconds=30), settings=app.state.settings)
    assert first is not None and first.kind == "overdue" and again is None
    db.commit()


def test_remind_before_due_is_due_soon_and_not_for_closed_or_departed(db, setup, make_user, app):
    _browser, manager, req, _person, _cycle, _course = setup
    now = utcnow()
    other = make_requirement(db, "Phishing")  # no course: the link is My learning
    keen = make_user(manager_id=manager.id)
    cycle = make_cycle(db, other, keen, opened_at=now - DAY, due_at=now + 10 * DAY)
    queued = reminder_send_now(db, cycle=cycle, by=manager, now=now, settings=app.state.settings)
    assert queued.kind == "due_soon" and queued.link == "/learning"
    done = make_cycle(db, other, make_user(manager_id=manager.id), opened_at=now - 9 * DAY, due_at=now, completed_at=now - DAY)
    with pytest.raises(ComplianceError, match="not open"):
        reminder_send_now(db, cycle=done, by=manager, now=now)
    gone = make_user(manager_id=manager.id, is_active=False)
    with pytest.raises(ComplianceError, match="has left"):
        reminder_send_now(db, cycle=make_cycle(db, other, gone, opened_at=now - DAY, due_at=now + DAY), by=manager, now=now)


def test_actions_outside_the_line_are_404(db, setup, make_user):
    browser, _manager, req, _person, _cycle, _course = setup
    other_manager = make_user("manager")
    theirs = make_user(name="Theo Theirs", manager_id=other_manager.id)
    make_cycle(db, req, theirs, opened_at=utcnow() - DAY, due_at=utcnow() + DAY)
    base = f"/team/compliance/{theirs.id}/{req.id}"
    for action, data in (
        ("extension", {"new_due": "2099-01-01", "extension_reason": "x"}),
        ("exemption", {"exemption_reason": "equivalent"}),
        ("exemption/revoke", {}),
        ("reminder", {}),
    ):
        assert browser.post(f"{base}/{action}", data).status_code == 404
    assert browser.get(f"/team/compliance/{theirs.id}/999999").status_code == 404
    assert db.exec(select(Outbox)).all() == [] and db.exec(select(Exemption)).all() == []


def test_no_open_cycle_offers_no_extension_or_reminder(db, setup, make_user):
    browser, manager, req, _person, _cycle, _course = setup
    now = utcnow()
    done = make_user(name="Dee Done", manager_id=manager.id)
    make_cycle(db, req, done, opened_at=now - 9 * DAY, due_at=now, completed_at=now - DAY, valid_until=now + 300 * DAY)
    url = f"/team/compliance/{done.id}/{req.id}"
    page = browser.get(url).text
    assert "Compliant" in page and "Extend the due date" not in page and "Send reminder" not in page
    assert browser.post(f"{url}/extension", {"new_due": "2099-01-01", "extension_reason": "x"}).status_code == 422
    assert browser.post(f"{url}/reminder").status_code == 422
    nobody = make_user(name="Nell None", manager_id=manager.id)
    assert "is not required to hold" in browser.get(f"/team/compliance/{nobody.id}/{req.id}").text


def test_a_double_click_sends_one_reminder_and_a_departed_person_none(db, setup, make_user):
    browser, manager, req, person, _cycle, _course = setup
    url = f"/team/compliance/{person.id}/{req.id}/reminder"
    if utcnow().second > 55:  # both clicks in the same minute
        time.sleep(6)
    assert browser.post(url).status_code == 303
    assert browser.post(url).status_code == 303
    assert "was already sent a moment ago" in browser.get(f"/team/compliance/{person.id}/{req.id}").text
    assert len(db.exec(select(Outbox)).all()) == 1
    gone = make_user(name="Gus Gone", manager_id=manager.id, is_active=False)
    make_cycle(db, req, gone, opened_at=utcnow() - DAY, due_at=utcnow() + DAY)
    response = browser.post(f"/team/compliance/{gone.id}/{req.id}/reminder")
    assert response.status_code == 422 and "Gus Gone has left" in response.text
