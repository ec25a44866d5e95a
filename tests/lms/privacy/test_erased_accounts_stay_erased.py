"""An erased account keeps its id for the statistics and nothing else: no one can write a name, an address,
a role, a password or an invitation back onto it, from the admin pages or the command line."""

from __future__ import annotations

import pytest

from lms.people.models import User
from lms.people.service import ERASED_MESSAGE
from tests.conftest import Browser, sign_in


@pytest.fixture
def erased(client, db, make_user):
    admin = make_user("admin", email="admin@example.gov")
    person = make_user(email="leaver@example.gov", name="Lee Leaver")
    assert sign_in(client, admin.email).status_code == 303
    browser = Browser(client)
    assert browser.post(f"/admin/users/{person.id}/erase", data={"confirm": person.email}).status_code == 303
    db.expire_all()
    assert db.get(User, person.id).erased_at is not None
    return browser, person.id


def test_the_admin_pages_refuse_to_give_an_erased_account_an_identity_again(erased, db):
    browser, person_id = erased
    replies = [
        browser.post(f"/admin/users/{person_id}", data={"name": "Lee Leaver", "email": "lee@example.gov", "roles": ["admin"]}),
        browser.post(f"/admin/users/{person_id}/password", data={"password": "a brand new long passphrase 2026"}),
        browser.post(f"/admin/users/{person_id}/invitation"),
    ]
    for reply in replies:
        assert reply.status_code == 422 and "This account was erased" in reply.text
    db.expire_all()
    person = db.get(User, person_id)
    assert person.name == f"Former employee #{person_id}" and person.password_hash is None
    assert person.email != "lee@example.gov"


def test_an_erased_account_cannot_be_reactivated(erased, db):
    browser, person_id = erased
    person = db.get(User, person_id)
    if person.is_active:
        assert browser.post(f"/admin/users/{person_id}/deactivate").status_code == 303
    again = browser.post(f"/admin/users/{person_id}/activate")
    assert again.status_code == 422 and ERASED_MESSAGE.split(":")[0] in again.text
    db.expire_all()
    assert db.get(User, person_id).is_active is False
