"""Admin pages for job profiles: the list, create, rename, delete, and the required-levels grid."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.web.forms import field_errors
from lms.web.paging import SHORT_ROWS, page_size, url_with
from lms.competences.admin_selectors import framework_trees, job_profile_translations, profiles_page, required_levels
from lms.competences.localised import names_for
from lms.competences.models import MAX_LEVEL, JobProfile
from lms.competences.profile_service import (
    job_profile_create,
    job_profile_delete,
    job_profile_holders,
    job_profile_language_set,
    job_profile_translation_save,
    job_profile_update,
    requirements_set,
)
from lms.competences.service import CompetenceError
from lms.competences.translation_selectors import language_name
from lms.i18n import SUPPORTED_LANGUAGES, gettext, ngettext
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.params import Id, parse_id, parse_int
from lms.web.templating import redirect, render

router = APIRouter(prefix="/job-profiles")

Name = Annotated[str, Form(max_length=400)]
Description = Annotated[str, Form(max_length=4000)]
LEVEL_PREFIX = "level-"


def _list_page(request: Request, db: Session, page: int = 1, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("form", {"name": "", "description": ""})
    result = profiles_page(db, page, page_size(request, SHORT_ROWS))
    names = names_for(db, [], profiles=[item.profile for item in result.items])
    for item in result.items:
        item.profile = names.of(item.profile)
    return render(
        request,
        "competences/job_profiles.html",
        {
            "result": result,
            "page_url": lambda n: url_with("/admin/job-profiles", {}, page=n),
            **context,
        },
        status_code=status_code,
    )


@router.get("")
def job_profiles_list(
    request: Request,
    db: DbSession,
    user: AdminUser,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    return _list_page(request, db, page)


@router.post("")
def job_profiles_create(
    request: Request,
    db: DbSession,
    user: AdminUser,
    name: Name = "",
    description: Description = "",
) -> Response:
    try:
        profile = job_profile_create(
            db,
            name=name,
            description=description,
            language=request.app.state.settings.default_language,
            by=user,
            client_ip=client_ip(request),
        )
        db.commit()
    except CompetenceError as exc:
        db.rollback()
        return _list_page(request, db, status_code=422, errors=field_errors(exc), form={"name": name, "description": description})
    flash(
        request, gettext("The job profile %(profile)s has been created. Now set the levels it requires.") % {"profile": profile.name}
    )
    return redirect(request, f"/admin/job-profiles/{profile.id}")


def _profile(db: Session, profile_id: int) -> JobProfile:
    profile = db.get(JobProfile, profile_id)
    if profile is None:
        raise HTTPException(status_code=404, detail=gettext("We could not find that job profile. It may have been deleted."))
    return profile


def _detail_page(request: Request, db: Session, profile: JobProfile, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("grid_errors", {})
    context.setdefault("delete_errors", {})
    context.setdefault("form", {"name": profile.name, "description": profile.description})
    context.setdefault("levels", required_levels(db, profile.id))
    context.setdefault("version_errors", {})
    versions = job_profile_translations(db, profile.id)
    context.setdefault(
        "version_forms",
        {code: {"name": v.name, "description": v.description} for code, v in versions.items()},
    )
    # Competences, levels and the heading in the reader's language; the details form edits the original.
    names = names_for(db)
    return render(
        request,
        "competences/job_profile_detail.html",
        {
            "profile": profile,
            "shown": names.of(profile),
            "own_language": language_name(profile.language),
            "version_languages": [(code, language_name(code)) for code in SUPPORTED_LANGUAGES if code != profile.language],
            "languages": [(code, language_name(code)) for code in SUPPORTED_LANGUAGES],
            "trees": framework_trees(db, names=names),
            "holders": job_profile_holders(db, profile.id),
            "max_level": MAX_LEVEL,
            **context,
        },
        status_code=status_code,
    )


@router.get("/{profile_id:id}")
def job_profile_detail(request: Request, db: DbSession, user: AdminUser, profile_id: Id) -> Response:
    return _detail_page(request, db, _profile(db, profile_id))


@router.post("/{profile_id:id}")
def job_profile_edit(
    request: Request,
    db: DbSession,
    user: AdminUser,
    profile_id: Id,
    name: Name = "",
    description: Description = "",
) -> Response:
    profile = _profile(db, profile_id)
    try:
        job_profile_update(db, profile=profile, name=name, description=description, by=user, client_ip=client_ip(request))
        db.commit()
    except CompetenceError as exc:
        db.rollback()
        db.refresh(profile)
        return _detail_page(request, db, profile, 422, errors=field_errors(exc), form={"name": name, "description": description})
    flash(request, gettext("The details of %(profile)s have been saved.") % {"profile": profile.name})
    return redirect(request, f"/admin/job-profiles/{profile.id}")


async def grid_fields(request: Request) -> list[tuple[str, str]]:
    """The grid's level-<competence id> fields as sent (the form has one per competence)."""
    form = await request.form()
    return [(k, v) for k, v in form.multi_items() if k.startswith(LEVEL_PREFIX) and isinstance(v, str)]


