"""Reads for the privacy pages: a requester's exports, the admin's view of one person."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from lms.clock import utcnow
from lms.privacy.models import DataExport
from lms.privacy.service import export_gone_reason

SHOWN = 5  # the latest few: older ones are expired and only of interest to the audit log


def exports_for(session: Session, *, requested_by_id: int, subject_id: int) -> list[dict[str, Any]]:
    """The latest exports `requested_by_id` asked for about `subject_id`, with what can be done now."""
    now = utcnow()
    rows = session.exec(
        select(DataExport)
        .where(DataExport.requested_by_id == requested_by_id, DataExport.subject_id == subject_id)
        .order_by(col(DataExport.id).desc())
        .limit(SHOWN)
    ).all()
    return [{"export": row, "gone": export_gone_reason(row, now)} for row in rows]


def account_data_context(session: Session, *, user_id: int) -> dict[str, Any]:
    """What the "Your data" section of /account needs."""
    return {"data_exports": exports_for(session, requested_by_id=user_id, subject_id=user_id)}
