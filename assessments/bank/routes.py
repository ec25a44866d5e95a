"""The question bank (/author/questions): list, categories, create and edit, preview, duplicate, archive, export.

The bank is shared by every trainer, so any trainer or admin may change any question; attempts keep
their own copy of each question, so edits never change a past attempt.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from lms.i18n import SUPPORTED_LANGUAGES, gettext
from lms.web.forms import field_errors
from lms.web.paging import page_size
from lms.people.models import User
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.params import parse_id
from lms.web.templating import redirect, render

from markupsafe import Markup

from courses.authoring.selectors import competence_groups
from courses.markdown import markdown_to_html
from courses.translations.resolve import language_name

from assessments.bank import selectors as sel, version_routes
from assessments.bank.deps import BankCategory, BankQuestion
from assessments.bank.version_selectors import bank_versions, languages_of
from assessments.bank.forms import KIND_LABELS, RULE_LABELS, QuestionForm, fraction_options, preview_answer
from assessments.bank.service import (
    BankError,
    category_create,
    category_rename,
    question_archive,
    question_create,
    question_duplicate,
    question_update,
)
from assessments.bank.exchange import bank_sections, category_paths, path_label
from assessments.interchange.common import ExportRefused
from assessments.interchange.gift_write import export_gift_sections
from assessments.grading import Grade, grade
from assessments.models import Question, QuestionCategory
from assessments.interchange.moodle_xml_write import export_moodle_xml_sections
from assessments.questions import KINDS, QuestionData

# The import pages (/author/questions/import) are assessments.interchange.routes; lms.app includes
# that router before this one, so that "/import" is not taken for a question id.
router = APIRouter(prefix="/author/questions")
# A question's versions in other languages: /author/questions/{id}/versions/{lang}.
router.include_router(version_routes.router)

Name = Annotated[str, Form(max_length=500)]


async def _posted(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted)]


def md(text: str, question_id: int | None = None) -> Markup:
    return Markup(markdown_to_html(text, question_id=question_id))


def md_inline(text: str, question_id: int | None = None) -> Markup:
    """Markdown for a label: a lone paragraph loses its <p>, since a label holds inline content only."""
    html = markdown_to_html(text, question_id=question_id).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


@router.get("")
def question_list(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    q: Annotated[str, Query(max_length=200)] = "",
    category: Annotated[str, Query(max_length=12)] = "",
    kind: Annotated[str, Query(max_length=32)] = "",
    competence: Annotated[str, Query(max_length=12)] = "",
    archived: Annotated[str, Query(max_length=1)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    filters = sel.Filters(
        q=" ".join(q.split()),
        category=parse_id(category),
        kind=kind if kind in KINDS else "",
        competence=parse_id(competence),
        archived=archived == "1",
        page=page,
    )
    result = sel.question_page(db, filters=filters, per_page=page_size(request))
    return render(
        request,
        "assessments/bank/questions.html",
        {
            "result": result,
            "filters": filters,
            "categories": sel.categories_with_counts(db),
            "groups": competence_groups(db),
            "kind_labels": KIND_LABELS,
            "page_url": lambda n: filters.url("/author/questions", page=n),
            "versions": {
                question_id: (", ".join(map(language_name, have)), ", ".join(map(language_name, missing)))
                for question_id, (have, missing) in bank_versions(db, (row.question for row in result.items)).items()
            },
        },
        block="results",
    )


def _categories_page(
    request: Request, db: Session, *, errors: dict | None = None, new_name: str = "", status_code: int = 200
) -> Response:
    paths = category_paths(db)
    rows = sorted(sel.categories_with_counts(db), key=lambda r: tuple(n.lower() for n in paths.get(r.category.id or 0, ())))
    return render(
        request,
        "assessments/bank/categories.html",
        {
            "rows": rows,
            "labels": {cid: path_label(path) for cid, path in paths.items()},
            "errors": errors or {},
            "new_name": new_name,
        },
        status_code=status_code,
    )


@router.get("/categories")
def categories(request: Request, db: DbSession, user: AuthorUser) -> Response:
    return _categories_page(request, db)


@router.post("/categories")
def category_create_post(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    name: Name = "",
    description: Annotated[str, Form(max_length=2000)] = "",
    parent: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    parent_id = parse_id(parent)
    try:
        above = db.get(QuestionCategory, parent_id) if parent_id else None
        category = category_create(db, name=name, description=description, by=user, parent=above)
        db.commit()
    except BankError as exc:
        db.rollback()
        return _categories_page(request, db, errors={"name": str(exc)}, new_name=name, status_code=422)
    flash(request, gettext("Category “%(name)s” created.") % {"name": category.name})
    return redirect(request, "/author/questions/categories")


@router.post("/categories/{category_id}")
def category_rename_post(request: Request, db: DbSession, user: AuthorUser, category: BankCategory, name: Name = "") -> Response:
    category_id = category.id  # read before a rollback expires the object
    try:
        category_rename(db, category=category, name=name, by=user)
        db.commit()
    except BankError as exc:
        db.rollback()
        return _categories_page(request, db, errors={f"name-{category_id}": str(exc)}, status_code=422)
    flash(request, gettext("Category renamed to “%(name)s”.") % {"name": category.name})
    return redirect(request, "/author/questions/categories")


def _filename(name: str, ext: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60] or "questions") + ext


_FORMATS = {
    "gift": (export_gift_sections, "text/plain; charset=utf-8", ".gift"),
    "xml": (export_moodle_xml_sections, "application/xml; charset=utf-8", ".xml"),
}


def _export(request: Request, db: Session, fmt: str, name: str, root_id: int | None) -> Response:
    """A file of the bank (or one category and those below it), or a page saying what stops it.

    ``name`` names the file; the refusal page names the category, or the whole bank in the reader's language."""
    write, media_type, ext = _FORMATS[fmt]
    try:
        body = write(bank_sections(db, root_id=root_id, settings=request.app.state.settings))
    except ExportRefused as refused:
        shown = name if root_id is not None else gettext("Question bank")
        context = {"problems": refused.problems, "name": shown, "xml_url": str(request.url.path).removesuffix(ext) + ".xml"}
        return render(request, "assessments/bank/export_refused.html", context, status_code=422)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{_filename(name, ext)}"'})


