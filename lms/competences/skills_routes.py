"""My skills: the signed-in person's own competence picture, self-assessment and the level rule.

Every page here shows the signed-in user's own data only; nothing takes a user id from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.clock import utcnow
from lms.competences.forms import SelfAssessmentForm
from lms.competences.models import Competence, Evidence, Framework, JobProfile, ProficiencyLevel
from lms.competences.localised import Names, localised_rows, names_for, row_frameworks
from lms.competences.selectors import EvidenceView, SkillRow, evidence_by_competence, levels_by_framework, skill_rows
from lms.competences.service import self_assess
from lms.db import known
from lms.hooks import gap_suggestions
from lms.i18n import gettext, lazy_gettext, ngettext
from lms.people.models import Role, User
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.page_cache import page_cached
from lms.web.flash import flash
from lms.web.params import Id, IdQuery, parse_id
from lms.web.templating import is_partial, redirect, render

router = APIRouter(prefix="/skills")

SOURCE_LABELS = {
    "self": lazy_gettext("Self-assessment"),
    "manager": lazy_gettext("Manager rating"),
    "course": lazy_gettext("Course"),
    "quiz": lazy_gettext("Quiz"),
    "import": lazy_gettext("Imported record"),
}
NEXT_GAP = lazy_gettext("Ask your manager for a rating, take a course that closes the gap, or self-assess.")
NEXT_NO_EVIDENCE = lazy_gettext("Self-assess to record where you think you are.")
NEXT_LAPSED = lazy_gettext("Your verified level has lapsed: ask your manager for a new rating.")
NEXT_MET = lazy_gettext("Meets requirement: nothing to do now.")
NEXT_OTHER = lazy_gettext("Self-assess again whenever things change.")
NOT_FOUND = lazy_gettext("We could not find that competence.")


@dataclass
class SkillLine:
    row: SkillRow
    # The evidence holding the verified level up, or the one whose expiry made it lapse.
    holder: Evidence | None
    evidence_count: int

    @property
    def next_step(self) -> str:
        r = self.row
        if r.gap:
            return NEXT_GAP
        if not self.evidence_count:
            return NEXT_NO_EVIDENCE
        if r.lapsed:
            return NEXT_LAPSED
        return NEXT_MET if r.in_profile else NEXT_OTHER

    @property
    def gap_text(self) -> str:
        r = self.row
        if not r.in_profile:
            return gettext("No requirement")
        if not r.gap:
            return gettext("Meets requirement")
        return ngettext("%(num)s level below", "%(num)s levels below", r.gap) % {"num": r.gap}


def _holder(row: SkillRow, history: list[EvidenceView]) -> Evidence | None:
    if row.verified_source is None:
        return None
    for view in history:  # newest first
        e = view.evidence
        if e.source == row.verified_source and e.expires_at == row.verified_until and (row.lapsed or e.level == row.verified):
            return e
    return None


@dataclass
class Picture:
    """The person's skill lines, their job profile and the framework levels, all named in the
    reader's language with one statement."""

    lines: list[SkillLine]
    profile: JobProfile | None
    levels: dict[int, list[ProficiencyLevel]]
    names: Names


def _picture(db: Session, user: User, history: dict[int, list[EvidenceView]]) -> Picture:
    rows = skill_rows(db, user)
    profile = db.get(JobProfile, user.job_profile_id) if user.job_profile_id else None
    names = names_for(db, row_frameworks(rows), profiles=[profile])
    lines = [
        SkillLine(row, _holder(row, history.get(row.competence.id, [])), len(history.get(row.competence.id, [])))
        for row in localised_rows(db, rows, names)
    ]
    return Picture(lines, names.of(profile) if profile else None, names.levels(levels_by_framework(db)), names)


def _bands(levels: dict[int, list[ProficiencyLevel]]) -> dict[int, dict[int, ProficiencyLevel]]:
    return {fw_id: {lv.level: lv for lv in group} for fw_id, group in levels.items()}


def _common(request: Request, picture: Picture) -> dict:
    return {"bands": _bands(picture.levels), "sources": SOURCE_LABELS, "now": utcnow(), "is_admin": Role.ADMIN in request.state.roles}


@router.get("")
@page_cached
def my_skills(request: Request, db: DbSession, user: SignedInUser) -> Response:
    picture = _picture(db, user, evidence_by_competence(db, user.id))
    lines = picture.lines
    required = [line for line in lines if line.row.in_profile]
    groups: dict[int, tuple] = {}
    for line in lines:
        if not line.row.in_profile:
            groups.setdefault(line.row.area.id, (line.row.area, line.row.framework, []))[2].append(line)
    context = {
        "lines": lines,
        "required": required,
        "groups": list(groups.values()),
        "profile": picture.profile,
        "met": sum(1 for line in required if not line.row.gap),
        "total_gap": sum(line.row.gap for line in required),
        "several_frameworks": len({line.row.framework.id for line in lines}) > 1,
        # Courses that close each gap, from whatever feature registered the hook (courses).
        "suggestions": gap_suggestions(db, [(known(line.row.competence.id), line.row.required) for line in required if line.row.gap]),
    }
    return render(request, "skills/my_skills.html", {**_common(request, picture), **context})


