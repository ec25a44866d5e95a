"""Admin pages for a framework's versions in another language (/admin/frameworks/{id}/translations/{lang}).

The same people who may edit the framework (administrators) may edit its versions. The language's
page lists every item as translated or missing, grouped by area; the framework, its levels, and each
area with its competences are one form each, so a long framework is never one huge form.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from sqlmodel import Session
from starlette.responses import Response

from lms.competences.models import Framework
from lms.competences.translation_selectors import FrameworkVersions, VersionItem, framework_versions, language_name
from lms.competences.translation_service import VersionErrors, VersionText, framework_versions_save
from lms.i18n import SUPPORTED_LANGUAGES, gettext, ngettext
from lms.web.access import AdminUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.params import Id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/frameworks/{framework_id:id}/translations")


def _framework(db: Session, framework_id: int) -> Framework:
    framework = db.get(Framework, framework_id)
    if framework is None:
        raise HTTPException(status_code=404, detail=gettext("We could not find that framework."))
    return framework


def version_language(language: Annotated[str, Path(max_length=8)]) -> str:
    if language not in SUPPORTED_LANGUAGES:
        raise HTTPException(status_code=404)
    return language


Language = Annotated[str, Depends(version_language)]


def _versions(db: Session, framework_id: int, language: str) -> FrameworkVersions:
    framework = _framework(db, framework_id)
    if language == framework.language:
        raise HTTPException(status_code=404, detail=gettext("This is the framework's own language: edit it by importing a file."))
    return framework_versions(db, framework, language)


def _base(versions: FrameworkVersions) -> str:
    return f"/admin/frameworks/{versions.framework.id}/translations/{versions.language}"


def _context(versions: FrameworkVersions) -> dict[str, Any]:
    return {
        "versions": versions,
        "fw": versions.framework,
        "language": versions.language,
        "language_label": language_name(versions.language),
        "own_label": language_name(versions.framework.language),
        "base": _base(versions),
    }


@router.get("/{language}")
def framework_translations(request: Request, db: DbSession, user: AdminUser, framework_id: Id, language: Language) -> Response:
    return render(request, "competences/framework_translations.html", _context(_versions(db, framework_id, language)))


def _form_page(
    request: Request,
    versions: FrameworkVersions,
    part: str,
    items: list[VersionItem],
    *,
    title: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    if values is None:
        values = {}
        for item in items:
            values[f"{item.field}-name"], values[f"{item.field}-description"] = item.version or ("", "")
    context = {**_context(versions), "part": part, "items": items, "title": title, "values": values, "errors": errors or {}}
    return render(request, "competences/framework_translation_form.html", context, status_code=status_code)


def _label(item: VersionItem) -> str:
    if item.kind == "f":
        return gettext("The framework")
    if item.kind == "l":
        return gettext("Level %(level)s") % {"level": item.code}
    return f"{item.code} {item.name}"


async def form_values(request: Request) -> dict[str, str]:
    """The form's text fields as sent; only those of items the page shows are read."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


FormValues = Annotated[dict[str, str], Depends(form_values)]


def _save(
    request: Request,
    db: Session,
    user: Any,
    form: dict[str, str],
    versions: FrameworkVersions,
    part: str,
    items: list[VersionItem],
    title: str,
    anchor: str,
) -> Response:
    texts = [
        VersionText(
            item.kind, item.id, item.field, _label(item), form.get(f"{item.field}-name", ""), form.get(f"{item.field}-description", "")
        )
        for item in items
    ]
    values = {f"{t.field}-{key}": getattr(t, key) for t in texts for key in ("name", "description")}
    try:
        changed = framework_versions_save(
            db,
            framework=versions.framework,
            language=versions.language,
            language_label=language_name(versions.language),
            texts=texts,
            by=user,
            client_ip=client_ip(request),
        )
        db.commit()
    except VersionErrors as exc:
        db.rollback()
        return _form_page(request, versions, part, items, title=title, values=values, errors=exc.errors, status_code=422)
    if changed:
        flash(
            request,
            ngettext("%(num)s version saved in %(language)s.", "%(num)s versions saved in %(language)s.", changed)
            % {
                "num": changed,
                "language": language_name(versions.language),
            },
        )
    else:
        flash(request, gettext("Nothing changed."))
    return redirect(request, f"{_base(versions)}#{anchor}")


def _framework_title(versions: FrameworkVersions) -> str:
    return gettext("Name and description in %(language)s") % {"language": language_name(versions.language)}


@router.get("/{language}/framework")
def framework_translation_form(request: Request, db: DbSession, user: AdminUser, framework_id: Id, language: Language) -> Response:
    versions = _versions(db, framework_id, language)
    return _form_page(request, versions, "framework", [versions.framework_item], title=_framework_title(versions))


@router.post("/{language}/framework")
def framework_translation_save(
    request: Request, db: DbSession, user: AdminUser, form: FormValues, framework_id: Id, language: Language
) -> Response:
    versions = _versions(db, framework_id, language)
    return _save(request, db, user, form, versions, "framework", [versions.framework_item], _framework_title(versions), "framework")


def _levels_title(versions: FrameworkVersions) -> str:
    return gettext("Levels in %(language)s") % {"language": language_name(versions.language)}


@router.get("/{language}/levels")
def levels_translation_form(request: Request, db: DbSession, user: AdminUser, framework_id: Id, language: Language) -> Response:
    versions = _versions(db, framework_id, language)
    return _form_page(request, versions, "levels", versions.levels, title=_levels_title(versions))


@router.post("/{language}/levels")
def levels_translation_save(
    request: Request, db: DbSession, user: AdminUser, form: FormValues, framework_id: Id, language: Language
) -> Response:
    versions = _versions(db, framework_id, language)
    return _save(request, db, user, form, versions, "levels", versions.levels, _levels_title(versions), "levels")


def _area(versions: FrameworkVersions, area_id: int) -> tuple[list[VersionItem], str]:
    block = versions.area(area_id)
    if block is None:
        raise HTTPException(status_code=404, detail=gettext("We could not find that area in this framework."))
    title = gettext("%(area)s in %(language)s") % {
        "area": f"{block.area.code} {block.area.name}",
        "language": language_name(versions.language),
    }
    return block.items, title


@router.get("/{language}/areas/{area_id:id}")
def area_translation_form(
    request: Request, db: DbSession, user: AdminUser, framework_id: Id, language: Language, area_id: Id
) -> Response:
    versions = _versions(db, framework_id, language)
    items, title = _area(versions, area_id)
    return _form_page(request, versions, "area", items, title=title)


@router.post("/{language}/areas/{area_id:id}")
def area_translation_save(
    request: Request, db: DbSession, user: AdminUser, form: FormValues, framework_id: Id, language: Language, area_id: Id
) -> Response:
    versions = _versions(db, framework_id, language)
    items, title = _area(versions, area_id)
    return _save(request, db, user, form, versions, "area", items, title, f"area-{area_id}")
