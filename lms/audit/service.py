"""Writing the audit log. Events join the caller's transaction so they commit with the change.

Nothing else in the app changes the log, except the two operations below that the database's
triggers let through when their gate is open (lms/audit/chain.py): retention's purge of the oldest
events and erasure's redaction of a person's personal fields."""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, update
from sqlmodel import Session, select

from lms.audit.chain import audit_gate, lock_chain
from lms.audit.models import AuditEvent, RecordView
from lms.people.models import User

PURGED = "audit.purged"


def audit_record(
    session: Session,
    *,
    action: str,
    actor: User | None = None,
    actor_email: str | None = None,
    target_type: str | None = None,
    target_id: object = None,
    client_ip: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_email=actor_email or getattr(actor, "email", None),
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        client_ip=client_ip,
        detail=json.dumps(detail, sort_keys=True, default=str) if detail else "",
    )
    session.add(event)
    return event


ERASED = "[erased]"


def audit_purge_before(session: Session, *, cutoff: datetime, reason: str) -> int:
    """Delete the oldest events, those before `cutoff` (retention's documented purge), and record
    the purge as an event naming where the kept chain starts, so `lms audit verify` still accepts it.

    Always a prefix of the chain: everything before the first event at or after the cutoff."""
    lock_chain(session)
    first = session.exec(
        select(AuditEvent.seq, AuditEvent.prev_hash).where(AuditEvent.at >= cutoff).order_by(AuditEvent.seq).limit(1)
    ).first()
    if first is None:
        # Everything is older than the cutoff: the newest event stays, so the chain keeps its head.
        first = session.exec(select(AuditEvent.seq, AuditEvent.prev_hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
        if first is None:
            return 0
    kept_seq, kept_prev = first
    with audit_gate(session, "purge"):
        removed = session.connection().execute(delete(AuditEvent).where(AuditEvent.seq < kept_seq)).rowcount
    if removed:
        audit_record(
            session,
            action=PURGED,
            target_type="audit_event",
            detail={
                "removed": removed,
                "before": cutoff,
                "reason": reason,
                "first_kept_seq": kept_seq,
                "first_kept_prev_hash": kept_prev,
            },
        )
    return removed


def audit_redact_person(
    session: Session, *, user_id: int, email: str, name: str | None = None, replacements: dict[str, str] | None = None
) -> int:
    """Erasure's redaction, the one way to take a person out of the log: in every event by them, about
    them or mentioning their e-mail or name, blank their e-mail and address and replace each of
    `replacements` (default: e-mail and name -> "[erased]") in the detail. The events stay in the chain;
    each loses its salt, so `lms audit verify` counts it as redacted rather than edited. Also blanks
    their name on the records of what they viewed. Returns how many events were redacted."""
    needles = replacements or {email: ERASED, **({name: ERASED} if name else {})}
    lowered = email.lower()
    mentions = [func.lower(AuditEvent.detail).contains(n.lower(), autoescape=True) for n in needles if n.strip()]
    events = session.exec(
        select(AuditEvent).where(
            or_(
                AuditEvent.actor_id == user_id,
                func.lower(AuditEvent.actor_email) == lowered,
                and_(AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id)),
                *mentions,
            )
        )
    ).all()
    with audit_gate(session, "redact"):
        for ev in events:
            if ev.actor_id == user_id or (ev.actor_email or "").lower() == lowered:
                ev.actor_email = None
                ev.client_ip = None
            ev.detail = _scrub(ev.detail or "", needles)
            ev.salt = None
            session.add(ev)
        session.flush()
    session.connection().execute(update(RecordView).where(RecordView.viewer_id == user_id).values(viewer_label=ERASED))
    return len(events)


def _scrub(detail: str, needles: dict[str, str]) -> str:
    for needle in sorted((n for n in needles if n.strip()), key=len, reverse=True):
        # As written and as JSON escapes it (a name with accents is stored as \u00e9).
        # Escaped for re.sub's template, which would otherwise read a backslash in the JSON form.
        replacement = json.dumps(needles[needle])[1:-1].replace("\\", "\\\\")
        for form in {needle, json.dumps(needle)[1:-1]}:
            detail = re.sub(re.escape(form), replacement, detail, flags=re.IGNORECASE)
    return detail
