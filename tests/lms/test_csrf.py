"""Every state-changing route refuses requests without the session's CSRF token."""

import pytest

from tests.conftest import Browser, csrf_from
from tests.lms.routes_util import UNSAFE, route_calls


def test_every_unsafe_route_needs_the_token(app, client, signed_in):
    browser, _ = signed_in("admin", "manager", "trainer")
    calls = route_calls(app, UNSAFE)
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
    response = client.post("/account/password", data={"csrf_token": bobs_token, "current_password": "x",
                                                      "new_password": "y", "confirm_password": "y"})
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
