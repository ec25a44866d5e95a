"""Importing GIFT and Moodle XML files into the bank, in two steps: preview, then confirm.

Nothing is saved by the preview. The uploaded file travels to the confirm step inside the page, in
hidden fields signed with HMAC (purpose "bank-import") and bound to the trainer, so the server keeps
no state between the steps and a changed payload is refused. The file is parsed again on confirm;
parsing is deterministic, so exactly the previewed questions are saved.
"""

from __future__ import annotations

import base64
import secrets
import time
import zlib
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from sqlmodel import Session
from starlette.responses import Response

from lms.i18n import format_number, gettext, ngettext
from lms.web import signing
from lms.web.access import AuthorUser
from lms.web.deps import DbSession, client_ip
from lms.web.flash import flash
from lms.web.limits import body_limit
from lms.web.params import parse_id
from lms.web.templating import redirect, render

from courses.files.service import max_bytes

from assessments.bank import selectors as sel
from assessments.bank.forms import KIND_LABELS, excerpt
from assessments.bank.exchange import category_paths, path_label, resolve_competence
from assessments.bank.service import UNFILED, questions_import
from assessments.interchange.gift import parse_gift
from assessments.interchange.common import MAX_IMPORT_BYTES, ParseResult, split_path
from assessments.models import QuestionCategory
from assessments.interchange.media import IMAGE
from assessments.interchange.moodle_xml import parse_moodle_xml

# Included by lms.app before the bank's router (assessments.bank.routes), so that "/import" is not
# taken for a question id.
router = APIRouter(prefix="/author/questions/import")

PURPOSE = "bank-import"
FROM_FILE = "file"
# Form fields are limited to 1 MB each by the form parser, so a large payload is split over several.
CHUNK = 512 * 1024
MAX_AGE_SECONDS = 24 * 60 * 60
PARSERS = ("gift", "xml")
EXTENSIONS = {".gift": "gift", ".txt": "gift", ".xml": "xml"}


def _parse(request: Request, fmt: str, data: bytes) -> ParseResult:
    """The file's questions; a Moodle XML file's images are held to the course-file size cap."""
    if fmt == "xml":
        return parse_moodle_xml(data, max_file_bytes=max_bytes(request.app.state.settings))
    return parse_gift(data)


def _excerpt(markdown: str) -> str:
    """The start of a question's text, an image shown as its alt text in brackets."""
    return excerpt(IMAGE.sub(lambda m: f"[{m.group(1) or gettext('image')}]", markdown))


