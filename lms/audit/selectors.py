"""Reads of the audit log for the admin page: filtered, newest first, paginated in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, select

from lms.web.paging import ListFilters, Page, clamp_page, like_pattern
from lms.audit.models import AuditEvent


@dataclass
class AuditFilters(ListFilters):
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _conditions(f: AuditFilters) -> list:
    conds = []
    if f.action:
        conds.append(AuditEvent.action == f.action)
    if f.actor:
        conds.append(func.lower(AuditEvent.actor_email).like(like_pattern(f.actor), escape="\\"))
    if f.target_type:
        conds.append(AuditEvent.target_type == f.target_type)
    if f.target_id:
        conds.append(AuditEvent.target_id == f.target_id)
    if f.date_from:
        conds.append(AuditEvent.at >= _day_start(f.date_from))
    if f.date_to:
        # "To" includes the whole of that day (UTC).
        conds.append(AuditEvent.at < _day_start(f.date_to + timedelta(days=1)))
    return conds


def audit_page(session: Session, f: AuditFilters, per_page: int) -> Page:
    conds = _conditions(f)
    total = session.exec(sa_select(func.count()).select_from(AuditEvent).where(*conds)).scalar_one()
    page = clamp_page(f.page, total, per_page)
    events = session.exec(
        select(AuditEvent)
        .where(*conds)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=list(events), total=total, page=page, per_page=per_page)


def audit_actions(session: Session) -> list[str]:
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all())


def audit_target_types(session: Session) -> list[str]:
    return list(
        session.exec(
            select(AuditEvent.target_type).where(AuditEvent.target_type.is_not(None)).distinct().order_by(AuditEvent.target_type)
        ).all()
    )


# How much of an event's detail the one-line summary shows: enough to tell events apart at a
# glance while keeping a 50-row page short; the full detail is one click away.
SUMMARY_VALUE_MAX = 32
SUMMARY_MAX = 120


@dataclass
class DetailView:
    """An event's detail as a short summary line plus every field in full, for the page."""

    summary: str
    fields: list[tuple[str, str]]


def _label(key: str) -> str:
    return key.replace("_", " ")


def _full(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_full(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_full(v) for v in value) or "none"
    return str(value)


def _short(key: str, value: object) -> str:
    # Long values (free text, big lists) give only their name: the summary stays one line and
    # never echoes a long value, which the expansion shows in full.
    if isinstance(value, dict):
        return f"{key}: {len(value)} fields"
    if isinstance(value, list | tuple) and any(isinstance(v, dict | list) for v in value):
        return f"{key}: {len(value)} items"
    text = _full(value)
    if len(text) > SUMMARY_VALUE_MAX or "\n" in text:
        return key
    return f"{key}: {text}"


def detail_view(raw: str) -> DetailView:
    """Parse an event's stored JSON detail; older or hand-written non-JSON text is shown as is."""
    if not raw:
        return DetailView(summary="", fields=[])
    try:
        data = json.loads(raw)
    except ValueError:
        data = {"detail": raw}
    if not isinstance(data, dict):
        data = {"detail": data}
    fields = [(_label(str(k)), _full(v)) for k, v in data.items()]
    summary = ", ".join(_short(_label(str(k)), v) for k, v in data.items())
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1].rstrip(", ") + "…"
    return DetailView(summary=summary, fields=fields)
