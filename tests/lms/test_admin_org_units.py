"""Admin organisation pages: the unit tree with people counts, create, rename, move, cycle refusal."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.people.models import OrgUnit
from tests.lms.factories import make_unit


def text_of(response) -> str:
    return html.unescape(response.text)


def parent_choices(page: str) -> list[str]:
    select_html = page[page.index('id="parent_id"') :]
    select_html = select_html[: select_html.index("</select>")]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select_html)


@pytest.mark.parametrize("role", ["trainer", "manager", None])
def test_org_pages_refuse_non_admins(signed_in, db, role):
    browser, _ = signed_in(*([role] if role else []))
    u = make_unit(db, "Digital")
    assert browser.get("/admin/org-units").status_code == 403
    assert browser.get(f"/admin/org-units/{u.id}").status_code == 403
    assert browser.post("/admin/org-units", {"name": "Sneaky"}).status_code == 403
    assert browser.post(f"/admin/org-units/{u.id}", {"name": "Renamed"}).status_code == 403
    db.expire_all()
    assert [x.name for x in db.exec(select(OrgUnit)).all()] == ["Digital"]


def test_empty_tree_says_what_to_do(signed_in):
    browser, _ = signed_in("admin")
    r = browser.get("/admin/org-units")
    assert r.status_code == 200 and "There are no organisation units yet" in r.text


def test_tree_shows_nesting_and_people_counts(signed_in, make_user, db):
    browser, _ = signed_in("admin")
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data team", digital)
    make_unit(db, "Finance")
    make_user(org_unit_id=digital.id)
    for _ in range(3):
        make_user(org_unit_id=data.id)
    make_user(org_unit_id=data.id, is_active=False)  # inactive people are not counted
    page = text_of(browser.get("/admin/org-units"))
    digital_at, data_at, finance_at = (page.index(f">{n}</a>") for n in ["Digital", "Data team", "Finance"])
    assert digital_at < data_at < finance_at
    # Data team is nested inside Digital's list item.
    assert page[digital_at:finance_at].count("<ul") == 1
    assert "— 1 person (4 in all)" in page and "— 3 people" in page and "— 0 people" in page


def test_create_units_and_validation(signed_in, db):
    browser, _ = signed_in("admin")
    r = browser.post("/admin/org-units", {"name": "Digital", "parent_id": ""})
    assert r.status_code == 303 and r.headers["location"] == "/admin/org-units"
    digital = db.exec(select(OrgUnit).where(OrgUnit.name == "Digital")).one()
    assert digital.parent_id is None
    assert browser.post("/admin/org-units", {"name": "Data", "parent_id": str(digital.id)}).status_code == 303
    data = db.exec(select(OrgUnit).where(OrgUnit.name == "Data")).one()
    assert data.parent_id == digital.id
    assert "The unit Data has been created." in browser.get("/admin/org-units").text

    blank = browser.post("/admin/org-units", {"name": "  "})
    assert blank.status_code == 422 and "Enter a name." in blank.text and "There is a problem" in blank.text
    dup = browser.post("/admin/org-units", {"name": "Data", "parent_id": str(digital.id)})
    assert dup.status_code == 422 and "There is already a unit called 'Data' there." in text_of(dup)
    bad_parent = browser.post("/admin/org-units", {"name": "Orphan", "parent_id": "999999"})
    assert bad_parent.status_code == 422 and "Choose a parent unit from the list" in bad_parent.text
    db.expire_all()
    assert len(db.exec(select(OrgUnit)).all()) == 2
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_type == "org_unit")).all()
    assert actions == ["org_unit.create", "org_unit.create"]


def test_rename_and_move(signed_in, db):
    browser, _ = signed_in("admin")
    digital = make_unit(db, "Digital")
    finance = make_unit(db, "Finance")
    data = make_unit(db, "Data", digital)
    page = browser.get(f"/admin/org-units/{data.id}")
    assert page.status_code == 200 and 'value="Data"' in page.text
    r = browser.post(f"/admin/org-units/{data.id}", {"name": "Data and Insight", "parent_id": str(finance.id)})
    assert r.status_code == 303
    db.expire_all()
    moved = db.get(OrgUnit, data.id)
    assert (moved.name, moved.parent_id) == ("Data and Insight", finance.id)
    assert browser.post(f"/admin/org-units/{data.id}", {"name": "Data and Insight", "parent_id": ""}).status_code == 303
    db.expire_all()
    assert db.get(OrgUnit, data.id).parent_id is None
    assert "Finance / Data and Insight" not in browser.get("/admin/users").text


def test_move_under_own_descendant_is_refused(signed_in, db):
    browser, _ = signed_in("admin")
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data", digital)
    analytics = make_unit(db, "Analytics", data)
    other = make_unit(db, "Finance")
    # The form only offers parents outside the unit's own subtree...
    assert parent_choices(browser.get(f"/admin/org-units/{digital.id}").text) == ["Finance"]
    assert parent_choices(browser.get(f"/admin/org-units/{analytics.id}").text) == ["Digital", "Digital / Data", "Finance"]
    # ...and a forged request is refused by the service.
    for target in (analytics.id, digital.id):
        r = browser.post(f"/admin/org-units/{digital.id}", {"name": "Digital", "parent_id": str(target)})
        assert r.status_code == 422
        assert "A unit cannot move under itself or one of its own sub-units." in r.text
    db.expire_all()
    assert db.get(OrgUnit, digital.id).parent_id is None
    assert other.parent_id is None


def test_unknown_unit_is_404(signed_in):
    browser, _ = signed_in("admin")
    assert browser.get("/admin/org-units/999999").status_code == 404
    assert browser.post("/admin/org-units/999999", {"name": "X"}).status_code == 404
