"""Building competence data quickly for tests: DigComp, small frameworks, job profiles and evidence."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlmodel import Session

from lms.competences.framework_io import framework_import, parse
from lms.competences.framework_service import DIGCOMP_PATH
from lms.competences.models import Competence, CompetenceArea, Evidence, Framework, JobProfile, JobProfileRequirement
from lms.competences.selectors import competence_by_code
from lms.competences.service import evidence_record
from lms.people.models import User

# What make_profile requires when not told: three competences in three areas.
REQUIRED = {"1.1": 3, "2.1": 2, "4.2": 4}

_names = itertools.count(1)


def load_digcomp(db: Session) -> Framework:
    """DigComp 2.2 from the shipped file, committed (no audit event); returns the framework."""
    counts = framework_import(db, doc=parse(DIGCOMP_PATH.read_bytes(), "json"))
    db.commit()
    return counts.framework


def competence(db: Session, code: str, framework: str = "DigComp") -> Competence:
    """A competence by code, e.g. "4.2" (load_digcomp first)."""
    found = competence_by_code(db, code, framework)
    assert found is not None, code
    return found


def make_competences(db: Session, *codes: str) -> list[Competence]:
    """A tiny framework with these competence codes in one area (faster than loading DigComp)."""
    framework = Framework(code=f"F{next(_names)}", name="Safety")
    db.add(framework)
    db.flush()
    area = CompetenceArea(framework_id=framework.id, code="4", name="Safety")
    db.add(area)
    db.flush()
    items = [
        Competence(framework_id=framework.id, area_id=area.id, code=code, name=f"Competence {code}", position=i)
        for i, code in enumerate(codes)
    ]
    db.add_all(items)
    db.commit()
    for item in items:
        db.refresh(item)
    return items


def make_profile(
    db: Session, name: str = "Caseworker", requirements: dict[str, int] | None = None, *, description: str = ""
) -> JobProfile:
    """A committed job profile requiring {DigComp code: level} (REQUIRED when None; {} for none)."""
    profile = JobProfile(name=name, description=description)
    db.add(profile)
    db.flush()
    for code, level in (REQUIRED if requirements is None else requirements).items():
        db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=competence(db, code).id, level=level))
    db.commit()
    return profile


def record(
    db: Session,
    user: User,
    code: str,
    level: int,
    source: str = "course",
    by: User | None = None,
    *,
    reference: str = "",
    note: str = "",
    expires_at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Evidence:
    """Evidence of a DigComp competence through the service, which updates the person's status; committed."""
    evidence = evidence_record(
        db,
        user=user,
        competence=competence(db, code),
        level=level,
        source=source,
        by=by,
        reference=reference,
        note=note,
        expires_at=expires_at,
        recorded_at=recorded_at,
    )
    db.commit()
    return evidence
