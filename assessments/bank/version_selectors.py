"""Reads of questions' versions in other languages: one question's, a set of questions', a category's."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from lms.i18n import SUPPORTED_LANGUAGES

from assessments.models import Question, QuestionTranslation


def versions_of(session: Session, *, question_ids: Iterable[int]) -> dict[int, dict[str, dict]]:
    """question id -> {language: texts} for every version of these questions, in one statement."""
    ids = sorted({int(i) for i in question_ids})
    found: dict[int, dict[str, dict]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(QuestionTranslation.question_id, QuestionTranslation.language, QuestionTranslation.data).where(
            QuestionTranslation.question_id.in_(ids)
        )
    ).all()
    for question_id, language, data in rows:
        found.setdefault(question_id, {})[language] = dict(data or {})
    return found


def languages_of(session: Session, *, question_ids: Iterable[int]) -> dict[int, set[str]]:
    """question id -> the languages it has a version in (a bank page's questions, one statement)."""
    ids = sorted({int(i) for i in question_ids})
    found: dict[int, set[str]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(QuestionTranslation.question_id, QuestionTranslation.language).where(QuestionTranslation.question_id.in_(ids))
    ).all()
    for question_id, language in rows:
        found.setdefault(question_id, set()).add(language)
    return found


def category_languages(session: Session, *, category_ids: Iterable[int]) -> dict[int, set[str]]:
    """category id -> the languages any of its questions has a version in ("started" in that category)."""
    ids = sorted({int(i) for i in category_ids})
    found: dict[int, set[str]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(Question.category_id, QuestionTranslation.language)
        .join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.category_id.in_(ids))
        .distinct()
    ).all()
    for category_id, language in rows:
        found.setdefault(category_id, set()).add(language)
    return found


def bank_versions(session: Session, questions: Iterable[Question]) -> dict[int, tuple[list[str], list[str]]]:
    """question id -> (languages it has a version in, languages started in its category that it lacks),
    each in SUPPORTED_LANGUAGES order, for a page of the bank (two statements)."""
    questions = list(questions)
    have = languages_of(session, question_ids=[q.id or 0 for q in questions])
    started = category_languages(session, category_ids=[q.category_id for q in questions])
    out: dict[int, tuple[list[str], list[str]]] = {}
    for q in questions:
        own = have.get(q.id or 0, set())
        wanted = started.get(q.category_id, set()) - {q.language}
        out[q.id or 0] = (
            [code for code in SUPPORTED_LANGUAGES if code in own],
            [code for code in SUPPORTED_LANGUAGES if code in wanted - own],
        )
    return out
