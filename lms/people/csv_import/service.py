"""The import itself: checks against the database, then the writes. The caller commits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, delete, select

from lms.audit.service import audit_record
from lms.competences.models import JobProfile
from lms.data_versions import bulk_writes
from lms.db import known
from lms.hooks import users_changed
from lms.i18n import gettext
from lms.people.csv_import.parse import Row, parse
from lms.people.csv_import.result import ImportLineError, ImportResult
from lms.people.csv_import.units import UnitResolver
from lms.people.models import Role, RoleGrant, User, UserOrigin
from lms.people.service import users_set_active

_CHUNK = 1000  # stays far below SQLite's and PostgreSQL's bound-parameter limits

T = TypeVar("T")


def users_import(
    session: Session,
    *,
    data: bytes | str,
    by: User | None,
    client_ip: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check the whole file, then create or update its users (unless ``dry_run``); never commits.

    A rejected file (``ok`` False) lists every bad line and leaves the database untouched.
    """
    rows, errors = parse(data)
    if rows is None:
        return ImportResult(ok=False, errors=errors, dry_run=dry_run)

    # Bad lines are checked too, so the file's every problem is reported at once.
    existing = _users_by_email(session, [r.email for r in rows if not r.bad])
    all_users = session.exec(select(User.id, User.email, User.manager_id)).all()
    email_of = {uid: email for uid, email, _ in all_users}
    db_manager_of = {email: email_of.get(manager_id) for _, email, manager_id in all_users}
    errors += _check_managers(rows, db_manager_of)
    errors += _check_own_admin(session, rows, by)
    errors += _check_own_account(rows, by)
    profile_ids, profile_errors = _profile_ids(session, rows)
    errors += profile_errors
    if errors:
        # By line; within a line, in the order of its columns (a stable sort keeps parse's order first).
        return ImportResult(ok=False, errors=sorted(errors, key=lambda e: e.line), dry_run=dry_run)
    # No error means no bad line: everything below imports only valid rows.

    units = UnitResolver(session)
    grants = _grants_of(session, [known(u.id) for u in existing.values()])
    result = ImportResult(ok=True, dry_run=dry_run)
    for row in rows:
        user = existing.get(row.email)
        if user is None:
            result.created += 1
            continue
        same = (
            user.name == row.name
            and user.org_unit_id == units.resolve(row.unit_path)
            and email_of.get(user.manager_id) == row.manager_email
            and grants.get(user.id, set()) == row.roles
            and (row.job_profile is None or user.job_profile_id == profile_ids[row.line])
        )
        if row.active is not None and row.active != user.is_active:
            same = False
            if row.active:
                result.reactivated += 1
            else:
                result.deactivated += 1
        if same:
            result.unchanged += 1
        else:
            result.updated += 1
    result.units_created = units.missing_count(r.unit_path for r in rows)
    if dry_run:
        return result

    if len(rows) > 1:
        bulk_writes(session)  # lock no one's version row while the file is written (as assign() says why)
    _apply(session, rows, existing, grants, units, by=by, client_ip=client_ip)
    _apply_profiles(session, rows, existing, profile_ids, by=by, client_ip=client_ip)
    # Through the people service, so a leaver's sessions end in this transaction, as from the admin page.
    for active in (False, True):
        users = [existing[r.email] for r in rows if r.active is active]
        users_set_active(session, users=users, active=active, by=by, client_ip=client_ip)
    session.flush()
    users_changed(session, [known(existing[r.email].id) for r in rows if r.email in existing])
    audit_record(
        session,
        action="users.import",
        actor=by,
        client_ip=client_ip,
        target_type="user",
        detail={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "units_created": result.units_created,
            "deactivated": result.deactivated,
            "reactivated": result.reactivated,
        },
    )
    session.flush()
    return result


def _apply(
    session: Session,
    rows: list[Row],
    existing: dict[str, User],
    grants: dict[int, set[str]],
    units: UnitResolver,
    *,
    by: User | None,
    client_ip: str | None,
) -> None:
    for row in rows:
        unit_id = units.resolve_or_create(row.unit_path)
        user = existing.get(row.email)
        if user is None:
            user = User(
                email=row.email,
                name=row.name,
                org_unit_id=unit_id,
                password_hash=None,
                created_via=UserOrigin.IMPORT.value,
                # A leaver listed before they ever had an account gets one that cannot sign in.
                is_active=row.active is not False,
            )
        else:
            user.name, user.org_unit_id = row.name, unit_id
        session.add(user)
        existing[row.email] = user
    session.flush()
    # Managers are linked after every user has an id, so a line may name a manager on a later line.
    manager_emails = {r.manager_email for r in rows if r.manager_email}
    ids = {email: u.id for email, u in existing.items()}
    ids.update(_ids_by_email(session, manager_emails - ids.keys()))
    for row in rows:
        user = existing[row.email]
        user.manager_id = ids[row.manager_email] if row.manager_email else None
        session.add(user)
        current = grants.get(user.id, set())
        for role in sorted(row.roles - current):
            session.add(RoleGrant(user_id=user.id, role=role))
        for role in sorted(current - row.roles):
            session.exec(delete(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == role))
        for action, changed in (("role.grant", row.roles - current), ("role.revoke", current - row.roles)):
            for role in sorted(changed):
                audit_record(
                    session,
                    action=action,
                    actor=by,
                    target_type="user",
                    target_id=user.id,
                    client_ip=client_ip,
                    detail={"role": role, "via": "import"},
                )


