"""`lms check`: is this installation ready to serve?"""

from __future__ import annotations

import typer
from sqlalchemy import text

from lms.cli._common import describe, safe_url, schema_problem
from lms.config import Settings, get_settings
from lms.db import make_engine


def _line(ok: bool, message: str) -> bool:
    typer.echo(f"{'ok' if ok else 'FAIL':<4}  {message}")
    return ok


def check() -> None:
    """Check configuration, database connectivity and migrations; exit code 0 when all are fine, 1 otherwise."""
    try:
        settings: Settings = get_settings()
    except Exception as exc:  # noqa: BLE001 - a bad setting is a finding, not a crash
        _line(False, f"configuration: {describe(exc)}")
        raise typer.Exit(1) from None
    _line(True, f"configuration ({settings.proficio_env})")
    url = safe_url(settings)
    engine = None
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        _line(True, f"database reachable: {url}")
        problem = schema_problem(settings, engine)
        ok = _line(problem is None, f"migrations: {problem}" if problem else "migrations at the latest revision")
    except Exception as exc:  # noqa: BLE001 - an unreachable database is a finding, not a crash
        ok = _line(False, f"database {url}: {describe(exc)}")
    finally:
        if engine is not None:
            engine.dispose()
    raise typer.Exit(0 if ok else 1)
