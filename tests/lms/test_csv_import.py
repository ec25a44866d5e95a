"""CSV user import: whole-file validation, idempotent re-import, line management checks."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from lms.audit.models import AuditEvent
from lms.competences.models import JobProfile
from lms.people.csv_import import MAX_BYTES, users_import
from lms.people.models import OrgUnit, RoleGrant, User
from lms.people.selectors import org_units_with_paths, user_by_email, user_roles

HEADER = "email,name,org_unit,manager_email,roles\n"
GOOD = HEADER + (
    "dana.lead@example.gov,Dana Lead,Digital Directorate / Data Team,,manager trainer\n"
    "eli.staff@example.gov,Eli Staff,Digital Directorate / Data Team,dana.lead@example.gov,\n"
    "fay.staff@example.gov,Fay Staff,Digital Directorate / Data Team / Pipelines,eli.staff@example.gov,trainer\n"
)


def user_count(db) -> int:
    return db.exec(select(func.count()).select_from(User)).one()


def messages(result) -> list[tuple[int, str]]:
    return [(e.line, e.message) for e in result.errors]


def test_import_creates_users_units_managers_and_roles_without_passwords(db, make_user):
    admin = make_user("admin", email="boss@example.gov")
    result = users_import(db, data=GOOD.encode(), by=admin, client_ip="10.0.0.1")
    db.commit()

    assert result.ok and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.units_created == 3
    assert "no password" in result.summary()
    dana, eli, fay = (user_by_email(db, f"{n}@example.gov") for n in ("dana.lead", "eli.staff", "fay.staff"))
    assert eli.manager_id == dana.id and fay.manager_id == eli.id and dana.manager_id is None
    assert user_roles(db, dana.id) == {"manager", "trainer"} and user_roles(db, eli.id) == set()
    assert {dana.password_hash, eli.password_hash, fay.password_hash} == {None}
    paths = {unit.id: path for unit, path in org_units_with_paths(db)}
    assert paths[eli.org_unit_id] == "Digital Directorate / Data Team"
    assert paths[fay.org_unit_id] == "Digital Directorate / Data Team / Pipelines"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "users.import")).one()
    assert event.actor_id == admin.id and event.client_ip == "10.0.0.1"
    assert json.loads(event.detail)["created"] == 3


def test_reimport_changes_nothing_then_updates_by_email(db):
    assert users_import(db, data=GOOD, by=None).created == 3
    db.commit()
    again = users_import(db, data=GOOD, by=None)
    db.commit()
    assert (again.created, again.updated, again.unchanged, again.units_created) == (0, 0, 3, 0)
    assert db.exec(select(func.count()).select_from(OrgUnit)).one() == 3

    changed = GOOD.replace(
        "Eli Staff,Digital Directorate / Data Team,dana.lead@example.gov,",
        "Eli Renamed,Digital Directorate,dana.lead@example.gov,admin",
    )
    result = users_import(db, data=changed, by=None)
    db.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    eli = user_by_email(db, "eli.staff@example.gov")
    assert eli.name == "Eli Renamed" and user_roles(db, eli.id) == {"admin"}
    assert user_count(db) == 3


def test_bom_semicolons_crlf_and_job_profile_are_accepted(db):
    db.add(JobProfile(name="Data analyst"))
    db.commit()
    data = (
        "\ufeffEmail;Name;Org unit;Manager email;Roles;Job profile\r\ngus@example.gov;Gus Grey;Policy;;trainer;Data analyst\r\n"
    ).encode()
    result = users_import(db, data=data, by=None)
    assert result.ok, messages(result)
    assert result.created == 1


def test_paths_may_start_below_the_organisation_root(db):
    root = OrgUnit(name="Department for Things")
    db.add(root)
    db.flush()
    directorate = OrgUnit(name="Digital Directorate", parent_id=root.id)
    db.add(directorate)
    db.commit()
    result = users_import(db, data=HEADER + "hal@example.gov,Hal,Digital Directorate,,\n", by=None)
    assert result.ok and result.units_created == 0
    assert user_by_email(db, "hal@example.gov").org_unit_id == directorate.id


BAD_LINES = [
    ("not-an-email,Ann,,,", "not a valid email"),
    (",Ann,,,", "Email is missing"),
    ("ann@example.gov,,,,", "Name is missing"),
    ("ann@example.gov,Ann,,nobody@example.gov,", "Unknown manager nobody@example.gov"),
    ("ann@example.gov,Ann,,,wizard", "Unknown role(s): wizard"),
    ("ann@example.gov,Ann,,ann@example.gov,", "own manager"),
    ("ann@example.gov,Ann,Digital // Data,,", "empty part"),
    ("ann@example.gov,Ann,,,,extra", "header has 5 columns"),
]


@pytest.mark.parametrize("line,reason", BAD_LINES, ids=[r for _, r in BAD_LINES])
def test_a_bad_line_rejects_the_whole_file(db, line, reason):
    data = HEADER + "ok@example.gov,Fine Person,Unit,,\n" + line + "\n"
    result = users_import(db, data=data, by=None)
    db.commit()
    assert not result.ok
    assert any(n == 3 and reason in m for n, m in messages(result)), messages(result)
    assert user_count(db) == 0 and db.exec(select(func.count()).select_from(OrgUnit)).one() == 0


def test_every_bad_line_is_reported_at_once(db):
    data = HEADER + (
        "a@example.gov,Ann,,,\n"
        "b@example.gov,Bob,,c@example.gov,\n"  # cycle b -> c -> b
        "c@example.gov,Cy,,b@example.gov,\n"
        "\n"
        "A@example.gov,Ann Again,,,\n"  # duplicate, case-insensitively
        "d@example.gov,Di,,ghost@example.gov,\n"
    )
    result = users_import(db, data=data, by=None)
    found = messages(result)
    assert [n for n, _ in found] == [3, 4, 6, 7]
    assert "cycle" in found[0][1] and "b@example.gov → c@example.gov → b@example.gov" in found[0][1]
    assert "Duplicate email a@example.gov (first on line 2)" in found[2][1]
    assert "Unknown manager ghost@example.gov" in found[3][1]
    assert "Nothing was imported" in result.summary()


def test_every_problem_of_a_line_is_reported_in_one_go(db):
    data = (
        HEADER.rstrip("\n")
        + ",job_profile\n"
        + ("not-an-email,,Digital,ghost@example.gov,wizard,No Such Profile\nb@example.gov,Bo,Digital,,,\nb@example.gov,,Digital,,,\n")
    )
    found = messages(users_import(db, data=data, by=None))
    line2 = [m for n, m in found if n == 2]
    # Its own problems first, in column order, then those found against the file and the database.
    assert len(line2) == 5, found
    assert "'not-an-email' is not a valid email address" in line2[0]
    assert line2[1] == "Name is missing."
    assert "Unknown role(s): wizard" in line2[2]
    assert "Unknown manager ghost@example.gov" in line2[3]
    assert "Unknown job profile 'No Such Profile'" in line2[4]
    line4 = [m for n, m in found if n == 4]
    assert line4 == ["Name is missing.", "Duplicate email b@example.gov (first on line 3)."]
    assert [n for n, _ in found if n not in (2, 4)] == []
    assert user_count(db) == 0


def test_a_manager_on_a_bad_line_is_not_also_unknown(db):
    data = HEADER + "boss@example.gov,,,,\nworker@example.gov,Wyn,,boss@example.gov,\n"
    assert messages(users_import(db, data=data, by=None)) == [(2, "Name is missing.")]


def test_cycle_through_existing_managers_is_refused(db, make_user):
    top = make_user(email="top@example.gov")
    make_user(email="middle@example.gov", manager_id=top.id)
    # top would report to someone who (in the database) reports to top.
    data = HEADER + "top@example.gov,Top,,middle@example.gov,\n"
    result = users_import(db, data=data, by=None)
    assert not result.ok
    ((line, message),) = messages(result)
    assert line == 2 and "top@example.gov → middle@example.gov → top@example.gov" in message
    db.expire_all()
    assert user_by_email(db, "top@example.gov").manager_id is None


def test_existing_manager_in_database_is_accepted(db, make_user):
    make_user(email="chief@example.gov")
    result = users_import(db, data=HEADER + "new@example.gov,New,,chief@example.gov,\n", by=None)
    assert result.ok and result.created == 1


@pytest.mark.parametrize(
    "header,reason",
    [
        ("email,name,org_unit,roles", "Missing column(s): manager_email"),
        ("email,name,org_unit,manager_email,roles,role", "Unknown column(s): role"),
        ("", "The file is empty"),
    ],
)
def test_bad_header_is_reported(db, header, reason):
    result = users_import(db, data=header + "\nx@example.gov,X,,,\n", by=None)
    assert not result.ok and reason in result.errors[0].message


def test_header_only_and_oversized_and_non_utf8_files_are_refused(db):
    assert "no users" in users_import(db, data=HEADER, by=None).errors[0].message
    huge = HEADER + "x" * (MAX_BYTES + 1)
    assert "too large" in users_import(db, data=huge, by=None).errors[0].message
    assert "UTF-8" in users_import(db, data=HEADER.encode() + b"\xff\xfe,\n", by=None).errors[0].message


def test_dry_run_reports_but_writes_nothing(db):
    result = users_import(db, data=GOOD, by=None, dry_run=True)
    db.commit()
    assert result.ok and result.created == 3 and result.units_created == 3 and "nothing was saved" in result.summary()
    assert user_count(db) == 0 and db.exec(select(func.count()).select_from(AuditEvent)).one() == 0


def test_an_admin_cannot_remove_their_own_admin_role_by_import(db, make_user):
    admin = make_user("admin", email="boss@example.gov")
    result = users_import(db, data=HEADER + "boss@example.gov,Boss,,,trainer\n", by=admin)
    assert not result.ok and "your own admin role" in result.errors[0].message
    assert db.exec(select(RoleGrant).where(RoleGrant.user_id == admin.id)).one().role == "admin"
