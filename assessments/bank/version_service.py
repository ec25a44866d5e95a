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
from assessments.questions import SHORT_TEXT, VERSION_ANSWERS, QuestionData, allowed_grade, text_fields

MAX_VERSION_TEXT = 20_000
NOT_A_LANGUAGE = lazy_gettext("Choose one of the languages Proficio supports.")
REQUIRED = lazy_gettext("Translate this text: a version needs the question, its choices and its prompts.")
TOO_LONG = lazy_gettext("This text is too long.")
LANGUAGE_TAKEN = lazy_gettext("This question has a version in that language: remove it first.")
ANSWER_NEEDS_TEXT = lazy_gettext("Type the answer this grade and feedback are for, or clear them.")
ANSWER_GRADE = lazy_gettext("Choose a grade from the list.")
# A version's own accepted answers: at most this many (Moodle's form offers a few; more is a typo trap).
MAX_VERSION_ANSWERS = 20


class QuestionVersionError(FieldError):
    pass


def question_version_save(session: Session, *, question: Question, language: str, texts: dict[str, str], by: User | None) -> None:
    """Store the texts of ``question`` in ``language``, keeping only keys the question has text for."""
    if language not in SUPPORTED_LANGUAGES or language == question.language:
        raise QuestionVersionError(str(NOT_A_LANGUAGE), "language")
    data: dict[str, object] = {}
    for key, _original, required in text_fields(QuestionData.from_dict(question.data)):
        value = (texts.get(key) or "").strip()
        if len(value) > MAX_VERSION_TEXT:
            raise QuestionVersionError(str(TOO_LONG), key)
        if required and not value:
            raise QuestionVersionError(str(REQUIRED), key)
        if value:
            data[key] = value
    answers = version_answers_from(texts) if question.kind == SHORT_TEXT else []
    if answers:
        data[VERSION_ANSWERS] = answers
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


def version_answers_from(texts: dict[str, str]) -> list[dict]:
    """The accepted answers a version form lists (``answer-<n>-text``, ``-fraction``, ``-feedback``),
    in order, as stored; a row with neither text nor feedback is none, whatever grade it shows."""
    answers: list[dict] = []
    for n in range(MAX_VERSION_ANSWERS):
        text = " ".join((texts.get(f"answer-{n}-text") or "").split())
        feedback = (texts.get(f"answer-{n}-feedback") or "").strip()
        raw = (texts.get(f"answer-{n}-fraction") or "").strip()
        if not (text or feedback):
            continue
        if not text:
            raise QuestionVersionError(str(ANSWER_NEEDS_TEXT), f"answer-{n}-text")
        if len(text) > MAX_VERSION_TEXT or len(feedback) > MAX_VERSION_TEXT:
            raise QuestionVersionError(str(TOO_LONG), f"answer-{n}-text" if len(text) > MAX_VERSION_TEXT else f"answer-{n}-feedback")
        try:
            fraction = float(raw)
        except ValueError:
            fraction = -1.0
        if not allowed_grade(fraction):
            raise QuestionVersionError(str(ANSWER_GRADE), f"answer-{n}-fraction")
        answers.append({"text": text, "fraction": fraction, "feedback": feedback})
    return answers


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
