"""Admin pages for frameworks (list, load DigComp, import, export, publish as CASE, evidence
validity), and the public CASE endpoints for published frameworks."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, Request, UploadFile
from sqlmodel import Session
from starlette.responses import JSONResponse, Response

from lms.competences.admin_selectors import framework_summaries, framework_trees
from lms.competences.framework_case import case_package, framework_case_id, package_url, published_object, published_package
from lms.competences.framework_io import MAX_BYTES, FrameworkFileError, ImportCounts, export_csv, export_json, export_moodle_csv
from lms.competences.framework_service import (
    FORMATS,
    competence_set_validity,
    detect_format,
    digcomp_load,
    digcomp_loaded,
    framework_file_import,
    framework_set_published,
    parse_months,
)
from lms.competences.models import Competence, Framework
from lms.competences.service import CompetenceError
from lms.competences.translation_selectors import language_name
from lms.competences.translation_service import framework_language_set
from lms.i18n import SUPPORTED_LANGUAGES, gettext, lazy_gettext, lazy_pgettext, ngettext
from lms.web.access import Access, AdminUser, policy
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.limits import body_limit
from lms.web.params import Id
from lms.web.templating import redirect, render

router = APIRouter(prefix="/frameworks")
# CASE 1.0's own paths, outside /admin: other systems read published frameworks here.
case_router = APIRouter(prefix="/ims/case/v1p0")

FORMAT_CHOICES = [
    ("auto", lazy_gettext("Work it out from the file")),
    ("json", lazy_gettext("JSON: Proficio’s framework document")),
    ("csv", lazy_gettext("CSV: Proficio’s columns, one row per framework, level, area or competence")),
    ("moodle", lazy_gettext("Moodle competency framework (CSV)")),
    ("case", lazy_gettext("CASE package (JSON)")),
]
# The formats' short names, as a sentence names them ("… was imported (Moodle CSV)").
FORMAT_NAMES = {
    "json": lazy_pgettext("file format", "JSON"),
    "csv": lazy_pgettext("file format", "CSV"),
    "moodle": lazy_pgettext("file format", "Moodle CSV"),
    "case": lazy_pgettext("file format", "CASE"),
}


def _counts_text(counts: ImportCounts) -> str:
    return gettext("%(created)s created, %(updated)s updated, %(unchanged)s unchanged (framework, levels, areas and competences).") % {
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }


def _list_page(request: Request, db: Session, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("fmt", "auto")
    return render(
        request,
        "competences/frameworks.html",
        {
            "frameworks": framework_summaries(db),
            "digcomp_loaded": digcomp_loaded(db),
            "format_choices": FORMAT_CHOICES,
            **context,
        },
        status_code=status_code,
    )


@router.get("")
def frameworks_list(request: Request, db: DbSession, user: AdminUser) -> Response:
    return _list_page(request, db)


@router.post("/load-digcomp")
def frameworks_load_digcomp(request: Request, db: DbSession, user: AdminUser) -> Response:
    counts = digcomp_load(db, by=user, client_ip=client_ip(request))
    db.commit()
    flash(request, gettext("DigComp 2.2 is loaded: %(counts)s") % {"counts": _counts_text(counts)})
    return redirect(request, f"/admin/frameworks/{counts.framework.id}")


@router.post("/import")
@body_limit(MAX_BYTES)
def frameworks_import(
    request: Request,
    db: DbSession,
    user: AdminUser,
    file: Annotated[UploadFile | None, File()] = None,
    fmt: Annotated[str, Form(max_length=10)] = "auto",
) -> Response:
    data = file.file.read(MAX_BYTES + 1) if file is not None else b""
    filename = (file.filename if file is not None else "") or gettext("the file")
    if fmt not in ("auto", *FORMATS):
        return _list_page(request, db, 422, errors={"fmt": gettext("Choose JSON, CSV, Moodle CSV, CASE or 'work it out'.")})
    if not data:
        return _list_page(request, db, 422, fmt=fmt, errors={"file": gettext("Choose a JSON or CSV file to upload.")})
    chosen = detect_format(filename, data) if fmt == "auto" else fmt
    try:
        counts = framework_file_import(db, data=data, fmt=chosen, by=user, source=filename, client_ip=client_ip(request))
    except FrameworkFileError as exc:
        db.rollback()
        return _list_page(
            request,
            db,
            422,
            fmt=fmt,
            filename=filename,
            problems=exc.errors,
            errors={
                "file": ngettext(
                    "%(file)s was rejected: %(num)s problem found. Nothing was imported.",
                    "%(file)s was rejected: %(num)s problems found. Nothing was imported.",
                    len(exc.errors),
                )
                % {"file": filename, "num": len(exc.errors)}
            },
        )
    db.commit()
    flash(
        request,
        gettext("%(file)s was imported (%(format)s): %(counts)s")
        % {"file": filename, "format": FORMAT_NAMES[chosen], "counts": _counts_text(counts)},
    )
    return redirect(request, f"/admin/frameworks/{counts.framework.id}")


def _framework(db: Session, framework_id: int) -> Framework:
    framework = db.get(Framework, framework_id)
    if framework is None:
        raise HTTPException(status_code=404, detail=gettext("We could not find that framework."))
    return framework


def _download(framework: Framework, body: str, ext: str, media_type: str) -> Response:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{framework.code}-{framework.version}".strip("-")) or "framework"
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{stem}.{ext}"'})


@router.get("/{framework_id:id}/export.json")
def framework_export_json(db: DbSession, user: AdminUser, framework_id: Id) -> Response:
    framework = _framework(db, framework_id)
    return _download(framework, export_json(db, framework), "json", "application/json; charset=utf-8")


@router.get("/{framework_id:id}/export.csv")
def framework_export_csv(db: DbSession, user: AdminUser, framework_id: Id) -> Response:
    framework = _framework(db, framework_id)
    return _download(framework, export_csv(db, framework), "csv", "text/csv; charset=utf-8")


@router.get("/{framework_id:id}/export-moodle.csv")
def framework_export_moodle(db: DbSession, user: AdminUser, framework_id: Id) -> Response:
    framework = _framework(db, framework_id)
    response = _download(framework, export_moodle_csv(db, framework), "csv", "text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace('.csv"', '-moodle.csv"')
    return response


def _base_url(request: Request) -> str:
    return request.app.state.settings.base_url or str(request.base_url)


def _json(body: dict) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


@router.get("/{framework_id:id}/case.json")
def framework_export_case(request: Request, db: DbSession, user: AdminUser, framework_id: Id) -> Response:
    framework = _framework(db, framework_id)
    package = case_package(db, framework, base_url=_base_url(request))
    return _download(framework, _json(package), "case.json", "application/json; charset=utf-8")


@router.post("/{framework_id:id}/publish")
def framework_publish(
    request: Request,
    db: DbSession,
    user: AdminUser,
    framework_id: Id,
    published: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    framework = _framework(db, framework_id)
    if framework_set_published(db, framework=framework, published=published == "1", by=user, client_ip=client_ip(request)):
        db.commit()
        if framework.case_published:
            flash(
                request,
                gettext("%(code)s is published as a CASE package at %(url)s.")
                % {"code": framework.code, "url": package_url(_base_url(request), framework.case_id or "")},
            )
        else:
            flash(
                request, gettext("%(code)s is no longer published: its CASE package answers 'not found'.") % {"code": framework.code}
            )
    return redirect(request, f"/admin/frameworks/{framework.id}")


def _case_answer(body: dict | None) -> Response:
    if body is None:
        return JSONResponse(
            {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": "Unknown object"}, status_code=404
        )
    return Response(_json(body), media_type="application/json; charset=utf-8", headers={"Access-Control-Allow-Origin": "*"})


@case_router.get("/CFPackages/{identifier}", dependencies=[policy(Access.PUBLIC)])
def case_package_public(request: Request, db: DbSession, identifier: Annotated[str, Path(max_length=36)]) -> Response:
    """A published framework's CASE package, for anyone: frameworks hold no personal data, and
    CASE consumers fetch without an account (docs/frameworks.md)."""
    return _case_answer(published_package(db, identifier.lower(), base_url=_base_url(request)))


@case_router.get("/uri/{identifier}", dependencies=[policy(Access.PUBLIC)])
def case_uri_public(request: Request, db: DbSession, identifier: Annotated[str, Path(max_length=36)]) -> Response:
    """What a URI in a published package names (its document, an item, an association, a definition)."""
    return _case_answer(published_object(db, identifier.lower(), base_url=_base_url(request)))


def _detail_page(request: Request, db: Session, framework: Framework, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    tree = framework_trees(db, framework.id)[0]
    context["case_url"] = package_url(_base_url(request), framework_case_id(framework))
    context["own_language"] = language_name(framework.language)
    context["version_languages"] = [(code, language_name(code)) for code in SUPPORTED_LANGUAGES if code != framework.language]
    context["languages"] = [(code, language_name(code)) for code in SUPPORTED_LANGUAGES]
    return render(request, "competences/framework_detail.html", {"tree": tree, **context}, status_code=status_code)


@router.get("/{framework_id:id}")
def framework_detail(request: Request, db: DbSession, user: AdminUser, framework_id: Id) -> Response:
    return _detail_page(request, db, _framework(db, framework_id))


@router.post("/{framework_id:id}/language")
def framework_language(
    request: Request, db: DbSession, user: AdminUser, framework_id: Id, language: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    framework = _framework(db, framework_id)
    try:
        if framework_language_set(db, framework=framework, language=language, by=user, client_ip=client_ip(request)):
            db.commit()
            flash(
                request,
                gettext("%(framework)s is now written in %(language)s.")
                % {"framework": framework.name, "language": language_name(language)},
            )
    except CompetenceError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/admin/frameworks/{framework.id}#languages-heading")


@router.post("/{framework_id:id}/competences/{competence_id:id}/validity")
def competence_validity(
    request: Request,
    db: DbSession,
    user: AdminUser,
    framework_id: Id,
    competence_id: Id,
    evidence_valid_months: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    framework = _framework(db, framework_id)
    competence = db.get(Competence, competence_id)
    if competence is None or competence.framework_id != framework.id:
        raise HTTPException(status_code=404, detail=gettext("We could not find that competence in this framework."))
    try:
        months = parse_months(evidence_valid_months)
        changed = competence_set_validity(db, competence=competence, months=months, by=user, client_ip=client_ip(request))
        db.commit()
    except CompetenceError as exc:
        db.rollback()
        field = f"months-{competence.id}"
        return _detail_page(
            request,
            db,
            framework,
            422,
            errors={field: f"{competence.code} {competence.name}: {exc}"},
            values={competence.id: evidence_valid_months},
        )
    if changed:
        what = f"{competence.code} {competence.name}"
        if months:
            message = ngettext(
                "New evidence for %(competence)s stays valid for %(num)s month.",
                "New evidence for %(competence)s stays valid for %(num)s months.",
                months,
            ) % {"competence": what, "num": months}
        else:
            message = gettext("New evidence for %(competence)s never expires.") % {"competence": what}
        flash(request, message)
    return redirect(request, f"/admin/frameworks/{framework.id}#competence-{competence.id}")
