"""The SQL aggregates every organisation report starts from.

One grouped scan of people × the competences their job profile requires (joined to their status)
gives additive counters per org unit (people directly in it) and competence. Everything else, roll-up
through the tree, areas, suppression, is arithmetic on those few thousand rows in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlmodel import Session, col

from lms.clock import utcnow
from lms.competences.models import Competence, CompetenceStatus, JobProfileRequirement
from lms.people.models import User

NO_UNIT = 0  # people in no org unit are counted under this key
LEVELS = range(9)
# The order of the counters in every aggregate row after the two keys; additive, so sums of rows are valid.
COUNTERS = (
    "people",
    "meeting",
    "gap_sum",
    "verified_sum",
    "self_count",
    "self_sum",
    "verified_self_sum",
    *(f"level_{n}" for n in LEVELS),
)
FIRST_LEVEL = COUNTERS.index("level_0")  # counters before it are sums; from it on, people per level


@dataclass
class Figures:
    """Counters for one group of people × one competence, or × an area's competences.

    `requirements` counts person × competence pairs; for one competence it equals `people`. Shares and
    averages are per requirement, so an area's figures weigh each required competence equally.
    """

    people: int = 0
    requirements: int = 0
    meeting: int = 0
    gap_sum: int = 0
    verified_sum: int = 0
    self_count: int = 0
    self_sum: int = 0
    # The verified levels of the people who also rated themselves: self vs verified for the same people.
    verified_self_sum: int = 0
    levels: list[int] = field(default_factory=lambda: [0] * len(LEVELS))

    @classmethod
    def from_counters(cls, values: Iterable[int | None], *, people: int | None = None) -> Figures:
        pairs, meeting, gap_sum, verified_sum, self_count, self_sum, verified_self, *levels = (int(v or 0) for v in values)
        return cls(
            pairs if people is None else people, pairs, meeting, gap_sum, verified_sum, self_count, self_sum, verified_self, levels
        )

    @property
    def share_meeting(self) -> float | None:
        return self.meeting / self.requirements if self.requirements else None

    @property
    def average_gap(self) -> float | None:
        return self.gap_sum / self.requirements if self.requirements else None

    @property
    def average_verified(self) -> float | None:
        return self.verified_sum / self.requirements if self.requirements else None

    @property
    def average_self(self) -> float | None:
        return self.self_sum / self.self_count if self.self_count else None

    @property
    def average_verified_of_self_assessed(self) -> float | None:
        return self.verified_self_sum / self.self_count if self.self_count else None


def sum_counters(rows: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    """Column sums of counter tuples (zip and sum run in C: fast for the hundreds of thousands at scale)."""
    return tuple(map(sum, zip(*rows, strict=True))) if rows else (0,) * len(COUNTERS)


def effective_level_column(now: datetime | ColumnElement[datetime]) -> ColumnElement[int]:
    # The same rule as lms.competences.selectors.effective_level: lapsed evidence counts as level 0.
    lapsed = and_(CompetenceStatus.verified_until.is_not(None), col(CompetenceStatus.verified_until) <= now)
    return case((lapsed, 0), else_=func.coalesce(CompetenceStatus.verified_level, 0))


def direct_cells_statement(now: datetime | None = None) -> Select:
    """(org unit or NO_UNIT, competence id, *COUNTERS) for active people, grouped by their own unit."""
    level = effective_level_column(now or utcnow())
    required = JobProfileRequirement.level
    unit = func.coalesce(User.org_unit_id, literal(NO_UNIT))
    return (
        select(
            unit.label("org_unit_id"),
            JobProfileRequirement.competence_id,
            func.count().label("people"),
            func.sum(case((level >= required, 1), else_=0)).label("meeting"),
            func.sum(case((level < required, required - level), else_=0)).label("gap_sum"),
            func.sum(level).label("verified_sum"),
            func.count(CompetenceStatus.self_level).label("self_count"),
            func.coalesce(func.sum(CompetenceStatus.self_level), 0).label("self_sum"),
            func.sum(case((CompetenceStatus.self_level.is_not(None), level), else_=0)).label("verified_self_sum"),
            *(func.sum(case((level == n, 1), else_=0)).label(f"level_{n}") for n in LEVELS),
        )
        .select_from(User)
        .join(JobProfileRequirement, JobProfileRequirement.job_profile_id == User.job_profile_id)
        .outerjoin(
            CompetenceStatus,
            and_(CompetenceStatus.user_id == User.id, CompetenceStatus.competence_id == JobProfileRequirement.competence_id),
        )
        .where(User.is_active)
        .group_by(unit, JobProfileRequirement.competence_id)
    )


def profile_people_statement() -> Select:
    """(org unit or NO_UNIT, job profile, active people): a cheap scan that areas' head counts come from."""
    unit = func.coalesce(User.org_unit_id, literal(NO_UNIT))
    return (
        select(unit.label("org_unit_id"), User.job_profile_id, func.count().label("people"))
        .where(User.is_active, User.job_profile_id.is_not(None))
        .group_by(unit, User.job_profile_id)
    )


def direct_cells(session: Session, *, now: datetime | None = None) -> dict[tuple[int, int], tuple[int, ...]]:
    """{(org unit, competence): counters} — one query."""
    # Core, not the ORM: a hundred thousand plain rows need no identity map.
    rows = session.connection().execute(direct_cells_statement(now))
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def area_people(session: Session) -> dict[tuple[int, int], int]:
    """{(org unit, area): distinct people whose profile requires something in that area} — two small queries.

    Whether a person is in an area's scope depends only on their job profile, so counting people per
    unit × profile and adding each count to the areas that profile touches is exact, and much cheaper
    than COUNT(DISTINCT) over every requirement.
    """
    areas_of: dict[int, set[int]] = {}
    for profile, area in session.execute(
        select(JobProfileRequirement.job_profile_id, Competence.area_id)
        .distinct()
        .join(Competence, Competence.id == JobProfileRequirement.competence_id)
    ):
        areas_of.setdefault(profile, set()).add(area)
    counts: dict[tuple[int, int], int] = {}
    for unit, profile, people in session.connection().execute(profile_people_statement()):
        for area in areas_of.get(profile, ()):
            counts[(unit, area)] = counts.get((unit, area), 0) + people
    return counts
