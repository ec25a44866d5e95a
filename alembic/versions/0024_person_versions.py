"""a data version per person, bumped by the writes that change what that person sees

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 17:05:00.000000

`person_version` holds one counter per person; triggers on the tables that hold a person's own data
bump it in the writing transaction, whoever writes (lms/data_versions.py explains why triggers).
Cached learner pages (lms/web/page_cache.py) are current while their person's counter and the
`content` data version stand still. Existing people start at no row, which reads as version 0.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (lms.data_versions.PERSON_TABLES may grow with later migrations): table -> (column, parent).
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

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION person_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_id integer;
    old_id integer;
BEGIN
    -- A worker job's long transaction (lms.data_versions.bulk_writes) moves the content version at
    -- commit instead, rather than holding many people's rows locked while it runs.
    IF current_setting('proficio.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- TG_ARGV[0]: the column naming the person; TG_ARGV[1], if any: the parent table whose id it is.
    IF TG_OP <> 'DELETE' THEN
        new_id := (to_jsonb(NEW) ->> TG_ARGV[0])::integer;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_id := (to_jsonb(OLD) ->> TG_ARGV[0])::integer;
    END IF;
    IF TG_NARGS > 1 THEN
        EXECUTE format('SELECT user_id FROM %I WHERE id = $1', TG_ARGV[1]) INTO new_id USING new_id;
        EXECUTE format('SELECT user_id FROM %I WHERE id = $1', TG_ARGV[1]) INTO old_id USING old_id;
    END IF;
    INSERT INTO person_version (user_id, version)
    SELECT DISTINCT person, 1 FROM unnest(ARRAY[new_id, old_id]) AS person WHERE person IS NOT NULL
    ORDER BY 1
    ON CONFLICT (user_id) DO UPDATE SET version = person_version.version + 1;
    RETURN NULL;
END
$$
"""


def _sqlite_person(row: str, column: str, parent: str | None) -> str:
    return f"(SELECT user_id FROM {parent} WHERE id = {row}.{column})" if parent else f"{row}.{column}"


def _sqlite_bump(person: str) -> str:
    # WHERE: a NULL key would make SQLite pick a new rowid; it also lets ON CONFLICT parse after a SELECT.
    return (
        f"INSERT INTO person_version (user_id, version) SELECT {person}, 1 WHERE {person} IS NOT NULL "
        "ON CONFLICT (user_id) DO UPDATE SET version = person_version.version + 1;"
    )


def upgrade() -> None:
    op.create_table(
        "person_version",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_person_version")),
    )
    op.bulk_insert(
        sa.table("data_version", sa.column("scope", sa.String), sa.column("version", sa.Integer)), [{"scope": "content", "version": 0}]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table, (column, parent) in PERSON_TABLES.items():
            args = f"'{column}'" + (f", '{parent}'" if parent else "")
            op.execute(
                f"CREATE TRIGGER person_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION person_version_bump({args})"
            )
        return
    for table, (column, parent) in PERSON_TABLES.items():
        new, old = _sqlite_person("NEW", column, parent), _sqlite_person("OLD", column, parent)
        op.execute(f"CREATE TRIGGER person_version_{table}_insert AFTER INSERT ON {table} BEGIN {_sqlite_bump(new)} END")
        op.execute(f"CREATE TRIGGER person_version_{table}_delete AFTER DELETE ON {table} BEGIN {_sqlite_bump(old)} END")
        # The old person too when a row moves to another (the same one is bumped once).
        moved = _sqlite_bump(old).replace("IS NOT NULL", f"IS NOT NULL AND {old} IS NOT {new}")
        op.execute(f"CREATE TRIGGER person_version_{table}_update AFTER UPDATE ON {table} BEGIN {_sqlite_bump(new)} {moved} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PERSON_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS person_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS person_version_bump()")
    else:
        for table in PERSON_TABLES:
            for when in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS person_version_{table}_{when}")
    op.execute("DELETE FROM data_version WHERE scope = 'content'")
    op.drop_table("person_version")
