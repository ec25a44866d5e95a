"""Limits before work: body sizes, header-safe redirects, configured links, transport headers."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from lms.app import create_app
from lms.people.models import Role
from tests.conftest import TEST_PASSWORD, csrf_from
from tests.courses.factories import make_course
from tests.lms.api.conftest import bearer


def test_an_oversized_form_is_refused_before_it_is_read(client):
    token = csrf_from(client.get("/login").text)
    body = b"email=a%40b.c&password=x&csrf_token=" + token.encode() + b"&pad=" + b"x" * (1024 * 1024 + 1)
    r = client.post("/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    assert "Too much data was sent" in r.text and "1 MB" in r.text

    # Without a Content-Length (chunked), the body is counted as it arrives and cut off the same way.
    def chunks():
        for _ in range(40):
            yield b"x" * 65536

    r = client.post("/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "Too much data was sent" in r.text
    # An ordinary sign-in form is untouched.
    assert client.post("/login", data={"email": "a@b.c", "password": "x", "csrf_token": token}).status_code == 422


def test_api_and_upload_routes_have_their_own_limits(app, client, signed_in, db):
    r = client.post("/api/v1/people", content=b"x" * (2 * 1024 * 1024))
    assert r.status_code == 413 and r.headers["content-type"] == "application/json"
    browser, user = signed_in(Role.TRAINER.value)
    course = make_course(db, editors=[user], status="draft")
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024)  # over FORM_MAX_KB, under ATTACHMENT_MAX_MB
    r = browser.client.post(
        f"/author/courses/{course.id}/attachments", files={"file": ("big.png", picture)}, data={"csrf_token": browser.token()}
    )
    assert r.status_code == 303, r.text[:300]


def test_form_limit_is_configurable(settings, make_user):
    settings.form_max_kb = 16
    application = create_app(settings)
    try:
        with TestClient(application, follow_redirects=False) as client:
            token = csrf_from(client.get("/login").text)
            r = client.post("/login", data={"email": "a@b.c", "password": "p" * 17_000, "csrf_token": token})
            assert r.status_code == 413 and "16 KB" in r.text
    finally:
        application.state.engine.dispose()


@pytest.mark.parametrize(
    "target", ["/\u3002evil", "/a\r\nSet-Cookie: x=1", "/caf\u00e9", "//evil.example", "/\\evil.example", "/a\x00b"]
)
def test_next_values_that_cannot_go_in_a_header_go_home(client, make_user, target):
    user = make_user()
    assert client.get("/login", params={"next": target}).status_code < 500
    token = csrf_from(client.get("/login").text)
    for headers, header in (({}, "location"), ({"HX-Request": "true"}, "hx-redirect")):
        r = client.post(
            "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token, "next": target}, headers=headers
        )
        if "\x00" in target:
            assert r.status_code == 400  # refused before sign-in is tried at all
            continue
        assert r.status_code in (200, 303) and r.headers[header] == "/"
        client.cookies.clear()
        token = csrf_from(client.get("/login").text)


def test_a_plain_next_path_is_kept(client, make_user):
    user = make_user()
    token = csrf_from(client.get("/login").text)
    r = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token, "next": "/courses?q=phishing"}
    )
    assert r.headers["location"] == "/courses?q=phishing"


def test_api_next_links_use_the_configured_base_url_not_the_host_header(settings, make_user, db):
    from lms.api.service import api_token_create

    settings.base_url = "https://lms.example.gov/"
    admin = make_user(Role.ADMIN.value)
    for _ in range(3):
        make_user()
    _, secret = api_token_create(db, name="Sync", scopes=["people:read"], org_unit_id=None, expires_at=None, by=admin)
    db.commit()
    application = create_app(settings)
    try:
        with TestClient(application, base_url="http://attacker.example") as client:
            body = client.get("/api/v1/people?per_page=2", headers=bearer(secret)).json()
        assert body["next"] == "https://lms.example.gov/api/v1/people?per_page=2&page=2"
    finally:
        application.state.engine.dispose()


def test_hsts_only_when_cookies_are_secure(settings, client):
    assert "strict-transport-security" not in client.get("/login").headers
    settings.cookie_secure = True
    application = create_app(settings)
    try:
        with TestClient(application, base_url="https://testserver") as secure:
            assert secure.get("/login").headers["strict-transport-security"].startswith("max-age=31536000")
    finally:
        application.state.engine.dispose()


def test_a_nul_character_is_refused_not_stored(signed_in, db):
    browser, user = signed_in(Role.TRAINER.value)
    course = make_course(db, editors=[user], status="draft")
    r = browser.post(f"/author/courses/{course.id}/modules", {"title": "Intro\x00"})
    assert r.status_code == 400 and "NUL character" in r.text
    assert browser.get("/courses?q=a%00b").status_code == 400
