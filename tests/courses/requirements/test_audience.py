"""Who is in a requirement's audience: one statement, active people only, union of the parts."""

from __future__ import annotations

from sqlmodel import Session

from courses.requirements.audience import AudiencePart, audience_select, requirement_parts
from courses.requirements.models import AudienceKind, Requirement, RequirementAudience
from lms.competences.models import JobProfile
from tests.lms.factories import make_unit
from tests.support.queries import counting


def _ids(db: Session, *, everyone: bool = False, parts: list[AudiencePart] = ()) -> set[int]:
    return set(db.exec(audience_select(everyone=everyone, parts=list(parts))).scalars().all())


def test_audience_parts(db, make_user):
    root = make_unit(db, "Agency")
    digital = make_unit(db, "Digital", root)
    data = make_unit(db, "Data team", digital)
    other = make_unit(db, "Finance", root)
    profile = JobProfile(name="Caseworker")
    db.add(profile)
    db.commit()
    top = make_user(org_unit_id=root.id)
    dig = make_user(org_unit_id=digital.id)
    dat = make_user("manager", org_unit_id=data.id)
    fin = make_user(org_unit_id=other.id, job_profile_id=profile.id)
    gone = make_user("manager", org_unit_id=data.id, is_active=False, job_profile_id=profile.id)
    nobody = make_user()

    assert _ids(db, everyone=True) == {top.id, dig.id, dat.id, fin.id, nobody.id}
    assert _ids(db) == set()
    assert _ids(db, parts=[AudiencePart(AudienceKind.ORG_UNIT, org_unit_id=digital.id)]) == {dig.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.ORG_SUBTREE, org_unit_id=digital.id)]) == {dig.id, dat.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.ORG_SUBTREE, org_unit_id=root.id)]) == {top.id, dig.id, dat.id, fin.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.JOB_PROFILE, job_profile_id=profile.id)]) == {fin.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.ROLE, role="manager")]) == {dat.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.ROLE, role="employee")]) == {top.id, dig.id, dat.id, fin.id, nobody.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.USER, user_id=nobody.id)]) == {nobody.id}
    assert _ids(db, parts=[AudiencePart(AudienceKind.USER, user_id=gone.id)]) == set()
    union = [
        AudiencePart(AudienceKind.ORG_SUBTREE, org_unit_id=data.id),
        AudiencePart(AudienceKind.ORG_SUBTREE, org_unit_id=other.id),
        AudiencePart(AudienceKind.ORG_UNIT, org_unit_id=root.id),
        AudiencePart(AudienceKind.USER, user_id=nobody.id),
    ]
    with counting(db.get_bind()) as statements:
        assert _ids(db, parts=union) == {dat.id, fin.id, top.id, nobody.id}
    assert len(statements) == 1


def test_requirement_parts_read_back(db):
    requirement = Requirement(name="Data protection")
    db.add(requirement)
    db.flush()
    unit = make_unit(db, "Digital")
    db.add_all(
        [
            RequirementAudience(requirement_id=requirement.id, kind="org_subtree", org_unit_id=unit.id),
            RequirementAudience(requirement_id=requirement.id, kind="role", role="manager"),
        ]
    )
    db.commit()
    assert requirement_parts(db, requirement.id) == [
        AudiencePart(AudienceKind.ORG_SUBTREE, org_unit_id=unit.id),
        AudiencePart(AudienceKind.ROLE, role="manager"),
    ]
    assert requirement_parts(db, requirement.id + 1) == []
