"""Invitations: an administrator (or an import) gives a person a one-time link to choose their password."""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.auth.invitations import (
    INVALID,
    InvitationError,
    invitation_create,
    invitation_redeem,
    people_awaiting_invitation,
)
from lms.auth.invite_routes import RedactInvitationTokens
from lms.auth.models import Invitation, LoginThrottle
from lms.auth.service import hash_token
from lms.clock import utcnow
from lms.notifications.models import Outbox
from lms.people.models import User
from tests.conftest import csrf_token, sign_in

NEW_PASSWORD = "amber kettle orbit 1987 lantern"
LINK = re.compile(r'value="(https?://[^"]+/invite/([^"]+))"')


def text_of(response) -> str:
    return html.unescape(response.text)


def newcomer(make_user, **fields) -> User:
    return make_user(email=fields.pop("email", "newcomer@example.gov"), name="Nia Newcomer", password_hash=None, **fields)


def accept(client: TestClient, token: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    data = {"token": token, "password": password, "confirm_password": password if confirm is None else confirm}
    return client.post("/invite", data={**data, "csrf_token": csrf_token(client)})


def test_create_redeem_then_sign_in_with_the_new_password(db, client, make_user):
    admin = make_user("admin")
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=admin)
    db.commit()

    page = client.get(f"/invite/{token}")
    assert page.status_code == 200
    assert "Choose your password" in page.text and "Nia Newcomer" in page.text and "newcomer@example.gov" in page.text
    assert 'action="/invite"' in page.text

    r = accept(client, token)
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = text_of(client.get("/"))
    assert "Welcome to Proficio, Nia Newcomer. Your password is set and you are signed in." in home

    # Signed in now; and the new password works from a fresh browser.
    assert client.get("/account").status_code == 200
    with TestClient(client.app, follow_redirects=False) as other:
        assert sign_in(other, person.email, NEW_PASSWORD).status_code == 303

    db.expire_all()
    invitation = db.exec(select(Invitation).where(Invitation.user_id == person.id)).one()
    assert invitation.used_at is not None
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_id == str(person.id))).all()
    assert {"invitation.create", "invitation.redeem", "password.set"} <= set(actions)


def test_a_link_works_once(db, client, make_user):
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=None)
    db.commit()
    assert accept(client, token).status_code == 303
    with TestClient(client.app, follow_redirects=False) as other:
        again = accept(other, token, "another fine passphrase 2027")
        assert again.status_code == 404
        assert "This link no longer works" in again.text and "Ask your administrator for a new link" in again.text
        assert other.get(f"/invite/{token}").status_code == 404
    with pytest.raises(InvitationError, match="expired or has already been used"):
        invitation_redeem(db, token=token, password="another fine passphrase 2027")


def test_expired_and_unknown_links_are_refused_alike(db, make_user):
    person = newcomer(make_user)
    start = utcnow() - timedelta(days=30)
    token = invitation_create(db, user=person, by=None, now=start)
    db.commit()
    for bad, now in ((token, start + timedelta(days=14, seconds=1)), ("no-such-token", start)):
        with pytest.raises(InvitationError) as refused:
            invitation_redeem(db, token=bad, password=NEW_PASSWORD, now=now)
        assert str(refused.value) == INVALID
    # Still inside its lifetime it works (with the same injected clock).
    assert invitation_redeem(db, token=token, password=NEW_PASSWORD, now=start + timedelta(days=13)).id == person.id


def test_a_newer_link_replaces_the_older(db, client, make_user):
    person = newcomer(make_user)
    first = invitation_create(db, user=person, by=None)
    second = invitation_create(db, user=person, by=None)
    db.commit()
    assert client.get(f"/invite/{first}").status_code == 404
    assert accept(client, first).status_code == 404
    assert client.get(f"/invite/{second}").status_code == 200
    assert accept(client, second).status_code == 303


def test_the_password_policy_and_the_confirmation_apply(db, client, make_user):
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=None)
    db.commit()
    weak = accept(client, token, "password1234")
    assert weak.status_code == 422 and "Choose a less common password" in text_of(weak)
    mismatch = accept(client, token, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert mismatch.status_code == 422 and "The two passwords do not match." in text_of(mismatch)
    empty = accept(client, token, "")
    assert empty.status_code == 422 and "Choose a password." in text_of(empty)
    db.expire_all()
    assert db.get(User, person.id).password_hash is None
    assert accept(client, token).status_code == 303  # the link still works after a refused try


def test_deactivated_people_cannot_use_their_link(db, client, make_user):
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=None)
    person.is_active = False
    db.add(person)
    db.commit()
    assert accept(client, token).status_code == 404


def test_bad_tokens_are_throttled_per_address(client):
    statuses = [accept(client, f"guess-{n}").status_code for n in range(25)]
    assert statuses[0] == 404 and statuses[-1] == 429


def test_the_token_is_stored_only_as_a_hash_and_never_audited_or_logged(db, client, make_user):
    admin = make_user("admin")
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=admin)
    db.commit()
    assert accept(client, token).status_code == 303
    stored = db.exec(select(Invitation.token_hash)).all()
    assert stored == [hash_token(token)] and token not in stored
    details = " ".join(str(d) for d in db.exec(select(AuditEvent.detail)).all())
    assert token not in details and hash_token(token) not in details

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', ("1.2.3.4", "GET", f"/invite/{token}", "1.1", 200), None
    )
    RedactInvitationTokens().filter(record)
    assert token not in record.getMessage() and "/invite/[redacted]" in record.getMessage()
    assert any(isinstance(f, RedactInvitationTokens) for f in logging.getLogger("uvicorn.access").filters)


