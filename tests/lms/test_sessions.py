"""Server-side sessions: idle and absolute timeouts, password change and deactivation end them."""

from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from lms.auth.models import UserSession
from lms.auth.passwords import verify_password
from lms.clock import utcnow
from tests.conftest import TEST_PASSWORD, Browser, sign_in


def _age_session(db, user_id, **delta):
    db.expire_all()
    row = db.exec(select(UserSession).where(UserSession.user_id == user_id)).one()
    row.last_seen_at = utcnow() - timedelta(**delta.get("idle", {}))
    row.created_at = utcnow() - timedelta(**delta.get("age", {}))
    db.add(row)
    db.commit()


def test_idle_timeout(client, make_user, db, settings):
    user = make_user()
    sign_in(client, user.email)
    assert client.get("/account").status_code == 200
    _age_session(db, user.id, idle={"minutes": settings.session_idle_minutes + 1})
    assert client.get("/account").status_code == 303
    db.expire_all()
    assert db.exec(select(UserSession)).all() == []


def test_absolute_timeout_even_when_active(client, make_user, db, settings):
    user = make_user()
    sign_in(client, user.email)
    _age_session(db, user.id, age={"hours": settings.session_absolute_hours, "minutes": 1})
    assert client.get("/account").status_code == 303


def test_password_change_keeps_this_session_and_ends_others(app, client, make_user, db):
    user = make_user()
    with TestClient(app, follow_redirects=False) as other:
        sign_in(other, user.email)
        sign_in(client, user.email)
        browser = Browser(client)
        new = "a much better passphrase 2026"
        r = browser.post("/account/password", {"current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new})
        assert r.status_code == 303
        assert client.get("/account").status_code == 200
        assert other.get("/account").status_code == 303
    db.expire_all()
    db.refresh(user)
    assert verify_password(new, user.password_hash)[0]


def test_password_change_refuses_weak_and_wrong_current(client, make_user):
    user = make_user()
    sign_in(client, user.email)
    browser = Browser(client)
    weak = browser.post(
        "/account/password", {"current_password": TEST_PASSWORD, "new_password": "password1234", "confirm_password": "password1234"}
    )
    assert weak.status_code == 422 and "less common password" in weak.text
    short = browser.post(
        "/account/password", {"current_password": TEST_PASSWORD, "new_password": "short", "confirm_password": "short"}
    )
    assert short.status_code == 422 and "at least 12 characters" in short.text
    wrong = browser.post(
        "/account/password", {"current_password": "nope nope nope", "new_password": "x" * 20, "confirm_password": "x" * 20}
    )
    assert wrong.status_code == 422 and "current password is not correct" in wrong.text
    mismatch = browser.post(
        "/account/password",
        {"current_password": TEST_PASSWORD, "new_password": "one long passphrase here", "confirm_password": "another long passphrase"},
    )
    assert mismatch.status_code == 422 and "do not match" in mismatch.text


def test_deactivation_ends_sessions(client, make_user, db):
    from lms.people.service import user_set_active

    user = make_user()
    sign_in(client, user.email)
    user_set_active(db, user=db.get(type(user), user.id), active=False, by=None)
    db.commit()
    assert client.get("/account").status_code == 303


def test_outdated_hash_parameters_are_upgraded_at_login(client, make_user, db):
    from passlib.hash import argon2

    weak_hash = argon2.using(memory_cost=1024, time_cost=1, parallelism=1).hash(TEST_PASSWORD)
    user = make_user(password_hash=weak_hash)
    assert sign_in(client, user.email).status_code == 303
    db.expire_all()
    db.refresh(user)
    assert user.password_hash != weak_hash and verify_password(TEST_PASSWORD, user.password_hash)[0]
