"""Demo data: the four accounts, their relations, and the department around them."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from lms.audit.models import AuditEvent
from lms.auth.passwords import verify_password
from lms.demo import DemoError, demo_load
from lms.demo_accounts import DEMO_PASSWORD, demo_accounts_shown
from lms.people.models import OrgUnit, RoleGrant, User
from lms.people.selectors import direct_reports, reporting_line_ids, user_by_email, user_roles


@pytest.mark.demo
def test_demo_builds_a_department_with_the_four_accounts(db, demo_summary):
    summary = demo_summary
    users = db.exec(select(User)).all()
    assert 100 <= len(users) == summary.users <= 140
    assert len({u.name for u in users}) == len(users), "names should be varied"
    assert [email for email, _ in demo_accounts_shown(db)] == [e for e, _ in summary.accounts]

    admin, trainer, manager, employee = (
        user_by_email(db, f"{who}@example.gov") for who in ("admin", "trainer", "manager", "employee")
    )
    # One shared hash (argon2 is slow on purpose), so one verification covers everyone.
    assert {u.password_hash for u in users} == {admin.password_hash}
    assert verify_password(DEMO_PASSWORD, admin.password_hash)[0]
    assert "admin" in user_roles(db, admin.id)
    assert "trainer" in user_roles(db, trainer.id)
    assert "manager" in user_roles(db, manager.id)
    assert employee.manager_id == manager.id and user_roles(db, employee.id) == set()

    # The manager's team: at least 8 people, one of whom leads a sub-team as a manager.
    assert len(reporting_line_ids(db, manager.id)) >= 8
    leads = [r for r in direct_reports(db, manager.id) if direct_reports(db, r.id)]
    assert len(leads) == 1 and "manager" in user_roles(db, leads[0].id)
    sub_team = db.get(OrgUnit, leads[0].org_unit_id)
    assert sub_team.parent_id == manager.org_unit_id

    # Everyone with reports is a manager; exactly one admin; a few trainers.
    with_reports = {u.manager_id for u in users if u.manager_id}
    grants = db.exec(select(RoleGrant.user_id, RoleGrant.role)).all()
    managers = {uid for uid, role in grants if role == "manager"}
    assert managers == with_reports
    assert [uid for uid, role in grants if role == "admin"] == [admin.id]
    assert 3 <= sum(role == "trainer" for _, role in grants) <= 10

    units = db.exec(select(OrgUnit)).all()
    roots = [u for u in units if u.parent_id is None]
    assert len(roots) == 1 and len([u for u in units if u.parent_id == roots[0].id]) == 3
    assert len(units) == summary.org_units >= 12
    assert db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "demo.load")).one() == 1


def test_demo_refuses_a_database_with_users(db, make_user):
    make_user()
    with pytest.raises(DemoError, match="already has users"):
        demo_load(db)
