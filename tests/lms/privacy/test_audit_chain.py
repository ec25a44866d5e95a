"""The audit log is append-only in the database and hash-chained: `lms audit verify` notices an
edited, deleted or forged event, retention's purge and erasure's redaction keep it verifiable, and
`lms audit export` writes JSON lines for a SIEM. Both engines."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select
from typer.testing import CliRunner

from lms.audit.models import AuditEvent
from lms.audit.service import audit_purge_before, audit_record, audit_redact_person
from lms.audit.verify import audit_verify
from lms.cli import app as cli
from lms.config import get_settings

OLD = datetime(2019, 1, 1, tzinfo=UTC)


def lms(db_url: str, *args: str):
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(
            cli, list(args), env={"DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret-" + "x" * 32, "PROFICIO_ENV": "development"}
        )
    finally:
        get_settings.cache_clear()


def add(db, n: int, *, at: datetime | None = None, **fields) -> None:
    for i in range(n):
        db.add(AuditEvent(action=f"test.event{i}", at=at or datetime.now(UTC), **fields))
    db.commit()


def drop_guards(db) -> None:
    """What someone with the database owner's password could do: switch the protection off."""
    if db.get_bind().dialect.name == "postgresql":
        db.exec(text("DROP TRIGGER audit_event_append_only ON audit_event"))
    else:
        db.exec(text("DROP TRIGGER audit_event_no_update"))
        db.exec(text("DROP TRIGGER audit_event_no_delete"))
    db.commit()


