"""Reads for the question bank pages; each is a fixed number of queries whatever the bank's size."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select as sa_select
from sqlmodel import Session, select

from lms.web.paging import ListFilters, Page, clamp_page, like_pattern
from lms.audit.models import AuditEvent
from lms.competences.models import Competence
from lms.text_search import like_folded

from assessments.models import Question, QuestionCategory
from assessments.questions import QuestionData

MAX_SEARCH_WORDS = 8


@dataclass
class CategoryRow:
    category: QuestionCategory
    active: int
    archived: int


@dataclass
class QuestionRow:
    question: Question
    category: str
    competence: str  # "4.2 Protecting personal data", "" if untagged


@dataclass
class Filters(ListFilters):
    q: str = ""
    category: int | None = None
    kind: str = ""
    competence: int | None = None
    archived: bool = False  # show archived questions instead of active ones


def categories_with_counts(session: Session) -> list[CategoryRow]:
    counts = (
        sa_select(
            Question.category_id,
            func.sum(case((Question.archived.is_(False), 1), else_=0)).label("active"),
            func.sum(case((Question.archived.is_(True), 1), else_=0)).label("archived"),
        )
        .group_by(Question.category_id)
        .subquery()
    )
    rows = session.exec(
        sa_select(QuestionCategory, func.coalesce(counts.c.active, 0), func.coalesce(counts.c.archived, 0))
        .outerjoin(counts, counts.c.category_id == QuestionCategory.id)
        .order_by(func.lower(QuestionCategory.name), QuestionCategory.id)
    ).all()
    return [CategoryRow(c, int(a), int(r)) for c, a, r in rows]


def _conditions(filters: Filters) -> list:
    where = [Question.archived.is_(filters.archived)]
    if filters.category:
        where.append(Question.category_id == filters.category)
    if filters.kind:
        where.append(Question.kind == filters.kind)
    if filters.competence:
        where.append(Question.competence_id == filters.competence)
    if filters.q.strip():
        # Every word, in the name or the stem, accents and case aside (lms.text_search).
        where.append(like_folded(Question.search_text, " ".join(filters.q.split()[:MAX_SEARCH_WORDS])))
    return where


def question_page(session: Session, *, filters: Filters, per_page: int) -> Page:
    where = _conditions(filters)
    total = session.exec(sa_select(func.count()).select_from(Question).where(*where)).scalar_one()
    page = clamp_page(filters.page, total, per_page)
    rows = session.exec(
        sa_select(Question, QuestionCategory.name, Competence.code, Competence.name)
        .join(QuestionCategory, QuestionCategory.id == Question.category_id)
        .outerjoin(Competence, Competence.id == Question.competence_id)
        .where(*where)
        .order_by(Question.updated_at.desc(), Question.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [QuestionRow(q, cat, f"{code} {name}" if code else "") for q, cat, code, name in rows]
    return Page(items, total, page, per_page)


def category_questions(session: Session, category_id: int) -> list[QuestionData]:
    """The category's active questions, oldest first, as plain data (for export)."""
    rows = session.exec(
        select(Question).where(Question.category_id == category_id, Question.archived.is_(False)).order_by(Question.id)
    ).all()
    return [QuestionData.from_dict(q.data) for q in rows]


def competence_label(session: Session, competence_id: int | None) -> str:
    comp = session.get(Competence, competence_id) if competence_id else None
    return f"{comp.code} {comp.name}" if comp else ""


def import_done(session: Session, import_id: str) -> bool:
    """Whether a confirmed import with this id was already saved (a double click, a retried POST)."""
    if not import_id:
        return False
    pattern = like_pattern(f'"import_id": "{import_id}"')
    return (
        session.exec(
            sa_select(AuditEvent.id).where(
                AuditEvent.action == "questions.import", func.lower(AuditEvent.detail).like(pattern, escape="\\")
            )
        ).first()
        is not None
    )


def category_names_lower(session: Session) -> set[str]:
    """Every category's name in lower case, to tell an import's existing categories from new ones.
    (Lowered again in Python: SQLite's lower() changes ASCII letters only.)"""
    return {n.lower() for n in session.exec(select(func.lower(QuestionCategory.name))).all()}
