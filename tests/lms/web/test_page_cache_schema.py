"""Per-person data versions (lms/data_versions.py, migration 0024): the database's triggers attribute
every write to the people whose rows it changes, whoever runs it, and no table holding a person's
data is forgotten."""

from __future__ import annotations

from sqlmodel import Session, text

from lms.app import load_features
from lms.data_versions import PERSON_TABLES, UNSHOWN_TABLES, bulk_writes
from lms.models import metadata
from tests.courses.factories import make_course

load_features()

# Tables with a user_id that are configuration, not a person's own data: they count as shared content.
SHARED_WITH_PERSON_COLUMN = {"requirement_audience"}
WHEN = "2026-12-01 10:00:00"
GRANT = text("INSERT INTO role_grant (user_id, role, granted_at) VALUES (:u, 'trainer', :t)")


def version(db: Session, user_id: int) -> int:
    found = db.execute(text("SELECT version FROM person_version WHERE user_id = :u"), {"u": user_id}).scalar()
    return found or 0


def test_every_table_naming_a_person_bumps_their_version_or_is_listed_as_unshown():
    named = {table.name for table in metadata.tables.values() if "user_id" in table.columns}
    assert named - set(PERSON_TABLES) - UNSHOWN_TABLES - SHARED_WITH_PERSON_COLUMN == set()
    assert set(PERSON_TABLES) <= set(metadata.tables)


def test_raw_bulk_and_many_row_writes_are_attributed_to_each_person_they_touch(db, make_user):
    ann, bob, cat = make_user(), make_user(), make_user()
    course = make_course(db)
    start = {u.id: version(db, u.id) for u in (ann, bob, cat)}
    # Raw SQL, several rows in one statement (executemany), as a bulk import or the worker writes.
    db.execute(
        text(
            "INSERT INTO enrolment (course_id, user_id, status, source, enrolled_at, progress_percent) "
            "VALUES (:c, :u, 'enrolled', 'self', :t, 0)"
        ),
        [{"c": course.id, "u": ann.id, "t": "2026-12-01 10:00:00"}, {"c": course.id, "u": bob.id, "t": "2026-12-01 10:00:00"}],
    )
    db.commit()
    after_insert = {u.id: version(db, u.id) for u in (ann, bob, cat)}
    assert after_insert[ann.id] > start[ann.id] and after_insert[bob.id] > start[bob.id]
    assert after_insert[cat.id] == start[cat.id]  # nobody else's page is evicted
    # One UPDATE that names no person, only a course: each learner in it still moves.
    db.execute(text("UPDATE enrolment SET status = 'in_progress' WHERE course_id = :c"), {"c": course.id})
    db.commit()
    after_update = {u.id: version(db, u.id) for u in (ann, bob, cat)}
    assert after_update[ann.id] > after_insert[ann.id] and after_update[bob.id] > after_insert[bob.id]
    assert after_update[cat.id] == start[cat.id]
    # A child row that names only its parent (an assignment names an enrolment).
    enrolment_id = db.execute(text("SELECT id FROM enrolment WHERE user_id = :u"), {"u": ann.id}).scalar()
    db.execute(
        text("INSERT INTO assignment (enrolment_id, message, assigned_at) VALUES (:e, '', :t)"),
        {"e": enrolment_id, "t": "2026-12-01 10:00:00"},
    )
    db.commit()
    assert version(db, ann.id) > after_update[ann.id] and version(db, bob.id) == after_update[bob.id]


def test_a_rolled_back_write_moves_nothing_and_a_role_change_moves_its_person(db, make_user):
    ann = make_user()
    before = version(db, ann.id)
    db.execute(
        text("INSERT INTO role_grant (user_id, role, granted_at) VALUES (:u, 'trainer', :t)"),
        {"u": ann.id, "t": "2026-12-01 10:00:00"},
    )
    db.rollback()
    assert version(db, ann.id) == before
    db.execute(
        text("INSERT INTO role_grant (user_id, role, granted_at) VALUES (:u, 'trainer', :t)"),
        {"u": ann.id, "t": "2026-12-01 10:00:00"},
    )
    db.commit()
    granted = version(db, ann.id)
    assert granted > before
    db.execute(text("DELETE FROM role_grant WHERE user_id = :u"), {"u": ann.id})
    db.commit()
    assert version(db, ann.id) > granted


def content_version(db: Session) -> int:
    return db.execute(text("SELECT version FROM data_version WHERE scope = 'content'")).scalar() or 0


def test_a_worker_jobs_long_write_locks_no_ones_version_and_still_invalidates_their_pages(db, make_user):
    """A job's transaction (lms.jobs.worker: bulk_writes) writing people's rows leaves their version rows
    unlocked, so their own writes meanwhile go through at once; its commit moves what kept pages are keyed
    on all the same (each person's version on SQLite, where the triggers carry on; `content` on PostgreSQL)."""
    ann = make_user()
    engine = db.get_bind()
    before_person, before_content = version(db, ann.id), content_version(db)
    db.commit()
    with Session(engine) as job, Session(engine) as learner:
        bulk_writes(job)
        job.execute(GRANT, {"u": ann.id, "t": WHEN})  # the job's write to Ann's own rows, not yet committed
        if engine.dialect.name == "postgresql":
            # Ann's own write while the job runs: it would wait for the job's commit if the job held
            # her version row; fail fast instead of hanging if it does.
            learner.execute(text("SET LOCAL lock_timeout = '2s'"))
            learner.execute(text("UPDATE user_account SET language = 'fr' WHERE id = :u"), {"u": ann.id})
            learner.commit()
            assert version(learner, ann.id) > before_person
        job.commit()
    db.expire_all()
    moved = version(db, ann.id) > before_person if engine.dialect.name == "sqlite" else content_version(db) > before_content
    assert moved, "a kept page of Ann's would not notice the job's write"