def test_events_written_by_the_app_form_an_intact_chain(signed_in, db, db_url):
    browser, _ = signed_in("admin")
    browser.post("/admin/org-units", {"name": "Digital"})
    add(db, 3)
    events = db.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    result = lms(db_url, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"Audit log intact: {len(events)} events" in result.output


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"])
def test_the_database_refuses_to_change_the_log(db, statement):
    add(db, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        db.exec(text(statement))
    db.rollback()
    assert len(db.exec(select(AuditEvent)).all()) == 2


def test_verify_names_an_edited_event(db, db_url):
    add(db, 5, actor_email="clerk@example.gov")
    drop_guards(db)
    db.exec(text("UPDATE audit_event SET action = 'user.harmless' WHERE seq = 2"))
    db.exec(text("UPDATE audit_event SET actor_email = 'someone.else@example.gov' WHERE seq = 4"))
    db.commit()
    result = lms(db_url, "audit", "verify")
    assert result.exit_code == 1
    assert "event 2 was edited: its time, actor, action or target" in result.output
    assert "event 4 was edited: its e-mail, address or detail" in result.output
    assert "tampered" in result.output


def test_verify_notices_a_deleted_event_and_a_rebuilt_tail(db, db_url):
    add(db, 5)
    drop_guards(db)
    db.exec(text("DELETE FROM audit_event WHERE seq = 3"))
    db.commit()
    report = audit_verify(db)
    assert report.problems == [
        "event 3 is missing (deleted) before event 4",
        "event 4 does not follow the event before it (its previous hash differs)",
    ]
    # Renumbering the rest to hide the gap breaks every hash after it.
    db.exec(text("UPDATE audit_event SET seq = seq - 1 WHERE seq > 3"))
    db.commit()
    assert not audit_verify(db).ok


def test_retention_purge_removes_a_prefix_and_the_chain_still_verifies(db, db_url):
    add(db, 4, at=OLD)
    add(db, 2)
    removed = audit_purge_before(db, cutoff=datetime.now(UTC) - timedelta(days=365), reason="test")
    db.commit()
    assert removed == 4
    left = db.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in left] == [5, 6, 7] and left[-1].action == "audit.purged"
    assert audit_verify(db).ok, audit_verify(db).problems
    # Idempotent: nothing more to remove, no new event.
    assert audit_purge_before(db, cutoff=datetime.now(UTC) - timedelta(days=365), reason="test") == 0
    db.commit()
    assert len(db.exec(select(AuditEvent)).all()) == 3
    # The gate closes with the transaction: the app still cannot delete.
    with pytest.raises(DBAPIError, match="append-only"):
        db.exec(text("DELETE FROM audit_event"))
    db.rollback()


def test_a_start_removed_without_a_purge_record_is_reported(db):
    add(db, 3)
    drop_guards(db)
    db.exec(text("DELETE FROM audit_event WHERE seq = 1"))
    db.commit()
    assert audit_verify(db).problems == ["event 1 is missing and no retention purge recorded removing them"]


def test_erasure_redaction_keeps_the_chain_and_removes_the_person(db, make_user):
    person = make_user(email="leaver@example.gov", name="Lea Vermeer")
    audit_record(db, action="user.create", actor=person, client_ip="10.0.0.9", target_type="user", target_id=person.id)
    audit_record(db, action="sso.refused", detail={"email": "Leaver@example.gov", "note": "Lea Vermeer tried"})
    audit_record(db, action="org_unit.create", detail={"name": "Digital"})
    db.commit()
    redacted = audit_redact_person(db, user_id=person.id, email=person.email, name=person.name)
    db.commit()
    assert redacted == 2
    dump = json.dumps([e.model_dump(mode="json") for e in db.exec(select(AuditEvent)).all()]).lower()
    assert "leaver@example.gov" not in dump and "lea vermeer" not in dump and "10.0.0.9" not in dump
    report = audit_verify(db)
    assert report.ok and report.redacted == 2
    # Outside erasure the same change is refused.
    with pytest.raises(DBAPIError, match="append-only"):
        db.exec(text("UPDATE audit_event SET actor_email = NULL, salt = NULL"))
    db.rollback()


def test_concurrent_writers_do_not_fork_the_chain(app, db):
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with Session(app.state.engine) as session:
                    # Each transaction reads something first, as a request would, then audits twice.
                    session.exec(select(AuditEvent.id).limit(1)).all()
                    audit_record(session, action=f"{name}.{i}.a")
                    session.flush()
                    audit_record(session, action=f"{name}.{i}.b")
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("left", "right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit_verify(db)
    assert report.ok, report.problems
    assert report.checked == 60 and report.head_seq == 60


def test_export_writes_json_lines_since_a_date(db, db_url, tmp_path):
    add(db, 2, at=OLD)
    add(db, 3, actor_email="clerk@example.gov")
    result = lms(db_url, "audit", "export", "--since", "2026-01-01", "--output", str(tmp_path / "audit.jsonl"))
    assert result.exit_code == 0, result.output
    assert "3 events written" in result.output
    lines = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [line["seq"] for line in lines] == [3, 4, 5]
    assert lines[0]["actor_email"] == "clerk@example.gov" and lines[1]["prev_hash"] == lines[0]["hash"]
    stdout = lms(db_url, "audit", "export", "--after-seq", "4")
    assert [json.loads(line)["seq"] for line in stdout.stdout.splitlines()] == [5]
    assert lms(db_url, "audit", "export", "--since", "yesterday").exit_code == 1


def test_a_rolled_back_savepoint_leaves_no_hole_in_the_chain(db):
    audit_record(db, action="outer.before")
    db.flush()
    with pytest.raises(RuntimeError):
        with db.begin_nested():
            audit_record(db, action="inner.rolled_back")
            db.flush()
            raise RuntimeError("undo the savepoint")
    audit_record(db, action="outer.after")
    db.commit()
    events = db.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.seq, e.action) for e in events] == [(1, "outer.before"), (2, "outer.after")]
    assert audit_verify(db).ok


def test_a_purge_of_everything_keeps_the_newest_event_as_the_head(db):
    add(db, 3, at=OLD)
    assert audit_purge_before(db, cutoff=datetime.now(UTC), reason="test") == 2
    db.commit()
    assert [e.seq for e in db.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()] == [3, 4]
    assert audit_verify(db).ok


def test_only_the_two_documented_gates_exist(db):
    from lms.audit.chain import audit_gate

    with pytest.raises(ValueError, match="no such audit gate"):
        with audit_gate(db, "update"):
            pass


def test_export_keeps_a_detail_that_is_not_json_as_text(db):
    import io

    from lms.audit.verify import audit_export

    add(db, 1, detail="written by hand")
    out = io.StringIO()
    assert audit_export(db, out) == 1
    assert json.loads(out.getvalue())["detail"] == "written by hand"
