"""`lms audit verify` checks the hash chain; `lms audit export` writes events as JSON lines for a SIEM."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import typer

from lms.cli._common import database, fail, require_schema
from lms.audit.verify import audit_export, audit_verify

app = typer.Typer(help="The audit log: check it has not been tampered with, export it.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Walk the whole chain; exit 1 and name the events if any was edited, deleted or inserted."""
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        report = audit_verify(session)
    if not report.ok:
        for problem in report.problems:
            typer.echo(problem, err=True)
        fail(f"the audit log has been tampered with ({len(report.problems)} problem(s) shown)")
    redacted = f", {report.redacted} redacted by erasure" if report.redacted else ""
    typer.echo(f"Audit log intact: {report.checked} events{redacted}; head {report.head_seq} {report.head_hash}.")


def _since(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw) if "T" in raw else datetime.combine(date.fromisoformat(raw), datetime.min.time())
    except ValueError:
        fail(f"--since takes a date or time such as 2026-11-01 or 2026-11-01T09:00:00Z, not {raw!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def export(
    since: str = typer.Option("", "--since", help="Only events at or after this date or time (UTC), e.g. 2026-11-01."),
    after_seq: int = typer.Option(0, "--after-seq", min=0, help="Only events after this chain position (for incremental pulls)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Write audit events, oldest first, as JSON lines (one object per line, with their chain hashes)."""
    start = _since(since)
    with database() as (settings, engine, session):
        require_schema(settings, engine)
        if output is None:
            count = audit_export(session, sys.stdout, since=start, after_seq=after_seq)
        else:
            with output.open("w", encoding="utf-8") as out:
                count = audit_export(session, out, since=start, after_seq=after_seq)
    if output is not None:
        typer.echo(f"{count} events written to {output}.")