@router.get("/how-levels-work")
def how_levels_work(request: Request, user: SignedInUser) -> Response:
    return render(request, "skills/how_levels_work.html")


def _sequence(rows: list[SkillRow]) -> list[SkillRow]:
    """The walk: the role's competences first, then the rest, each in framework order."""
    return [r for r in rows if r.in_profile] + [r for r in rows if not r.in_profile]


def _step_page(
    request: Request,
    db: Session,
    user: User,
    competence_id: int | None,
    *,
    status_code: int = 200,
    errors: dict | None = None,
    chosen: str | None = None,
) -> Response:
    rows = skill_rows(db, user)
    names = names_for(db, row_frameworks(rows))
    steps = _sequence(localised_rows(db, rows, names))
    context: dict = {"steps": steps, "errors": errors or {}}
    if steps:
        index = 0
        if competence_id is not None:
            index = next((i for i, r in enumerate(steps) if r.competence.id == competence_id), -1)
            if index < 0:
                raise HTTPException(status_code=404, detail=str(NOT_FOUND))
        row = steps[index]
        following = steps[index + 1] if index + 1 < len(steps) else None
        levels = names.all(levels_by_framework(db).get(row.framework.id, []))
        selected = chosen if chosen is not None else ("" if row.self_level is None else str(row.self_level))
        context.update(
            {
                "row": row,
                "position": index + 1,
                "levels": levels,
                "selected": selected,
                "in_profile_count": sum(1 for r in steps if r.in_profile),
                "skip_url": f"/skills/self-assessment?competence={following.competence.id}" if following else "/skills",
            }
        )
    return render(request, "skills/self_assessment.html", context, status_code=status_code)


@router.get("/self-assessment")
def self_assessment(request: Request, db: DbSession, user: SignedInUser, competence: IdQuery = None) -> Response:
    return _step_page(request, db, user, competence)


@router.post("/self-assessment")
def self_assessment_save(
    request: Request,
    db: DbSession,
    user: SignedInUser,
    competence_id: Annotated[str, Form()] = "",
    level: Annotated[str, Form(max_length=8)] = "",
    saved_level: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    competence = db.get(Competence, parse_id(competence_id)) if parse_id(competence_id) else None
    if competence is None:
        raise HTTPException(status_code=404, detail=str(NOT_FOUND))
    errors, value = SelfAssessmentForm(competence.id, level).check()
    # With htmx each answer is saved as it changes and confirmed in place by its own small template;
    # a plain form saves on "Save and continue" and moves on. Not a block of one page: render() cannot do it.
    partial = is_partial(request)
    if errors:
        if partial:
            return render(request, "skills/_saved.html", {"errors": errors}, status_code=422)
        return _step_page(request, db, user, competence.id, status_code=422, errors=errors, chosen=level)
    # With htmx the answer was saved when the radio changed; "Save and continue" then only moves on,
    # so the history does not get the same answer twice.
    if partial or saved_level.strip() != str(value):
        self_assess(db, user=user, competence=competence, level=value)
        db.commit()
    if partial:
        # Save-as-you-go: confirm in place and let the person move on when they choose.
        framework = db.get(Framework, competence.framework_id)
        names = names_for(db, [framework] if framework else [])
        band = _bands(names.levels(levels_by_framework(db))).get(competence.framework_id, {}).get(value)
        competence_named = names.of(competence)
        return render(request, "skills/_saved.html", {"errors": {}, "level": value, "band": band, "competence": competence_named})
    # Said on the next page, with or without JavaScript (the htmx save has only confirmed in place on
    # this one), so moving on never leaves the person wondering whether the answer stuck.
    steps = _sequence(localised_rows(db, skill_rows(db, user)))
    named = next((r.competence for r in steps if r.competence.id == competence.id), competence)
    saved = gettext("Saved your answer for %(competence)s.") % {"competence": f"{named.code} {named.name}"}
    ids = [r.competence.id for r in steps]
    index = ids.index(competence.id) if competence.id in ids else len(ids)
    if index + 1 < len(ids):
        flash(request, saved)
        return redirect(request, f"/skills/self-assessment?competence={ids[index + 1]}")
    last = gettext("That was the last one: your self-assessment is saved. You can change your answers at any time.")
    flash(request, saved + " " + last)
    return redirect(request, "/skills")


@router.get("/{competence_id}")
def skill_detail(request: Request, db: DbSession, user: SignedInUser, competence_id: Id) -> Response:
    history = evidence_by_competence(db, user.id)
    picture = _picture(db, user, history)
    line = next((line for line in picture.lines if line.row.competence.id == competence_id), None)
    if line is None:
        raise HTTPException(status_code=404, detail=str(NOT_FOUND))
    context = {
        "line": line,
        "row": line.row,
        "history": history.get(competence_id, []),
        "levels": picture.levels.get(line.row.framework.id, []),
        "profile": picture.profile,
    }
    return render(request, "skills/skill_detail.html", {**_common(request, picture), **context})
