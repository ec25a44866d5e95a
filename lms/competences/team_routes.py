"""The manager's "My team": heatmap and summary, CSV export, one person's skills, and ratings.

Scope is strict: a person outside the manager's reporting line, and the manager themselves, is
answered with 404 on every route here, so nothing reveals who exists elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.web.forms import field_errors
from lms.web.paging import SHORT_ROWS, ListFilters, Page, clamp_page, page_size
from lms.clock import utcnow
from lms.i18n import gettext, lazy_gettext
from lms.competences.models import MAX_LEVEL, Competence, Evidence, JobProfile
from lms.competences.selectors import (
    EvidenceView,
    Heatmap,
    SkillRow,
    area_options,
    evidence_by_competence,
    job_profiles,
    levels_by_framework,
    skill_rows,
)
from lms.competences.service import CompetenceError, manager_rate
from lms.competences.localised import localised_pairs, localised_rows, names_for, row_frameworks
from lms.competences.team import person_gaps, team_heatmap, team_summary
from lms.competences.team_csv import COLUMNS, heatmap_rows
from lms.csvfile import csv_response
from lms.export_headings import headings
from lms.db import known
from lms.hooks import gap_suggestions
from lms.people.models import User
from lms.people.selectors import is_in_reporting_line
from lms.privacy.views import view_record
from lms.web.access import ManagerUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.page_cache import LINE, page_cached_showing
from lms.web.params import Id, check_int, parse_id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/team")

SORTS = {"name": lazy_gettext("Name"), "gap": lazy_gettext("Largest gap first")}
SOURCES = {
    "self": lazy_gettext("self-assessment"),
    "manager": lazy_gettext("manager rating"),
    "course": lazy_gettext("course"),
    "quiz": lazy_gettext("quiz"),
    "import": lazy_gettext("import"),
}
Param = Annotated[str, Query(max_length=20)]


@dataclass
class TeamFilters(ListFilters):
    area: int | None = None
    direct: bool = False
    profile: int | None = None
    sort: str = "name"


def team_filters(
    area: Param = "",
    direct: Param = "",
    profile: Param = "",
    sort: Param = "name",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> TeamFilters:
    """The team filters from the query string, shared by the page and its CSV export."""
    return TeamFilters(
        area=parse_id(area),
        direct=direct in {"1", "on", "true", "yes"},
        profile=parse_id(profile),
        sort=sort if sort in SORTS else "name",
        page=page,
    )


TeamFilterQuery = Annotated[TeamFilters, Depends(team_filters)]


def _heatmap(db: Session, manager: User, filters: TeamFilters) -> tuple[Heatmap, list[JobProfile]]:
    heatmap = team_heatmap(
        db, manager_id=manager.id, direct_only=filters.direct, area_id=filters.area, profile_id=filters.profile, sort=filters.sort
    )
    names = names_for(db)
    heatmap.competences = localised_pairs(db, heatmap.competences, names)
    profiles = names.all(job_profiles(db))
    heatmap.profiles = {known(p.id): p for p in profiles}
    return heatmap, profiles


def _gap_actions(db: Session, heatmap: Heatmap) -> list[tuple[Competence, int, list]]:
    """(competence, people below, courses) for each column with a gap, in column order; the courses
    reach the highest level anyone below needs. One hook call, whatever the number of columns."""
    needed: dict[int, int] = {}
    below: dict[int, int] = {}
    for (_user_id, comp_id), (required, verified, _self, _lapsed) in heatmap.cells.items():
        if verified < required:
            needed[comp_id] = max(required, needed.get(comp_id, 0))
            below[comp_id] = below.get(comp_id, 0) + 1
    courses = gap_suggestions(db, list(needed.items()))
    return [(comp, below[comp.id], courses.get(comp.id, [])) for comp, _area in heatmap.competences if comp.id in below]


@router.get("")
@page_cached_showing(LINE)
def team_page(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    filters: TeamFilterQuery,
) -> Response:
    heatmap, profiles = _heatmap(db, user, filters)
    per_page = page_size(request, SHORT_ROWS)
    filters.page = clamp_page(filters.page, len(heatmap.people), per_page)
    start = (filters.page - 1) * per_page
    summary = team_summary(heatmap)
    response = render(
        request,
        "team/team.html",
        {
            "filters": filters,
            "heatmap": heatmap,
            "summary": summary,
            "gap_actions": _gap_actions(db, heatmap),
            "gaps": person_gaps(heatmap),
            "result": Page(
                items=heatmap.people[start : start + per_page], total=len(heatmap.people), page=filters.page, per_page=per_page
            ),
            "page_url": lambda n: filters.url("/team", page=n),
            "export_url": filters.url("/team/export.csv"),
            "area_options": area_options(db),
            "profile_options": [(p.id, p.name) for p in profiles],
            "sort_options": list(SORTS.items()),
            "has_profiles": any(p.job_profile_id for p in heatmap.people),
        },
        block="results",
    )
    # The people the page names: its rows and the largest gaps (the other figures count, not name).
    shown = [p.id for p in heatmap.people[start : start + per_page]] + [p.id for p, _gap in summary.largest_gaps]
    view_record(db, viewer=user, what="team skills (My team)", subject_ids=shown, path="/team")
    return response


@router.get("/export.csv")
def team_export(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    filters: TeamFilterQuery,
) -> Response:
    heatmap, _profiles = _heatmap(db, user, filters)
    filename = f"team-skills-{utcnow().date().isoformat()}.csv"
    view_record(db, viewer=user, what="team skills download (My team)", subject_ids=[p.id for p in heatmap.people])
    return csv_response(filename, headings(COLUMNS), heatmap_rows(heatmap))


def _person_in_line(db: Session, manager: User, user_id: int) -> User:
    # The same answer for "does not exist" and "not yours", so ids cannot be probed.
    if user_id == manager.id or not is_in_reporting_line(db, manager_id=manager.id, user_id=user_id):
        raise HTTPException(status_code=404)
    person = db.get(User, user_id)
    if person is None:
        raise HTTPException(status_code=404)
    return person


def _latest_verified(history: list[EvidenceView], row: SkillRow, now: datetime) -> Evidence | None:
    """The evidence that gave the verified level, for its source and date."""
    for view in history:
        e = view.evidence
        if e.source == row.verified_source and e.level == row.verified and not view.expired(now):
            return e
    return None


def _person_page(
    request: Request, db: Session, person: User, *, form: dict | None = None, errors: dict | None = None, status_code: int = 200
) -> Response:
    now = utcnow()
    rows = skill_rows(db, person, now)
    profile = db.get(JobProfile, person.job_profile_id) if person.job_profile_id else None
    names = names_for(db, row_frameworks(rows), profiles=[profile])
    rows = localised_rows(db, rows, names)
    profile = names.of(profile) if profile else None
    evidence = evidence_by_competence(db, person.id)
    levels = names.levels(levels_by_framework(db))
    form = form or {}
    chosen = parse_id(str(form.get("competence_id", "")))
    by_id = {r.competence.id: r for r in rows}
    if chosen not in by_id:
        chosen = next((r.competence.id for r in rows if r.in_profile), rows[0].competence.id if rows else None)
    framework_id = by_id[chosen].framework.id if chosen else None
    bands = {lv.level: lv.band for lv in levels.get(framework_id, [])}
    return render(
        request,
        "team/person.html",
        {
            "person": person,
            "profile": profile,
            "profile_rows": [r for r in rows if r.in_profile],
            "other_rows": [
                r for r in rows if not r.in_profile and (r.competence.id in evidence or r.verified or r.self_level is not None)
            ],
            "all_rows": rows,
            "evidence": evidence,
            "verified_by": {r.competence.id: _latest_verified(evidence.get(r.competence.id, []), r, now) for r in rows if r.verified},
            "bands": bands,
            "level_options": [(n, f"{n} · {bands[n]}" if bands.get(n) else str(n)) for n in range(MAX_LEVEL + 1)],
            "sources": SOURCES,
            "gap_courses": gap_suggestions(db, [(known(r.competence.id), r.required) for r in rows if r.in_profile and r.gap]),
            "chosen": chosen,
            "form": form,
            "errors": errors or {},
            "now": now,
        },
        block="rating_form" if errors else None,
        status_code=status_code,
    )


@router.get("/people/{user_id:id}")
def team_person(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    user_id: Id,
    competence_id: Param = "",
) -> Response:
    person = _person_in_line(db, user, user_id)
    response = _person_page(request, db, person, form={"competence_id": competence_id})
    view_record(db, viewer=user, what="person page (My team)", subject_ids=[person.id], path=request.url.path)
    return response


@router.post("/people/{user_id:id}/ratings")
def team_rate(
    request: Request,
    db: DbSession,
    user: ManagerUser,
    user_id: Id,
    competence_id: Annotated[str, Form(max_length=20)] = "",
    level: Annotated[str, Form(max_length=4)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    person = _person_in_line(db, user, user_id)
    form = {"competence_id": competence_id, "level": level, "note": note}
    errors: dict[str, str] = {}
    competence = db.get(Competence, parse_id(competence_id)) if parse_id(competence_id) else None
    if competence is None:
        errors["competence_id"] = gettext("Choose the competence you are rating.")
    level_value = check_int(
        level, errors, "level", lo=0, hi=MAX_LEVEL, message=gettext("Choose a level from 0 to %(max)s.") % {"max": MAX_LEVEL}
    )
    if not errors:
        try:
            manager_rate(
                db, manager=user, person=person, competence=competence, level=level_value, note=note, client_ip=client_ip(request)
            )
            db.commit()
        except CompetenceError as exc:
            db.rollback()
            errors.update(field_errors(exc))
    if errors:
        return _person_page(request, db, person, form=form, errors=errors, status_code=422)
    recorded = gettext("Rating recorded: %(name)s is at level %(level)s in %(competence)s.")
    flash(request, recorded % {"name": person.name, "level": level_value, "competence": f"{competence.code} {competence.name}"})
    return redirect(request, f"/team/people/{person.id}")
