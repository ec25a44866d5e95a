"""Reads of a question's files: which may be served to whom, and their bytes for an export.

A question file is served to trainers and admins (the bank is theirs), and to a learner only while
the question is part of one of their own attempts (taking it or reviewing it): another learner's
request is a 404, the same as a file that does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, col, select

from lms.config import Settings
from lms.people.models import Role, User

from courses.files.service import storage_dir

from assessments.interchange.media import MediaFile
from assessments.models import Attempt, QuestionFile

AUTHOR_ROLES = {Role.TRAINER.value, Role.ADMIN.value}


def question_file_path(settings: Settings, file: QuestionFile) -> Path | None:
    if not re.fullmatch(r"[0-9a-f]{16,64}", file.storage_key):
        return None
    path = storage_dir(settings) / file.storage_key
    return path if path.is_file() else None


def in_own_attempt(session: Session, user: User, question_id: int) -> bool:
    """Whether one of the person's attempts showed this question (layouts are JSON, read in Python)."""
    layouts = session.exec(select(Attempt.layout).where(Attempt.user_id == user.id)).all()
    return any(entry.get("question_id") == question_id for layout in layouts for entry in layout or [] if isinstance(entry, dict))


def may_see_file(session: Session, user: User, roles: set[str], file: QuestionFile) -> bool:
    return bool(AUTHOR_ROLES & roles) or in_own_attempt(session, user, file.question_id)


def files_for_export(session: Session, settings: Settings, question_ids: list[int]) -> dict[int, list[tuple[QuestionFile, MediaFile]]]:
    """Each question's files with their bytes, by question id; a file missing from the store is left out."""
    out: dict[int, list[tuple[QuestionFile, MediaFile]]] = {}
    if not question_ids:
        return out
    rows = session.exec(select(QuestionFile).where(col(QuestionFile.question_id).in_(question_ids)).order_by(QuestionFile.id)).all()
    for row in rows:
        path = question_file_path(settings, row)
        if path is not None:
            out.setdefault(row.question_id, []).append((row, MediaFile(row.filename, row.content_type, path.read_bytes())))
    return out
