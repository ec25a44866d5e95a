"""Every way a single sign-on can go wrong ends on a clear page with an audit event, never a session
or a stack trace (both engines)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from oidc_provider_mock import run_server_in_thread
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.people.service import user_set_active
from lms.sso.cookies import ATTEMPT_COOKIE
from lms.web.cookies import SESSION_COOKIE
from tests.lms.sso.conftest import authorize, start, with_query
from tests.e2e.support.server import free_port

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


def refusal(db, response, *, status: int, says: str, reason: str) -> dict:
    """Check the page a person sees and the audit event an operator sees; returns the event's detail."""
    assert response.status_code == status, response.text
    assert says in response.text
    assert "Traceback" not in response.text
    assert SESSION_COOKIE not in response.cookies
    set_cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith(f"{ATTEMPT_COOKIE}=") and "Max-Age=0" in c for c in set_cookies), "the attempt is used up"
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "sso.failure").order_by(AuditEvent.id.desc())).first()
    assert event is not None
    detail = json.loads(event.detail)
    assert detail["reason"] == reason
    return detail


def test_a_tampered_state_is_refused(client, db, provider):
    provider.set_user("eve-1", email="eve@example.gov", email_verified=True)
    callback = authorize(start(client), "eve-1")
    state = parse_qs(urlsplit(callback).query)["state"][0]

    response = client.get(with_query(callback, state=state[:-2] + "xx"))

    refusal(db, response, status=400, says="This sign-in has expired", reason="state_invalid")
    assert 'href="/login/sso"' in response.text  # a way to start again


def test_a_callback_from_another_browser_is_refused(client, db, provider, app):
    from starlette.testclient import TestClient

    provider.set_user("eve-2", email="eve@example.gov", email_verified=True)
    callback = authorize(start(client), "eve-2")
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as other:
        response = other.get(callback)  # no attempt cookie: a link sent to someone else
    refusal(db, response, status=400, says="started in another browser", reason="state_invalid")


def test_a_replayed_code_is_refused(client, db, make_user, provider):
    make_user(email="rita@example.gov")
    provider.set_user("rita-1", email="rita@example.gov", email_verified=True)
    authorize_url = start(client)
    attempt_cookie = client.cookies.get(ATTEMPT_COOKIE)
    callback = authorize(authorize_url, "rita-1")
    assert client.get(callback).status_code == 303  # signed in once

    # The same answer again, even with the attempt's cookie put back: the provider refuses a used code.
    client.cookies.set(ATTEMPT_COOKIE, attempt_cookie, domain="testserver.local", path="/login/sso")
    response = client.get(callback)
    detail = refusal(db, response, status=400, says="already used or has expired", reason="code_rejected")
    assert detail["error"] == "invalid_grant"


def test_an_id_token_for_another_nonce_is_refused(client, db, make_user, provider):
    make_user(email="nina@example.gov")
    provider.set_user("nina-1", email="nina@example.gov", email_verified=True)
    # The provider is asked for a token carrying a nonce other than the one this attempt keeps.
    callback = authorize(with_query(start(client), nonce="a-nonce-from-another-sign-in"), "nina-1")

    response = client.get(callback)

    refusal(db, response, status=400, says="did not belong to this sign-in", reason="nonce_mismatch")


def test_a_denied_consent_says_so(client, db, provider):
    callback = authorize(start(client), deny=True)
    assert "error=access_denied" in callback

    response = client.get(callback)

    refusal(db, response, status=403, says="you chose not to let Proficio sign you in", reason="access_denied")


def test_another_provider_error_is_shown_with_its_code(client, db, provider):
    callback = authorize(start(client), deny=True)

    response = client.get(with_query(callback, error="temporarily_unavailable"))

    detail = refusal(db, response, status=400, says="did not sign you in (temporarily_unavailable)", reason="provider_refused")
    assert detail["error"] == "temporarily_unavailable"


def test_an_id_token_outside_the_clock_skew_is_refused(client, db, make_user, skewed_provider, configure):
    configure(oidc_issuer=skewed_provider.url, oidc_clock_skew_seconds=120)
    make_user(email="otto@example.gov")
    skewed_provider.set_user("otto-1", email="otto@example.gov", email_verified=True)

    response = client.get(authorize(start(client), "otto-1"))

    detail = refusal(db, response, status=400, says="do not match this server", reason="clock_skew")
    assert detail["claim"] == "exp"


def test_a_deactivated_account_is_refused(client, db, make_user, provider):
    person = make_user(email="dora@example.gov")
    provider.set_user("dora-1", email="dora@example.gov", email_verified=True)
    assert client.get(authorize(start(client), "dora-1")).status_code == 303
    client.cookies.clear()
    user_set_active(db, user=person, active=False, by=None, via="test")
    db.commit()

    response = client.get(authorize(start(client), "dora-1"))

    detail = refusal(db, response, status=403, says="has been deactivated", reason="deactivated")
    assert detail["subject"] == "dora-1"
    assert 'href="/login/sso"' not in response.text  # trying again would not help


def test_a_deactivated_account_is_not_linked_at_a_first_sign_in(client, db, make_user, provider):
    from lms.auth.models import UserIdentity

    person = make_user(email="dan@example.gov", is_active=False)
    provider.set_user("dan-1", email="dan@example.gov", email_verified=True)

    response = client.get(authorize(start(client), "dan-1"))

    refusal(db, response, status=403, says="has been deactivated", reason="deactivated")
    assert db.exec(select(UserIdentity).where(UserIdentity.user_id == person.id)).first() is None


def test_a_provider_that_is_down_gives_a_clear_page(client, db, configure):
    configure(oidc_issuer=f"http://127.0.0.1:{free_port()}")  # nothing listens there

    response = client.get("/login/sso")

    assert response.status_code == 502
    assert "Example ID is not answering" in response.text and "try again in a few minutes" in response.text
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "sso.failure")).one()
    assert json.loads(event.detail) == {"reason": "provider_unreachable", "where": "discovery"}


def test_a_token_endpoint_that_is_down_gives_a_clear_page(client, db, make_user, configure):
    make_user(email="tara@example.gov")
    with run_server_in_thread(require_nonce=True) as server:
        configure(oidc_issuer=f"http://localhost:{server.server_port}")
        callback = authorize(start(client), "tara@example.gov")
    # The provider went away between the person's consent and our code exchange.

    response = client.get(callback)

    detail = refusal(db, response, status=502, says="is not answering", reason="provider_unreachable")
    assert detail["where"] == "token endpoint"


def test_single_sign_on_routes_are_not_found_while_it_is_off(client, configure):
    configure(oidc_issuer="")
    for url in ("/login/sso", "/login/sso/callback?state=x&code=y"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Single sign-on is not set up on this site" in response.text
    assert "Sign in with" not in client.get("/login").text


def test_an_answer_without_a_code_is_refused(client, db, provider):
    callback = authorize(start(client), "nobody@example.gov")
    parts = urlsplit(callback)
    state = parse_qs(parts.query)["state"][0]

    response = client.get(f"{parts.path}?state={state}")

    detail = refusal(db, response, status=400, says="did not sign you in (no code)", reason="provider_refused")
    assert detail["error"] == "no code"
