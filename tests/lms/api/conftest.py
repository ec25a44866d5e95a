"""API test helpers: tokens issued through the real service, DigComp loaded from the shipped file."""

from __future__ import annotations

from datetime import datetime

import pytest

from lms.api.service import api_token_create
from lms.people.models import OrgUnit
from tests.lms.competences.factories import load_digcomp

ALL_SCOPES = ["frameworks:read", "profiles:read", "reports:read", "people:read"]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def issue(db, make_user):
    """issue(scopes, unit=None, expires_at=None) -> (ApiToken, secret), created by an admin."""
    admins = []

    def _issue(scopes=ALL_SCOPES, unit: OrgUnit | None = None, expires_at: datetime | None = None, name="Sync"):
        if not admins:
            admins.append(make_user("admin", email="issuer@example.gov", name="Zoe Admin"))
        token, secret = api_token_create(
            db, name=name, scopes=list(scopes), org_unit_id=unit.id if unit else None, expires_at=expires_at, by=admins[0]
        )
        db.commit()
        return token, secret

    return _issue


@pytest.fixture
def digcomp(db):
    return load_digcomp(db)
