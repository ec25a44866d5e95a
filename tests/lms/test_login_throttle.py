"""Sign-in throttling falls on whoever fails: one address, one device, or (slowly) a spread-out attack,
never on the account's owner signing in from a device they used before."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.auth import service
from lms.auth.models import LoginThrottle
from lms.auth.service import AuthError, ThrottledError
from lms.clock import utcnow
from lms.web.cookies import DEVICE_COOKIE, SESSION_COOKIE
from tests.conftest import TEST_PASSWORD, Browser, sign_in

WRONG = "not the password at all"


def client_at(app, address: str) -> TestClient:
    return TestClient(app, base_url="http://testserver", follow_redirects=False, client=(address, 50000))


def fail_from(db, settings, email: str, address: str, times: int = 1) -> None:
    """Wrong passwords straight through the service (no page round trip), as an attacker's script would."""
    for _ in range(times):
        with pytest.raises(AuthError):
            service.login(db, email=email, password=WRONG, client_ip=address, settings=settings)


def test_a_single_address_is_slowed_and_told_when_to_try_again(app, make_user, settings):
    owner = make_user()
    with client_at(app, "198.51.100.7") as guesser:
        for _ in range(settings.login_max_failures - 1):
            assert sign_in(guesser, owner.email, WRONG).status_code == 422
        # The failure that uses up the allowance still gets the ordinary answer; the next attempt waits,
        # even with the right password, and is told for how long and whom to ask.
        assert sign_in(guesser, owner.email, WRONG).status_code == 422
        blocked = sign_in(guesser, owner.email, TEST_PASSWORD)
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["Retry-After"]) <= 5
        assert "Too many failed sign-in attempts. Try again in 5 seconds." in blocked.text
        assert "ask your administrator to reset it" in blocked.text
    # The owner, at another address and on a device that never signed in, is not held back.
    with client_at(app, "203.0.113.20") as elsewhere:
        assert sign_in(elsewhere, owner.email).status_code == 303


def test_one_address_trying_many_accounts_is_slowed(app, db, make_user, settings):
    allowance = settings.login_max_failures * 4
    for n in range(allowance):
        fail_from(db, settings, f"guess{n}@example.gov", "192.0.2.50")
    victim = make_user()
    with pytest.raises(ThrottledError):
        service.login(db, email=victim.email, password=TEST_PASSWORD, client_ip="192.0.2.50", settings=settings)
    signed_in = service.login(db, email=victim.email, password=TEST_PASSWORD, client_ip="192.0.2.51", settings=settings)
    assert signed_in.user.id == victim.id


def test_distributed_failures_slow_unknown_devices_but_never_the_owners_device(app, db, make_user, settings):
    settings.login_account_max_failures = 12  # lower than the default, so the test makes fewer guesses
    admin = make_user("admin", email="admin@example.gov")
    with client_at(app, "10.1.1.1") as laptop:
        assert sign_in(laptop, admin.email).status_code == 303
        device = laptop.cookies.get(DEVICE_COOKIE)
        assert device, "a successful sign-in remembers the device"
        laptop.cookies.delete(SESSION_COOKIE)

        # Thirty addresses, each staying under its own allowance, together pass the account's ceiling.
        for n in range(30):
            fail_from(db, settings, admin.email, f"100.64.0.{n}", times=1)
        # A new device at a new address now waits (the attack is slowed), ...
        with client_at(app, "100.64.9.9") as stranger:
            assert sign_in(stranger, admin.email, TEST_PASSWORD).status_code == 429
        # ... but the owner's laptop signs in at once, and again from a different address (travelling).
        assert sign_in(laptop, admin.email).status_code == 303
    with client_at(app, "172.16.5.5") as same_laptop_on_the_road:
        same_laptop_on_the_road.cookies.set(DEVICE_COOKIE, device)
        assert sign_in(same_laptop_on_the_road, admin.email).status_code == 303


def test_failures_with_a_device_cookie_are_throttled_on_that_device(app, make_user, settings):
    owner = make_user()
    with client_at(app, "10.2.2.2") as laptop:
        assert sign_in(laptop, owner.email).status_code == 303
        laptop.cookies.delete(SESSION_COOKIE)
        for _ in range(settings.login_max_failures):
            assert sign_in(laptop, owner.email, WRONG).status_code == 422
        assert sign_in(laptop, owner.email, TEST_PASSWORD).status_code == 429
    # The same address without that cookie (another person in the office) is not held back by it.
    with client_at(app, "10.2.2.2") as colleague:
        assert sign_in(colleague, owner.email).status_code == 303


