"""Importing users from a CSV file on the admin page: upload, dry run, whole-file rejection, re-import."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.people.models import OrgUnit, RoleGrant, User

HEADER = "email,name,org_unit,manager_email,roles,job_profile\n"
GOOD = HEADER + ("grace@example.gov,Grace Hopper,Digital,,manager,\nada@example.gov,Ada Lovelace,Digital,grace@example.gov,trainer,\n")
BAD = HEADER + (
    "grace@example.gov,Grace Hopper,Digital,,manager,\n"
    "not-an-email,Nobody,Digital,,,\n"
    "ada@example.gov,Ada Lovelace,Digital,ghost@example.gov,,\n"
    "grace@example.gov,Grace Again,Digital,,,\n"
)


def text_of(response) -> str:
    return html.unescape(response.text)


def upload(browser, content: str, *, dry_run: bool = False, filename: str = "people.csv"):
    data = {"dry_run": "true"} if dry_run else {}
    return browser.post("/admin/users/import", data, files={"file": (filename, content.encode(), "text/csv")})


def problem_lines(response) -> list[tuple[str, str]]:
    body = text_of(response)
    body = body[body.index("Problems found") :]
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', body)


def emails(db) -> set[str]:
    db.expire_all()
    return set(db.exec(select(User.email)).all())


@pytest.mark.parametrize("role", ["trainer", "manager", None])
def test_import_refuses_non_admins(signed_in, db, role):
    browser, _ = signed_in(*([role] if role else []))
    assert browser.get("/admin/users/import").status_code == 403
    assert upload(browser, GOOD).status_code == 403
    assert "grace@example.gov" not in emails(db)


def test_import_page_documents_the_columns(signed_in):
    browser, _ = signed_in("admin")
    r = browser.get("/admin/users/import")
    assert r.status_code == 200
    assert 'enctype="multipart/form-data"' in r.text and 'type="file"' in r.text
    for column in ["email", "name", "org_unit", "manager_email", "roles", "job_profile"]:
        assert f"<code>{column}</code>" in r.text
    assert "Check only (dry run)" in r.text
    roles_help = text_of(r).split("<code>roles</code>", 1)[1].split("</tr>", 1)[0]
    for role in ["trainer", "manager", "skills_lead", "admin"]:
        assert role in roles_help, roles_help


def test_a_line_with_three_problems_shows_all_three_at_once(signed_in, db):
    browser, _ = signed_in("admin")
    r = upload(browser, HEADER + "not-an-email,,Digital,,wizard,\n")
    assert r.status_code == 422
    problems = problem_lines(r)
    assert [line for line, _ in problems] == ["2", "2", "2"]
    reasons = [message for _, message in problems]
    assert "not-an-email" in reasons[0] and reasons[1] == "Name is missing." and "wizard" in reasons[2]


def test_bad_file_is_rejected_whole_with_every_bad_line(signed_in, db):
    browser, _ = signed_in("admin")
    before = emails(db)
    r = upload(browser, BAD)
    assert r.status_code == 422
    problems = problem_lines(r)
    assert [line for line, _ in problems] == ["3", "4", "5"]
    reasons = " ".join(message for _, message in problems)
    assert "not-an-email" in reasons and "ghost@example.gov" in reasons and "Duplicate email" in reasons
    assert "Nothing was imported" in text_of(r)
    assert emails(db) == before
    assert db.exec(select(OrgUnit)).all() == []


def test_dry_run_reports_without_saving(signed_in, db):
    browser, _ = signed_in("admin")
    before = emails(db)
    r = upload(browser, GOOD, dry_run=True)
    assert r.status_code == 200
    page = text_of(r)
    assert "Would create 2" in page and "nothing was saved" in page
    assert 'value="true" checked' in r.text  # the box stays ticked for the next try
    assert emails(db) == before
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "users.import")).all() == []


def test_import_creates_then_reimport_updates(signed_in, db):
    browser, _ = signed_in("admin")
    r = upload(browser, GOOD)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users/import/invitations"  # new people: invite them
    listing = text_of(browser.get("/admin/users"))
    assert "Import finished. Created 2, updated 0, unchanged 0" in listing
    assert "Ada Lovelace" in listing and "Grace Hopper" in listing
    ada = db.exec(select(User).where(User.email == "ada@example.gov")).one()
    grace = db.exec(select(User).where(User.email == "grace@example.gov")).one()
    assert ada.manager_id == grace.id
    assert db.exec(select(RoleGrant.role).where(RoleGrant.user_id == ada.id)).all() == ["trainer"]
    assert db.exec(select(AuditEvent.action).where(AuditEvent.action == "users.import")).all() == ["users.import"]

    again = upload(browser, GOOD.replace("Ada Lovelace", "Ada King"))
    assert again.status_code == 303
    assert "updated 1, unchanged 1" in text_of(browser.get("/admin/users"))
    db.expire_all()
    assert db.get(User, ada.id).name == "Ada King"


def test_missing_file_is_a_validation_error(signed_in):
    browser, _ = signed_in("admin")
    r = browser.post("/admin/users/import", {})
    assert r.status_code == 422 and "Choose a CSV file to upload." in r.text
    empty = upload(browser, "")
    assert empty.status_code == 422 and "Choose a CSV file to upload." in empty.text
