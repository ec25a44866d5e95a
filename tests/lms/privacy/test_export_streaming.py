"""A long history is exported in chunks: memory stays flat as the number of records grows."""

from __future__ import annotations

import json
import tracemalloc
import zipfile

from sqlalchemy import insert
from sqlmodel import Session

from lms.clock import utcnow
from lms.notifications.models import Outbox
from lms.privacy.export_writer import export_write
from lms.privacy.service import export_kinds


def add_notifications(db: Session, user_id: int, start: int, count: int) -> None:
    now = utcnow()
    body = "A reminder about something to do, long enough to weigh something in memory. " * 10
    rows = [
        {
            "user_id": user_id,
            "kind": "message",
            "delivery": "immediate",
            "state": "sent",
            "idempotency_key": f"bulk-{n}",
            "subject": f"Message {n}",
            "body_text": body,
            "created_at": now,
            "next_attempt_at": now,
        }
        for n in range(start, start + count)
    ]
    db.exec(insert(Outbox), params=rows)
    db.commit()


def peak_while_exporting(db: Session, user_id: int, target) -> int:
    tracemalloc.start()
    try:
        export_write(
            db, subject_id=user_id, subject_name="Pat", kinds=export_kinds(), target=target, org_name="Proficio", now=utcnow()
        )
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_history(db, make_user, tmp_path):
    person = make_user()
    add_notifications(db, person.id, 0, 500)
    peak_while_exporting(db, person.id, tmp_path / "warm.zip")  # statement caches, templates
    small = peak_while_exporting(db, person.id, tmp_path / "small.zip")
    add_notifications(db, person.id, 500, 3500)
    large = peak_while_exporting(db, person.id, tmp_path / "large.zip")

    with zipfile.ZipFile(tmp_path / "large.zip") as archive:
        assert len(json.loads(archive.read("notifications.json"))) == 4000
        assert "4000 records" in archive.read("summary.html").decode()
    # Eight times the records; the peak stays within the same order (the rows alone are ~3.5 MB).
    assert large < small * 2, f"peak {small} bytes for 500 records, {large} for 4,000"