def test_a_device_cookie_only_vouches_for_its_own_account_and_cannot_be_forged(app, db, make_user, settings):
    settings.login_account_max_failures = 3
    mine, theirs = make_user(), make_user()
    with client_at(app, "10.3.3.3") as laptop:
        assert sign_in(laptop, mine.email).status_code == 303
        laptop.cookies.delete(SESSION_COOKIE)
        for n in range(3):
            fail_from(db, settings, theirs.email, f"100.65.0.{n}")
        # My device cookie says nothing about their account: it waits like any unknown device.
        assert sign_in(laptop, theirs.email, TEST_PASSWORD).status_code == 429
        genuine = laptop.cookies.get(DEVICE_COOKIE)
    for n in range(3):
        fail_from(db, settings, mine.email, f"100.66.0.{n}")
    payload, _mac = genuine.rsplit(".", 1)
    with client_at(app, "10.3.3.3") as forger:
        forger.cookies.set(DEVICE_COOKIE, f"{payload}.{'0' * 64}")
        assert sign_in(forger, mine.email, TEST_PASSWORD).status_code == 429


def test_delays_double_from_five_seconds_and_never_exceed_the_maximum(db, make_user, settings, monkeypatch):
    make_user(email="target@example.gov")
    settings.login_max_delay_seconds = 300
    clock = [utcnow()]
    monkeypatch.setattr(service, "utcnow", lambda: clock[0])
    waits = []
    for _ in range(settings.login_max_failures + 9):
        try:
            service.login(db, email="target@example.gov", password=WRONG, client_ip="198.51.100.1", settings=settings)
        except ThrottledError:
            pytest.fail("an attempt after the wait ended was refused")
        except AuthError:
            pass
        db.expire_all()
        row = db.get(LoginThrottle, "account_ip:target@example.gov|198.51.100.1")
        wait = round((row.blocked_until - clock[0]).total_seconds()) if row.blocked_until else 0
        waits.append(wait)
        if wait:  # while it waits, even the right password is refused
            with pytest.raises(ThrottledError):
                service.login(db, email="target@example.gov", password=TEST_PASSWORD, client_ip="198.51.100.1", settings=settings)
        clock[0] += timedelta(seconds=wait + 1)
    allowance = settings.login_max_failures
    assert waits == [0] * (allowance - 1) + [5, 10, 20, 40, 80, 160, 300, 300, 300, 300]
    # After a quiet window the counter starts again from nothing.
    clock[0] += timedelta(minutes=settings.login_window_minutes, seconds=301)
    fail_from(db, settings, "target@example.gov", "198.51.100.1")
    db.expire_all()
    row = db.get(LoginThrottle, "account_ip:target@example.gov|198.51.100.1")
    assert row.failures == 1


def test_admin_sees_who_waits_and_clearing_is_audited(app, db, make_user, settings):
    person = make_user(email="locked.out@example.gov")
    admin = make_user("admin")
    fail_from(db, settings, person.email, "198.51.100.99", times=settings.login_max_failures)
    with client_at(app, "10.9.9.9") as admin_client:
        assert sign_in(admin_client, admin.email).status_code == 303
        browser = Browser(admin_client)
        page = browser.get("/admin/sign-in-throttles")
        assert page.status_code == 200
        assert "locked.out@example.gov" in page.text and "198.51.100.99" in page.text
        assert "Account from one address" in page.text
        cleared = browser.post("/admin/sign-in-throttles/clear", data={"account": person.email})
        assert cleared.status_code == 303
        assert "Nobody is being held back" in browser.get("/admin/sign-in-throttles").text
        assert browser.post("/admin/sign-in-throttles/clear", data={"account": person.email}).status_code == 303
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "login.throttle_clear")).one()
    assert event.actor_id == admin.id and event.target_type == "user" and event.target_id == str(person.id)
    assert json.loads(event.detail)["account"] == person.email
    signed_in = service.login(db, email=person.email, password=TEST_PASSWORD, client_ip="198.51.100.99", settings=settings)
    assert signed_in.user.id == person.id
