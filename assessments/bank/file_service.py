"""Writes of a question's files: storing the images an import carried in, and copying them with a question.

Files go to the course-file store (courses.files.service.storage_dir) under random names; each text
of the question then refers to a file as ``/questions/<question>/files/<file>``, the address the
Markdown renderer allows for that question only (courses.markdown).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from sqlmodel import Session, select

from lms.config import Settings

from courses.files.service import storage_dir

from assessments.interchange.media import MediaFile, map_texts, references_to
from assessments.models import Question, QuestionFile


def question_file_url(file: QuestionFile) -> str:
    return f"/questions/{file.question_id}/files/{file.id}"


def _store(session: Session, *, settings: Settings, question: Question, name: str, content_type: str, data: bytes) -> QuestionFile:
    key = secrets.token_hex(24)
    folder = storage_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    row = QuestionFile(question_id=question.id, filename=name, content_type=content_type, size=len(data), storage_key=key)
    session.add(row)
    session.flush()
    return row


def _point_texts_at(session: Session, question: Question, change_text: Callable[[str], str]) -> None:
    question.data = map_texts(question.data, change_text)
    session.add(question)
    session.flush()


def question_files_store(
    session: Session, *, settings: Settings, question: Question, files: dict[str, MediaFile]
) -> list[QuestionFile]:
    """Store ``files`` as the question's and point its ``@@PLUGINFILE@@`` references at them.

    Part of an import, which records one audit event for the whole file (with the files' count).
    """
    rows = [
        _store(session, settings=settings, question=question, name=f.name, content_type=f.content_type, data=f.data)
        for f in files.values()
    ]
    if rows:
        _point_texts_at(session, question, references_to({r.filename: question_file_url(r) for r in rows}))
    return rows


def question_files_copy(session: Session, *, settings: Settings, source: Question, copy: Question) -> list[QuestionFile]:
    """Give ``copy`` its own copies of ``source``'s files, its texts pointing at them (a duplicate)."""
    rows = []
    urls: dict[str, str] = {}
    folder = storage_dir(settings)
    for f in session.exec(select(QuestionFile).where(QuestionFile.question_id == source.id).order_by(QuestionFile.id)).all():
        path = folder / f.storage_key
        if not re.fullmatch(r"[0-9a-f]{16,64}", f.storage_key) or not path.is_file():
            continue  # a missing file stays missing in the copy: its image shows its alt text in both
        row = _store(session, settings=settings, question=copy, name=f.filename, content_type=f.content_type, data=path.read_bytes())
        urls[question_file_url(f)] = question_file_url(row)
        rows.append(row)
    if urls:
        pattern = re.compile("|".join(re.escape(u) + r"(?![0-9])" for u in urls))
        _point_texts_at(session, copy, lambda text: pattern.sub(lambda m: urls[m.group(0)], text))
    return rows
