"""Who looked at whom: a manager opening a person, an admin opening a user or the users list, an API
token reading people each record one view naming everyone shown, and the person sees it on /account.
Both engines, through the app."""

from __future__ import annotations

import html

from sqlmodel import select

from lms.api.service import api_token_create
from lms.audit.models import RecordView, RecordViewSubject
from tests.conftest import TEST_PASSWORD, Browser, sign_in


def views(db) -> list[tuple[str, str, list[int]]]:
    found = []
    for view in db.exec(select(RecordView).order_by(RecordView.id)).all():
        people = db.exec(select(RecordViewSubject.user_id).where(RecordViewSubject.view_id == view.id)).all()
        found.append((view.what, view.viewer_label, sorted(people)))
    return found


def account_section(client, email: str) -> str:
    client.cookies.clear()
    assert sign_in(client, email, TEST_PASSWORD).status_code == 303
    page = html.unescape(client.get("/account").text)
    return page[page.index('id="viewed-by"') :]


def test_a_manager_opening_a_person_is_shown_to_that_person(client, make_user, db):
    manager = make_user("manager", name="Maya Manager", email="maya@example.gov")
    person = make_user(name="Pat Person", email="pat@example.gov", manager_id=manager.id)
    browser = Browser(client)
    assert sign_in(client, manager.email, TEST_PASSWORD).status_code == 303
    assert browser.get(f"/team/people/{person.id}").status_code == 200
    assert views(db) == [("person page (My team)", "Maya Manager (maya@example.gov)", [person.id])]

    section = account_section(client, person.email)
    assert "Who viewed your records" in section
    assert "Maya Manager (maya@example.gov)" in section and "person page (My team)" in section
    # The manager looked at nobody's records but Pat's; their own account says so.
    assert "Nobody else has viewed your records yet." in account_section(client, manager.email)


def test_a_list_is_one_view_naming_everyone_on_it(signed_in, make_user, db):
    browser, admin = signed_in("admin", name="Ada Admin")
    others = [make_user(name=f"Listed {n}") for n in range(3)]
    assert browser.get("/admin/users").status_code == 200
    assert views(db) == [("users list (Administration)", f"Ada Admin ({admin.email})", sorted(p.id for p in others))]
    assert browser.get(f"/admin/users/{others[0].id}").status_code == 200
    assert views(db)[-1] == ("user page (Administration)", f"Ada Admin ({admin.email})", [others[0].id])
    # Opening your own page records nothing.
    assert browser.get(f"/admin/users/{admin.id}").status_code == 200
    assert len(views(db)) == 2


def test_an_api_token_reading_people_is_recorded_under_its_name(client, make_user, db):
    admin = make_user("admin")
    person = make_user(name="Read By Api", email="read.by.api@example.gov")
    token, secret = api_token_create(db, name="HR sync", scopes=["people:read"], org_unit_id=None, expires_at=None, by=admin)
    db.commit()
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/people", headers=auth).status_code == 200
    assert client.get(f"/api/v1/people/{person.id}/competences", headers=auth).status_code == 200
    label = f"API token “HR sync” ({token.prefix}…)"
    assert views(db) == [
        ("people list (API)", label, sorted([admin.id, person.id])),
        ("competences (API)", label, [person.id]),
    ]
    section = account_section(client, person.email)
    assert label in section and "people list (API) (with 1 other person)" in section
    assert "2 views" in section


def test_the_team_page_is_one_view_of_the_people_it_names(client, make_user, db):
    manager = make_user("manager", name="Maya Manager", email="maya@example.gov")
    team = [make_user(name=f"Member {n}", manager_id=manager.id) for n in range(3)]
    assert sign_in(client, manager.email, TEST_PASSWORD).status_code == 303
    assert client.get("/team").status_code == 200
    assert client.get("/team/export.csv").status_code == 200
    ids = sorted(p.id for p in team)
    assert views(db) == [
        ("team skills (My team)", "Maya Manager (maya@example.gov)", ids),
        ("team skills download (My team)", "Maya Manager (maya@example.gov)", ids),
    ]
