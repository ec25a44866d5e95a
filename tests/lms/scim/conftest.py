"""SCIM test helpers: tokens issued through the real service, a real SCIM client over HTTP into the app."""

from __future__ import annotations

import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import EnterpriseUser, Group, ResourceType, ScimProvider, User
from starlette.testclient import TestClient

from lms.api.service import api_token_create

BASE = "http://testserver/scim/v2"
SCIM_JSON = "application/scim+json"


@pytest.fixture
def issue(db, make_user):
    """issue(scopes=["scim:write"], unit=None, name="HR directory") -> secret, made by an admin."""
    admins = []

    def _issue(scopes=("scim:write",), unit=None, name="HR directory") -> str:
        if not admins:
            admins.append(make_user("admin", email="issuer@example.gov", name="Zoe Admin"))
        _token, secret = api_token_create(db, name=name, scopes=list(scopes), org_unit_id=unit, expires_at=None, by=admins[0])
        db.commit()
        return secret

    return _issue


@pytest.fixture
def http(app, issue):
    """Plain HTTP to /scim/v2 with a scim:write token, for what a client library would not send."""
    secret = issue()
    with TestClient(app, base_url=BASE, headers={"Authorization": f"Bearer {secret}"}) as c:
        yield c


@pytest.fixture
def scim(http):
    """scim2-client's SyncSCIMClient knowing RFC 7643's User (with the enterprise extension) and Group,
    as a directory's connector does, and the rest of the service from its discovery documents.

    Starlette's TestClient is an httpx client, the shape SyncSCIMClient drives (request(), .json()),
    so every call goes through the ASGI app's real HTTP handling."""
    models = [User, EnterpriseUser, Group]
    types = [ResourceType.from_resource(User[EnterpriseUser]), ResourceType.from_resource(Group)]
    client = SyncSCIMClient(http, provider=ScimProvider(models, types))
    client.discover()
    return client


@pytest.fixture
def settings(settings):
    """GROUP_ROLES as an organisation would set it, so that SCIM Groups grant roles."""
    return settings.model_copy(update={"group_roles": "LMS Trainers=trainer;LMS Managers=manager"})
