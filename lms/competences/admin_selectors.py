"""Reads for the framework and job profile admin pages. Fixed query counts, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, select

from lms.web.paging import Page, clamp_page
from lms.competences.models import (
    Competence,
    CompetenceArea,
    Framework,
    JobProfile,
    JobProfileRequirement,
    JobProfileTranslation,
    ProficiencyLevel,
)
from lms.db import known
from lms.people.models import User

if TYPE_CHECKING:
    from lms.competences.localised import Names


@dataclass
class FrameworkSummary:
    framework: Framework
    areas: int
    competences: int


def framework_summaries(session: Session) -> list[FrameworkSummary]:
    areas = (
        select(func.count())
        .select_from(CompetenceArea)
        .where(CompetenceArea.framework_id == Framework.id)
        .correlate(Framework)
        .scalar_subquery()
    )
    comps = (
        select(func.count())
        .select_from(Competence)
        .where(Competence.framework_id == Framework.id)
        .correlate(Framework)
        .scalar_subquery()
    )
    rows = session.exec(select(Framework, areas, comps).order_by(Framework.code)).all()
    return [FrameworkSummary(fw, a, c) for fw, a, c in rows]


@dataclass
class AreaBlock:
    area: CompetenceArea
    competences: list[Competence] = field(default_factory=list)


@dataclass
class FrameworkTree:
    framework: Framework
    areas: list[AreaBlock]
    # level -> "4 · Intermediate", for the framework's own band names
    level_labels: dict[int, str]

    @property
    def competences(self) -> list[Competence]:
        return [c for block in self.areas for c in block.competences]


def framework_trees(session: Session, framework_id: int | None = None, names: Names | None = None) -> list[FrameworkTree]:
    """Frameworks with their areas and competences in order (four queries), named as `names` says
    (lms.competences.localised: the reader's language) when given, else in their own language."""
    fw_stmt = select(Framework).order_by(Framework.code)
    area_stmt = select(CompetenceArea).order_by(CompetenceArea.position, CompetenceArea.code)
    comp_stmt = select(Competence).order_by(Competence.position, Competence.code)
    level_stmt = select(ProficiencyLevel).order_by(ProficiencyLevel.level)
    if framework_id is not None:
        fw_stmt = fw_stmt.where(Framework.id == framework_id)
        area_stmt = area_stmt.where(CompetenceArea.framework_id == framework_id)
        comp_stmt = comp_stmt.where(Competence.framework_id == framework_id)
        level_stmt = level_stmt.where(ProficiencyLevel.framework_id == framework_id)
    blocks: dict[int, AreaBlock] = {}
    by_framework: dict[int, list[AreaBlock]] = {}

    def named(row: Any) -> Any:
        return names.of(row) if names is not None else row

    for area in session.exec(area_stmt).all():
        block = blocks[known(area.id)] = AreaBlock(named(area))
        by_framework.setdefault(area.framework_id, []).append(block)
    for comp in session.exec(comp_stmt).all():
        if comp.area_id in blocks:
            blocks[comp.area_id].competences.append(named(comp))
    labels: dict[int, dict[int, str]] = {}
    for lv in map(named, session.exec(level_stmt).all()):
        labels.setdefault(lv.framework_id, {})[lv.level] = f"{lv.level} · {lv.band}" if lv.band else str(lv.level)
    return [FrameworkTree(named(fw), by_framework.get(fw.id, []), labels.get(fw.id, {})) for fw in session.exec(fw_stmt).all()]


@dataclass
class ProfileSummary:
    profile: JobProfile
    requirements: int
    people: int


def profiles_page(session: Session, page: int, per_page: int) -> Page:
    total = session.exec(select(func.count()).select_from(JobProfile)).one()
    page = clamp_page(page, total, per_page)
    reqs = (
        select(func.count())
        .select_from(JobProfileRequirement)
        .where(JobProfileRequirement.job_profile_id == JobProfile.id)
        .correlate(JobProfile)
        .scalar_subquery()
    )
    people = select(func.count()).select_from(User).where(User.job_profile_id == JobProfile.id).correlate(JobProfile).scalar_subquery()
    rows = session.exec(
        select(JobProfile, reqs, people)
        .order_by(func.lower(JobProfile.name), JobProfile.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=[ProfileSummary(p, r, n) for p, r, n in rows], total=total, page=page, per_page=per_page)


def required_levels(session: Session, profile_id: int) -> dict[int, int]:
    return dict(
        session.exec(
            select(JobProfileRequirement.competence_id, JobProfileRequirement.level).where(
                JobProfileRequirement.job_profile_id == profile_id
            )
        ).all()
    )


def profile_options(session: Session) -> list[tuple[int, str]]:
    return [
        (known(pid), name)
        for pid, name in session.exec(select(JobProfile.id, JobProfile.name).order_by(func.lower(JobProfile.name))).all()
    ]


def profile_names_of(session: Session, user_ids: list[int]) -> dict[int, str]:
    """user id -> job profile name, for a page of the users list (one query)."""
    if not user_ids:
        return {}
    return dict(
        session.exec(
            select(User.id, JobProfile.name).join(JobProfile, JobProfile.id == User.job_profile_id).where(User.id.in_(user_ids))
        ).all()
    )


def job_profile_translations(session: Session, profile_id: int) -> dict[str, JobProfileTranslation]:
    """The profile's versions in other languages, by language."""
    rows = session.exec(select(JobProfileTranslation).where(JobProfileTranslation.job_profile_id == profile_id)).all()
    return {row.language: row for row in rows}