def test_the_invitation_mail_is_queued_with_the_link(db, make_user):
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=None)
    db.commit()
    row = db.exec(select(Outbox).where(Outbox.user_id == person.id)).one()
    assert row.kind == "invitation" and row.subject == "Set up your account"
    assert f"/invite/{token}" in row.body_text and f"/invite/{token}" in row.body_html
    assert "Choose your password" in row.body_html and "Nia Newcomer" in row.body_text


@pytest.mark.parametrize("role", [None, "trainer", "manager", "skills_lead"])
def test_only_admins_create_invitations(signed_in, db, make_user, role):
    person = newcomer(make_user)
    browser, _ = signed_in(*([role] if role else []))
    assert browser.post(f"/admin/users/{person.id}/invitation").status_code == 403
    assert browser.post("/admin/users/import/invitations").status_code == 403
    assert db.exec(select(Invitation)).all() == []


def test_admin_creates_a_link_on_the_person_page(signed_in, db, client, make_user):
    person = newcomer(make_user)
    browser, _ = signed_in("admin")
    page = text_of(browser.get(f"/admin/users/{person.id}"))
    assert "Has never signed in. Has no password yet." in page and "No open invitation link." in page
    r = browser.post(f"/admin/users/{person.id}/invitation")
    assert r.status_code == 200
    assert "Copy the link now" in r.text and 'id="invitation-link"' in r.text and "readonly" in r.text
    assert "An invitation link is open until" in text_of(r)
    link, token = LINK.search(r.text).groups()
    assert link.startswith("http://testserver/invite/")
    assert token not in browser.get(f"/admin/users/{person.id}").text  # shown once
    with TestClient(client.app, follow_redirects=False) as invitee:
        assert accept(invitee, token).status_code == 303
    after = text_of(browser.get(f"/admin/users/{person.id}"))
    assert "Has signed in." in after and "No open invitation link." in after
    assert browser.post("/admin/users/999999/invitation").status_code == 404


def test_inactive_people_are_not_invited(signed_in, db, make_user):
    person = newcomer(make_user, is_active=False)
    browser, _ = signed_in("admin")
    r = browser.post(f"/admin/users/{person.id}/invitation")
    assert r.status_code == 422 and "Reactivate the account before inviting them." in r.text
    assert db.exec(select(Invitation)).all() == []


CSV = (
    "email,name,org_unit,manager_email,roles,job_profile\n"
    "grace@example.gov,Grace Hopper,Digital,,manager,\n"
    "ada@example.gov,Ada Lovelace,Digital,grace@example.gov,trainer,\n"
    "=evil@example.gov,=HYPERLINK(1),Digital,,,\n"
)


def test_import_offers_links_for_everyone_created(signed_in, db, client, make_user):
    browser, _ = signed_in("admin")
    imported = browser.post(
        "/admin/users/import", {}, files={"file": ("people.csv", CSV.replace("=evil", "eve").encode(), "text/csv")}
    )
    assert imported.status_code == 303 and imported.headers["location"] == "/admin/users/import/invitations"
    offer = text_of(browser.get("/admin/users/import/invitations"))
    assert "choose their own through an invitation link" in offer  # the import's flash
    assert "Create invitation links for the 3 people" in offer
    assert "Ada Lovelace" in offer and "Grace Hopper" in offer

    created = browser.post("/admin/users/import/invitations")
    assert created.status_code == 200
    page = text_of(created)
    assert "Copy or download the links now" in page and "Invitation links created for 3 people" in page
    links = dict(
        re.findall(r'<th scope="row">([^<]+)</th><td>[^<]+</td>\s*<td><label[^>]*>[^<]*</label>\s*<input[^>]*value="([^"]+)"', page)
    )
    assert set(links) == {"Ada Lovelace", "Grace Hopper", "=HYPERLINK(1)"}
    assert len(db.exec(select(Invitation)).all()) == 3
    assert people_awaiting_invitation(db) == []

    # The CSV download gets the same rows back, formulas defused.
    form = {
        "name": re.findall(r'name="name" value="([^"]*)"', created.text),
        "email": re.findall(r'name="email" value="([^"]*)"', created.text),
        "link": re.findall(r'name="link" value="([^"]*)"', created.text),
    }
    download = browser.post("/admin/users/import/invitations.csv", {k: [html.unescape(v) for v in vs] for k, vs in form.items()})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    body = download.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "name,email,link"
    assert f"Ada Lovelace,ada@example.gov,{links['Ada Lovelace']}" in body and "'=HYPERLINK(1)" in body

    # Every link works for its own person.
    with TestClient(client.app, follow_redirects=False) as invitee:
        token = links["Ada Lovelace"].rsplit("/", 1)[1]
        assert invitee.get(f"/invite/{token}").status_code == 200
        assert "ada@example.gov" in invitee.get(f"/invite/{token}").text

    # Nobody is left waiting, and the page says so.
    assert "Everyone active can sign in or has an open invitation link." in text_of(browser.get("/admin/users/import/invitations"))
    assert "No open" not in page


def test_import_page_explains_invitations(signed_in):
    browser, _ = signed_in("admin")
    page = text_of(browser.get("/admin/users/import"))
    assert "invitation link" in page and "works once, for 14 days" in page


def test_a_throttled_account_sets_its_password_then_signs_in_later(db, client, make_user):
    # Failed sign-ins on this account from this address: the password is still set, the sign-in waits.
    person = newcomer(make_user)
    token = invitation_create(db, user=person, by=None)
    key = f"account_ip:{person.email}|testclient"
    db.add(LoginThrottle(key=key, kind="account_ip", account=person.email, failures=9, blocked_until=utcnow() + timedelta(minutes=5)))
    db.commit()
    r = accept(client, token)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "Your password has been set. Sign in with it when you are ready." in text_of(client.get("/login"))
    db.expire_all()
    assert db.get(User, person.id).password_hash is not None
