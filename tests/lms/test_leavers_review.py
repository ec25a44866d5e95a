"""Accounts to review (/admin/users/review): who is listed, paging, query counts, deactivating one or
several with a confirmation, and the account facts on a person's admin page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.auth.models import UserIdentity
from lms.clock import utcnow
from lms.people.models import User, UserOrigin
from tests.conftest import sign_in
from tests.lms.competences.factories import make_profile
from tests.lms.factories import make_unit
from tests.support.queries import counting

REVIEW = "/admin/users/review"


def text_of(response) -> str:
    return html.unescape(response.text)


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    end = page.find("<section", start)
    return page[start : end if end > 0 else len(page)]


def stale_names(response) -> list[str]:
    part = section(text_of(response), "No recent sign-in")
    return re.findall(r'<th scope="row"><a href="/admin/users/\d+">([^<]+)</a></th>', part)


def unplaced_names(response) -> list[str]:
    part = section(text_of(response), "not yet placed")
    return re.findall(r'<th scope="row"><a href="/admin/users/\d+">([^<]+)</a></th>', part)


def test_stale_accounts_are_listed_from_n_days_with_never_signed_in_counted_from_creation(signed_in, make_user):
    browser, _ = signed_in("admin", name="Ada Admin")
    now = utcnow()
    make_user(name="Just Over", last_login_at=now - timedelta(days=90, hours=1))
    make_user(name="Just Under", last_login_at=now - timedelta(days=89, hours=23))
    make_user(name="Never Old", last_login_at=None, created_at=now - timedelta(days=120))
    make_user(name="Never New", last_login_at=None, created_at=now - timedelta(days=10))
    make_user(name="Long Gone", last_login_at=now - timedelta(days=400))
    make_user(name="Already Off", last_login_at=now - timedelta(days=400), is_active=False)
    make_user(name="Monthly", last_login_at=now - timedelta(days=45))

    r = browser.get(REVIEW)
    assert r.status_code == 200
    # The longest silent first; "never" counts from the day the account was made.
    assert stale_names(r) == ["Long Gone", "Never Old", "Just Over"]
    page = text_of(r)
    assert "Showing 1–3 of 3 active accounts with no sign-in for 90 days or more" in page
    assert f"Never (account made {(now - timedelta(days=120)).strftime('%-d %B %Y')})" in page
    assert stale_names(browser.get(REVIEW + "?days=30")) == ["Long Gone", "Never Old", "Just Over", "Just Under", "Monthly"]
    # A nonsense period falls back to the default rather than failing.
    assert stale_names(browser.get(REVIEW + "?days=-4")) == ["Long Gone", "Never Old", "Just Over"]


def test_an_htmx_filter_gets_only_the_results(signed_in, make_user):
    browser, _ = signed_in("admin")
    make_user(name="Long Gone", last_login_at=utcnow() - timedelta(days=400))
    r = browser.get(REVIEW + "?days=365", headers={"HX-Request": "true", "HX-Target": "results"})
    assert r.status_code == 200 and "<h1>" not in r.text
    assert 'id="results"' in r.text and "Long Gone" in r.text and "365 days or more" in r.text


def test_provisioned_accounts_without_unit_or_profile_are_listed_with_what_is_missing(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    unit = make_unit(db, "Digital")
    profile = make_profile(db, "Caseworker", {})
    make_user(name="Sso Nowhere", created_via=UserOrigin.SSO.value, external_id="E-1")
    make_user(name="Scim No Profile", created_via=UserOrigin.SCIM.value, org_unit_id=unit.id)
    make_user(name="Sso Placed", created_via=UserOrigin.SSO.value, org_unit_id=unit.id, job_profile_id=profile.id)
    make_user(name="Local Nowhere", created_via=UserOrigin.LOCAL.value)
    make_user(name="Scim Inactive", created_via=UserOrigin.SCIM.value, is_active=False)
    r = browser.get(REVIEW)
    assert sorted(unplaced_names(r)) == ["Scim No Profile", "Sso Nowhere"]
    part = section(text_of(r), "not yet placed")
    nowhere = part[part.index("Sso Nowhere") :].split("</tr>", 1)[0]
    assert "Single sign-on" in nowhere and "E-1" in nowhere and "Organisation unit, Job profile" in nowhere
    no_profile = part[part.index("Scim No Profile") :].split("</tr>", 1)[0]
    assert "HR directory (SCIM)" in no_profile and "<td>Job profile</td>" in no_profile


def test_empty_lists_say_what_to_do_next(signed_in):
    browser, _ = signed_in("admin")
    page = text_of(browser.get(REVIEW))
    assert "Every active account has signed in within the last 90 days" in page
    assert 'href="/admin/users/import"' in page
    assert "Every account that single sign-on or the HR directory created has an organisation unit and a job profile" in page


def test_query_count_does_not_grow_with_rows(app, signed_in, make_user):
    browser, _ = signed_in("admin")
    unit = make_unit(make_user.session, "Digital")
    old = utcnow() - timedelta(days=200)

    def add(n: int) -> None:
        for _ in range(n):
            make_user(last_login_at=old, org_unit_id=unit.id)
            make_user(created_via=UserOrigin.SSO.value)

    add(2)
    browser.get(REVIEW)
    with counting(app.state.engine) as few:
        assert len(stale_names(browser.get(REVIEW))) == 2
    add(18)
    with counting(app.state.engine) as many:
        assert len(stale_names(browser.get(REVIEW))) == 20
    assert len(unplaced_names(browser.get(REVIEW))) == 20
    assert len(many) == len(few)


def test_both_lists_page_on_their_own(signed_in, make_user, settings):
    browser, _ = signed_in("admin")
    for i in range(30):
        make_user(name=f"Gone {i:02d}", last_login_at=utcnow() - timedelta(days=100 + i), created_via=UserOrigin.SCIM.value)
    first = text_of(browser.get(REVIEW))
    assert "Showing 1–25 of 30 active accounts" in first and "Showing 1–25 of 30 accounts" in first
    assert 'href="/admin/users/review?page=2"' in first and 'href="/admin/users/review?unplaced_page=2"' in first
    second = browser.get(REVIEW + "?page=2&days=90")
    assert stale_names(second) == [f"Gone {i:02d}" for i in range(4, -1, -1)]
    assert len(unplaced_names(second)) == 25


def test_one_row_deactivates_after_a_confirmation_and_is_audited(app, signed_in, make_user, db):
    browser, admin = signed_in("admin")
    leo = make_user(name="Leo Leaver", last_login_at=utcnow() - timedelta(days=200))
    ask = browser.post(REVIEW + "/deactivate", {"person": str(leo.id), "days": "90"})
    assert ask.status_code == 200
    page = text_of(ask)
    assert "<h1>Deactivate 1 account?</h1>" in page and "Leo Leaver (" in page
    db.expire_all()
    assert db.get(User, leo.id).is_active  # asking changes nothing

    with TestClient(app, follow_redirects=False) as theirs:
        assert sign_in(theirs, leo.email).status_code == 303
        done = browser.post(REVIEW + "/deactivate", {"person": str(leo.id), "days": "90", "confirm": "1"})
        assert done.status_code == 303 and done.headers["location"] == REVIEW
        after = browser.get(done.headers["location"])
        assert "Deactivated 1 account (Leo Leaver): signed out everywhere" in text_of(after)
        assert stale_names(after) == []
        assert theirs.get("/").status_code == 303
    db.expire_all()
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).all()
    assert (event.target_id, event.actor_id, event.client_ip) == (str(leo.id), admin.id, "testclient")


def test_the_selected_are_deactivated_together_and_the_admin_never_themselves(signed_in, make_user, db):
    browser, admin = signed_in("admin")
    old = utcnow() - timedelta(days=200)
    a, b, keep = (make_user(name=n, last_login_at=old) for n in ("Ann Away", "Bob Away", "Kim Kept"))
    form = {"person": [str(b.id), str(a.id), str(admin.id), "999999", "junk"], "days": "120"}
    ask = text_of(browser.post(REVIEW + "/deactivate", form))
    assert "<h1>Deactivate 2 accounts?</h1>" in ask and f"({admin.email})" not in ask and "Ann Away (" in ask
    done = browser.post(REVIEW + "/deactivate", {**form, "confirm": "1"})
    assert done.headers["location"] == REVIEW + "?days=120"
    assert "Deactivated 2 accounts (Ann Away, Bob Away)" in text_of(browser.get(done.headers["location"]))
    db.expire_all()
    assert [db.get(User, u.id).is_active for u in (a, b, keep, admin)] == [False, False, True, True]
    targets = db.exec(select(AuditEvent.target_id).where(AuditEvent.action == "user.deactivate")).all()
    assert sorted(targets) == sorted([str(a.id), str(b.id)])


@pytest.mark.parametrize(
    "people, message",
    [([], "Select at least one active account to deactivate."), (["self"], "You cannot deactivate your own account")],
)
def test_nothing_to_deactivate_is_explained(signed_in, people, message):
    browser, admin = signed_in("admin")
    r = browser.post(REVIEW + "/deactivate", {"person": [str(admin.id) for _ in people], "confirm": "1"})
    assert r.status_code == 422 and message in text_of(r)


@pytest.mark.parametrize("role", [None, "manager", "trainer", "skills_lead"])
def test_only_admins_reach_the_review(signed_in, make_user, db, role):
    browser, _ = signed_in(*([role] if role else []))
    leo = make_user(last_login_at=utcnow() - timedelta(days=200))
    assert browser.get(REVIEW).status_code == 403
    assert browser.post(REVIEW + "/deactivate", {"person": str(leo.id), "confirm": "1"}).status_code == 403
    db.expire_all()
    assert db.get(User, leo.id).is_active


def test_the_review_is_linked_from_administration_the_users_list_and_the_home_panel(signed_in, make_user):
    browser, _ = signed_in("admin")
    for path in ("/admin", "/admin/users"):
        assert f'href="{REVIEW}"' in browser.get(path).text
    assert "accounts to review" not in text_of(browser.get("/")).lower()
    make_user(last_login_at=utcnow() - timedelta(days=200))
    make_user(created_via=UserOrigin.SSO.value)
    home = text_of(browser.get("/"))
    assert f'<a href="{REVIEW}">2 accounts to review</a>' in home
    assert "1 with no sign-in for 90 days, 1 added by single sign-on or SCIM" in home


def test_the_person_page_shows_origin_last_sign_in_external_id_and_sso_identity(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    when = utcnow().replace(year=2026, month=3, day=4, hour=9, minute=5)
    person = make_user(name="Sam Sso", created_via=UserOrigin.SSO.value, external_id="HR-0042", last_login_at=when)
    db.add(UserIdentity(user_id=person.id, issuer="https://login.example.gov/realm", subject="a1b2-c3"))
    db.commit()
    page = text_of(browser.get(f"/admin/users/{person.id}"))
    facts = page[page.index('<h2 id="account-heading">') : page.index("details-heading")]
    assert "Single sign-on," in facts and "4 March 2026 at 09:05 UTC" in facts and "<code>HR-0042</code>" in facts
    assert "Issuer <code>https://login.example.gov/realm</code>, subject <code>a1b2-c3</code>" in facts

    local = make_user(name="Lou Local")
    plain = text_of(browser.get(f"/admin/users/{local.id}"))
    assert "Created by an administrator" in plain and "Never signed in" in plain
    assert "Not linked to a single sign-on identity" in plain


def test_the_users_list_shows_each_last_sign_in(signed_in, make_user):
    browser, _ = signed_in("admin", name="Ada Admin")
    make_user(name="Bea Before", last_login_at=utcnow().replace(year=2026, month=2, day=9))
    make_user(name="Cy Never")
    page = text_of(browser.get("/admin/users"))
    assert '<th scope="col">Last sign-in</th>' in page
    assert "<td>9 Feb 2026</td>" in page[page.index("Bea Before") :].split("</tr>", 1)[0]
    assert "<td>Never</td>" in page[page.index("Cy Never") :].split("</tr>", 1)[0]
