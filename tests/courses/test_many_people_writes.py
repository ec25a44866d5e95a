"""Writes over many people in one request (assigning a course to a team, a people import) lock none of
those people's data-version rows: two such requests over the same people in a different order cannot
deadlock on PostgreSQL, and the people's own writes meanwhile do not queue behind them. Their kept pages
still notice the write once it commits."""

from __future__ import annotations

from sqlmodel import Session, text

from lms.people.csv_import.service import users_import
from courses.assignment.service import assign
from courses.models import Course
from tests.courses.factories import make_course


def _versions(db: Session) -> tuple[int, int]:
    people = db.execute(text("SELECT coalesce(sum(version), 0) FROM person_version")).scalar() or 0
    content = db.execute(text("SELECT version FROM data_version WHERE scope = 'content'")).scalar() or 0
    return people, content


def _lock_timeout(session: Session) -> None:
    # Fail in two seconds instead of hanging if the other transaction holds a row this one needs.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL lock_timeout = '2s'"))


def test_two_team_assignments_over_the_same_people_in_opposite_orders_both_go_through(db, make_user):
    ann, bob = make_user(), make_user()
    first, second = make_course(db, "Spotting phishing"), make_course(db, "Handling personal data")
    db.commit()
    before = _versions(db)
    engine = db.get_bind()
    if engine.dialect.name == "sqlite":
        # One writer at a time on SQLite: nothing to interleave; the write must still reach kept pages.
        assign(db, course=db.get(Course, first.id), users=[ann, bob], by=None)
        db.commit()
        assert _versions(db) != before
        return
    with Session(engine) as one, Session(engine) as two:
        assign(one, course=one.get(Course, first.id), users=[one.merge(ann), one.merge(bob)], by=None)
        _lock_timeout(two)
        assign(two, course=two.get(Course, second.id), users=[two.merge(bob), two.merge(ann)], by=None)
        two.commit()
        one.commit()
    db.expire_all()
    enrolled = db.execute(text("SELECT count(*) FROM enrolment WHERE user_id IN (:a, :b)"), {"a": ann.id, "b": bob.id}).scalar()
    assert enrolled == 4
    assert _versions(db)[1] > before[1], "kept pages would not notice the assignments"


def test_a_person_can_save_their_own_work_while_a_people_import_over_them_is_being_written(db, make_user):
    ann, bob = make_user(), make_user()
    course = make_course(db)
    db.commit()
    engine = db.get_bind()
    data = "email,name,org_unit,manager_email,roles\n" + "".join(f"{u.email},{u.name} (renamed),,,\n" for u in (ann, bob))
    before = _versions(db)
    with Session(engine) as importer, Session(engine) as learner:
        result = users_import(importer, data=data, by=None)
        assert result.ok and result.updated == 2
        if engine.dialect.name == "postgresql":
            _lock_timeout(learner)
            # Ann enrols herself: a row of her own the import does not touch, but her version moves.
            learner.execute(
                text(
                    "INSERT INTO enrolment (course_id, user_id, status, source, enrolled_at, progress_percent) "
                    "VALUES (:c, :u, 'enrolled', 'self', now(), 0)"
                ),
                {"c": course.id, "u": ann.id},
            )
            learner.commit()
        importer.commit()
    db.expire_all()
    assert db.execute(text("SELECT name FROM user_account WHERE id = :u"), {"u": bob.id}).scalar().endswith("(renamed)")
    assert _versions(db) != before, "kept pages would not notice the import"
