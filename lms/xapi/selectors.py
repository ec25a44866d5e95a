"""Reads on the xAPI outbox, for the jobs page."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from lms.xapi.models import StatementState, XapiStatement


def statement_counts(session: Session) -> dict[str, int]:
    """How many statements are in each state (every state present, 0 when none); one query."""
    found = dict(session.exec(select(XapiStatement.state, func.count()).group_by(XapiStatement.state)).all())
    return {state.value: int(found.get(state.value, 0)) for state in StatementState}