@router.get("/categories/{category_id}/export.gift")
def export_category_gift(request: Request, db: DbSession, user: AuthorUser, category: BankCategory) -> Response:
    return _export(request, db, "gift", category.name, category.id)


@router.get("/categories/{category_id}/export.xml")
def export_category_xml(request: Request, db: DbSession, user: AuthorUser, category: BankCategory) -> Response:
    return _export(request, db, "xml", category.name, category.id)


@router.get("/export.gift")
def export_bank_gift(request: Request, db: DbSession, user: AuthorUser) -> Response:
    """Every category, as a tree, in one file; imported with "the categories named in the file"."""
    return _export(request, db, "gift", "Question bank", None)


@router.get("/export.xml")
def export_bank_xml(request: Request, db: DbSession, user: AuthorUser) -> Response:
    return _export(request, db, "xml", "Question bank", None)


def _form_page(
    request: Request,
    db: Session,
    form: QuestionForm,
    *,
    question: Question | None = None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "assessments/bank/question_form.html",
        {
            "form": form.with_blank_rows(),
            "question": question,
            "errors": errors or {},
            "categories": sel.categories_with_counts(db),
            "groups": competence_groups(db),
            "levels": range(1, 9),
            "kind_label": KIND_LABELS[form.kind],
            "rule_labels": RULE_LABELS,
            "fraction_options": fraction_options,
            "supported_languages": SUPPORTED_LANGUAGES,
            "language_label": language_name,
            "version_languages": languages_of(db, question_ids=[question.id or 0]).get(question.id or 0, set()) if question else set(),
        },
        status_code=status_code,
    )


