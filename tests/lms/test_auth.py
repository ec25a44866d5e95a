"""Signing in and out: credentials, throttling, audit, safe redirects."""

from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.auth.models import UserSession
from lms.web.cookies import SESSION_COOKIE
from tests.conftest import TEST_PASSWORD, csrf_from, sign_in


def _actions(db) -> list[str]:
    db.expire_all()
    return [e.action for e in db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user, db):
    user = make_user()
    wrong = sign_in(client, user.email, "not the password at all")
    unknown = sign_in(client, "nobody@example.gov", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    message = "The email address or password is not correct."
    assert message in wrong.text and message in unknown.text
    assert _actions(db) == ["login.failure", "login.failure"]


def test_email_is_case_insensitive_and_cookie_is_opaque_and_hashed(client, make_user, db):
    user = make_user(email="mixed@example.gov")
    response = sign_in(client, "  MIXED@Example.GOV ")
    assert response.status_code == 303
    cookie = response.cookies.get(SESSION_COOKIE) or client.cookies.get(SESSION_COOKIE)
    assert cookie and len(cookie) >= 32
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header
    stored = db.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert stored.token_hash != cookie and cookie not in stored.token_hash
    assert _actions(db) == ["login.success"]


def test_new_token_at_each_login(app, make_user):
    from starlette.testclient import TestClient

    user = make_user()
    tokens = set()
    for _ in range(2):
        with TestClient(app, follow_redirects=False) as c:
            sign_in(c, user.email)
            tokens.add(c.cookies.get(SESSION_COOKIE))
    assert len(tokens) == 2


def test_logout_ends_the_session_on_the_server(client, make_user, db):
    user = make_user()
    sign_in(client, user.email)
    stolen = client.cookies.get(SESSION_COOKIE)
    token = csrf_from(client.get("/account").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert db.exec(select(UserSession)).all() == []
    client.cookies.set(SESSION_COOKIE, stolen)
    assert client.get("/account").status_code == 303
    assert "logout" in _actions(db)


def test_throttling_from_one_address_applies_even_to_the_right_password(client, make_user, db, settings):
    user = make_user()
    for _ in range(settings.login_max_failures):
        assert sign_in(client, user.email, "wrong password here").status_code == 422
    blocked = sign_in(client, user.email, TEST_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.text
    assert "login.throttled" in _actions(db)


def test_throttling_looks_the_same_for_unknown_accounts(client, settings):
    for _ in range(settings.login_max_failures):
        sign_in(client, "ghost@example.gov", "wrong password here")
    assert sign_in(client, "ghost@example.gov", "wrong password here").status_code == 429


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user(is_active=False)
    assert sign_in(client, user.email).status_code == 422


def test_next_parameter_only_redirects_within_the_site(client, make_user):
    user = make_user()
    token = csrf_from(client.get("/login").text)
    data = {"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    r = client.post("/login", data={**data, "next": "//evil.example/x"})
    assert r.headers["location"] == "/"
    client.cookies.clear()
    token = csrf_from(client.get("/login").text)
    r = client.post("/login", data={**data, "csrf_token": token, "next": "/account"})
    assert r.headers["location"] == "/account"


def test_anonymous_is_sent_to_login_with_next(client):
    r = client.get("/account")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Faccount"


def test_htmx_request_gets_hx_redirect_to_login(client):
    r = client.get("/account", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.headers["HX-Redirect"].startswith("/login")


def test_missing_fields_show_messages(client):
    token = csrf_from(client.get("/login").text)
    r = client.post("/login", data={"csrf_token": token})
    assert r.status_code == 422
    assert "Enter your email address." in r.text and "Enter your password." in r.text
