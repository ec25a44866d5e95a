"""Reads on the job queue, for `lms jobs list` and the admin page."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from lms.jobs.models import Job


def jobs_recent(session: Session, *, state: str | None = None, limit: int = 50, offset: int = 0) -> list[Job]:
    """Newest first (by creation), optionally in one state."""
    query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).offset(offset).limit(limit)
    if state:
        query = query.where(Job.state == state)
    return list(session.exec(query))


def jobs_count(session: Session, *, state: str | None = None) -> int:
    query = select(func.count()).select_from(Job)
    if state:
        query = query.where(Job.state == state)
    return session.exec(query).one()
