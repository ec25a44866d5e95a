"""What a line manager (or an administrator) does about one person's mandatory training: exempt them,
withdraw an exemption, extend a due date, send a reminder now. Each is audited in the caller's transaction.

An exemption does not close the person's open cycle: while it is in force the standing is "exempt"
(courses/requirements/status.py), and when it ends or is withdrawn the cycle's own dates apply again,
so nothing has to be reopened and the history stays as it was.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from courses.compliance.selectors import may_act
from courses.requirements.models import Exemption, ExemptionReason, Extension, Requirement, RequirementCourse, RequirementCycle
from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.config import Settings
from lms.db import known
from lms.errors import FieldError
from lms.i18n import format_date, gettext as _, lazy_date, lazy_gettext
from lms.notifications.models import Outbox
from lms.notifications.service import notify
from lms.people.models import User

NOTE_MAX = 2000
REASON_MAX = 500


class ComplianceError(FieldError):
    """An exemption, extension or reminder that cannot be recorded as asked."""


def _check_actor(session: Session, by: User, user_id: int) -> None:
    # The routes answer 404 before this; the check stays here so no other caller can skip it.
    if not may_act(session, actor=by, user_id=user_id):
        raise ComplianceError(_("Only the person's line manager or an administrator can do this."))


def _open(cycle: RequirementCycle) -> bool:
    return cycle.completed_at is None and cycle.ended_at is None


def exemption_grant(
    session: Session,
    *,
    requirement: Requirement,
    user: User,
    reason: ExemptionReason,
    note: str,
    ends_at: datetime | None,
    by: User,
    now: datetime | None = None,
    client_ip: str | None = None,
) -> Exemption:
    """Excuse `user` from `requirement` until `ends_at` (None: until withdrawn)."""
    now = now or utcnow()
    uid, rid = known(user.id), known(requirement.id)
    _check_actor(session, by, uid)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ComplianceError(_("Keep the note to %(max)s characters.") % {"max": NOTE_MAX}, "note")
    if ends_at is not None and ends_at <= now:
        raise ComplianceError(_("The end date must be in the future."), "ends_at")
    in_force = session.exec(
        select(Exemption.id).where(
            Exemption.user_id == uid,
            Exemption.requirement_id == rid,
            col(Exemption.revoked_at).is_(None),
            (col(Exemption.ends_at).is_(None)) | (col(Exemption.ends_at) > now),
        )
    ).first()
    if in_force is not None:
        raise ComplianceError(
            _("%(person)s is already exempt from %(requirement)s; withdraw that exemption first.")
            % {"person": user.name, "requirement": requirement.name}
        )
    exemption = Exemption(
        requirement_id=rid, user_id=uid, reason=reason.value, note=note, approved_by_id=by.id, created_at=now, ends_at=ends_at
    )
    session.add(exemption)
    session.flush()
    audit_record(
        session,
        action="requirement.exemption_granted",
        actor=by,
        target_type="user",
        target_id=uid,
        client_ip=client_ip,
        detail={"requirement_id": rid, "exemption_id": exemption.id, "reason": reason.value, "ends_at": ends_at, "note": note},
    )
    return exemption


def exemption_revoke(
    session: Session, *, exemption: Exemption, by: User, now: datetime | None = None, client_ip: str | None = None
) -> Exemption:
    """Withdraw an exemption in force; the person's cycle counts again from now."""
    now = now or utcnow()
    _check_actor(session, by, exemption.user_id)
    if exemption.revoked_at is not None or (exemption.ends_at is not None and exemption.ends_at <= now):
        raise ComplianceError(_("This exemption is no longer in force."))
    exemption.revoked_at = now
    session.add(exemption)
    audit_record(
        session,
        action="requirement.exemption_revoked",
        actor=by,
        target_type="user",
        target_id=exemption.user_id,
        client_ip=client_ip,
        detail={"requirement_id": exemption.requirement_id, "exemption_id": exemption.id},
    )
    return exemption


