"""Admin users pages: list, search and filters, create, edit, roles, password, (de)activation."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from lms.audit.models import AuditEvent
from lms.people.models import RoleGrant, User
from tests.conftest import TEST_PASSWORD, sign_in
from tests.lms.factories import make_unit
from tests.support.queries import counting

NEW_PASSWORD = "lantern orbit meadow 7319 quilt"


def text_of(response) -> str:
    return html.unescape(response.text)


def row_names(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/admin/users/\d+">([^<]+)</a></th>', text_of(response))


def actions_for(db, user_id: int) -> list[tuple[str, str]]:
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(AuditEvent.target_id == str(user_id)).order_by(AuditEvent.id)).all()
    return [(e.action, e.detail) for e in rows]


USER_PAGES = ["/admin/users", "/admin/users/new", "/admin/users/{id}"]


@pytest.mark.parametrize("path, heading", list(zip(USER_PAGES, ["Users", "Add a user", "Grace Hopper"], strict=True)))
def test_user_pages_render_for_admin(signed_in, make_user, path, heading):
    browser, _ = signed_in("admin")
    other = make_user(name="Grace Hopper")
    r = browser.get(path.format(id=other.id))
    assert r.status_code == 200
    assert f"<h1>{heading}" in r.text


def test_list_shows_unit_path_manager_roles_and_status(signed_in, make_user, db):
    browser, _ = signed_in("admin", name="Alice Admin")
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data team", digital)
    boss = make_user("manager", name="Bob Boss", org_unit_id=digital.id)
    make_user("trainer", name="Cleo Coach", org_unit_id=data.id, manager_id=boss.id, is_active=False)
    r = browser.get("/admin/users")
    page = text_of(r)
    assert row_names(r) == ["Alice Admin", "Bob Boss", "Cleo Coach"]
    cleo_row = page[page.index("Cleo Coach") :]
    cleo_row = cleo_row[: cleo_row.index("</tr>")]
    assert "Digital / Data team" in cleo_row and "Bob Boss" in cleo_row
    assert "Trainer" in cleo_row and "Inactive" in cleo_row
    assert "Showing 1–3 of 3 users" in page


def test_roles_are_shown_by_their_names_not_their_codes(signed_in, make_user):
    browser, _ = signed_in("admin", name="Alice Admin")
    lead = make_user("skills_lead", "manager", name="Lena Lead")
    page = text_of(browser.get("/admin/users"))
    lead_row = page[page.index("Lena Lead") :]
    lead_row = lead_row[: lead_row.index("</tr>")]
    assert "Manager, Skills lead" in lead_row
    assert "Skills_lead" not in page
    assert '<option value="skills_lead">Skills lead</option>' in page
    edit = text_of(browser.get(f"/admin/users/{lead.id}"))
    assert '<label class="usa-checkbox__label" for="role-skills_lead">Skills lead</label>' in edit
    assert "skills_lead (Skills lead)" in text_of(browser.get("/admin/users/import"))
    assert "<dd>Employee, Administrator</dd>" in text_of(browser.get("/account"))


def test_search_filters_and_pagination(signed_in, make_user, db):
    browser, _ = signed_in("admin", name="Zed Admin", email="zed@example.gov")
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data", digital)
    finance = make_unit(db, "Finance")
    for i in range(30):
        make_user(
            *(["trainer"] if i % 10 == 0 else []),
            name=f"Person {i:02d}",
            email=f"person{i:02d}@example.gov",
            org_unit_id=[digital.id, data.id, finance.id][i % 3],
            is_active=i != 7,
        )
    make_user(name="María Ölund", email="MOlund@Example.gov")

    first = browser.get("/admin/users")
    assert len(row_names(first)) == 25 and "of 32 users" in first.text
    assert row_names(first)[0] == "María Ölund"
    second = browser.get("/admin/users?page=2")
    assert row_names(second) == [f"Person {i:02d}" for i in range(24, 30)] + ["Zed Admin"]
    assert 'href="/admin/users?page=1"' in second.text or "Previous" in second.text
    # Past the end shows the last page rather than nothing.
    assert row_names(browser.get("/admin/users?page=9")) == row_names(second)

    assert row_names(browser.get("/admin/users?q=PERSON 0")) == [f"Person 0{i}" for i in range(10)]
    assert row_names(browser.get("/admin/users?q=molund@EXAMPLE")) == ["María Ölund"]
    assert row_names(browser.get("/admin/users?q=100%25")) == []

    # A unit includes its sub-units.
    in_digital = row_names(browser.get(f"/admin/users?unit={digital.id}"))
    assert len(in_digital) == 20
    assert len(row_names(browser.get(f"/admin/users?unit={data.id}"))) == 10

    assert row_names(browser.get("/admin/users?role=trainer")) == ["Person 00", "Person 10", "Person 20"]
    assert row_names(browser.get("/admin/users?role=admin")) == ["Zed Admin"]
    employees = row_names(browser.get("/admin/users?role=employee&q=person"))
    assert len(employees) == 25 and "Person 10" not in employees
    assert row_names(browser.get("/admin/users?status=inactive")) == ["Person 07"]
    assert "of 31 users" in browser.get("/admin/users?status=active").text

    combined = browser.get(f"/admin/users?unit={finance.id}&role=trainer&status=active")
    assert row_names(combined) == ["Person 20"]

    empty = browser.get("/admin/users?q=nobody-here")
    assert "No users match these filters" in empty.text


def test_htmx_request_gets_only_the_results(signed_in):
    browser, _ = signed_in("admin", name="Ann Admin")
    r = browser.get("/admin/users?q=ann", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<div id="results"') and "<html" not in r.text
    assert row_names(r) == ["Ann Admin"]
    assert "HX-Request" in r.headers["vary"]


def count_statements(app, browser, url) -> int:
    with counting(app.state.engine) as statements:
        assert browser.get(url).status_code == 200
    return len(statements)


def test_users_list_query_count_does_not_grow_with_rows(app, signed_in, make_user, db):
    browser, _ = signed_in("admin")
    team = make_unit(db, "Team")
    boss = make_user("manager", org_unit_id=team.id)

    def add(n):
        for _ in range(n):
            make_user("trainer", org_unit_id=team.id, manager_id=boss.id)

    add(4)
    few = count_statements(app, browser, "/admin/users")
    add(25)
    many = count_statements(app, browser, "/admin/users")
    assert few == many
    assert count_statements(app, browser, f"/admin/users?unit={team.id}&role=trainer&q=test") <= many + 1


def test_create_user_with_roles_manager_and_password(signed_in, make_user, db, app):
    browser, admin = signed_in("admin")
    team = make_unit(db, "Team")
    boss = make_user("manager", email="boss@example.gov")
    r = browser.post(
        "/admin/users/new",
        {
            "name": "  Grace Hopper ",
            "email": "Grace@Example.gov",
            "org_unit_id": str(team.id),
            "manager_email": "BOSS@example.gov",
            "roles": ["trainer", "manager"],
            "password": TEST_PASSWORD,
        },
    )
    assert r.status_code == 303
    created = db.exec(select(User).where(User.email == "grace@example.gov")).one()
    assert r.headers["location"] == f"/admin/users/{created.id}"
    assert (created.name, created.org_unit_id, created.manager_id) == ("Grace Hopper", team.id, boss.id)
    assert set(db.exec(select(RoleGrant.role).where(RoleGrant.user_id == created.id)).all()) == {"trainer", "manager"}
    assert [a for a, _ in actions_for(db, created.id)] == ["user.create"]
    assert "Grace Hopper has been added" in browser.get(r.headers["location"]).text
    with TestClient(app, follow_redirects=False) as other:
        assert sign_in(other, "grace@example.gov").status_code == 303


def test_create_user_validation_errors(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    make_user(email="taken@example.gov")
    r = browser.post(
        "/admin/users/new", {"name": " ", "email": "not-an-email", "manager_email": "ghost@example.gov", "roles": ["trainer"]}
    )
    assert r.status_code == 422
    page = text_of(r)
    assert "There are 3 problems" in page
    assert "Enter the person's name." in page
    assert "'not-an-email' is not a valid email address" in page
    assert "Nobody has the email address ghost@example.gov" in page
    assert 'value="trainer" checked' in r.text  # what was entered is kept

    dup = browser.post("/admin/users/new", {"name": "Dup", "email": "TAKEN@example.gov"})
    assert dup.status_code == 422 and "A user with email taken@example.gov already exists." in text_of(dup)

    weak = browser.post("/admin/users/new", {"name": "Weak", "email": "weak@example.gov", "password": "password"})
    assert weak.status_code == 422 and 'id="password-error"' in weak.text
    assert db.exec(select(User).where(User.email.in_(["weak@example.gov", "dup@example.gov"]))).all() == []


def test_edit_user_and_grant_and_revoke_roles(signed_in, make_user, db):
    browser, admin = signed_in("admin")
    team = make_unit(db, "Team")
    boss = make_user(email="boss@example.gov")
    person = make_user("trainer", name="Old Name", email="p@example.gov")
    form = browser.get(f"/admin/users/{person.id}").text
    assert 'value="Old Name"' in form and 'value="trainer" checked' in form

    r = browser.post(
        f"/admin/users/{person.id}",
        {
            "name": "New Name",
            "email": "p@example.gov",
            "org_unit_id": str(team.id),
            "manager_email": "boss@example.gov",
            "roles": ["manager", "admin"],
        },
    )
    assert r.status_code == 303 and r.headers["location"] == f"/admin/users/{person.id}"
    db.expire_all()
    fresh = db.get(User, person.id)
    assert (fresh.name, fresh.org_unit_id, fresh.manager_id) == ("New Name", team.id, boss.id)
    assert set(db.exec(select(RoleGrant.role).where(RoleGrant.user_id == person.id)).all()) == {"manager", "admin"}
    events = actions_for(db, person.id)
    assert ("role.grant", '{"role": "admin"}') in events and ("role.grant", '{"role": "manager"}') in events
    assert ("role.revoke", '{"role": "trainer"}') in events and "user.update" in [a for a, _ in events]

    # Revoking every grant leaves an employee.
    browser.post(f"/admin/users/{person.id}", {"name": "New Name", "email": "p@example.gov"})
    assert db.exec(select(RoleGrant.role).where(RoleGrant.user_id == person.id)).all() == []


def test_edit_refuses_cycles_and_own_admin_removal(signed_in, make_user, db):
    browser, admin = signed_in("admin", email="admin@example.gov", name="Admin")
    boss = make_user(email="boss@example.gov", name="Boss")
    report = make_user(email="report@example.gov", name="Report", manager_id=boss.id)
    r = browser.post(f"/admin/users/{boss.id}", {"name": "Boss", "email": "boss@example.gov", "manager_email": "report@example.gov"})
    assert r.status_code == 422 and "That would make a cycle in line management." in text_of(r)
    assert 'id="manager_email-error"' in r.text
    db.expire_all()
    assert db.get(User, boss.id).manager_id is None and report.manager_id == boss.id

    own = browser.post(f"/admin/users/{admin.id}", {"name": "Renamed", "email": "admin@example.gov", "roles": []})
    assert own.status_code == 422 and "You cannot remove your own admin role" in text_of(own)
    db.expire_all()
    assert db.get(User, admin.id).name == "Admin"  # the rename was rolled back with the refused role change
    assert "admin" in db.exec(select(RoleGrant.role).where(RoleGrant.user_id == admin.id)).all()


def test_deactivation_ends_sessions_and_activation_restores_sign_in(app, signed_in, make_user, db):
    browser, admin = signed_in("admin")
    person = make_user(name="Dana")
    with TestClient(app, follow_redirects=False) as theirs:
        assert sign_in(theirs, person.email).status_code == 303
        assert theirs.get("/").status_code == 200

        r = browser.post(f"/admin/users/{person.id}/deactivate")
        assert r.status_code == 303
        assert "Dana has been deactivated" in browser.get(r.headers["location"]).text
        after = theirs.get("/")
        assert after.status_code == 303 and after.headers["location"].startswith("/login")
        assert sign_in(theirs, person.email).status_code == 422

        listed = text_of(browser.get("/admin/users?status=inactive"))
        assert "Dana" in listed
        assert browser.post(f"/admin/users/{person.id}/activate").status_code == 303
        assert sign_in(theirs, person.email).status_code == 303
    assert [a for a, _ in actions_for(db, person.id)] == ["user.deactivate", "user.activate"]


def test_admin_cannot_deactivate_themselves(signed_in, db):
    browser, admin = signed_in("admin")
    r = browser.post(f"/admin/users/{admin.id}/deactivate")
    assert r.status_code == 422 and "You cannot deactivate your own account." in text_of(r)
    db.expire_all()
    assert db.get(User, admin.id).is_active


def test_set_password_signs_person_out(app, signed_in, make_user):
    browser, _ = signed_in("admin")
    person = make_user()
    with TestClient(app, follow_redirects=False) as theirs:
        sign_in(theirs, person.email)
        weak = browser.post(f"/admin/users/{person.id}/password", {"password": "short"})
        assert weak.status_code == 422 and 'id="password-error"' in weak.text
        assert theirs.get("/").status_code == 200

        assert browser.post(f"/admin/users/{person.id}/password", {"password": NEW_PASSWORD}).status_code == 303
        assert theirs.get("/").status_code == 303
        assert sign_in(theirs, person.email).status_code == 422
        assert sign_in(theirs, person.email, NEW_PASSWORD).status_code == 303


def test_unknown_user_is_404(signed_in):
    browser, _ = signed_in("admin")
    assert browser.get("/admin/users/999999").status_code == 404
    assert browser.post("/admin/users/999999", {"name": "X", "email": "x@example.gov"}).status_code == 404
    assert browser.post("/admin/users/999999/deactivate").status_code == 404
