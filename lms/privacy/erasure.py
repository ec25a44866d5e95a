"""Erasure: a person's account is anonymised in place, so every figure built on it stays the same.

The row keeps its id and becomes "Former employee #N"; evidence, statuses, enrolments, attempts and
cycles stay attached to it, so reports and trends do not move. What identifies or describes the person
goes: name, e-mail, external id, password, sessions, single sign-on identities, invitations, mail,
exports, free text written about them. Features add their own steps (lms.hooks.personal_data_erasers),
and a last sweep replaces the name and e-mail wherever they remain in any text column (mail sent to
others about them, audit details). Records kept by law stay, and the plan says which rule keeps them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, Text, and_, delete, func, or_, update
from sqlmodel import Session, SQLModel, col, select

from lms.i18n import gettext
from lms.audit.models import AuditEvent
from lms.audit.service import audit_record, audit_redact_person
from lms.auth.models import Invitation, LoginThrottle, UserIdentity, UserSession
from lms.clock import utcnow
from lms.competences.models import CompetenceStatus, Evidence
from lms.config import Settings
from lms.hooks import ErasureLine, hooks
from lms.notifications.models import NotificationPreference, Outbox
from lms.people.models import RoleGrant, User
from lms.privacy.models import DataExport
from lms.privacy.service import PrivacyError, export_file_remove
from lms.scim.models import ScimGroupMember


class Action(StrEnum):
    REMOVED = "removed"
    CLEARED = "cleared"  # the record stays, its free text goes
    ANONYMOUS = "anonymous"  # kept for the statistics, attached to the anonymous row
    LAW = "law"  # kept because a law requires it; the line names the rule


ACTION_LABELS = {
    Action.REMOVED: "Removed",
    Action.CLEARED: "Kept, free text removed",
    Action.ANONYMOUS: "Kept without the name, for reports",
    Action.LAW: "Kept by law",
}


def anonymous_name(user_id: int) -> str:
    return f"Former employee #{user_id}"


def anonymous_email(user_id: int) -> str:
    # Unique and not deliverable (.invalid is reserved, RFC 2606), so the column's constraint holds.
    return f"erased-{user_id}@erased.invalid"


@dataclass(frozen=True)
class Step:
    """One kind of record that erasure touches: which rows, and what becomes of them."""

    what: str
    action: Action
    table: Any
    where: ColumnElement[bool]
    values: dict[str, Any] | None = None
    rule: str = ""


def cleared(what: str, table: Any, column: str, where: ColumnElement[bool]) -> Step:
    """The rows stay and their free text in ``column`` goes; only rows that hold some are counted."""
    return Step(what, Action.CLEARED, table, and_(where, getattr(table, column) != ""), {column: ""})


def steps_run(session: Session, apply: bool, steps: list[Step]) -> list[ErasureLine]:
    """Count the rows each step picks and, when applying, delete them (REMOVED) or set its values."""
    lines = []
    for one in steps:
        count = session.exec(select(func.count()).select_from(one.table).where(one.where)).one()
        if apply and count:
            if one.action is Action.REMOVED:
                session.exec(delete(one.table).where(one.where))
            elif one.values:
                session.exec(update(one.table).where(one.where).values(**one.values))
        lines.append(ErasureLine(one.what, one.action.value, count, one.rule))
    return lines


def _platform_steps(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    email = session.exec(select(User.email).where(User.id == user_id)).one()
    return steps_run(
        session,
        apply,
        [
            Step("Sessions", Action.REMOVED, UserSession, UserSession.user_id == user_id),
            Step("Single sign-on identities", Action.REMOVED, UserIdentity, UserIdentity.user_id == user_id),
            Step("Invitations", Action.REMOVED, Invitation, Invitation.user_id == user_id),
            Step("Failed sign-in counters", Action.REMOVED, LoginThrottle, LoginThrottle.account == email),
            Step("Roles", Action.REMOVED, RoleGrant, RoleGrant.user_id == user_id),
            Step("Directory groups", Action.REMOVED, ScimGroupMember, ScimGroupMember.user_id == user_id),
            Step("Notifications and e-mail", Action.REMOVED, Outbox, Outbox.user_id == user_id),
            Step("Notification choices", Action.REMOVED, NotificationPreference, NotificationPreference.user_id == user_id),
            # Notes on evidence about them: self-assessment notes and managers' rating comments.
            cleared("Comments on competence evidence about them", Evidence, "note", Evidence.user_id == user_id),
            Step("Competence evidence", Action.ANONYMOUS, Evidence, Evidence.user_id == user_id),
            Step("Competence levels", Action.ANONYMOUS, CompetenceStatus, CompetenceStatus.user_id == user_id),
            # Counted here, redacted by the audit log's own function (it alone may touch the log).
            Step(
                "Audit events by or about them (kept, their e-mail and name replaced)",
                Action.CLEARED,
                AuditEvent,
                or_(
                    col(AuditEvent.actor_id) == user_id,
                    and_(col(AuditEvent.target_type) == "user", col(AuditEvent.target_id) == str(user_id)),
                ),
            ),
        ],
    )


def erasure_steps(session: Session, user_id: int, apply: bool) -> list[ErasureLine]:
    lines = _platform_steps(session, user_id, apply)
    for eraser in hooks.personal_data_erasers:
        lines.extend(eraser(session, user_id, apply))
    return lines


def erasure_plan(session: Session, *, person: User) -> list[ErasureLine]:
    """What erasing `person` would do, counted, without doing it (the confirmation page shows it)."""
    assert person.id is not None
    exports = session.exec(select(func.count()).select_from(DataExport).where(DataExport.subject_id == person.id)).one()
    return [*erasure_steps(session, person.id, False), ErasureLine("Exports of their data", Action.REMOVED.value, exports)]


def _text_columns(table: Table) -> list[Any]:
    return [c for c in table.c if isinstance(c.type, String | Text | JSON) and not c.primary_key]


def _replace(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, replacement) for key, item in value.items()}
    return value


def traces_scrub(session: Session, *, needles: dict[str, str], skip: tuple[str, ...] = ("user_account",)) -> int:
    """Replace each needle (case-insensitively) with its replacement in every text column of every table.

    A scan, not a lookup: it finds the person in mail sent to others and in audit details, wherever a
    feature wrote their name. Only rows that contain a needle are read and rewritten.
    """
    wanted = {needle: replacement for needle, replacement in needles.items() if needle.strip()}
    patterns = [(re.compile(re.escape(needle), re.IGNORECASE), replacement) for needle, replacement in wanted.items()]
    # A JSON column may hold a name with its non-ASCII letters escaped (\u00e9), so look for both forms;
    # and SQLite's lower() leaves non-ASCII letters alone, so look for the form as written too.
    forms = {form for needle in wanted for form in (needle, json.dumps(needle)[1:-1])}
    changed = 0
    for table in SQLModel.metadata.sorted_tables:
        if table.name in skip or not table.primary_key.columns:
            continue
        key = list(table.primary_key.columns)
        for column in _text_columns(table):
            as_text = column.cast(Text) if isinstance(column.type, JSON) else column
            matches = session.exec(select(*key, column).where(_any(as_text, forms))).all()
            for row in matches:
                value = row[-1]
                for pattern, replacement in patterns:
                    value = _replace(value, pattern, replacement)
                session.exec(update(table).where(*[k == row[i] for i, k in enumerate(key)]).values({column.name: value}))
                changed += 1
    return changed


def _any(as_text: Any, forms: set[str]) -> ColumnElement[bool]:
    condition: ColumnElement[bool] | None = None
    for form in sorted(forms):
        clause = as_text.contains(form, autoescape=True) | func.lower(as_text).contains(form.lower(), autoescape=True)
        condition = clause if condition is None else condition | clause
    assert condition is not None
    return condition


def person_erase(
    session: Session,
    *,
    person: User,
    by: User,
    confirm: str,
    settings: Settings,
    client_ip: str | None = None,
    now: datetime | None = None,
) -> list[ErasureLine]:
    """Anonymise `person` for good. The caller commits; nothing here can be undone."""
    now = now or utcnow()
    assert person.id is not None
    if person.erased_at is not None:
        raise PrivacyError(gettext("This person's data has already been erased."))
    if person.id == by.id:
        raise PrivacyError(gettext("You cannot erase your own account. Ask another administrator."))
    if confirm.strip().lower() != person.email.lower():
        raise PrivacyError(gettext("Type the person's e-mail address exactly as shown to confirm."), "confirm")
    name, email = person.name, person.email
    needles = {name: anonymous_name(person.id), email: anonymous_email(person.id)}
    if person.external_id:
        needles[person.external_id] = ""
    exports = session.exec(select(DataExport).where(DataExport.subject_id == person.id)).all()
    lines = erasure_steps(session, person.id, True)
    for export in exports:
        export_file_remove(settings, export)
        session.delete(export)
    lines.append(ErasureLine("Exports of their data", Action.REMOVED.value, len(exports)))
    # Active stays as it was: an active person stays in the reports (anonymous, in their unit) until
    # they are deactivated, so erasing changes no figure. Through the entity, not a bulk UPDATE, so
    # whatever is derived from the name on flush (search columns) is derived again from the new one.
    person.name = anonymous_name(person.id)
    person.email = anonymous_email(person.id)
    person.password_hash = None
    person.external_id = None
    person.last_login_at = None
    person.language = None
    person.erased_at = now
    session.add(person)
    session.flush()
    audit_redact_person(session, user_id=person.id, email=email, name=name, replacements=needles)
    traces = traces_scrub(session, needles=needles, skip=("user_account", "audit_event"))
    # Counts and rules only: the event must not bring back what it records the removal of.
    audit_record(
        session,
        action="user.erase",
        actor=by,
        target_type="user",
        target_id=person.id,
        client_ip=client_ip,
        detail={
            "records": {line.what: f"{line.action}: {line.count}" for line in lines if line.count},
            "kept_by_law": sorted({line.rule for line in lines if line.action == Action.LAW.value and line.count}),
            "other_mentions_replaced": traces,
        },
    )
    return lines
