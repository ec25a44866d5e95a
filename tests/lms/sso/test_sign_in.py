"""First sign-in links or creates, later sign-ins keep roles and managed fields in step (both engines)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from lms.audit.models import AuditEvent
from lms.auth.models import UserIdentity
from lms.competences.models import JobProfile
from lms.people.models import Role, RoleGrant, User, UserOrigin
from lms.web.cookies import SESSION_COOKIE
from tests.lms.factories import make_unit
from tests.lms.sso.conftest import sso_sign_in

# The provider (a test dependency) calls Authlib's server API that is on its way out; it is not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


def events(db, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all())


def roles_of(db, user: User) -> set[str]:
    db.expire_all()
    return set(db.exec(select(RoleGrant.role).where(RoleGrant.user_id == user.id)).all())


def test_first_sign_in_links_by_verified_email_once_and_later_by_subject(client, db, make_user, provider):
    person = make_user(email="ada@example.gov", name="Ada Lovelace")
    provider.set_user("ada-1", email="Ada@Example.gov", email_verified=True, name="Ada Lovelace")

    response = sso_sign_in(client, "ada-1", next="/account")

    assert response.status_code == 303 and response.headers["location"] == "/account"
    assert SESSION_COOKIE in response.cookies
    page = client.get("/account")
    assert page.status_code == 200 and "ada@example.gov" in page.text
    identity = db.exec(select(UserIdentity).where(UserIdentity.user_id == person.id)).one()
    assert (identity.issuer, identity.subject) == (provider.url, "ada-1")
    [link] = events(db, "sso.link")
    assert link.target_id == str(person.id)
    assert json.loads(link.detail) == {"issuer": provider.url, "subject": "ada-1", "email": "Ada@Example.gov"}

    # Signed out and in again: found by subject, even once the provider has a new address for her.
    client.cookies.clear()
    provider.set_user("ada-1", email="ada.king@example.gov", email_verified=True, name="Ada Lovelace")
    assert sso_sign_in(client, "ada-1").status_code == 303
    assert len(events(db, "sso.link")) == 1
    assert [json.loads(e.detail)["method"] for e in events(db, "login.success")] == ["sso", "sso"]

    # E-mail is a managed field by default: her account follows the provider's new address.
    db.expire_all()
    assert db.get(User, person.id).email == "ada.king@example.gov"

    # Someone else at the provider with her (verified) address does not get her account.
    client.cookies.clear()
    provider.set_user("impostor", email="ada.king@example.gov", email_verified=True, name="Not Ada")
    refused = sso_sign_in(client, "impostor")
    assert refused.status_code == 403
    assert "already linked" in refused.text
    assert SESSION_COOKIE not in refused.cookies
    assert json.loads(events(db, "sso.failure")[-1].detail)["reason"] == "already_linked"


def test_an_unverified_email_does_not_link(client, db, make_user, provider):
    person = make_user(email="grace@example.gov")
    provider.set_user("grace-1", email="grace@example.gov", email_verified=False, name="Grace Hopper")

    response = sso_sign_in(client, "grace-1")

    assert response.status_code == 403
    assert "There is no Proficio account for grace@example.gov" in response.text
    assert "Ask your administrator" in response.text
    assert db.exec(select(UserIdentity).where(UserIdentity.user_id == person.id)).first() is None
    assert client.get("/account").status_code == 303  # not signed in
    [failure] = events(db, "sso.failure")
    assert json.loads(failure.detail)["reason"] == "no_account"


def test_jit_off_refuses_a_stranger_and_creates_nothing(client, db, provider):
    provider.set_user("new-1", email="newcomer@example.gov", email_verified=True, name="New Comer")

    response = sso_sign_in(client, "new-1")

    assert response.status_code == 403
    assert "You do not have an account yet" in response.text
    assert db.exec(select(User).where(User.email == "newcomer@example.gov")).first() is None


def test_jit_creates_the_account_with_unit_manager_and_profile_from_claims(client, db, make_user, provider, configure):
    configure(
        oidc_create_accounts=True,
        oidc_claim_org_unit="department",
        oidc_claim_manager="manager_email",
        oidc_claim_job_profile="job_title",
    )
    directorate = make_unit(db, "Digital Directorate")
    team = make_unit(db, "Data Team", directorate)
    boss = make_user(Role.MANAGER.value, email="boss@example.gov")
    profile = JobProfile(name="Data Analyst", description="")
    db.add(profile)
    db.commit()
    provider.set_user(
        "new-2",
        email="linus@example.gov",
        email_verified=True,
        name="Linus Example",
        department="Digital Directorate / Data Team",
        manager_email="BOSS@example.gov",
        job_title="data analyst",
    )

    response = sso_sign_in(client, "new-2")

    assert response.status_code == 303
    user = db.exec(select(User).where(User.email == "linus@example.gov")).one()
    assert (user.name, user.org_unit_id, user.manager_id, user.job_profile_id) == ("Linus Example", team.id, boss.id, profile.id)
    assert user.created_via == UserOrigin.SSO.value and user.password_hash is None
    [created] = events(db, "user.create")
    assert created.actor_email == "single sign-on"
    assert not events(db, "sso.link")  # created, not linked
    assert client.get("/account").status_code == 200


def test_jit_leaves_unknown_unit_manager_and_profile_for_an_admin(client, db, provider, configure):
    configure(
        oidc_create_accounts=True,
        oidc_claim_org_unit="department",
        oidc_claim_manager="manager_email",
        oidc_claim_job_profile="job_title",
    )
    provider.set_user(
        "new-3",
        email="mo@example.gov",
        name="Mo",
        department="Nowhere / Team",
        manager_email="ghost@example.gov",
        job_title="Astronaut",
    )

    assert sso_sign_in(client, "new-3").status_code == 303
    user = db.exec(select(User).where(User.email == "mo@example.gov")).one()
    assert (user.org_unit_id, user.manager_id, user.job_profile_id) == (None, None, None)


def test_group_changes_change_roles_at_the_next_sign_in(client, db, make_user, provider, configure):
    configure(group_roles="LMS Trainers=trainer;LMS Admins=admin")
    person = make_user(Role.SKILLS_LEAD.value, Role.ADMIN.value, email="tim@example.gov")
    provider.set_user("tim-1", email="tim@example.gov", email_verified=True, name="Tim", groups=["LMS Trainers", "Staff"])

    assert sso_sign_in(client, "tim-1").status_code == 303
    # trainer from the group; admin taken away (its group is not in the claim); skills lead is not in the table.
    assert roles_of(db, person) == {Role.TRAINER.value, Role.SKILLS_LEAD.value}
    grants = events(db, "role.grant")
    assert [json.loads(g.detail)["role"] for g in grants] == ["trainer"] and grants[0].actor_email == "single sign-on"

    client.cookies.clear()
    provider.set_user("tim-1", email="tim@example.gov", email_verified=True, name="Tim", groups=["LMS Admins"])
    assert sso_sign_in(client, "tim-1").status_code == 303
    assert roles_of(db, person) == {Role.ADMIN.value, Role.SKILLS_LEAD.value}
    assert client.get("/admin").status_code == 200

    # No groups claim at all: the table's roles go too.
    client.cookies.clear()
    provider.set_user("tim-1", email="tim@example.gov", email_verified=True, name="Tim")
    assert sso_sign_in(client, "tim-1").status_code == 303
    assert roles_of(db, person) == {Role.SKILLS_LEAD.value}


def test_groups_left_out_for_overage_keep_the_roles(client, db, make_user, provider, configure):
    configure(group_roles="LMS Trainers=trainer")
    person = make_user(Role.TRAINER.value, email="ola@example.gov")
    # Entra ID sends _claim_names instead of groups when a person is in too many to list.
    provider.set_user("ola-1", email="ola@example.gov", email_verified=True, _claim_names={"groups": "src1"})
    assert sso_sign_in(client, "ola-1").status_code == 303
    assert roles_of(db, person) == {Role.TRAINER.value}


def test_managed_fields_follow_the_provider_and_the_rest_stay_as_admins_set_them(client, db, make_user, provider, configure):
    configure(oidc_managed_fields="name,org_unit", oidc_claim_org_unit="department", oidc_claim_manager="manager_email")
    old_unit = make_unit(db, "Old Team")
    new_unit = make_unit(db, "New Team")
    boss = make_user(email="boss@example.gov")
    other_boss = make_user(email="other.boss@example.gov")
    person = make_user(email="kim@example.gov", name="Kim Old", org_unit_id=old_unit.id, manager_id=boss.id)
    provider.set_user(
        "kim-1",
        email="kim@example.gov",
        email_verified=True,
        name="Kim New",
        department="New Team",
        manager_email="other.boss@example.gov",
    )
    assert sso_sign_in(client, "kim-1").status_code == 303

    # The e-mail changes at the provider too, but e-mail is not managed here.
    client.cookies.clear()
    provider.set_user("kim-1", email="kim.new@example.gov", email_verified=True, name="Kim New", department="New Team")
    assert sso_sign_in(client, "kim-1").status_code == 303

    db.expire_all()
    person = db.get(User, person.id)
    assert (person.name, person.org_unit_id) == ("Kim New", new_unit.id)  # managed
    assert (person.email, person.manager_id) == ("kim@example.gov", boss.id)  # kept as the admin set them
    assert other_boss.id != person.manager_id
    [update] = events(db, "user.update")
    assert update.actor_email == "single sign-on"
    assert json.loads(update.detail) == {"name": "Kim New", "org_unit_id": new_unit.id}


def test_a_managed_email_taken_by_someone_else_is_kept_and_noted(client, db, make_user, provider, configure):
    configure(oidc_managed_fields="name,email")
    make_user(email="taken@example.gov")
    person = make_user(email="sam@example.gov", name="Sam")
    provider.set_user("sam-1", email="sam@example.gov", email_verified=True, name="Sam")
    assert sso_sign_in(client, "sam-1").status_code == 303
    client.cookies.clear()
    provider.set_user("sam-1", email="taken@example.gov", email_verified=True, name="Sam Renamed")

    assert sso_sign_in(client, "sam-1").status_code == 303  # still signs in
    db.expire_all()
    assert db.get(User, person.id).email == "sam@example.gov"
    [kept] = events(db, "sso.profile_kept")
    assert "already exists" in json.loads(kept.detail)["problem"]


def test_jit_refuses_an_unverified_address_that_an_account_already_has(client, db, make_user, provider, configure):
    configure(oidc_create_accounts=True)
    make_user(email="held@example.gov")
    provider.set_user("held-2", email="held@example.gov", email_verified=False, name="Someone")
    response = sso_sign_in(client, "held-2")
    assert response.status_code == 403 and "There is no Proficio account for held@example.gov" in response.text
    assert len(db.exec(select(User).where(User.email == "held@example.gov")).all()) == 1


@pytest.mark.parametrize(
    ("claims", "problem"), [({}, "no e-mail address"), ({"email": "not an address"}, "is not a valid email address")]
)
def test_jit_without_a_usable_address_asks_for_an_administrator(client, db, provider, configure, claims, problem):
    configure(oidc_create_accounts=True)
    provider.set_user("nomail-1", name="No Mail", **claims)
    response = sso_sign_in(client, "nomail-1")
    assert response.status_code == 403
    assert "Your account could not be set up" in response.text and "Ask your administrator to create it" in response.text
    detail = json.loads(events(db, "sso.failure")[-1].detail)
    assert detail["reason"] == "claims_unusable" and problem in detail["problem"]


def test_a_managed_job_profile_follows_the_provider(client, db, make_user, provider, configure):
    configure(oidc_managed_fields="job_profile", oidc_claim_job_profile="job_title")
    analyst, lead = JobProfile(name="Analyst", description=""), JobProfile(name="Lead Analyst", description="")
    db.add_all([analyst, lead])
    db.commit()
    person = make_user(email="jo@example.gov", job_profile_id=analyst.id)
    provider.set_user("jo-1", email="jo@example.gov", email_verified=True, job_title="Lead Analyst")
    assert sso_sign_in(client, "jo-1").status_code == 303
    db.expire_all()
    assert db.get(User, person.id).job_profile_id == lead.id
    [change] = events(db, "user.job_profile")
    assert change.actor_email == "single sign-on"


def test_a_repeat_sign_in_costs_a_few_statements_however_many_groups(client, app, make_user, provider, configure):
    from tests.lms.sso.conftest import authorize, start
    from tests.support.queries import counting

    configure(group_roles="LMS Trainers=trainer;LMS Managers=manager;LMS Leads=skills_lead;LMS Admins=admin")
    make_user(email="gus@example.gov")
    costs = []
    for groups in (["LMS Trainers"], ["LMS Trainers", *(f"Group {n}" for n in range(200))]):
        provider.set_user("gus-1", email="gus@example.gov", email_verified=True, name="Gus", groups=groups)
        assert sso_sign_in(client, "gus-1").status_code == 303  # brings roles and fields up to date
        client.cookies.clear()
        callback = authorize(start(client), "gus-1")
        with counting(app.state.engine) as statements:
            assert client.get(callback).status_code == 303
        costs.append(len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]))
        client.cookies.clear()
    print(f"statements for a repeat single sign-on: {costs}")
    assert costs[0] == costs[1] <= 12
