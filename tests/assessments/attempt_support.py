"""What the attempt tests share: a fresh read of a row, a person's evidence, a deadline run out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from assessments.models import Attempt
from lms.clock import utcnow
from lms.competences.models import Evidence


def fresh(db: Session, model, key):
    """The row as the database has it now, not as this session remembers it."""
    with Session(db.get_bind()) as other:
        return other.get(model, key)


def evidence_of(db: Session, user) -> list[Evidence]:
    with Session(db.get_bind()) as other:
        return list(other.exec(select(Evidence).where(Evidence.user_id == user.id).order_by(Evidence.id)).all())


def expire_deadline(db: Session, attempt: Attempt) -> None:
    db.exec(update(Attempt).where(Attempt.id == attempt.id).values(deadline_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    db.refresh(attempt)
