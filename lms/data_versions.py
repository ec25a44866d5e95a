"""Data versions: a counter per scope, bumped in the same transaction as any write that changes its data.

A cache of figures computed from many rows (an organisation report at 100,000 people) keeps the version
it was computed at and is current while the version is. Writes are noticed below the ORM, on every
INSERT, UPDATE or DELETE the database runs on a watched table, so writes through the ORM, Core
statements, bulk imports, the worker and raw SQL all count; the counter moves inside the same
transaction just before it commits, and a rolled-back transaction moves nothing. Readers see the new
version exactly when they see the data it stands for.

Per person (``person_version``), the counters move by database triggers instead (migration 0024):
which person a write concerns is in its rows, not in its SQL text, and a statement hook reading
parameters would miss ``UPDATE ... WHERE course_id = ?`` (many people), child rows that name only
their parent (a response names its attempt), cascades and executemany batches. A trigger sees each
row, in the writing transaction, whoever writes. The cost is one small upsert per changed row; on
PostgreSQL a bump keeps its row locked until commit, so two transactions that bump the same people in
opposite orders can deadlock (the server aborts one with an error), which needs two multi-person writes
in requests (imports, rule assignments) over the same people at once; most transactions write one
person's rows, and worker jobs, which may write many people's for minutes, lock none (`bulk_writes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Integer, String, event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, Session, SQLModel


class PersonVersion(SQLModel, table=True):
    """A counter per person, bumped by database triggers on the tables that hold their own data.

    Triggers rather than the statement hook below: a write names its person in a row, not in the
    statement (a sweep's ``UPDATE requirement_cycle ... WHERE requirement_id = ?`` touches many people,
    a response row names only its attempt), and only the database sees every row a statement changes,
    whoever runs it (ORM, Core, bulk, worker, raw SQL, cascades). Migration 0024 creates the triggers
    on the tables in PERSON_TABLES; a person without a row is at version 0.
    """

    __tablename__ = "person_version"

    user_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    version: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


# table -> (the column naming the person whose data a row is, or the row's parent holding user_id).
# Frozen into migration 0024's triggers: a new per-person table needs a migration adding its trigger
# (tests/lms/web/test_page_cache_schema.py fails on a user-id column that neither bumps nor is listed
# as not shown on any cached page).
PERSON_TABLES: dict[str, tuple[str, str | None]] = {
    "user_account": ("id", None),
    "role_grant": ("user_id", None),
    "enrolment": ("user_id", None),
    "assignment": ("enrolment_id", "enrolment"),
    "lesson_progress": ("user_id", None),
    "course_feedback": ("user_id", None),
    "course_editor": ("user_id", None),
    "attempt": ("user_id", None),
    "attempt_response": ("attempt_id", "attempt"),
    "evidence": ("user_id", None),
    "competence_status": ("user_id", None),
    "outbox": ("user_id", None),
    "notification_preference": ("user_id", None),
    "requirement_cycle": ("user_id", None),
    "requirement_exemption": ("user_id", None),
    "certificate": ("user_id", None),
    "badge_credential": ("user_id", None),
    "scorm_runtime": ("user_id", None),
}

# Tables no cached page shows: sessions (touched once a minute), logs, queues, throttles, tokens,
# snapshots and published figures. Writes to them move neither a person's version nor "content".
UNSHOWN_TABLES = frozenset(
    {
        "user_session",
        "audit_event",
        "audit_guard",
        "job",
        "login_throttle",
        "api_token",
        "xapi_statement",
        "data_export",
        "record_view",
        "record_view_subject",
        "invitation",
        "user_identity",
        "scim_group",
        "scim_group_member",
        "report_snapshot",
        "report_snapshot_cell",
        "compliance_snapshot_cell",
        "report_figure_set",
        "report_figure_row",
        "data_version",
        "person_version",
        "badge_key",
    }
)


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    scope: str = Field(sa_column=Column(String(32), primary_key=True))
    version: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


# table -> [(scope, columns that matter or None for any)]. Here rather than in each feature, so every
# process that writes (the web app, the worker, the CLI) bumps whether or not it imported the reader.
# Child rows that the database deletes by cascade produce no statement: their parent is watched instead.
_WATCHED: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
# scope -> tables whose writes do not bump it; every other table's do (watch_all_except).
_CATCH_ALL: dict[str, frozenset[str]] = {}
REPORT_INPUTS: dict[str, Iterable[str] | None] = {
    # manager_id and name: a manager's home figures over their reporting line are published too.
    "user_account": ("is_active", "org_unit_id", "job_profile_id", "manager_id", "name"),
    "org_unit": None,
    "job_profile": None,
    "job_profile_requirement": None,
    "competence_status": None,
    "competence": None,
    "competence_area": None,
    "framework": None,
    "proficiency_level": None,
    "report_snapshot": None,
    "report_snapshot_cell": None,
}
_DML = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_SET = re.compile(r"\bSET\s+(.*?)\s+(?:WHERE|RETURNING|FROM)\b|\bSET\s+(.*)$", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(r'"?(\w+)"?\s*=')
_BUMP = "UPDATE data_version SET version = version + 1 WHERE scope = "


def watch(scope: str, tables: dict[str, Iterable[str] | None]) -> None:
    """Bump `scope` on writes to these tables; for a table given columns, only UPDATEs that set one of
    them count (a sign-in stamping last_login_at changes no report)."""
    if not re.fullmatch(r"[a-z_]{1,32}", scope):
        raise ValueError(f"scope must be lower-case letters and underscores: {scope!r}")  # it goes into SQL text
    for table, columns in tables.items():
        entry = (scope, None if columns is None else frozenset(columns))
        if entry not in _WATCHED.setdefault(table, []):
            _WATCHED[table].append(entry)


def watch_all_except(scope: str, excluded: Iterable[str]) -> None:
    """Bump `scope` on writes to every table but these: for a cache whose pages read many tables,
    where forgetting one in a list would serve stale pages, while forgetting one here only evicts more."""
    watch(scope, {})  # the same check of the name
    _CATCH_ALL[scope] = frozenset(excluded)


def scopes_written(statement: str) -> set[str]:
    """The scopes a statement's write touches, from its SQL text (none for a read)."""
    match = _DML.match(statement)
    if match is None:
        return set()
    table = match.group(1).lower()
    found = {scope for scope, excluded in _CATCH_ALL.items() if table not in excluded}
    watchers = _WATCHED.get(table)
    if not watchers:
        return found
    if statement.lstrip()[:6].upper() != "UPDATE" or all(cols is None for _, cols in watchers):
        return found | {scope for scope, _ in watchers}
    clause = _SET.search(statement)
    assigned = {name.lower() for name in _ASSIGNED.findall(clause.group(1) or clause.group(2))} if clause else set()
    return found | {scope for scope, cols in watchers if cols is None or not assigned or cols & assigned}


