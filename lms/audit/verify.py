"""Checking the audit chain (`lms audit verify`) and exporting events as JSON lines for a SIEM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from sqlmodel import Session, select

from lms.audit.chain import GENESIS, content_digest, event_hash
from lms.audit.models import AuditEvent
from lms.audit.service import PURGED

# Rows read per round trip: the check and the export run in constant memory over any log size.
BATCH = 1000


@dataclass
class ChainReport:
    checked: int = 0
    redacted: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _events(session: Session, *conds: object) -> Iterator[AuditEvent]:
    stmt = select(AuditEvent).where(*conds).order_by(AuditEvent.seq).execution_options(yield_per=BATCH)
    yield from session.exec(stmt)


def _purge_anchor(session: Session, first: AuditEvent) -> str | None:
    """The hash the first kept event must follow, as recorded by the retention purge that removed
    the events before it; None when no purge accounts for the missing start of the log."""
    purges = session.exec(select(AuditEvent.detail).where(AuditEvent.action == PURGED).order_by(AuditEvent.seq.desc()))
    for raw in purges:
        try:
            detail = json.loads(raw)
        except ValueError:
            continue
        if detail.get("first_kept_seq") == first.seq:
            return str(detail.get("first_kept_prev_hash"))
    return None


def audit_verify(session: Session, *, max_problems: int = 50) -> ChainReport:
    report = ChainReport()
    expected_seq, expected_prev = 1, GENESIS

    def problem(message: str) -> None:
        if len(report.problems) < max_problems:
            report.problems.append(message)

    for ev in _events(session):
        if report.checked == 0 and ev.seq != 1:
            anchor = _purge_anchor(session, ev)
            if anchor is None:
                missing = "event 1 is" if ev.seq == 2 else f"events 1 to {ev.seq - 1} are"
                problem(f"{missing} missing and no retention purge recorded removing them")
            expected_seq, expected_prev = ev.seq, anchor or ev.prev_hash
        if ev.seq != expected_seq:
            missing = f"event {expected_seq} is" if ev.seq - expected_seq == 1 else f"events {expected_seq} to {ev.seq - 1} are"
            problem(f"{missing} missing (deleted) before event {ev.seq}")
        if ev.prev_hash != expected_prev:
            problem(f"event {ev.seq} does not follow the event before it (its previous hash differs)")
        if ev.salt is None:
            report.redacted += 1
        elif ev.content_digest != content_digest(ev.salt, ev.actor_email, ev.client_ip, ev.detail or ""):
            problem(f"event {ev.seq} was edited: its e-mail, address or detail differ from when it was written")
        recomputed = event_hash(
            seq=ev.seq,
            at=ev.at,
            actor_id=ev.actor_id,
            action=ev.action,
            target_type=ev.target_type,
            target_id=ev.target_id,
            content_digest=ev.content_digest,
            prev_hash=ev.prev_hash,
        )
        if recomputed != ev.hash:
            problem(f"event {ev.seq} was edited: its time, actor, action or target differ from when it was written")
        report.checked += 1
        expected_seq, expected_prev = ev.seq + 1, ev.hash
        report.head_seq, report.head_hash = ev.seq, ev.hash
    return report


def _json_line(ev: AuditEvent) -> str:
    try:
        detail: object = json.loads(ev.detail) if ev.detail else None
    except ValueError:
        detail = ev.detail
    record = {
        "seq": ev.seq,
        "at": ev.at.isoformat(),
        "action": ev.action,
        "actor_id": ev.actor_id,
        "actor_email": ev.actor_email,
        "target_type": ev.target_type,
        "target_id": ev.target_id,
        "client_ip": ev.client_ip,
        "detail": detail,
        "prev_hash": ev.prev_hash,
        "hash": ev.hash,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def audit_export(session: Session, out: TextIO, *, since: datetime | None = None, after_seq: int = 0) -> int:
    """Write events (oldest first) as one JSON object per line; returns how many."""
    conds: list[object] = [AuditEvent.seq > after_seq]
    if since is not None:
        conds.append(AuditEvent.at >= since)
    count = 0
    for ev in _events(session, *conds):
        out.write(_json_line(ev) + "\n")
        count += 1
    return count
