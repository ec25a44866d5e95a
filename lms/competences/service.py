"""Recording evidence and keeping CompetenceStatus in step with it. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.models import MAX_LEVEL, Competence, CompetenceStatus, Evidence, EvidenceSource
from lms.competences.rules import Levels, derive_levels
from lms.errors import FieldError
from lms.i18n import gettext
from lms.people.models import User
from lms.xapi.achievements import competence_achieved


class CompetenceError(FieldError):
    pass


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    # Clamp the day: 31 January + 1 month is the end of February.
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def status_refresh(session: Session, *, user_id: int, competence_id: int, now: datetime | None = None) -> Levels:
    """Recompute one status row from all its evidence (the rule is the only source of truth)."""
    now = now or utcnow()
    evidence = session.exec(select(Evidence).where(Evidence.user_id == user_id, Evidence.competence_id == competence_id)).all()
    levels = derive_levels(evidence, now)
    row = session.get(CompetenceStatus, (user_id, competence_id))
    session.add(_apply(row or CompetenceStatus(user_id=user_id, competence_id=competence_id), levels, now))
    return levels


def _apply(row: CompetenceStatus, levels: Levels, now: datetime) -> CompetenceStatus:
    row.verified_level, row.verified_source = levels.verified_level, levels.verified_source
    row.verified_until, row.self_level = levels.verified_until, levels.self_level
    row.self_assessed_at, row.updated_at = levels.self_assessed_at, now
    return row


def evidence_record(
    session: Session,
    *,
    user: User,
    competence: Competence,
    level: int,
    source: EvidenceSource | str,
    by: User | None,
    reference: str = "",
    note: str = "",
    expires_at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> Evidence:
    """Append evidence and update the person's status in the same transaction."""
    source = EvidenceSource(source)
    if not 0 <= level <= MAX_LEVEL:
        raise CompetenceError(gettext("Choose a level from 0 to %(max)s.") % {"max": MAX_LEVEL}, "level")
    recorded_at = recorded_at or utcnow()
    if expires_at is None and competence.evidence_valid_months and source is not EvidenceSource.SELF:
        expires_at = add_months(recorded_at, competence.evidence_valid_months)
    evidence = Evidence(
        user_id=user.id,
        competence_id=competence.id,
        level=level,
        source=source.value,
        reference=reference,
        recorded_by_id=by.id if by else None,
        recorded_at=recorded_at,
        note=note.strip(),
        expires_at=expires_at,
    )
    session.add(evidence)
    session.flush()
    status = session.get(CompetenceStatus, (user.id, competence.id))
    before = status.verified_level if status is not None else 0
    levels = status_refresh(session, user_id=user.id, competence_id=competence.id)
    if levels.verified_level > before:
        competence_achieved(session, user=user, competence=competence, level=levels.verified_level)
    return evidence


def self_assess(session: Session, *, user: User, competence: Competence, level: int) -> Evidence:
    evidence = evidence_record(session, user=user, competence=competence, level=level, source=EvidenceSource.SELF, by=user)
    audit_record(
        session,
        action="competence.self_assess",
        actor=user,
        target_type="user",
        target_id=user.id,
        detail={"competence": competence.code, "level": level},
    )
    return evidence


def manager_rate(
    session: Session,
    *,
    manager: User,
    person: User,
    competence: Competence,
    level: int,
    note: str,
    client_ip: str | None = None,
) -> Evidence:
    """A line manager's rating. Lowering a verified level needs a reason, which is kept as the note.

    The caller checks that ``person`` is in the manager's reporting line.
    """
    current = session.get(CompetenceStatus, (person.id, competence.id))
    if current and level < current.verified_level and not note.strip():
        raise CompetenceError(gettext("Give a reason when you rate below the current verified level."), "note")
    evidence = evidence_record(
        session, user=person, competence=competence, level=level, source=EvidenceSource.MANAGER, by=manager, note=note
    )
    audit_record(
        session,
        action="competence.rate",
        actor=manager,
        target_type="user",
        target_id=person.id,
        client_ip=client_ip,
        detail={"competence": competence.code, "level": level},
    )
    return evidence


# ((user id, competence id), the stored (verified, self) levels or None without a row, the derived ones)
StatusDifference = tuple[tuple[int, int], tuple[int, int | None] | None, tuple[int, int | None]]


@dataclass
class RebuildReport:
    checked: int = 0
    # Rows that disagreed with their evidence: a bug or a write outside the service. Expected: none.
    drift: list[StatusDifference] = field(default_factory=list)
    # Rows whose verified level has lapsed because its evidence expired since it was written.
    expired: list[StatusDifference] = field(default_factory=list)


def statuses_rebuild(session: Session, *, now: datetime | None = None, fix: bool = True) -> RebuildReport:
    """Recompute every status from evidence and report (and, with ``fix``, repair) differences."""
    now = now or utcnow()
    evidence = session.exec(select(Evidence).order_by(Evidence.user_id, Evidence.competence_id)).all()
    grouped: dict[tuple[int, int], list[Evidence]] = {}
    for e in evidence:
        grouped.setdefault((e.user_id, e.competence_id), []).append(e)
    stored = {(s.user_id, s.competence_id): s for s in session.exec(select(CompetenceStatus)).all()}
    report = RebuildReport()
    for key in sorted(set(grouped) | set(stored)):
        report.checked += 1
        levels = derive_levels(grouped.get(key, []), now)
        row = stored.get(key)
        have = (row.verified_level, row.self_level) if row else None
        want = (levels.verified_level, levels.self_level)
        if have == want:
            continue
        lapsed = row is not None and row.verified_until is not None and row.verified_until <= now
        (report.expired if lapsed else report.drift).append((key, have, want))
        if fix:
            session.add(_apply(row or CompetenceStatus(user_id=key[0], competence_id=key[1]), levels, now))
    return report