_PENDING = "data_versions_pending"
_BULK = "data_versions_bulk"
BULK_SETTING = "proficio.bulk_write"  # read by migration 0024's PostgreSQL trigger function


def bulk_writes(session: Session) -> None:
    """For the rest of this transaction, writes to people's own rows move the ``content`` version at
    commit instead of each person's version (PostgreSQL; elsewhere nothing changes).

    A trigger's bump keeps that person's version row locked until the transaction ends. A worker job
    that writes many people's rows for minutes (the first mandatory-training sweep after a requirement
    for everyone, or closing expired attempts) would hold all of those rows that long, and every one
    of those people's own writes meanwhile (an autosave, a lesson opened) would wait for it. Moving
    ``content`` instead makes every kept page miss once, which a job that rare can afford. SQLite
    lets one transaction write at a time anyway, so there the triggers carry on.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL {BULK_SETTING} = 'on'")
        connection.info[_BULK] = True


def _after_execute(conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
    if (_WATCHED or _CATCH_ALL) and (scopes := scopes_written(statement)):
        conn.info.setdefault(_PENDING, set()).update(scopes)
    if conn.info.get(_BULK) and (match := _DML.match(statement)) and match.group(1).lower() in PERSON_TABLES:
        conn.info.setdefault(_PENDING, set()).add("content")


def _before_commit(conn: Connection) -> None:
    """Bump at commit, not at the write: on PostgreSQL the counter's row stays locked only while the
    transaction commits, so writers to the same scope do not queue behind each other's whole work."""
    conn.info.pop(_BULK, None)  # SET LOCAL ends with the transaction too
    scopes = conn.info.pop(_PENDING, None)
    if not scopes:
        return
    # A DBAPI cursor of its own, in the committing transaction (no events, so no recursion).
    bump = conn.connection.dbapi_connection.cursor()
    try:
        for scope in sorted(scopes):  # one order everywhere, so two committers never wait on each other crosswise
            bump.execute(_BUMP + f"'{scope}'")
    finally:
        bump.close()


