"""Writes to a question's versions in other languages (text only; grading stays the question's).

The same people who may edit a question may edit its versions (every trainer and admin: the bank is
shared). A version stores the Markdown as typed; it is rendered and sanitised by courses/markdown.py
when shown, exactly like the question's own text. Callers commit.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.errors import FieldError
from lms.i18n import SUPPORTED_LANGUAGES, lazy_gettext
from lms.people.models import User

from assessments.models import Question, QuestionTranslation
from assessments.questions import QuestionData, text_fields

MAX_VERSION_TEXT = 20_000
NOT_A_LANGUAGE = lazy_gettext("Choose one of the languages Proficio supports.")
REQUIRED = lazy_gettext("Translate this text: a version needs the question, its choices and its prompts.")
TOO_LONG = lazy_gettext("This text is too long.")
LANGUAGE_TAKEN = lazy_gettext("This question has a version in that language: remove it first.")


class QuestionVersionError(FieldError):
    pass


def question_version_save(session: Session, *, question: Question, language: str, texts: dict[str, str], by: User | None) -> None:
    """Store the texts of ``question`` in ``language``, keeping only keys the question has text for."""
    if language not in SUPPORTED_LANGUAGES or language == question.language:
        raise QuestionVersionError(str(NOT_A_LANGUAGE), "language")
    data: dict[str, str] = {}
    for key, _original, required in text_fields(QuestionData.from_dict(question.data)):
        value = (texts.get(key) or "").strip()
        if len(value) > MAX_VERSION_TEXT:
            raise QuestionVersionError(str(TOO_LONG), key)
        if required and not value:
            raise QuestionVersionError(str(REQUIRED), key)
        if value:
            data[key] = value
    row = session.get(QuestionTranslation, (question.id, language))
    created = row is None
    if row is None:
        row = QuestionTranslation(question_id=question.id or 0, language=language)
    row.data, row.updated_at = data, utcnow()
    session.add(row)
    audit_record(
        session,
        action="question.translation.save",
        actor=by,
        target_type="question",
        target_id=question.id,
        detail={"language": language, "created": created},
    )


def question_version_remove(session: Session, *, question: Question, language: str, by: User | None) -> bool:
    """Delete the version in ``language``; False when there was none."""
    removed = session.execute(
        delete(QuestionTranslation).where(QuestionTranslation.question_id == question.id, QuestionTranslation.language == language)
    ).rowcount
    if removed:
        audit_record(
            session,
            action="question.translation.remove",
            actor=by,
            target_type="question",
            target_id=question.id,
            detail={"language": language},
        )
    return bool(removed)


def question_language_set(session: Session, *, question: Question, language: str, by: User | None) -> bool:
    """Say which language the question's own text is written in; refused while a version claims it."""
    if language not in SUPPORTED_LANGUAGES:
        raise QuestionVersionError(str(NOT_A_LANGUAGE), "language")
    if language == question.language:
        return False
    if session.get(QuestionTranslation, (question.id, language)) is not None:
        raise QuestionVersionError(str(LANGUAGE_TAKEN), "language")
    previous, question.language = question.language, language
    session.add(question)
    audit_record(
        session,
        action="question.language",
        actor=by,
        target_type="question",
        target_id=question.id,
        detail={"from": previous, "to": language},
    )
    return True
