"""A question's versions in other languages (/author/questions/{id}/versions/{lang}): edit, remove,
and the language of the question's own text. Same access as editing the question (any trainer or
admin: the bank is shared); included by assessments.bank.routes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.responses import Response

from lms.i18n import SUPPORTED_LANGUAGES, gettext
from lms.web.access import AuthorUser
from lms.web.deps import DbSession
from lms.web.flash import flash
from lms.web.forms import field_errors
from lms.web.templating import redirect, render

from courses.markdown import markdown_to_html, render_lesson_html
from courses.translations.resolve import language_name

from assessments.bank.deps import BankQuestion
from assessments.bank.forms import fraction_options
from assessments.bank.version_service import (
    MAX_VERSION_ANSWERS,
    MAX_VERSION_TEXT,
    QuestionVersionError,
    question_language_set,
    question_version_remove,
    question_version_save,
)
from assessments.models import Question, QuestionTranslation
from assessments.questions import SHORT_TEXT, VERSION_ANSWERS, QuestionData, text_fields

router = APIRouter()


def version_language(question: BankQuestion, language: Annotated[str, Path(max_length=8)]) -> str:
    if language not in SUPPORTED_LANGUAGES or language == question.language:
        raise HTTPException(status_code=404)
    return language


VersionLanguage = Annotated[str, Depends(version_language)]


async def _posted(request: Request) -> FormData:
    # The fields are named after the question's choices and pairs, so they are read from the form.
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted)]


def field_label(key: str, number: int) -> str:
    """What a version's field is called on the form; ``number`` is the choice's, pair's or answer's place."""
    if key == "stem_markdown":
        return gettext("Question text")
    if key.startswith("choice-"):
        if key.endswith("-feedback"):
            return gettext("Feedback for choice %(number)s") % {"number": number}
        return gettext("Choice %(number)s") % {"number": number}
    if key.startswith("pair-"):
        return gettext("Prompt %(number)s") % {"number": number}
    if key.startswith(("accepted-", "numeric-")):
        return gettext("Feedback for answer %(number)s") % {"number": number}
    if key.startswith("hint-"):
        return gettext("Hint %(number)s") % {"number": number}
    return {
        "general_feedback": gettext("General feedback"),
        "correct_feedback": gettext("Feedback for a right answer"),
        "partial_feedback": gettext("Feedback for a partly right answer"),
        "incorrect_feedback": gettext("Feedback for a wrong answer"),
        "other_feedback": gettext("Feedback for any other number"),
    }.get(key, key)


def _fields(question: Question, values: dict[str, str]) -> list[dict]:
    q = QuestionData.from_dict(question.data)
    places = {f"choice-{c.id}": i for i, c in enumerate(q.choices, 1)} | {f"pair-{p.id}": i for i, p in enumerate(q.real_pairs, 1)}
    out = []
    for key, original, required in text_fields(q):
        owner = key.rsplit("-", 1)[0] if key.endswith(("-text", "-feedback")) else key
        if owner in places:
            number = places[owner]
        else:  # accepted-<i>, numeric-<i>, or a feedback that has no place
            tail = owner.rsplit("-", 1)[-1]
            number = int(tail) + 1 if tail.isdigit() else 0
        html = render_lesson_html(markdown_to_html(original, question_id=question.id), question_id=question.id)
        out.append(
            {
                "key": key,
                "label": field_label(key, number),
                "original": Markup(html),
                "value": values.get(key, ""),
                "required": required,
                "rows": 5 if key == "stem_markdown" else 2,
            }
        )
    return out


def _answer_rows(question: Question, values: dict) -> dict | None:
    """A short-text question's accepted answers beside the version's own rows (two blank ones more)."""
    q = QuestionData.from_dict(question.data)
    if q.kind != SHORT_TEXT:
        return None
    stored = values.get(VERSION_ANSWERS)
    if isinstance(stored, list):  # the saved version
        rows = [(str(a.get("text", "")), repr(float(a.get("fraction", 1.0))), str(a.get("feedback", ""))) for a in stored]
    else:  # a refused form, as posted
        rows = [
            (values.get(f"answer-{n}-text", ""), values.get(f"answer-{n}-fraction", "1.0"), values.get(f"answer-{n}-feedback", ""))
            for n in range(MAX_VERSION_ANSWERS)
        ]
        rows = [row for row in rows if row[0].strip() or row[2].strip()]
    rows = (rows + [("", "1.0", "")] * 2)[:MAX_VERSION_ANSWERS]
    return {
        "originals": [(a.text, a.fraction, a.feedback) for a in q.accepted],
        "rows": [
            {"n": n, "text": text, "feedback": feedback, "options": fraction_options(fraction, negatives=False)}
            for n, (text, fraction, feedback) in enumerate(rows)
        ],
    }


def _page(request: Request, question: Question, language: str, values: dict, *, exists: bool, errors: dict | None = None) -> Response:
    return render(
        request,
        "assessments/bank/version_form.html",
        {
            "question": question,
            "language": language,
            "language_name": language_name(language),
            "original_name": language_name(question.language),
            "fields": _fields(question, values),
            "answers": _answer_rows(question, values),
            "exists": exists,
            "errors": errors or {},
            "max_length": MAX_VERSION_TEXT,
        },
        status_code=422 if errors else 200,
    )


@router.get("/{question_id}/versions/{language}")
def question_version(request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, language: VersionLanguage) -> Response:
    row = db.get(QuestionTranslation, (question.id, language))
    return _page(request, question, language, dict(row.data) if row else {}, exists=row is not None)


@router.post("/{question_id}/versions/{language}")
def question_version_post(
    request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, language: VersionLanguage, posted: PostedForm
) -> Response:
    texts = {key: str(value) for key, value in posted.items() if isinstance(value, str) and key != "csrf_token"}
    try:
        question_version_save(db, question=question, language=language, texts=texts, by=user)
    except QuestionVersionError as exc:
        db.rollback()
        exists = db.get(QuestionTranslation, (question.id, language)) is not None
        return _page(request, question, language, texts, exists=exists, errors=field_errors(exc))
    db.commit()
    flash(request, gettext("The %(language)s version is saved.") % {"language": language_name(language)})
    return redirect(request, f"/author/questions/{question.id}#versions")


@router.post("/{question_id}/versions/{language}/remove")
def question_version_remove_post(
    request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, language: VersionLanguage
) -> Response:
    if question_version_remove(db, question=question, language=language, by=user):
        db.commit()
        flash(request, gettext("The %(language)s version of this question is removed.") % {"language": language_name(language)})
    return redirect(request, f"/author/questions/{question.id}#versions")


@router.post("/{question_id}/language")
def question_language_post(
    request: Request, db: DbSession, user: AuthorUser, question: BankQuestion, language: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    try:
        if question_language_set(db, question=question, language=language, by=user):
            db.commit()
            flash(request, gettext("The question is now written in %(language)s.") % {"language": language_name(language)})
    except QuestionVersionError as exc:
        db.rollback()
        flash(request, str(exc), "error")
    return redirect(request, f"/author/questions/{question.id}#versions")