@router.get("/new")
def question_new(
    request: Request,
    db: DbSession,
    user: AuthorUser,
    kind: Annotated[str, Query(max_length=32)] = "",
    category: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    if kind not in KINDS:
        return render(request, "assessments/bank/choose_kind.html", {"kind_labels": KIND_LABELS, "category": parse_id(category)})
    return _form_page(request, db, QuestionForm(kind=kind, category_id=str(parse_id(category) or "")))


def _save(
    db: Session, form: QuestionForm, user: User, question: Question | None, language: str = "en"
) -> tuple[dict, Question | None]:
    errors, values = form.check()
    category = db.get(QuestionCategory, values["category_id"]) if values["category_id"] else None
    if category is None:
        errors.setdefault("category_id", gettext("Choose a category for the question."))
    if errors:
        return errors, None
    tags = {"competence_id": values["competence_id"], "level": values["level"]}
    try:
        if question is None:
            question = question_create(db, category=category, data=values["data"], by=user, language=language, **tags)
        else:
            question = question_update(db, question=question, data=values["data"], category=category, by=user, **tags)
        db.commit()
    except BankError as exc:
        db.rollback()
        return field_errors(exc), None
    return {}, question


@router.post("/new")
def question_create_post(request: Request, db: DbSession, user: AuthorUser, posted: PostedForm) -> Response:
    kind = posted.get("kind", "")
    if kind not in KINDS:
        raise HTTPException(status_code=400, detail=gettext("Choose what kind of question to add."))
    form = QuestionForm.from_post(posted, kind)
    errors, question = _save(db, form, user, None, request.app.state.settings.default_language)
    if errors:
        return _form_page(request, db, form, errors=errors, status_code=422)
    flash(request, gettext("Question “%(name)s” added to the bank.") % {"name": question.name})
    return redirect(request, f"/author/questions/{question.id}")


@router.get("/{question_id}")
def question_edit(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion) -> Response:
    return _form_page(request, db, QuestionForm.from_question(question), question=question)


@router.post("/{question_id}")
def question_edit_post(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, posted: PostedForm) -> Response:
    form = QuestionForm.from_post(posted, question.kind)
    errors, saved = _save(db, form, user, question)
    if errors:
        return _form_page(request, db, form, question=question, errors=errors, status_code=422)
    flash(request, gettext("Question saved. Attempts already made keep the version they were shown."))
    return redirect(request, f"/author/questions/{saved.id}")


def _preview(
    request: Request, db: Session, question: Question, *, answer: dict | None = None, result: Grade | None = None
) -> Response:
    data = QuestionData.from_dict(question.data)
    answers = sorted({p.answer for p in data.pairs}, key=str.casefold)
    return render(
        request,
        "assessments/bank/preview.html",
        {
            "question": question,
            "q": data,
            # The preview shows the question's own files (its images), and no other question's.
            "md": partial(md, question_id=question.id),
            "md_inline": partial(md_inline, question_id=question.id),
            "answer": answer or {},
            "result": result,
            "match_answers": answers,
            "kind_label": KIND_LABELS[data.kind],
            "category": db.get(QuestionCategory, question.category_id),
        },
    )


@router.get("/{question_id}/preview")
def question_preview(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion) -> Response:
    return _preview(request, db, question)


@router.post("/{question_id}/preview")
def question_preview_check(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, posted: PostedForm) -> Response:
    """The trainer's own check: grade the preview answer and show the feedback a learner would get."""
    data = QuestionData.from_dict(question.data)
    answer = preview_answer(data, posted)
    return _preview(request, db, question, answer=answer, result=grade(data, answer))


@router.post("/{question_id}/duplicate")
def question_duplicate_post(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion) -> Response:
    copy = question_duplicate(db, question=question, by=user, settings=request.app.state.settings)
    db.commit()
    flash(request, gettext("Copied as “%(name)s”. Edit the copy below.") % {"name": copy.name})
    return redirect(request, f"/author/questions/{copy.id}")


@router.post("/{question_id}/archive")
def question_archive_post(
    request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, action: Annotated[str, Form(max_length=10)] = "archive"
) -> Response:
    if action not in ("archive", "restore"):
        raise HTTPException(status_code=400, detail=gettext("Choose archive or restore."))
    question_archive(db, question=question, archived=action == "archive", by=user)
    db.commit()
    flash(
        request,
        gettext("Question archived: random draws skip it; quizzes and attempts that use it keep it.")
        if action == "archive"
        else gettext("Question restored to the bank."),
    )
    return redirect(request, f"/author/questions/{question.id}")