def parse_grid(fields: list[tuple[str, str]]) -> tuple[dict[int, int], dict[str, str]]:
    """(levels by competence id, errors by field) — every problem at once."""
    levels: dict[int, int] = {}
    errors: dict[str, str] = {}
    bad_ids: list[str] = []
    for key, raw in fields:
        cid, raw = key.removeprefix(LEVEL_PREFIX), raw.strip()
        competence_id, level = parse_id(cid), parse_int(raw, 0, MAX_LEVEL)
        if competence_id is None:
            bad_ids.append(f"'{cid[:40]}'")
        elif level is None:
            errors[key] = gettext("Choose a level from 0 to %(max)s (not '%(value)s').") % {"max": MAX_LEVEL, "value": raw[:20]}
        else:
            levels[competence_id] = level
    if bad_ids:
        errors["form"] = gettext("Not a competence id: %(ids)s.") % {"ids": ", ".join(bad_ids[:20])}
    return levels, errors


@router.post("/{profile_id:id}/translations/{language}")
def job_profile_translation(
    request: Request,
    db: DbSession,
    user: AdminUser,
    profile_id: Id,
    language: Annotated[str, Path(max_length=8)],
    name: Name = "",
    description: Description = "",
) -> Response:
    profile = _profile(db, profile_id)
    if language not in SUPPORTED_LANGUAGES or language == profile.language:
        raise HTTPException(status_code=404)
    try:
        changed = job_profile_translation_save(
            db, profile=profile, language=language, name=name, description=description, by=user, client_ip=client_ip(request)
        )
        db.commit()
    except CompetenceError as exc:
        db.rollback()
        forms = {code: {"name": v.name, "description": v.description} for code, v in job_profile_translations(db, profile.id).items()}
        forms[language] = {"name": name, "description": description}
        return _detail_page(request, db, profile, 422, version_errors=field_errors(exc), version_forms=forms)
    label = language_name(language)
    if changed:
        flash(
            request, gettext("The %(language)s version of %(profile)s has been saved.") % {"language": label, "profile": profile.name}
        )
    return redirect(request, f"/admin/job-profiles/{profile.id}#versions")


@router.post("/{profile_id:id}/language")
def job_profile_language(
    request: Request, db: DbSession, user: AdminUser, profile_id: Id, language: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    profile = _profile(db, profile_id)
    try:
        if job_profile_language_set(db, profile=profile, language=language, by=user, client_ip=client_ip(request)):
            db.commit()
            flash(
                request,
                gettext("%(profile)s is now written in %(language)s.")
                % {"profile": profile.name, "language": language_name(language)},
            )
    except CompetenceError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/admin/job-profiles/{profile.id}#versions")


@router.post("/{profile_id:id}/requirements")
def job_profile_requirements(
    request: Request,
    db: DbSession,
    user: AdminUser,
    profile_id: Id,
    fields: Annotated[list[tuple[str, str]], Depends(grid_fields)],
) -> Response:
    profile = _profile(db, profile_id)
    levels, errors = parse_grid(fields)
    known = {c.id for tree in framework_trees(db) for c in tree.competences}
    unknown = sorted(set(levels) - known)
    if unknown:
        message = gettext("There is no competence with id %(ids)s.") % {"ids": ", ".join(map(str, unknown[:20]))}
        errors["form"] = f"{errors['form']} {message}" if "form" in errors else message
    if not errors:
        try:
            changed = requirements_set(db, profile=profile, levels=levels, by=user, client_ip=client_ip(request))
            db.commit()
        except CompetenceError as exc:
            db.rollback()
            errors["form"] = str(exc)
    if errors:
        # Show what was sent, so a slip in one row does not undo the others.
        shown = {**required_levels(db, profile.id), **levels}
        return _detail_page(request, db, profile, 422, grid_errors=errors, levels=shown)
    flash(
        request,
        ngettext(
            "Required levels for %(profile)s saved: %(num)s change.",
            "Required levels for %(profile)s saved: %(num)s changes.",
            changed,
        )
        % {"profile": profile.name, "num": changed}
        if changed
        else gettext("No levels changed for %(profile)s.") % {"profile": profile.name},
    )
    return redirect(request, f"/admin/job-profiles/{profile.id}")


@router.post("/{profile_id:id}/delete")
def job_profile_remove(request: Request, db: DbSession, user: AdminUser, profile_id: Id) -> Response:
    profile = _profile(db, profile_id)
    name = profile.name
    try:
        job_profile_delete(db, profile=profile, by=user, client_ip=client_ip(request))
        db.commit()
    except CompetenceError as exc:
        db.rollback()
        return _detail_page(request, db, profile, 409, delete_errors={"form": str(exc)})
    flash(request, gettext("The job profile %(profile)s has been deleted.") % {"profile": name})
    return redirect(request, "/admin/job-profiles")
