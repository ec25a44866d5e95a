"""retention runs, hash-chained audit log and records of who viewed whom

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:15:00.000000

The audit log becomes a hash chain (seq, prev_hash, hash, salt, content_digest; existing events are
chained in id order here) and append-only in the database: triggers refuse UPDATE and DELETE unless
the transaction opened the gate for retention's purge or erasure's redaction (lms/audit/chain.py).
record_view and record_view_subject hold who viewed whose personal data (docs/privacy.md).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHAINED = ('id', 'seq', 'at', 'actor_id', 'action', 'target_type', 'target_id', 'prev_hash', 'hash', 'content_digest')

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lms.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('lms.audit_redact', true) = 'on' AND NEW.salt IS NULL
       AND (NEW.id, NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id,
            NEW.prev_hash, NEW.hash, NEW.content_digest)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.seq, OLD.at, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id,
            OLD.prev_hash, OLD.hash, OLD.content_digest) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused (erasure redacts through lms.audit.service.audit_redact_person)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$
"""


def _sqlite_triggers() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CHAINED)
    return [
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_guard WHERE allow = 'purge') "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END",
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN NOT EXISTS (SELECT 1 FROM audit_guard WHERE allow = 'redact') OR NEW.salt IS NOT NULL OR {changed} "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused (erasure redacts through lms.audit.service.audit_redact_person)'); END",
    ]


def _chain_existing_events() -> None:
    # The hashing is the application's (lms.audit.chain), so old and new events verify alike.
    from lms.audit.chain import GENESIS, content_digest, event_hash
    import secrets

    bind = op.get_bind()
    table = sa.table(
        'audit_event', *(sa.column(c) for c in ('id', 'actor_id', 'actor_email', 'action', 'target_type', 'target_id', 'client_ip', 'detail')),
        sa.column('at', sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column('seq'), sa.column('prev_hash'), sa.column('hash'), sa.column('salt'), sa.column('content_digest'),
    )
    prev, seq = GENESIS, 0
    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    for row in rows:
        seq += 1
        salt = secrets.token_hex(16)
        digest = content_digest(salt, row['actor_email'], row['client_ip'], row['detail'] or "")
        own = event_hash(seq=seq, at=row['at'], actor_id=row['actor_id'], action=row['action'], target_type=row['target_type'],
                         target_id=row['target_id'], content_digest=digest, prev_hash=prev)
        bind.execute(table.update().where(table.c.id == row['id']).values(seq=seq, prev_hash=prev, hash=own, salt=salt, content_digest=digest))
        prev = own


def upgrade() -> None:
    op.create_table('audit_guard',
    sa.Column('allow', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('allow', name=op.f('pk_audit_guard'))
    )
    op.create_table('record_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=True),
    sa.Column('viewer_label', sa.String(length=320), nullable=False),
    sa.Column('what', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_view'))
    )
    with op.batch_alter_table('record_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_view_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_view_viewer_id'), ['viewer_id'], unique=False)
    op.create_table('record_view_subject',
    sa.Column('view_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['view_id'], ['record_view.id'], name=op.f('fk_record_view_subject_view_id_record_view'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('view_id', 'user_id', name=op.f('pk_record_view_subject'))
    )
    with op.batch_alter_table('record_view_subject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_view_subject_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('content_digest', sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('content_digest', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute('CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event '
                   'FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()')
        op.execute('CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()')
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_event_no_truncate ON audit_event')
        op.execute('DROP TRIGGER audit_event_append_only ON audit_event')
        op.execute('DROP FUNCTION audit_event_append_only()')
    else:
        op.execute('DROP TRIGGER audit_event_no_update')
        op.execute('DROP TRIGGER audit_event_no_delete')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_column('content_digest')
        batch_op.drop_column('salt')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    with op.batch_alter_table('record_view_subject', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_view_subject_user_id'))
    op.drop_table('record_view_subject')
    with op.batch_alter_table('record_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_view_viewer_id'))
        batch_op.drop_index(batch_op.f('ix_record_view_at'))
    op.drop_table('record_view')
    op.drop_table('audit_guard')
