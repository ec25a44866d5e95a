"""/api/v1 people and their competence status, only within the token's org unit subtree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from lms.api import schemas
from lms.api.auth import ApiCaller, PeopleCaller
from lms.api.language import ApiLanguage, api_names, area_name
from lms.api.selectors import PersonRow, people_page, person_in_scope, required_statuses, unit_in_scope
from lms.privacy.views import view_record
from lms.web.deps import DbSession
from lms.web.params import MAX_ID, MAX_PAGE, Id

router = APIRouter(tags=["people"])

MAX_PER_PAGE = 200
# Outside the token's scope answers exactly like a missing id, so a token cannot probe who exists.
NOT_FOUND = "There is no such person, or this API token may not see them."


def next_page_url(request: Request, *, page: int) -> str:
    """The same query on another page, at BASE_URL (relative when unset): never the request's Host header,
    which a client or a misconfigured proxy chooses."""
    query = request.url.include_query_params(page=page).query
    return f"{request.app.state.settings.base_url.rstrip('/')}{request.url.path}?{query}"


def token_label(caller: ApiCaller) -> str:
    return f"API token “{caller.token.name}” ({caller.token.prefix}…)"


def person_out(row: PersonRow) -> schemas.PersonOut:
    user = row.user
    return schemas.PersonOut(
        id=user.id,
        name=user.name,
        email=user.email,
        org_unit=schemas.UnitRef(id=user.org_unit_id, name=row.unit_name) if user.org_unit_id else None,
        job_profile=schemas.UnitRef(id=user.job_profile_id, name=row.profile_name) if user.job_profile_id else None,
        manager_id=user.manager_id,
    )


@router.get("/people", response_model=schemas.PeoplePage, responses={404: {"model": schemas.Error}})
def people(
    request: Request,
    db: DbSession,
    caller: PeopleCaller,
    org_unit: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only people in this unit and the units below it")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> schemas.PeoplePage:
    """Active people the token may see, by name, one page at a time. Follow `next` for the rest."""
    if org_unit is not None and unit_in_scope(db, unit_id=org_unit, scope_unit_id=caller.org_unit_id) is None:
        raise HTTPException(status_code=404, detail="There is no such unit, or this API token may not see it.")
    rows, total = people_page(db, scope_unit_id=caller.org_unit_id, filter_unit_id=org_unit, page=page, per_page=per_page)
    more = page * per_page < total
    view_record(db, viewer=None, label=token_label(caller), what="people list (API)", subject_ids=[r.user.id for r in rows])
    return schemas.PeoplePage(
        items=[person_out(row) for row in rows],
        total=total,
        page=page,
        per_page=per_page,
        next=next_page_url(request, page=page + 1) if more else None,
    )


@router.get("/people/{person_id}/competences", response_model=schemas.PersonCompetences, responses={404: {"model": schemas.Error}})
def person_competences(person_id: Id, db: DbSession, caller: PeopleCaller, language: ApiLanguage) -> schemas.PersonCompetences:
    """Required, verified (expired evidence counts as 0) and self-assessed levels for each competence the
    person's job profile requires. The self-assessment is reported apart: it never counts as verified.
    Competence and area names follow `Accept-Language`."""
    row = person_in_scope(db, person_id=person_id, scope_unit_id=caller.org_unit_id)
    if row is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    names = api_names(db, language)
    view_record(db, viewer=None, label=token_label(caller), what="competences (API)", subject_ids=[row.user.id])
    return schemas.PersonCompetences(
        person=person_out(row),
        competences=[
            schemas.CompetenceStatusOut(
                framework=s.framework,
                competence=s.competence.code,
                name=names.of(s.competence).name,
                area=area_name(names, s.competence.area_id, s.area),
                required=s.required,
                verified=s.verified,
                lapsed=s.lapsed,
                gap=max(s.required - s.verified, 0),
                verified_source=s.status.verified_source if s.status else None,
                verified_until=s.status.verified_until if s.status else None,
                self_assessment=(
                    schemas.SelfAssessment(level=s.status.self_level, assessed_at=s.status.self_assessed_at)
                    if s.status and s.status.self_level is not None
                    else None
                ),
            )
            for s in required_statuses(db, row.user)
        ],
    )
