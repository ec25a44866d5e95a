"""Writes to the question bank: categories, questions, duplicates, archiving and imports.

Questions are shared by all trainers, so there is no per-editor check here; the routes only let
trainers and admins in. A question's ``data`` is always a valid ``QuestionData.to_dict()``: every
write goes through ``question_problems``. Attempts keep their own snapshot, so an edit never
reaches a past attempt; ``version`` counts edits so a trainer can tell which text an attempt saw.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings
from lms.competences.models import MAX_LEVEL, Competence
from lms.db import known
from lms.errors import FieldError
from lms.i18n import gettext
from lms.people.models import User

from assessments.bank.exchange import resolve_competence
from assessments.bank.file_service import question_files_copy, question_files_store
from assessments.interchange.common import CategoryInfo, ParseResult, split_path
from assessments.models import Question, QuestionCategory
from assessments.questions import QuestionData, question_problems

MAX_CATEGORY_NAME = 200
MAX_QUESTION_NAME = 255
# Questions from a file that names no category land here when the trainer chose the file's categories.
UNFILED = "Imported"


class BankError(FieldError):
    pass


def _sibling(session: Session, name: str, parent_id: int | None, except_id: int | None = None) -> QuestionCategory | None:
    # Compared in Python: SQLite's lower() folds ASCII letters only.
    query = select(QuestionCategory).where(QuestionCategory.id != (except_id or 0))
    query = query.where(QuestionCategory.parent_id.is_(None) if parent_id is None else QuestionCategory.parent_id == parent_id)
    return next((c for c in session.exec(query.order_by(QuestionCategory.id)).all() if c.name.lower() == name.lower()), None)


def _category_name(session: Session, name: str, *, parent_id: int | None = None, except_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise BankError(gettext("Enter a name for the category."), "name")
    if len(name) > MAX_CATEGORY_NAME:
        raise BankError(gettext("Keep the name to %(max)s characters or fewer.") % {"max": MAX_CATEGORY_NAME}, "name")
    if _sibling(session, name, parent_id, except_id) is not None:
        exists = (
            gettext("A category called “%(name)s” already exists.")
            if parent_id is None
            else gettext("A category called “%(name)s” already exists in that category.")
        )
        raise BankError(exists % {"name": name}, "name")
    return name


def category_create(
    session: Session,
    *,
    name: str,
    description: str = "",
    by: User | None,
    parent: QuestionCategory | None = None,
    idnumber: str = "",
) -> QuestionCategory:
    category = QuestionCategory(
        name=_category_name(session, name, parent_id=parent.id if parent else None),
        description=(description or "").strip(),
        parent_id=parent.id if parent else None,
        idnumber=(idnumber or "").strip()[:100] or None,
        created_by_id=getattr(by, "id", None),
    )
    session.add(category)
    session.flush()
    return category


def category_rename(session: Session, *, category: QuestionCategory, name: str, by: User | None) -> QuestionCategory:
    category.name = _category_name(session, name, parent_id=category.parent_id, except_id=category.id)
    session.add(category)
    session.flush()
    return category


def category_for_path(session: Session, *, path: str, by: User | None, info: CategoryInfo | None = None) -> QuestionCategory:
    """The category at ``path`` ("Top/Sub", Moodle's "//" for a "/" in a name), any capitalisation,
    created (with any missing parents) if missing; used by imports. ``info`` fills an id number or
    description the category does not have yet, and never blanks one it has."""
    names = [" ".join(n.split())[:MAX_CATEGORY_NAME] for n in split_path(path)] or [UNFILED]
    node: QuestionCategory | None = None
    for name in names:
        found = _sibling(session, name, node.id if node else None)
        node = found or category_create(session, name=name, by=by, parent=node)
    assert node is not None
    if info is not None:
        node.idnumber = node.idnumber or (info.idnumber.strip()[:100] or None)
        node.description = node.description or info.description.strip()
        session.add(node)
        session.flush()
    return node


def _check_tag(session: Session, competence_id: int | None, level: int | None) -> None:
    if competence_id is None:
        if level is not None:
            raise BankError(gettext("Choose the competence this level is for, or clear the level."), "competence_id")
        return
    if session.get(Competence, competence_id) is None:
        raise BankError(gettext("Choose a competence from the list."), "competence_id")
    if level is not None and not 1 <= level <= MAX_LEVEL:
        raise BankError(gettext("Choose a level from 1 to %(max)s.") % {"max": MAX_LEVEL}, "level")


def _check_data(data: QuestionData) -> QuestionData:
    name = " ".join(data.name.split())
    if len(name) > MAX_QUESTION_NAME:
        raise BankError(gettext("Keep the name to %(max)s characters or fewer.") % {"max": MAX_QUESTION_NAME}, "name")
    data = replace(data, name=name)
    problems = question_problems(data)
    if problems:
        raise BankError(" ".join(problems), "answers")
    return data


def question_create(
    session: Session,
    *,
    category: QuestionCategory,
    data: QuestionData,
    by: User | None,
    competence_id: int | None = None,
    level: int | None = None,
    audited: bool = True,
    language: str = "en",
) -> Question:
    """A new question whose own text is in ``language`` (the organisation's DEFAULT_LANGUAGE from the bank's form)."""
    data = _check_data(data)
    _check_tag(session, competence_id, level)
    question = Question(
        category_id=category.id,
        kind=data.kind,
        name=data.name,
        data=data.to_dict(),
        competence_id=competence_id,
        level=level,
        language=language,
        created_by_id=getattr(by, "id", None),
    )
    session.add(question)
    session.flush()
    if audited:  # an import or a duplicate records one event of its own instead
        _audit(session, "question.create", question, by)
    return question


def _audit(session: Session, action: str, question: Question, by: User | None, **extra: object) -> None:
    # Who did what to which question; never the question's content or its answers.
    detail = {"category_id": question.category_id, "kind": question.kind, "version": question.version, **extra}
    audit_record(session, action=action, actor=by, target_type="question", target_id=question.id, detail=detail)


def question_update(
    session: Session,
    *,
    question: Question,
    data: QuestionData,
    category: QuestionCategory,
    by: User | None,
    competence_id: int | None = None,
    level: int | None = None,
) -> Question:
    """Replace the question's content; attempts already hold their own copy of the old one."""
    if data.kind != question.kind:
        raise BankError(gettext("A question cannot change kind; create a new question instead."), "kind")
    data = _check_data(data)
    _check_tag(session, competence_id, level)
    question.category_id = known(category.id)
    question.name = data.name
    question.data = data.to_dict()  # a new dict, so the JSON column is seen as changed
    question.competence_id, question.level = competence_id, level
    question.version += 1
    question.updated_at = utcnow()
    session.add(question)
    session.flush()
    _audit(session, "question.update", question, by)
    return question


def question_duplicate(session: Session, *, question: Question, by: User | None, settings: Settings | None = None) -> Question:
    """A copy in the same category; with ``settings``, with copies of the question's files too."""
    data = QuestionData.from_dict(question.data)
    suffix = " (copy)"
    name = data.name[: MAX_QUESTION_NAME - len(suffix)] + suffix
    copy = question_create(
        session,
        category=session.get(QuestionCategory, question.category_id),
        data=replace(data, name=name),
        by=by,
        competence_id=question.competence_id,
        level=question.level,
        audited=False,
        language=question.language,
    )
    if settings is not None:
        question_files_copy(session, settings=settings, source=question, copy=copy)
    _audit(session, "question.duplicate", copy, by, copied_from=question.id)
    return copy


def question_archive(session: Session, *, question: Question, archived: bool = True, by: User | None) -> Question:
    """Archived questions leave random draws and the default list; quizzes and attempts keep them."""
    question.archived = archived
    question.updated_at = utcnow()
    session.add(question)
    session.flush()
    _audit(session, "question.archive" if archived else "question.restore", question, by)
    return question


def questions_import(
    session: Session,
    *,
    result: ParseResult,
    target: QuestionCategory | None,
    by: User | None,
    filename: str = "",
    import_id: str = "",
    client_ip: str | None = None,
    settings: Settings | None = None,
) -> list[Question]:
    """Save every importable question of ``result``: into ``target``, or (None) the file's own categories.

    With ``settings``, the images the file carried are stored as the questions' files.
    """
    saved = []
    stored = 0
    by_path: dict[str, QuestionCategory] = {}
    if target is None:  # every category the file describes, even one without questions
        for path, info in result.category_info.items():
            by_path[path] = category_for_path(session, path=path or UNFILED, by=by, info=info)
    files = result.files or [{} for _ in result.questions]
    for data, path, media in zip(result.questions, result.categories, files, strict=True):
        category = target or by_path.get(path)
        if category is None:
            category = by_path[path] = category_for_path(session, path=path or UNFILED, by=by)
        tagged = resolve_competence(session, replace(data, name=" ".join(data.name.split())[:MAX_QUESTION_NAME]))
        question = question_create(
            session,
            category=category,
            data=tagged.data,
            by=by,
            competence_id=tagged.competence_id,
            level=tagged.level,
            audited=False,
            # A file carries one language per question: the organisation's, as the bank's form assumes.
            language=settings.default_language if settings is not None else "en",
        )
        if settings is not None and media:
            stored += len(question_files_store(session, settings=settings, question=question, files=media))
        saved.append(question)
    audit_record(
        session,
        action="questions.import",
        actor=by,
        client_ip=client_ip,
        target_type="question_category",
        target_id=target.id if target else None,
        detail={"file": filename, "imported": len(saved), "skipped": len(result.problems), "files": stored, "import_id": import_id},
    )
    return saved
