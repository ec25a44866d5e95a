"""Building report data quickly for tests: a small organisation (units, people with a job profile and
their statuses), the scenario the export tests share, and readers for the exported files."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from openpyxl import load_workbook
from sqlmodel import Session

from lms.clock import utcnow
from lms.competences.models import CompetenceStatus, JobProfile
from lms.people.models import OrgUnit
from tests.lms.competences.factories import competence, load_digcomp, make_profile
from tests.lms.factories import make_unit
from tests.support.exports import identifier_of, rows_by_identifier

# What everyone in make_org's organisation requires unless told otherwise.
ORG_REQUIRED = {"1.1": 3, "4.2": 2}
# 1.1 at level 3 and 2.1 at level 2: two competence columns in two areas.
BENEFITS_REQUIRED = {"1.1": 3, "2.1": 2}


@dataclass
class Org:
    db: Session
    make_user: object
    profile: JobProfile
    units: dict[str, OrgUnit] = field(default_factory=dict)
    n: int = 0

    def unit(self, name: str, parent: str | None = None) -> OrgUnit:
        unit = make_unit(self.db, name, self.units[parent] if parent else None)
        self.units[name] = unit
        return unit

    def people(self, unit: str | None, levels: list[dict[str, int]], *, self_levels=None, active=True, lapsed: bool = False):
        """One person per entry of `levels` ({competence code: verified level}), in `unit`."""
        people = []
        for i, verified in enumerate(levels):
            self.n += 1
            person = self.make_user(
                name=f"Person {self.n:03d}",
                email=f"p{self.n}@example.gov",
                org_unit_id=self.units[unit].id if unit else None,
                job_profile_id=self.profile.id,
                is_active=active,
            )
            for code, level in verified.items():
                self_level = self_levels[i].get(code) if self_levels else None
                self.db.add(
                    CompetenceStatus(
                        user_id=person.id,
                        competence_id=competence(self.db, code).id,
                        verified_level=level,
                        verified_source="course" if level else None,
                        self_level=self_level,
                        verified_until=utcnow() - timedelta(days=1) if lapsed else None,
                    )
                )
            people.append(person)
        self.db.commit()
        return people


def make_org(db: Session, make_user, required: dict[str, int] | None = None) -> Org:
    """DigComp and a "Caseworker" profile requiring ``required`` (ORG_REQUIRED if none); no units yet."""
    load_digcomp(db)
    return Org(db, make_user, make_profile(db, "Caseworker", required or ORG_REQUIRED))


def benefits_and_digital(db, make_user) -> Org:
    """Benefits = Claims (8 people) + Appeals (3: too few to show), nobody directly in Benefits;
    Digital: 6 people with known levels (1.1 verified 3, 3, 4, 1, 0, 0; two rated themselves 2 and 4)."""
    org = make_org(db, make_user, BENEFITS_REQUIRED)
    org.unit("Benefits")
    org.unit("Claims", "Benefits")
    org.unit("Appeals", "Benefits")
    org.unit("Digital")
    org.people("Claims", [{"1.1": 3, "2.1": 2}] * 4 + [{"1.1": 1}] * 4)
    org.people("Appeals", [{"1.1": 0}] * 3)
    org.people(
        "Digital",
        [{"1.1": 3}, {"1.1": 3}, {"1.1": 4}, {"1.1": 1}, {"1.1": 0}, {}],
        self_levels=[{"1.1": 2}, {}, {"1.1": 4}, {}, {}, {}],
    )
    return org


def csv_rows(response) -> list[dict[str, str]]:
    return rows_by_identifier(response)


def xlsx_rows(response) -> list[dict[str, object]]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [r for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True)]
    header, *body = rows
    back = identifier_of()
    return [dict(zip([back.get(str(h), h) for h in header], row, strict=True)) for row in body]
