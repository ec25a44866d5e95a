"""Reads on the job queue, for `lms jobs list` and the admin page."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from lms.web.paging import Page, clamp_page
from lms.jobs.models import Job


def jobs_recent(session: Session, *, state: str | None = None, limit: int = 50) -> list[Job]:
    """Newest first (by creation), optionally in one state."""
    query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
    if state:
        query = query.where(Job.state == state)
    return list(session.exec(query))


def jobs_page(session: Session, *, state: str | None = None, page: int = 1, per_page: int) -> Page:
    """One page of jobs, newest first; `extra["counts"]` holds how many jobs are in each state."""
    counts = dict(session.exec(select(Job.state, func.count()).group_by(Job.state)).all())
    total = counts.get(state, 0) if state else sum(counts.values())
    page = clamp_page(page, total, per_page)
    query = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).offset((page - 1) * per_page).limit(per_page)
    if state:
        query = query.where(Job.state == state)
    return Page(items=list(session.exec(query)), total=total, page=page, per_page=per_page, extra={"counts": counts})
