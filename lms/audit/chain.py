"""The audit log's hash chain: every event is sealed with its place, the previous hash and its own.

Sealing happens when the session flushes new events (a before_flush listener on every Session), so
events added by audit_record, by tests or by any other code are chained alike.

Two writers must not both append after the same head (a fork). On PostgreSQL the flush first takes
a transaction-level advisory lock (pg_advisory_xact_lock), held until that transaction commits or
rolls back, then reads the head: a second writer waits for the first to commit and then sees its
events (READ COMMITTED gives each statement a fresh snapshot). On SQLite the flush starts the
transaction with BEGIN IMMEDIATE unless it already holds the write lock, so the head it reads is the
one it appends to. Behind both, seq is UNIQUE: a writer that somehow read a stale head fails its
INSERT instead of forking the chain. The cost: on PostgreSQL, transactions that write audit events
queue on that lock from their first audit event until they commit.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession, UOWTransaction

from lms.audit.models import AuditEvent, AuditGuard

GENESIS = "0" * 64
# pg_advisory_xact_lock key for appending to the chain: any constant unique to this purpose.
CHAIN_LOCK = 0x4C4D5341  # "LMSA"
_HEAD = "audit_chain_head"


def _at(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_digest(salt: str, actor_email: str | None, client_ip: str | None, detail: str) -> str:
    body = json.dumps([salt, actor_email, client_ip, detail], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str | None,
    target_id: str | None,
    content_digest: str,
    prev_hash: str,
) -> str:
    body = json.dumps([seq, _at(at), actor_id, action, target_type, target_id, content_digest, prev_hash], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def seal(ev: AuditEvent, *, seq: int, prev_hash: str) -> None:
    """Give an unsaved event its place in the chain (also used by migration 0014 for older rows)."""
    ev.seq = seq
    ev.prev_hash = prev_hash
    ev.salt = secrets.token_hex(16)
    ev.content_digest = content_digest(ev.salt, ev.actor_email, ev.client_ip, ev.detail or "")
    ev.hash = event_hash(
        seq=seq,
        at=ev.at,
        actor_id=ev.actor_id,
        action=ev.action,
        target_type=ev.target_type,
        target_id=ev.target_id,
        content_digest=ev.content_digest,
        prev_hash=prev_hash,
    )


def lock_chain(session: OrmSession) -> None:
    """Hold the chain for this transaction: nobody else appends until it ends."""
    _take_chain_lock(session.connection())


def _take_chain_lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    elif conn.dialect.name == "sqlite":
        raw: Any = conn.connection.dbapi_connection
        # pysqlite begins a transaction only at the first write; until then a SELECT reads whatever
        # was last committed and another connection may append before we do.
        if not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")


def chain_head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


@event.listens_for(OrmSession, "before_flush")
def _seal_new_events(session: OrmSession, _flush: UOWTransaction, _instances: object) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent) and not obj.hash]
    if not new:
        return
    new.sort(key=lambda obj: inspect(obj).insert_order)
    # Once this transaction holds the chain, nobody else appends until it ends, so the head it last
    # wrote is still the head: later flushes (an import auditing person by person) skip the lock and
    # the read. Keyed by the innermost transaction, so a rolled-back savepoint never leaves a stale head.
    scope = session.get_nested_transaction() or session.get_transaction()
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is scope:
        seq, prev = cached[1], cached[2]
    else:
        conn = session.connection()
        _take_chain_lock(conn)
        seq, prev = chain_head(conn)
    for ev in new:
        seq += 1
        seal(ev, seq=seq, prev_hash=prev)
        prev = ev.hash
    session.info[_HEAD] = (scope, seq, prev)


@contextmanager
def audit_gate(session: OrmSession, allow: str) -> Iterator[None]:
    """Open the database's gate for one permitted change to audit_event: "purge" (retention deletes
    the oldest events) or "redact" (erasure blanks a person's personal fields). Within the caller's
    transaction only: PostgreSQL's setting is transaction-local; SQLite's guard row is removed again."""
    if allow not in ("purge", "redact"):
        raise ValueError(f"no such audit gate: {allow}")
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config(:name, 'on', true)"), {"name": f"lms.audit_{allow}"})
        try:
            yield
        finally:
            conn.execute(text("SELECT set_config(:name, 'off', true)"), {"name": f"lms.audit_{allow}"})
        return
    session.add(AuditGuard(allow=allow))
    session.flush()
    try:
        yield
    finally:
        conn.execute(AuditGuard.__table__.delete().where(AuditGuard.__table__.c.allow == allow))
