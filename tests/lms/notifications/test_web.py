"""The notifications page, the header count, the choices on /account and one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from lms.notifications.drain import outbox_drain
from lms.notifications.models import NotificationPreference, Outbox
from lms.notifications.service import delivery_for, notify, preference_set
from lms.notifications.tokens import unsubscribe_token
from tests.lms.notifications.test_drain import NOW


def queue(db, settings, user, n: int, kind: str = "due_soon"):
    row = notify(
        db,
        user=user,
        kind=kind,
        object_ref=f"cycle:{n}",
        period="p",
        subject=f"Reminder number {n}",
        template="message",
        context={"text": "t"},
        link=f"/learning/requirements/{n}",
        now=NOW + timedelta(minutes=n),
        settings=settings,
    )
    db.commit()
    return row


def test_the_list_shows_newest_first_and_get_marks_nothing(db, app, settings, signed_in, make_user):
    browser, user = signed_in()
    for n in range(1, 4):
        queue(db, settings, user, n)
    queue(db, settings, make_user(), 9)
    page = browser.get("/notifications")
    assert page.status_code == 200
    text = page.text
    assert text.index("Reminder number 3") < text.index("Reminder number 2") < text.index("Reminder number 1")
    assert "Reminder number 9" not in text and 'href="/learning/requirements/3"' in text
    assert '<span class="usa-tag">3<span class="usa-sr-only"> unread</span></span>' in text
    db.expire_all()
    assert all(r.read_at is None for r in db.exec(select(Outbox).where(Outbox.user_id == user.id)))
    assert "Reminder number 2" in browser.get("/notifications?unread=1").text

    assert browser.post("/notifications/read").headers["location"] == "/notifications"
    after = browser.get("/notifications").text
    assert "Marked all as read." in after and "usa-tag" not in after
    assert "Nothing unread." in browser.get("/notifications?unread=1").text
    assert browser.post("/notifications/read").status_code == 303
    assert "Nothing was unread." in browser.get("/notifications").text


def test_the_list_pages(db, app, settings, signed_in):
    browser, user = signed_in()
    per_page = app.state.settings.page_size
    for n in range(per_page + 2):
        queue(db, settings, user, n)
    first = browser.get("/notifications").text
    assert f"Showing 1–{per_page} of {per_page + 2} notifications" in first and "Page 1 of 2" in first
    second = browser.get("/notifications?page=2").text
    assert "Reminder number 0" in second and "Reminder number 1<" in second
    fragment = browser.get("/notifications?page=2", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="results"')


def test_nothing_yet(signed_in):
    browser, _ = signed_in()
    assert "No notifications yet." in browser.get("/notifications").text


def test_account_offers_choices_and_saves_them(db, signed_in):
    browser, user = signed_in()
    page = browser.get("/account").text
    assert 'id="notifications"' in page
    assert 'id="certificate_ready-off"' in page and 'id="overdue-off"' not in page and 'id="overdue-weekly"' in page
    assert 'name="invitation"' not in page
    response = browser.post("/account/notifications", {"overdue": "weekly", "certificate_ready": "off"})
    assert response.status_code == 303 and response.headers["location"] == "/account#notifications"
    assert delivery_for(db, user_id=user.id, kind="overdue").value == "weekly"
    assert delivery_for(db, user_id=user.id, kind="certificate_ready").value == "off"
    page = browser.get("/account").text
    assert "Your notification choices are saved." in page
    assert 'id="certificate_ready-off" type="radio" name="certificate_ready" value="off" checked' in page


def test_off_for_mandatory_training_is_refused(db, signed_in):
    browser, user = signed_in()
    response = browser.post("/account/notifications", {"overdue": "off", "certificate_ready": "daily"})
    assert response.status_code == 422
    assert "choose a digest rather than off" in response.text
    db.expire_all()
    # Nothing of that form was saved.
    assert db.exec(select(NotificationPreference).where(NotificationPreference.user_id == user.id)).all() == []
    fragment = browser.post("/account/notifications", {"overdue": "off"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and fragment.text.lstrip().startswith("<section")


def test_a_failed_password_change_still_shows_the_choices(signed_in):
    browser, _ = signed_in()
    response = browser.post("/account/password", {"current_password": "wrong", "new_password": "a", "confirm_password": "a"})
    assert response.status_code == 422 and 'id="notifications"' in response.text


def test_one_click_unsubscribe_from_a_real_message(app, db, mail_settings, smtp_server, make_user):
    user = make_user()
    notify(
        db,
        user=user,
        kind="certificate_ready",
        object_ref="certificate:1",
        period="CODE",
        subject="Your certificate",
        template="message",
        context={"text": "t"},
        link="/learning",
        now=NOW,
        settings=mail_settings,
    )
    db.commit()
    outbox_drain(db, settings=mail_settings, now=NOW)
    (msg,) = smtp_server.collector.messages
    url = msg["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://lms.example.org")
    # A mail client: no cookies, no CSRF token, just the RFC 8058 body.
    with TestClient(app, follow_redirects=False) as mail_client:
        response = mail_client.post(
            path, content=b"List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    assert response.status_code == 200 and "no longer get" in response.text
    db.expire_all()
    assert delivery_for(db, user_id=user.id, kind="certificate_ready").value == "off"


def test_unsubscribe_page_confirms_and_mandatory_kinds_go_weekly(app, db, make_user):
    user = make_user()
    token = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="overdue")
    with TestClient(app, follow_redirects=False) as visitor:
        page = visitor.get(f"/unsubscribe/{token}")
        assert page.status_code == 200 and f'action="/unsubscribe/{token}"' in page.text
        assert "Mandatory training overdue" in page.text
        response = visitor.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "once a week" in response.text
    db.expire_all()
    assert delivery_for(db, user_id=user.id, kind="overdue").value == "weekly"


def test_tampered_and_foreign_tokens_get_404(app, db, make_user):
    user = make_user()
    token = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="certificate_ready")
    other = unsubscribe_token("another-secret", user_id=user.id, kind="certificate_ready")
    forged = token.replace(f"{user.id}.", f"{user.id + 1}.", 1)
    with TestClient(app, follow_redirects=False) as visitor:
        for bad in (other, forged, token[:-1] + ("0" if token[-1] != "0" else "1"), "nonsense"):
            assert visitor.get(f"/unsubscribe/{bad}").status_code == 404
            assert visitor.post(f"/unsubscribe/{bad}", content=b"List-Unsubscribe=One-Click").status_code == 404
        # Genuine but for someone who no longer exists, or a kind nobody sends.
        gone = unsubscribe_token(app.state.secret_key, user_id=999999, kind="certificate_ready")
        assert visitor.post(f"/unsubscribe/{gone}").status_code == 404
        strange = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="nonsense")
        assert visitor.post(f"/unsubscribe/{strange}").status_code == 404
    db.expire_all()
    assert delivery_for(db, user_id=user.id, kind="certificate_ready").value == "immediate"


def test_the_exemption_is_only_for_unsubscribe(app, make_user):
    user = make_user()
    from tests.conftest import sign_in

    with TestClient(app, follow_redirects=False) as visitor:
        assert sign_in(visitor, user.email).status_code == 303
        assert visitor.post("/account/notifications", data={"certificate_ready": "off"}).status_code == 403
        assert visitor.post("/notifications/read").status_code == 403


def test_unsubscribing_from_a_digest_and_from_an_invitation(app, db, make_user):
    user = make_user()
    preference_set(db, user=user, kind="certificate_ready", delivery="daily")
    preference_set(db, user=user, kind="due_soon", delivery="daily")
    db.commit()
    with TestClient(app, follow_redirects=False) as visitor:
        digest = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="digest_daily")
        assert "Stop getting daily digest messages" in visitor.get(f"/unsubscribe/{digest}").text
        response = visitor.post(f"/unsubscribe/{digest}")
        assert response.status_code == 200 and "weekly digest" in response.text
        weekly = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="digest_weekly")
        assert "nothing to change" in visitor.post(f"/unsubscribe/{weekly}").text
        invitation = unsubscribe_token(app.state.secret_key, user_id=user.id, kind="invitation")
        assert "nothing to change" in visitor.post(f"/unsubscribe/{invitation}").text
    db.expire_all()
    assert delivery_for(db, user_id=user.id, kind="certificate_ready").value == "off"
    assert delivery_for(db, user_id=user.id, kind="due_soon").value == "weekly"


def test_the_header_count_is_for_signed_in_people_only(client, db, settings, make_user):
    page = client.get("/login").text
    assert "header-notifications" not in page
    missing = client.get("/no-such-page")
    assert missing.status_code == 404


def test_saving_with_htmx_answers_the_section_and_the_confirmation(db, signed_in):
    browser, user = signed_in()
    response = browser.post("/account/notifications", {"certificate_ready": "weekly"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" not in response.headers
    assert 'id="flashes" aria-live="polite" hx-swap-oob="true"' in response.text
    assert (
        "Your notification choices are saved." in response.text and '<section aria-labelledby="notifications-heading"' in response.text
    )
    assert 'value="weekly" checked' in response.text
    # The confirmation was shown once, not again on the next page.
    assert "Your notification choices are saved." not in browser.get("/account").text
