"""The manager's view: people in the reporting line × competences their profiles require."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, bindparam, select as sa_select
from sqlmodel import Session, select

from lms.clock import utcnow
from lms.competences.models import Competence, CompetenceArea, CompetenceStatus, JobProfile, JobProfileRequirement
from lms.competences.selectors import Heatmap, effective_level
from lms.db import known
from lms.people.models import User
from lms.people.selectors import reporting_line_cte


@lru_cache(maxsize=None)
def _people_stmt(direct_only: bool, by_profile: bool) -> Select:
    # Corrupt data with a cycle could put the manager in their own line; their page is /skills.
    stmt = select(User).where(User.is_active, User.id != bindparam("manager_id"))
    if direct_only:
        stmt = stmt.where(User.manager_id == bindparam("manager_id"))
    else:
        line = reporting_line_cte(bindparam("manager_id"))
        stmt = stmt.where(User.id.in_(sa_select(line.c.id)))
    if by_profile:
        stmt = stmt.where(User.job_profile_id == bindparam("profile_id"))
    return stmt.order_by(User.name)


@lru_cache(maxsize=None)
def _competences_stmt(by_area: bool) -> Select:
    stmt = (
        select(Competence, CompetenceArea)
        .join(CompetenceArea, CompetenceArea.id == Competence.area_id)
        .where(Competence.id.in_(bindparam("competence_ids", expanding=True)))
        .order_by(CompetenceArea.position, Competence.position, Competence.code)
    )
    return stmt.where(Competence.area_id == bindparam("area_id")) if by_area else stmt


# Built once (the people and competence statements once per filter combination): building a select and
# its cache key on every request cost more than running it (issue 15). Plain rows, not ORM objects,
# where the page only reads a few columns of many rows.
_REQUIREMENTS = sa_select(
    JobProfileRequirement.job_profile_id, JobProfileRequirement.competence_id, JobProfileRequirement.level
).where(JobProfileRequirement.job_profile_id.in_(bindparam("profile_ids", expanding=True)))
_STATUSES = sa_select(
    CompetenceStatus.user_id,
    CompetenceStatus.competence_id,
    CompetenceStatus.verified_level,
    CompetenceStatus.verified_until,
    CompetenceStatus.self_level,
).where(
    CompetenceStatus.user_id.in_(bindparam("person_ids", expanding=True)),
    CompetenceStatus.competence_id.in_(bindparam("competence_ids", expanding=True)),
)


def team_heatmap(
    session: Session,
    *,
    manager_id: int,
    direct_only: bool = False,
    area_id: int | None = None,
    profile_id: int | None = None,
    sort: str = "name",
    now: datetime | None = None,
) -> Heatmap:
    """Four queries whatever the team size: people, requirements, competences, statuses."""
    now = now or utcnow()
    params = {"manager_id": manager_id, "profile_id": profile_id}
    people: list[User] = list(session.execute(_people_stmt(direct_only, bool(profile_id)), params).scalars().all())

    profile_ids = {p.job_profile_id for p in people if p.job_profile_id}
    requirements = session.execute(_REQUIREMENTS, {"profile_ids": list(profile_ids)}).all() if profile_ids else []
    required: dict[int, dict[int, int]] = {}
    for req in requirements:
        required.setdefault(req.job_profile_id, {})[req.competence_id] = req.level

    comp_ids = {r.competence_id for r in requirements}
    competences: list[tuple[Competence, CompetenceArea]] = (
        list(session.execute(_competences_stmt(bool(area_id)), {"competence_ids": list(comp_ids), "area_id": area_id}).all())
        if comp_ids
        else []
    )
    shown = {c.id for c, _ in competences}

    person_ids = [p.id for p in people]
    statuses = (
        session.execute(_STATUSES, {"person_ids": person_ids, "competence_ids": list(shown)}).all() if person_ids and shown else []
    )
    by_key = {(s.user_id, s.competence_id): s for s in statuses}

    heatmap = Heatmap(people=people, competences=competences)
    for person in people:
        for comp_id, level in required.get(person.job_profile_id, {}).items():
            if comp_id not in shown:
                continue
            status = by_key.get((person.id, comp_id))
            verified, lapsed = effective_level(status, now)
            heatmap.cells[(known(person.id), comp_id)] = (level, verified, status.self_level if status else None, lapsed)
    if sort == "gap":
        gaps = person_gaps(heatmap)
        heatmap.people.sort(key=lambda p: (-gaps.get(p.id, 0), p.name))
    return heatmap


def person_gaps(heatmap: Heatmap) -> dict[int, int]:
    """Total gap per person in one pass (Heatmap.person_gap scans every cell for each person)."""
    gaps: dict[int, int] = {}
    for (user_id, _cid), (required, verified, _self, _lapsed) in heatmap.cells.items():
        gaps[user_id] = gaps.get(user_id, 0) + max(required - verified, 0)
    return gaps


@dataclass
class TeamSummary:
    requirements: int
    met: int
    most_below: list[tuple[Competence, int]]
    largest_gaps: list[tuple[User, int]]
    self_vs_verified: float | None  # average (self - verified) where both are known
    compared: int

    @property
    def share_met(self) -> int | None:
        return round(100 * self.met / self.requirements) if self.requirements else None


def team_summary(heatmap: Heatmap, top: int = 5) -> TeamSummary:
    below: Counter[int] = Counter()
    met = total = 0
    diffs = []
    for (_user_id, comp_id), (required, verified, self_level, _lapsed) in heatmap.cells.items():
        total += 1
        if verified >= required:
            met += 1
        else:
            below[comp_id] += 1
        if self_level is not None:
            diffs.append(self_level - verified)
    comps = {c.id: c for c, _ in heatmap.competences}
    per_person = person_gaps(heatmap)
    gaps = sorted(((p, per_person.get(p.id, 0)) for p in heatmap.people), key=lambda pg: (-pg[1], pg[0].name))
    return TeamSummary(
        requirements=total,
        met=met,
        most_below=[(comps[cid], n) for cid, n in below.most_common(top)],
        largest_gaps=[pg for pg in gaps if pg[1] > 0][:top],
        self_vs_verified=round(sum(diffs) / len(diffs), 1) if diffs else None,
        compared=len(diffs),
    )


def profiles_by_id(session: Session, ids: set[int]) -> dict[int, JobProfile]:
    if not ids:
        return {}
    return {known(p.id): p for p in session.exec(select(JobProfile).where(JobProfile.id.in_(ids))).all()}