def _page(request: Request, db: Session, *, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("target", "")
    return render(
        request,
        "assessments/interchange/import.html",
        {
            "categories": sel.categories_with_counts(db),
            "from_file": FROM_FILE,
            "max_mb": MAX_IMPORT_BYTES // (1024 * 1024),
            "imported_category": UNFILED,
            **context,
        },
        status_code=status_code,
    )


@router.get("")
def import_form(request: Request, db: DbSession, user: AuthorUser) -> Response:
    return _page(request, db)


def _target(db: Session, raw: str) -> QuestionCategory | str | None:
    if raw == FROM_FILE:
        return FROM_FILE
    category_id = parse_id(raw)
    return db.get(QuestionCategory, category_id) if category_id else None


def _destinations(db: Session, result: ParseResult, target: QuestionCategory | str) -> list[str]:
    paths = category_paths(db)
    if isinstance(target, QuestionCategory):
        return [path_label(paths.get(target.id or 0, (target.name,)))] * len(result.questions)
    existing = {path_label(p).lower() for p in paths.values()}
    labels = [path_label(tuple(" ".join(n.split())[:200] for n in split_path(c)) or (UNFILED,)) for c in result.categories]
    return [n if n.lower() in existing else gettext("%(category)s (new category)") % {"category": n} for n in labels]


def _changes(db: Session, result: ParseResult) -> list[list[str]]:
    """Per imported question, what the import changes or leaves out, for the report."""
    out = []
    for question, where in zip(result.questions, result.places, strict=True):
        changes = [w.reason for w in result.warnings if w.where == where]
        if change := resolve_competence(db, question).change:
            changes.append(change)
        out.append(changes)
    return out


@router.post("")
@body_limit(MAX_IMPORT_BYTES)
def import_preview(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    file: Annotated[UploadFile | None, File()] = None,
    target: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    data = file.file.read(MAX_IMPORT_BYTES + 1) if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    fmt = next((f for ext, f in EXTENSIONS.items() if filename.lower().endswith(ext)), None)
    destination = _target(db, target)
    errors = {}
    if not data:
        errors["file"] = gettext("Choose a GIFT (.gift or .txt) or Moodle XML (.xml) file to import.")
    elif len(data) > MAX_IMPORT_BYTES:
        errors["file"] = gettext("The file is larger than %(size)s MB. Split it into smaller files and import them one by one.") % {
            "size": format_number(MAX_IMPORT_BYTES // (1024 * 1024))
        }
    elif fmt is None:
        errors["file"] = gettext("Choose a file ending in .gift or .txt (GIFT) or .xml (Moodle XML).")
    if destination is None:
        errors["target"] = gettext("Choose the category to import into, or use the categories in the file.")
    if errors or fmt is None:
        status = 413 if len(data) > MAX_IMPORT_BYTES else 422
        return _page(request, db, errors=errors, target=target, status_code=status)
    result = _parse(request, fmt, data)
    payload = signing.dumps(
        request.app.state.secret_key,
        PURPOSE,
        {
            "user": user.id,
            "format": fmt,
            "filename": filename[:200],
            "target": target,
            "id": secrets.token_hex(16),
            "at": int(time.time()),
            "content": base64.b64encode(zlib.compress(data, 6)).decode(),
        },
    )
    return _page(
        request,
        db,
        status_code=200 if result.questions else 422,
        result=result,
        filename=filename,
        target=target,
        kind_labels=KIND_LABELS,
        excerpt=_excerpt,
        rows=list(
            zip(
                result.questions,
                _destinations(db, result, destination),
                _changes(db, result),
                [sorted(files) for files in result.files],
                strict=True,
            )
        ),
        chunks=[payload[i : i + CHUNK] for i in range(0, len(payload), CHUNK)],
    )


def _unpack(request: Request, user_id: int, chunks: list[str]) -> dict:
    data = signing.loads(request.app.state.secret_key, PURPOSE, "".join(chunks))
    if (
        not isinstance(data, dict)
        or data.get("user") != user_id
        or data.get("format") not in PARSERS
        or not isinstance(data.get("at"), int)
        or time.time() - data["at"] > MAX_AGE_SECONDS
    ):
        raise HTTPException(
            status_code=400,
            detail=gettext(
                "This import could not be confirmed: the preview was changed or is more than a day old. Upload the file again."
            ),
        )
    return data


@router.post("/confirm")
@body_limit(2 * MAX_IMPORT_BYTES)  # the previewed file again, compressed and in base64
def import_confirm(request: Request, db: DbSession, user: AuthorUser, payload: Annotated[list[str], Form()] = []) -> Response:
    data = _unpack(request, user.id, payload)
    if sel.import_done(db, data["id"]):
        flash(request, gettext("These questions were already imported."))
        return redirect(request, "/author/questions")
    content = zlib.decompress(base64.b64decode(data["content"]))
    result = _parse(request, data["format"], content)
    destination = _target(db, data["target"])
    if destination is None:
        raise HTTPException(status_code=422, detail=gettext("The chosen category no longer exists. Upload the file again."))
    target = None if destination == FROM_FILE else destination
    saved = questions_import(
        db,
        result=result,
        target=target,
        by=user,
        filename=data["filename"],
        import_id=data["id"],
        client_ip=client_ip(request),
        settings=request.app.state.settings,
    )
    db.commit()
    flash(
        request,
        ngettext("Imported %(count)s question from “%(file)s”.", "Imported %(count)s questions from “%(file)s”.", len(saved))
        % {"count": format_number(len(saved)), "file": data["filename"]}
        + (
            " "
            + ngettext("%(count)s could not be imported.", "%(count)s could not be imported.", len(result.problems))
            % {"count": format_number(len(result.problems))}
            if result.problems
            else ""
        ),
    )
    return redirect(request, f"/author/questions?category={target.id}" if target else "/author/questions")
