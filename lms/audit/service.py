"""Writing the audit log. Events join the caller's transaction so they commit with the change."""

from __future__ import annotations

import json

from sqlmodel import Session

from lms.audit.models import AuditEvent
from lms.people.models import User


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