def extension_grant(
    session: Session,
    *,
    cycle: RequirementCycle,
    new_due_at: datetime,
    reason: str,
    by: User,
    now: datetime | None = None,
    client_ip: str | None = None,
) -> Extension:
    """Move an open cycle's due date later; its grace end moves by the same amount."""
    now = now or utcnow()
    _check_actor(session, by, cycle.user_id)
    if not _open(cycle):
        raise ComplianceError(_("Only training that is still to do can be extended."))
    reason = reason.strip()
    if not reason:
        raise ComplianceError(_("Say why the due date is extended."), "reason")
    if len(reason) > REASON_MAX:
        raise ComplianceError(_("Keep the reason to %(max)s characters.") % {"max": REASON_MAX}, "reason")
    old_due_at = cycle.due_at
    if new_due_at <= old_due_at:
        raise ComplianceError(
            _("The new due date must be after the current one, %(date)s.") % {"date": format_date(old_due_at, "long")}, "new_due_at"
        )
    if new_due_at <= now:
        raise ComplianceError(_("The new due date must be in the future."), "new_due_at")
    cycle.grace_until = cycle.grace_until + (new_due_at - old_due_at)
    cycle.due_at = new_due_at
    extension = Extension(
        cycle_id=known(cycle.id), old_due_at=old_due_at, new_due_at=new_due_at, reason=reason, granted_by_id=by.id, created_at=now
    )
    session.add(cycle)
    session.add(extension)
    session.flush()
    audit_record(
        session,
        action="requirement.extension_granted",
        actor=by,
        target_type="user",
        target_id=cycle.user_id,
        client_ip=client_ip,
        detail={
            "requirement_id": cycle.requirement_id,
            "cycle_id": cycle.id,
            "old_due_at": old_due_at,
            "new_due_at": new_due_at,
            "reason": reason,
        },
    )
    return extension


def reminder_send_now(
    session: Session,
    *,
    cycle: RequirementCycle,
    by: User,
    now: datetime | None = None,
    settings: Settings | None = None,
    client_ip: str | None = None,
) -> Outbox | None:
    """Queue a reminder to the person about their open cycle; None when one from the same minute is
    already queued (a double click sends one message)."""
    now = now or utcnow()
    _check_actor(session, by, cycle.user_id)
    if not _open(cycle):
        raise ComplianceError(_("There is nothing to remind about: this training is not open."))
    person = session.get(User, cycle.user_id)
    requirement = session.get(Requirement, cycle.requirement_id)
    assert person is not None and requirement is not None  # foreign keys
    if not person.is_active:
        raise ComplianceError(_("%(person)s has left; their account is inactive.") % {"person": person.name})
    overdue = now > cycle.due_at
    course_ids = list(session.exec(select(RequirementCourse.course_id).where(RequirementCourse.requirement_id == requirement.id)))
    # One qualifying course: straight to it. Several: My learning, where the person chooses.
    link = f"/courses/{course_ids[0]}" if len(course_ids) == 1 else "/learning"
    # Lazy: translated and dated in the person's language when queued, not in that of whoever sent it.
    due = lazy_date(cycle.due_at)
    if overdue:
        subject = lazy_gettext("Reminder: %(requirement)s was due on %(due)s", requirement=requirement.name, due=due)
        text = lazy_gettext(
            "%(sender)s asked us to remind you that your mandatory training %(requirement)s was due on %(due)s and is not done yet.",
            sender=by.name,
            requirement=requirement.name,
            due=due,
        )
    else:
        subject = lazy_gettext("Reminder: %(requirement)s is due by %(due)s", requirement=requirement.name, due=due)
        text = lazy_gettext(
            "%(sender)s asked us to remind you that your mandatory training %(requirement)s is due by %(due)s.",
            sender=by.name,
            requirement=requirement.name,
            due=due,
        )
    queued = notify(
        session,
        user=person,
        kind="overdue" if overdue else "due_soon",
        object_ref=f"cycle:{cycle.id}",
        period=f"manual-{now:%Y-%m-%dT%H:%M}",
        subject=subject,
        template="message",
        context={"text": text},
        link=link,
        now=now,
        settings=settings,
    )
    if queued is not None:
        audit_record(
            session,
            action="requirement.reminder_sent",
            actor=by,
            target_type="user",
            target_id=person.id,
            client_ip=client_ip,
            detail={"requirement_id": requirement.id, "cycle_id": cycle.id, "kind": queued.kind, "outbox_id": queued.id},
        )
    return queued
