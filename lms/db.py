"""Engine and session plumbing shared by the web app, the CLI and the tests."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, ExceptionContext, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, NullPool
from sqlmodel import Session, create_engine

from lms.data_versions import install as install_data_versions

# A PostgreSQL server that does not answer (a host gone, a firewall dropping packets) would otherwise
# hold a request for the operating system's TCP timeout, minutes; refused connections fail at once.
PG_CONNECT_TIMEOUT = 5


T = TypeVar("T")


def known(value: T | None) -> T:
    """A value the database guarantees but the model's type cannot: SQLModel types an id as
    ``int | None`` because it is None until the row is flushed. For a stored row's id (or a NOT
    NULL column read through such a field); raises if the guarantee is ever broken."""
    if value is None:
        raise ValueError("expected a stored value, found None (was the row flushed?)")
    return value


class DatabaseNotWritable(Exception):
    """The database (or the folder SQLite keeps its journal in) cannot be written."""


def make_engine(
    database_url: str,
    *,
    pool_size: int | None = None,
    pool_timeout: float | None = None,
    sqlite_synchronous: str = "NORMAL",
    probe: bool = False,
    data_versions: bool = True,
    **kwargs: Any,
) -> Engine:
    """An engine for the web app (pool_size set: a fixed pool, no overflow), the CLI, or a probe.

    A probe engine opens a fresh connection for every use, so a health check sees the database as
    a new request would, never a pooled connection opened before permissions or the server changed.
    Every engine but Alembic's bumps lms.data_versions with the writes it runs.
    """
    url = make_url(database_url)
    if probe:
        kwargs["poolclass"] = NullPool
    elif pool_size is not None:
        kwargs.update(pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout or 30)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        busy_ms = 2000 if probe else 30000
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_ms / 1000}, **kwargs)
        event.listen(engine, "connect", partial(_sqlite_pragmas, synchronous=sqlite_synchronous, busy_ms=busy_ms))
        event.listen(engine, "handle_error", _readonly_is_a_disconnect)
    else:
        connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT} if url.get_backend_name() == "postgresql" else {}
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    if data_versions:
        install_data_versions(engine)
    return engine


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry, *, synchronous: str, busy_ms: int) -> None:
    # WAL lets readers and one writer work at once; foreign keys are off by default in SQLite.
    # synchronous=NORMAL in WAL mode never corrupts the file; a power cut can lose the last commits
    # (FULL syncs the WAL on every commit instead; README "Power loss").
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cur.execute(f"PRAGMA synchronous={'FULL' if synchronous == 'FULL' else 'NORMAL'}")
    cur.close()


def _readonly_is_a_disconnect(context: ExceptionContext) -> None:
    # SQLite opens a file it may not write read-only, silently, and the connection stays that way.
    # Treating "readonly database" like a lost connection makes the pool drop its connections, so
    # once permissions are back the next request opens a writable one: recovery without a restart.
    if "readonly database" in str(context.original_exception):
        context.is_disconnect = True


def check_writable(engine: Engine) -> None:
    """Raise DatabaseNotWritable unless a write transaction can start; nothing is changed.

    Runs a no-op UPDATE and rolls it back: SQLite refuses it on a read-only file, PostgreSQL in a
    read-only transaction or on a standby.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).resolve().parent
        try:
            # SQLite creates its -wal and -shm files beside the database.
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise DatabaseNotWritable(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    with engine.connect() as conn:
        try:
            conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
        except Exception as exc:
            reason = (str(getattr(exc, "orig", exc)).splitlines() or [""])[0]
            if "database is locked" in reason:
                return  # another connection is writing: writes work, ours only had to wait
            raise DatabaseNotWritable(f"the database cannot be written: {reason}") from exc
        finally:
            conn.rollback()


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
