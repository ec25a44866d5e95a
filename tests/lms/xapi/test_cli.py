"""`lms xapi status` shows an operator what waits and why statements failed; `lms xapi retry` sends
the failed ones again, audited."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select
from typer.testing import CliRunner

from courses.learning.service import lesson_complete
from lms.audit.models import AuditEvent
from lms.cli import app
from lms.config import get_settings
from lms.xapi.models import StatementState, XapiStatement
from tests.courses.factories import lessons_of, make_course


def lms(settings, *args: str):
    get_settings.cache_clear()
    result = CliRunner().invoke(app, list(args), env={"DATABASE_URL": settings.database_url, "SECRET_KEY": settings.secret_key})
    get_settings.cache_clear()
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.output


def test_status_and_retry(db, make_user, xapi, settings):
    learner = make_user()
    course = make_course(db, "Backups")
    lesson_complete(db, user=learner, lesson=lessons_of(db, course)[0])
    db.commit()
    first = db.exec(select(XapiStatement).order_by(XapiStatement.id)).first()
    db.exec(
        update(XapiStatement)
        .where(XapiStatement.id == first.id)
        .values(state=StatementState.FAILED.value, attempts=1, last_error="HTTP 400: no actor")
    )
    db.commit()

    out = lms(settings, "xapi", "status")
    assert "2 waiting, 1 failed, 0 sent." in out
    assert f"failed {first.statement_id} experienced after 1 attempt(s): HTTP 400: no actor" in out

    assert "1 statement(s) queued again" in lms(settings, "xapi", "retry")
    db.expire_all()
    assert {row.state for row in db.exec(select(XapiStatement))} == {StatementState.PENDING.value}
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "xapi.retry")).one()
    assert event.actor_email == "lms xapi retry"
    assert "3 waiting, 0 failed, 0 sent." in lms(settings, "xapi", "status")
