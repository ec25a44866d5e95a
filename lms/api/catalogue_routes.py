"""/api/v1 frameworks and job profiles: the organisation's reference data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from lms.api import schemas
from lms.api.auth import FrameworksCaller, ProfilesCaller
from lms.api.language import ApiLanguage, api_names
from lms.api.selectors import framework_by_code, framework_levels, profile_requirements, profile_summaries
from lms.competences.admin_selectors import framework_summaries, framework_trees
from lms.competences.models import JobProfile
from lms.web.deps import DbSession
from lms.web.params import Id

# Codes are printable text up to 100 characters (Moodle id numbers); a control character is never one.
FrameworkCode = Annotated[str, Path(max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]

router = APIRouter()


@router.get("/frameworks", response_model=list[schemas.FrameworkSummary], tags=["frameworks"])
def frameworks(db: DbSession, caller: FrameworksCaller, language: ApiLanguage) -> list[schemas.FrameworkSummary]:
    """Every competence framework, with how many areas and competences it has. Names follow
    `Accept-Language` where a framework has a version in that language (see `Content-Language`)."""
    names = api_names(db, language)
    return [
        schemas.FrameworkSummary(
            code=s.framework.code,
            name=names.of(s.framework).name,
            version=s.framework.version,
            publisher=s.framework.publisher,
            licence=s.framework.licence,
            areas=s.areas,
            competences=s.competences,
        )
        for s in framework_summaries(db)
    ]


@router.get(
    # :path, because a Moodle id number kept as a code may hold a slash ("org/digital-2024").
    "/frameworks/{code:path}",
    response_model=schemas.FrameworkDetail,
    tags=["frameworks"],
    responses={404: {"model": schemas.Error}},
)
def framework(code: FrameworkCode, db: DbSession, caller: FrameworksCaller, language: ApiLanguage) -> schemas.FrameworkDetail:
    """One framework: its proficiency levels, and its areas with their competences, in order. Names,
    descriptions and levels follow `Accept-Language` where the framework has a version in that language."""
    found = framework_by_code(db, code)
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no framework with the code {code}.")
    [tree] = framework_trees(db, found.id)
    names = api_names(db, language)
    levels = names.all(framework_levels(db, found.id))
    return schemas.FrameworkDetail(
        code=found.code,
        name=names.of(found).name,
        version=found.version,
        publisher=found.publisher,
        licence=found.licence,
        levels=[schemas.Level(level=lv.level, band=lv.band, summary=lv.summary) for lv in levels],
        areas=[
            schemas.AreaOut(
                code=block.area.code,
                name=names.of(block.area).name,
                competences=[
                    schemas.CompetenceOut(
                        code=c.code, name=c.name, description=c.description, evidence_valid_months=c.evidence_valid_months
                    )
                    for c in names.all(list(block.competences))
                ],
            )
            for block in tree.areas
        ],
    )


@router.get("/job-profiles", response_model=list[schemas.JobProfileSummary], tags=["job profiles"])
def job_profiles(db: DbSession, caller: ProfilesCaller, language: ApiLanguage) -> list[schemas.JobProfileSummary]:
    """Every job profile, with how many competences it requires; names follow `Accept-Language`."""
    names = api_names(db, language)
    return [
        schemas.JobProfileSummary(id=p.id, name=shown.name, description=shown.description, requirements=n)
        for p, n in profile_summaries(db)
        for shown in [names.of(p)]
    ]


@router.get(
    "/job-profiles/{profile_id}",
    response_model=schemas.JobProfileDetail,
    tags=["job profiles"],
    responses={404: {"model": schemas.Error}},
)
def job_profile(profile_id: Id, db: DbSession, caller: ProfilesCaller, language: ApiLanguage) -> schemas.JobProfileDetail:
    """One job profile and the level it requires for each competence; names follow `Accept-Language`."""
    profile = db.get(JobProfile, profile_id)
    if profile is None:
        raise HTTPException(status_code=404, detail="There is no job profile with that id.")
    names = api_names(db, language)
    shown = names.of(profile)
    return schemas.JobProfileDetail(
        id=profile.id,
        name=shown.name,
        description=shown.description,
        requirements=[
            schemas.Requirement(framework=fw, competence=c.code, name=names.of(c).name, level=level)
            for fw, c, level in profile_requirements(db, profile.id)
        ],
    )