def _profile_ids(session: Session, rows: list[Row]) -> tuple[dict[int, int | None], list[ImportLineError]]:
    """Line -> job profile id (None: clear it) for lines with a job_profile; names match ignoring case."""
    named = {r.job_profile.lower() for r in rows if r.job_profile}
    by_name = {}
    for chunk in _chunks(sorted(named)):
        by_name.update(
            {
                name.lower(): pid
                for pid, name in session.exec(select(JobProfile.id, JobProfile.name).where(func.lower(JobProfile.name).in_(chunk)))
            }
        )
    ids: dict[int, int | None] = {}
    errors = []
    for row in rows:
        if row.job_profile is None:
            continue
        if row.job_profile and row.job_profile.lower() not in by_name:
            errors.append(
                ImportLineError(
                    row.line,
                    gettext("Unknown job profile '%(profile)s'. Create it under Job profiles first, or leave the column empty.")
                    % {"profile": row.job_profile},
                )
            )
            continue
        ids[row.line] = by_name[row.job_profile.lower()] if row.job_profile else None
    return ids, errors


def _apply_profiles(
    session: Session,
    rows: list[Row],
    existing: dict[str, User],
    profile_ids: dict[int, int | None],
    *,
    by: User | None,
    client_ip: str | None,
) -> None:
    for row in rows:
        user = existing[row.email]
        if row.job_profile is None or user.job_profile_id == profile_ids[row.line]:
            continue
        user.job_profile_id = profile_ids[row.line]
        session.add(user)
        audit_record(
            session,
            action="user.job_profile",
            actor=by,
            target_type="user",
            target_id=user.id,
            client_ip=client_ip,
            detail={"to": row.job_profile or None, "via": "import"},
        )


def _check_managers(rows: list[Row], db_manager_of: dict[str, str | None]) -> list[ImportLineError]:
    """Unknown managers, and cycles in the line management that file and database would form together."""
    errors = []
    in_file: dict[str, Row] = {}
    for row in rows:
        if row.email:
            in_file.setdefault(row.email, row)  # a duplicate line is reported as such already
    for row in rows:
        if row.manager_email and row.manager_email not in in_file and row.manager_email not in db_manager_of:
            errors.append(
                ImportLineError(
                    row.line,
                    gettext("Unknown manager %(email)s: not in this file and not an existing user.") % {"email": row.manager_email},
                )
            )
    manager_of = dict(db_manager_of)
    manager_of.update({email: r.manager_email for email, r in in_file.items()})
    settled: set[str] = set()
    for start in in_file:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in settled and node not in position:
            position[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        settled.update(path)
        if node is None or node not in position:
            continue
        cycle = path[position[node] :]
        if len(cycle) == 1:
            errors.append(ImportLineError(in_file[node].line, gettext("A person cannot be their own manager.")))
            continue
        chain = " → ".join(cycle + [cycle[0]])
        for email in cycle:
            if email in in_file:
                errors.append(
                    ImportLineError(in_file[email].line, gettext("Line management would form a cycle: %(chain)s.") % {"chain": chain})
                )
    return errors


def _check_own_admin(session: Session, rows: list[Row], by: User | None) -> list[ImportLineError]:
    if by is None or by.id is None:
        return []
    for row in rows:
        if row.email == by.email and Role.ADMIN.value not in row.roles:
            held = session.exec(select(RoleGrant).where(RoleGrant.user_id == by.id, RoleGrant.role == Role.ADMIN.value)).first()
            if held is not None:
                return [ImportLineError(row.line, gettext("This line removes your own admin role; ask another admin."))]
    return []


def _check_own_account(rows: list[Row], by: User | None) -> list[ImportLineError]:
    if by is None:
        return []
    return [
        ImportLineError(r.line, gettext("This line deactivates your own account; ask another admin."))
        for r in rows
        if r.email == by.email and r.active is False
    ]


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _users_by_email(session: Session, emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for chunk in _chunks(emails):
        found.update({u.email: u for u in session.exec(select(User).where(User.email.in_(chunk))).all()})
    return found


def _ids_by_email(session: Session, emails: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(emails)):
        found.update(dict(session.exec(select(User.email, User.id).where(User.email.in_(chunk))).all()))
    return found


def _grants_of(session: Session, user_ids: list[int]) -> dict[int, set[str]]:
    grants: dict[int, set[str]] = {}
    for chunk in _chunks(user_ids):
        for uid, role in session.exec(select(RoleGrant.user_id, RoleGrant.role).where(RoleGrant.user_id.in_(chunk))):
            grants.setdefault(uid, set()).add(role)
    return grants