def _after_rollback(conn: Connection) -> None:
    # A connection the pool invalidated (a lost server, a read-only file) has no info left to clear,
    # and asking for it would try to reconnect in the middle of the rollback.
    if not conn.invalidated:
        conn.info.pop(_PENDING, None)
        conn.info.pop(_BULK, None)


def install(engine: Engine) -> None:
    """Every write on this engine bumps the versions it touches (the app's, the CLI's and the worker's
    engines; not Alembic's, which writes before the table exists)."""
    for name, listener in (("after_cursor_execute", _after_execute), ("commit", _before_commit), ("rollback", _after_rollback)):
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)


def current(session: Session, scope: str) -> int | None:
    """The scope's version as this transaction sees it; None where the table has no row for it."""
    return session.execute(text("SELECT version FROM data_version WHERE scope = :scope"), {"scope": scope}).scalar()


# Mandatory-training reports (courses/compliance): who is in scope, their cycles, and whether they started.
COMPLIANCE_INPUTS: dict[str, Iterable[str] | None] = {
    "user_account": ("is_active", "org_unit_id"),
    "org_unit": None,
    "requirement": None,
    "requirement_course": None,
    "requirement_audience": None,
    "requirement_cycle": None,
    "requirement_exemption": None,
    "requirement_extension": None,
    "enrolment": ("started_at", "course_id", "user_id"),
    "lesson_progress": ("first_viewed_at",),
    "compliance_snapshot_cell": None,
}

# A manager's home panels over their whole line (courses/line_home.py): who is in it, their courses'
# due dates and states, and their mandatory training.
MANAGER_LINE_INPUTS: dict[str, Iterable[str] | None] = {
    "user_account": ("is_active", "manager_id", "name"),
    "enrolment": ("status", "due_at", "user_id", "course_id", "completed_at"),
    "requirement": None,
    "requirement_course": None,
    "requirement_audience": None,
    "requirement_cycle": None,
    "requirement_exemption": None,
    "requirement_extension": None,
}

# Who is in whose reporting line: a manager's kept pages (lms/web/page_cache.py) sum the versions of
# the people in the line, which only says "nothing changed" while the line itself stands still. A
# person added, removed or moved to another manager moves this (their own version moves too, but a
# sum over a changed set of people could come back to the same total). Rare writes, so one counter.
LINE_INPUTS: dict[str, Iterable[str] | None] = {"user_account": ("manager_id",)}

watch("reports", REPORT_INPUTS)
watch("compliance", COMPLIANCE_INPUTS)
watch("manager_line", MANAGER_LINE_INPUTS)
watch("lines", LINE_INPUTS)

# Shared content a learner's cached page shows (lms/web/page_cache.py): courses, lessons, quizzes,
# competences, profiles, requirements, org units, translations... Everything but the per-person
# tables (their triggers bump the person instead) and the unshown ones. Ratings and co-editors are
# both: their owner's pages change, and others see averages and names. So are people's names (shown
# as assigners and trainers on others' pages).
CONTENT_SHARED_PERSON_TABLES = frozenset({"course_feedback", "course_editor"})
watch_all_except("content", UNSHOWN_TABLES | (set(PERSON_TABLES) - CONTENT_SHARED_PERSON_TABLES))
watch("content", {"user_account": ("name",)})
