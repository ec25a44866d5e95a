"""A small organisation for report tests: units, people with a job profile, and their statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session

from lms.clock import utcnow
from lms.competences.models import CompetenceStatus, JobProfile, JobProfileRequirement
from lms.competences.selectors import competence_by_code
from lms.people.models import OrgUnit
from tests.courses.factories import load_digcomp

REQUIRED = {"1.1": 3, "4.2": 2}


@dataclass
class Org:
    db: Session
    make_user: object
    profile: JobProfile
    units: dict[str, OrgUnit] = field(default_factory=dict)
    n: int = 0

    def unit(self, name: str, parent: str | None = None) -> OrgUnit:
        unit = OrgUnit(name=name, parent_id=self.units[parent].id if parent else None)
        self.db.add(unit)
        self.db.commit()
        self.units[name] = unit
        return unit

    def people(self, unit: str | None, levels: list[dict[str, int]], *, self_levels=None, active=True,
               lapsed: bool = False):
        """One person per entry of `levels` ({competence code: verified level}), in `unit`."""
        people = []
        for i, verified in enumerate(levels):
            self.n += 1
            person = self.make_user(name=f"Person {self.n:03d}", email=f"p{self.n}@example.gov",
                                    org_unit_id=self.units[unit].id if unit else None,
                                    job_profile_id=self.profile.id, is_active=active)
            for code, level in verified.items():
                self_level = (self_levels[i].get(code) if self_levels else None)
                self.db.add(CompetenceStatus(
                    user_id=person.id, competence_id=competence_by_code(self.db, code).id, verified_level=level,
                    verified_source="course" if level else None, self_level=self_level,
                    verified_until=utcnow() - timedelta(days=1) if lapsed else None))
            people.append(person)
        self.db.commit()
        return people


def make_org(db: Session, make_user, required: dict[str, int] | None = None) -> Org:
    load_digcomp(db)
    profile = JobProfile(name="Caseworker")
    db.add(profile)
    db.flush()
    for code, level in (required or REQUIRED).items():
        db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=competence_by_code(db, code).id,
                                     level=level))
    db.commit()
    return Org(db, make_user, profile)
