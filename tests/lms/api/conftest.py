"""API test helpers: tokens issued through the real service, DigComp loaded from the shipped file."""

from __future__ import annotations

from datetime import datetime

import pytest

from lms.api.service import api_token_create
from lms.competences.framework_io import framework_import, parse
from lms.competences.models import JobProfile, JobProfileRequirement
from lms.competences.selectors import competence_by_code
from lms.config import PROJECT_ROOT
from lms.people.models import OrgUnit

DIGCOMP = PROJECT_ROOT / "lms" / "competences" / "data" / "digcomp-2.2.json"
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
        token, secret = api_token_create(db, name=name, scopes=list(scopes), org_unit_id=unit.id if unit else None,
                                         expires_at=expires_at, by=admins[0])
        db.commit()
        return token, secret

    return _issue


@pytest.fixture
def digcomp(db):
    counts = framework_import(db, doc=parse(DIGCOMP.read_bytes(), "json"))
    db.commit()
    return counts.framework


def competence(db, code: str):
    found = competence_by_code(db, code)
    assert found is not None, code
    return found


def make_profile(db, name: str, requirements: dict[str, int]) -> JobProfile:
    profile = JobProfile(name=name)
    db.add(profile)
    db.flush()
    for code, level in requirements.items():
        db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=competence(db, code).id, level=level))
    db.commit()
    return profile


def make_unit(db, name: str, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit(name=name, parent_id=parent.id if parent else None)
    db.add(unit)
    db.commit()
    return unit
