"""Every state-changing route refuses requests without the session's CSRF token."""

import pytest

from tests.conftest import Browser, csrf_from
from tests.lms.routes_util import UNSAFE, route_calls


# Routes that take unsafe requests without the token (lms.web.csrf.csrf_exempt), each for a reason:
# RFC 8058 one-click unsubscribe is posted by mail clients; its signed token is the credential.
# SCIM provisioning (/scim/v2) is called by a directory's connector with an API token as its bearer
# credential and no cookie; tests/lms/test_access_policies.py shows a session alone gets 401 there.
SCIM_WRITES = {
    (method, f"/scim/v2/{kind}{tail}")
    for kind in ("Users", "Groups")
    for method, tail in (("POST", ""), ("POST", "/.search"), ("PUT", "/{id}"), ("PATCH", "/{id}"), ("DELETE", "/{id}"))
}
EXEMPT = {("POST", "/unsubscribe/{unsubscribe_token}"), ("POST", "/scim/v2/.search")} | {
    (m, p.replace("{id}", "{user_id}" if "/Users/" in p else "{group_id}")) for m, p in SCIM_WRITES
}


def _exempt(route) -> bool:
    return getattr(route.endpoint, "__csrf_exempt__", False)


def test_every_unsafe_route_needs_the_token(app, client, signed_in):
    browser, _ = signed_in("admin", "manager", "trainer")
    assert {(m, r.path) for m, _p, r in route_calls(app, UNSAFE) if _exempt(r)} == EXEMPT
    calls = [call for call in route_calls(app, UNSAFE) if not _exempt(call[2])]
    assert calls, "expected some unsafe routes"
    failures = []
    for method, path, _route in calls:
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            response = client.request(method, path, headers=headers, data={"csrf_token": "forged"} if headers else {})
            if response.status_code != 403:
                failures.append(f"{method} {path} with {headers or 'no token'} -> {response.status_code}")
    assert not failures, failures
    # The session is still signed in: nothing above changed state.
    assert browser.get("/account").status_code == 200


def test_token_from_another_session_is_refused(app, client, make_user):
    from starlette.testclient import TestClient

    from tests.conftest import sign_in

    alice, bob = make_user(), make_user()
    with TestClient(app, follow_redirects=False) as other:
        sign_in(other, bob.email)
        bobs_token = Browser(other).token()
    sign_in(client, alice.email)
    response = client.post(
        "/account/password", data={"csrf_token": bobs_token, "current_password": "x", "new_password": "y", "confirm_password": "y"}
    )
    assert response.status_code == 403


def test_login_form_needs_the_token(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "whatever"})
    assert response.status_code == 403
    assert "expired" in response.text


@pytest.mark.parametrize("via", ["form", "header"])
def test_valid_token_is_accepted_as_form_field_or_header(client, make_user, via):
    from tests.conftest import TEST_PASSWORD

    user = make_user()
    token = csrf_from(client.get("/login").text)
    data = {"email": user.email, "password": TEST_PASSWORD}
    if via == "form":
        response = client.post("/login", data={**data, "csrf_token": token})
    else:
        response = client.post("/login", data=data, headers={"X-CSRF-Token": token})
    assert response.status_code == 303


def test_the_test_browser_keeps_the_token_of_each_session(client, make_user):
    """tests.conftest.Browser reads the token once per session, and again after signing in as someone else."""
    from tests.conftest import sign_in

    alice, bob = make_user(), make_user()
    pages: list[str] = []
    client.event_hooks["request"].append(lambda request: pages.append(request.url.path))
    browser = Browser(client)
    assert sign_in(client, alice.email).status_code == 303
    alices = browser.token()
    for _ in range(3):
        assert browser.post("/account/password", {"current_password": "wrong"}).status_code == 422
    assert pages.count("/account") == 1 and browser.token() == alices
    assert sign_in(client, bob.email).status_code == 303
    bobs = browser.token()
    assert bobs != alices and pages.count("/account") == 2
    assert browser.post("/account/password", {"current_password": "wrong"}).status_code == 422
    assert browser.post("/logout").status_code == 303
    assert browser.token() not in (alices, bobs)
