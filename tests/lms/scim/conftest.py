"""SCIM test helpers: tokens issued through the real service, a real SCIM client over HTTP into the app."""

from __future__ import annotations

import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
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
    """scim2-client's SyncSCIMClient, which discovers the service from its own documents.

    Starlette's TestClient is an httpx client, the shape SyncSCIMClient drives (request(), .json()),
    so every call goes through the ASGI app's real HTTP handling."""
    client = SyncSCIMClient(http)
    client.discover()
    return client
