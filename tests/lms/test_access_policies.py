"""Every route declares who may use it, and the declaration is enforced for every role."""

import pytest
from starlette.testclient import TestClient

from lms.people.models import Role
from lms.web.access import Access, route_access
from tests.conftest import Browser, csrf_from, sign_in
from tests.lms.routes_util import UNSAFE, api_routes, route_calls

PERSONAS = ["anonymous", "employee", Role.TRAINER.value, Role.MANAGER.value, Role.SKILLS_LEAD.value, Role.ADMIN.value]


def test_every_route_declares_a_policy(app):
    missing = [f"{sorted(r.methods)} {r.path}" for r in api_routes(app) if route_access(r) is None]
    assert not missing, f"Routes without an access policy: {missing}"
    assert len(api_routes(app)) > 5


# The policy each area of the site must declare. The test below checks every route against what it
# declares; this pins the declarations themselves, so a route that declares too little fails here.
AREAS = {
    # Before "/admin" (the first matching area counts): skills leads read requirements, admins change them.
    "/admin/requirements": {Access.REPORTS, Access.ADMIN},
    "/admin": {Access.ADMIN},
    "/author": {Access.AUTHOR},
    "/reports": {Access.REPORTS},
    "/team": {Access.MANAGER},
    "/account": {Access.SIGNED_IN},
    "/attempts": {Access.SIGNED_IN},
    "/courses": {Access.SIGNED_IN},  # course files check their editors themselves (tests/courses)
    "/learning": {Access.SIGNED_IN},
    "/quizzes": {Access.SIGNED_IN},
    "/skills": {Access.SIGNED_IN},
    "/api/v1": {Access.API_TOKEN, Access.PUBLIC},  # PUBLIC: only the OpenAPI document
    "/verify": {Access.PUBLIC},  # anyone checks a certificate by its code
    "/invite": {Access.PUBLIC},  # the invitation link: the token is the credential
    "/notifications": {Access.SIGNED_IN},
    "/unsubscribe": {Access.PUBLIC},  # the link in every e-mail: its signed token is the credential
    # Single sign-on: anyone may start and finish it; no session is read (the provider's answer is the credential).
    "/login/sso": {Access.OPEN},
    "/scim/v2": {Access.API_TOKEN},  # SCIM provisioning: a token with scim:write, discovery included
}


def test_each_area_declares_the_policy_it_needs(app):
    wrong, seen = [], set()
    for route in api_routes(app):
        area = next((a for a in AREAS if route.path == a or route.path.startswith(a + "/")), None)
        if area is None:
            continue
        seen.add(area)
        level = route_access(route)
        if level not in AREAS[area] or (area == "/api/v1" and level is Access.PUBLIC and route.path != "/api/v1/openapi.json"):
            wrong.append(f"{sorted(route.methods)} {route.path}: {level}")
    assert not wrong, f"Routes declaring another policy than their area's: {wrong}"
    assert seen == set(AREAS)


def allowed(persona: str, level: Access) -> bool:
    if level in {Access.PUBLIC, Access.OPEN}:
        return True
    if persona == "anonymous":
        return False
    if level is Access.AUTHOR:
        return persona in {Role.TRAINER.value, Role.ADMIN.value}
    if level is Access.REPORTS:
        return persona in {Role.SKILLS_LEAD.value, Role.ADMIN.value}
    return level is Access.SIGNED_IN or level.value == persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_policies_are_enforced_for_each_role(app, make_user, persona):
    with TestClient(app, follow_redirects=False) as client:
        if persona != "anonymous":
            roles = () if persona == "employee" else (persona,)
            user = make_user(*roles)
            assert sign_in(client, user.email).status_code == 303
            token = Browser(client).token()
        else:
            token = csrf_from(client.get("/login").text)
        failures = []
        for method, path, route in route_calls(app):
            if path == "/logout":
                continue  # signing out mid-loop would change the persona
            level = route_access(route)
            kwargs = {"headers": {"X-CSRF-Token": token}} if method in UNSAFE else {}
            response = client.request(method, path, **kwargs)
            to_login = response.status_code == 303 and response.headers["location"].startswith("/login")
            if level is Access.API_TOKEN:
                ok = response.status_code == 401  # a session never opens the API, whatever its roles
            elif allowed(persona, level):
                ok = response.status_code != 403 and not to_login
            elif persona == "anonymous":
                ok = to_login
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{method} {path} [{level}] -> {response.status_code}")
        assert not failures, f"{persona}: " + "; ".join(failures)
