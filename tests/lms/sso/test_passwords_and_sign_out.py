"""AUTH_LOCAL_PASSWORDS narrows who may use a Proficio password; sign-out ends the provider's session
too when the session came through it (both engines)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.people.models import Role
from lms.sso.cookies import SSO_SESSION_COOKIE
from lms.web.cookies import SESSION_COOKIE
from tests.conftest import TEST_PASSWORD, Browser, csrf_token, sign_in
from tests.lms.sso.conftest import CLIENT_ID, sso_sign_in

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


def test_the_sign_in_page_offers_the_provider_beside_the_password_form(client):
    page = client.get("/login?next=/skills").text
    assert 'href="/login/sso?next=/skills"' in page and "Sign in with Example ID" in page
    assert 'name="password"' in page and "Or sign in with your password" in page


def test_the_button_is_named_after_the_organisation_without_a_provider_name(client, configure):
    configure(oidc_provider_name="", org_name="Ministry of Examples")
    assert "Sign in with Ministry of Examples" in client.get("/login").text


def test_with_passwords_off_the_form_is_gone_and_a_posted_password_is_refused(client, db, make_user, configure):
    configure(auth_local_passwords="off")
    user = make_user(Role.ADMIN.value, email="admin@example.gov")
    page = client.get("/login").text
    assert "Sign in with Example ID" in page
    assert 'name="password"' not in page

    # The right password, posted anyway (the page's htmx header carries the CSRF token now it has no form).
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})

    assert response.status_code == 403
    assert "Passwords are not used to sign in here" in response.text and "Sign in with Example ID" in response.text
    assert SESSION_COOKIE not in response.cookies
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "login.refused")).one()
    assert event.actor_email == "admin@example.gov"
    assert json.loads(event.detail)["auth_local_passwords"] == "off"
    # Not counted as a failed password: nothing about the password was learnt.
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "login.failure")).first() is None


def test_with_admins_only_break_glass_administrators_use_a_password(client, make_user, configure):
    configure(auth_local_passwords="admins", auth_break_glass_admins="root@example.gov, former.admin@example.gov")
    root = make_user(Role.ADMIN.value, email="root@example.gov")
    make_user(email="former.admin@example.gov")  # named, but no longer an administrator
    other_admin = make_user(Role.ADMIN.value, email="other.admin@example.gov")
    employee = make_user(email="employee@example.gov")
    page = client.get("/login").text
    assert "Administrators: sign in with a password" in page and 'name="password"' in page

    for refused in (employee.email, other_admin.email, "former.admin@example.gov"):
        response = sign_in(client, refused)
        assert response.status_code == 403, refused
        assert "Passwords are not used to sign in here" in response.text

    assert sign_in(client, root.email).status_code == 303
    assert client.get("/admin").status_code == 200
    # The break-glass administrator keeps password change on their account page.
    assert "Change password" in client.get("/account").text


def test_people_who_cannot_use_a_password_do_not_see_or_use_password_change(client, make_user, provider, configure):
    make_user(email="una@example.gov")
    provider.set_user("una-1", email="una@example.gov", email_verified=True)
    assert sso_sign_in(client, "una-1").status_code == 303
    assert "Change password" in client.get("/account").text  # passwords still allowed for everyone

    configure(auth_local_passwords="off")
    page = client.get("/account")
    assert page.status_code == 200 and "Change password" not in page.text
    assert "You sign in with Example ID. There is no Proficio password to change" in page.text
    response = Browser(client).post(
        "/account/password",
        {"current_password": "x", "new_password": "a long new passphrase 99", "confirm_password": "a long new passphrase 99"},
    )
    assert response.status_code == 403
    assert "Passwords are not used to sign in here" in response.text


def test_signing_out_of_a_single_sign_on_session_goes_to_the_providers_end_session(client, db, make_user, provider):
    make_user(email="vic@example.gov")
    provider.set_user("vic-1", email="vic@example.gov", email_verified=True)
    signed_in = sso_sign_in(client, "vic-1")
    assert SSO_SESSION_COOKIE in signed_in.cookies

    response = client.post("/logout", data={"csrf_token": csrf_token(client)})

    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.url}/oauth2/end_session"
    assert parse_qs(target.query) == {"client_id": [CLIENT_ID], "post_logout_redirect_uri": ["http://testserver/login"]}
    assert client.get("/account").status_code == 303  # the Proficio session is over as well
    assert client.cookies.get(SSO_SESSION_COOKIE) is None


def test_signing_out_of_a_password_session_stays_here(client, make_user):
    user = make_user(email="pat@example.gov")
    assert sign_in(client, user.email).status_code == 303
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_a_note_left_from_an_earlier_single_sign_on_session_does_not_send_a_password_session_away(client, make_user, provider):
    make_user(email="quin@example.gov")
    provider.set_user("quin-1", email="quin@example.gov", email_verified=True)
    assert sso_sign_in(client, "quin-1").status_code == 303
    note = client.cookies.get(SSO_SESSION_COOKIE)
    client.cookies.clear()
    assert sign_in(client, "quin@example.gov").status_code == 303
    client.cookies.set(SSO_SESSION_COOKIE, note, domain="testserver.local", path="/")

    response = client.post("/logout", data={"csrf_token": csrf_token(client)})

    assert response.headers["location"] == "/login"


def test_the_base_url_names_where_the_provider_sends_people_back(client, make_user, provider, configure):
    configure(base_url="https://lms.example.gov/")
    response = client.get("/login/sso")
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["redirect_uri"] == ["https://lms.example.gov/login/sso/callback"]
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["openid email profile"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/login/sso" in cookie and "Max-Age=600" in cookie


def test_sign_out_may_go_on_to_the_provider_and_nowhere_else(client, provider):
    csp = client.get("/login").headers["content-security-policy"]
    assert f"form-action 'self' {provider.url};" in csp


def test_an_end_session_endpoint_on_another_origin_is_not_followed(client, make_user, provider, configure):
    make_user(email="wes@example.gov")
    provider.set_user("wes-1", email="wes@example.gov", email_verified=True)
    assert sso_sign_in(client, "wes-1").status_code == 303
    # The provider moved since this session began: its old end-session address is not on the CSP's list.
    configure(oidc_issuer="https://id.example.gov")
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.headers["location"] == "/login"


def test_an_invitation_sets_a_password_but_does_not_sign_in_round_single_sign_on(client, db, make_user, configure):
    from lms.auth.invitations import invitation_create
    from tests.conftest import csrf_from

    configure(auth_local_passwords="off")
    person = make_user(email="ivy@example.gov", password_hash=None)
    token = invitation_create(db, user=person, by=None)
    db.commit()
    page = client.get(f"/invite/{token}")
    new = "a long new passphrase for ivy 7"
    data = {"token": token, "password": new, "confirm_password": new, "csrf_token": csrf_from(page.text)}

    response = client.post("/invite", data=data)

    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert SESSION_COOKIE not in response.cookies
    assert "this site signs people in with Example ID" in client.get("/login").text


def test_a_break_glass_address_without_an_account_is_refused_like_anyone(client, configure):
    configure(auth_local_passwords="admins", auth_break_glass_admins="gone@example.gov")
    response = sign_in(client, "gone@example.gov")
    assert response.status_code == 403 and "Passwords are not used to sign in here" in response.text
