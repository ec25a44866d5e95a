"""The synthetic organisation is complete, consistent with the level rule, and ready for the app."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from bench.generate import GenerateError, generate
from bench.synth_people import EMPLOYEE, HEATMAP_LINE, LEAD, MANAGER, TRAINER
from courses.models import Course, Enrolment, Lesson, LessonProgress, Module
from lms.auth.passwords import verify_password
from lms.clock import utcnow
from lms.competences.models import CompetenceStatus, Evidence
from lms.competences.service import statuses_rebuild
from lms.db import make_engine
from lms.people.models import OrgUnit, RoleGrant, User
from lms.people.selectors import reporting_line_cte, user_by_email, user_roles


@pytest.fixture
def generated(empty_db_url):
    summary = generate(empty_db_url, size="S", seed=7, log=lambda _line: None)
    engine = make_engine(empty_db_url)
    with Session(engine) as session:
        yield summary, session
    engine.dispose()


def _count(session: Session, entity, *where) -> int:
    return session.exec(select(func.count()).select_from(entity).where(*where)).scalar_one()


def test_an_organisation_of_the_requested_size_with_its_known_accounts(generated):
    summary, db = generated
    assert _count(db, User) == 1000 == summary.rows["user_account"]
    assert _count(db, OrgUnit, OrgUnit.parent_id.is_(None)) == 1
    manager = user_by_email(db, MANAGER)
    line = reporting_line_cte(manager.id)
    assert db.exec(select(func.count()).select_from(line)).scalar_one() == HEATMAP_LINE
    assert "manager" in user_roles(db, manager.id)
    assert "trainer" in user_roles(db, user_by_email(db, TRAINER).id)
    assert "skills_lead" in user_roles(db, user_by_email(db, LEAD).id)
    employee = user_by_email(db, EMPLOYEE)
    assert employee.job_profile_id is not None
    assert verify_password(summary.password, employee.password_hash)[0]
    # Every manager's grant matches someone reporting to them, and nobody else has one.
    managers = set(db.exec(select(User.manager_id).where(User.manager_id.is_not(None))).scalars())
    granted = set(db.exec(select(RoleGrant.user_id).where(RoleGrant.role == "manager")).scalars())
    assert managers == granted


def test_teams_have_six_to_fourteen_people_and_every_team_a_leader(generated):
    _, db = generated
    leaders = db.exec(
        text(
            "SELECT u.manager_id, count(*) FROM user_account u JOIN org_unit t ON t.id = u.org_unit_id "
            "WHERE NOT EXISTS (SELECT 1 FROM org_unit c WHERE c.parent_id = t.id) AND u.manager_id IN "
            "(SELECT l.id FROM user_account l WHERE l.org_unit_id = t.id) GROUP BY u.manager_id"
        )
    ).all()
    assert leaders
    # The last team may take the few people left over when the size is reached.
    assert sum(5 <= members <= 13 for _, members in leaders) >= len(leaders) - 1


def test_statuses_are_exactly_what_the_rule_derives_from_the_evidence(generated):
    _, db = generated
    report = statuses_rebuild(db, fix=False)
    assert report.checked == _count(db, CompetenceStatus) > 1000
    assert report.drift == [] and report.expired == []
    sources = dict(db.exec(select(Evidence.source, func.count()).group_by(Evidence.source)).all())
    assert sources["self"] > sources["manager"] > 0 and sources["course"] > 0 and sources["quiz"] > 0
    assert _count(db, Evidence, Evidence.expires_at < utcnow()) > 0


def test_completed_enrolments_have_every_lesson_done_and_course_evidence(generated):
    _, db = generated
    required = (
        select(func.count())
        .select_from(Lesson)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id == Enrolment.course_id)
        .scalar_subquery()
    )
    done = (
        select(func.count())
        .select_from(LessonProgress)
        .where(
            LessonProgress.user_id == Enrolment.user_id,
            LessonProgress.course_id == Enrolment.course_id,
            LessonProgress.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    completed = _count(db, Enrolment, Enrolment.status == "completed")
    assert completed > 100
    assert _count(db, Enrolment, Enrolment.status == "completed", done == required) == completed
    assert _count(db, Enrolment, Enrolment.status != "completed", done >= required) == 0
    course_evidence = _count(db, Evidence, Evidence.source == "course")
    assert course_evidence >= completed
    assert _count(db, Enrolment, Enrolment.course_id.in_(select(Course.id).where(Course.status != "published"))) == 0


def test_the_app_can_add_rows_after_the_bulk_load(generated):
    _, db = generated
    unit = OrgUnit(name="A unit added later", parent_id=None)
    db.add(unit)
    db.commit()
    assert unit.id > 1


def test_a_database_with_people_is_refused_unless_replaced(generated, empty_db_url):
    with pytest.raises(GenerateError):
        generate(empty_db_url, size="T", log=lambda _line: None)
    summary = generate(empty_db_url, size="T", replace=True, log=lambda _line: None)
    assert summary.rows["user_account"] == 200


def test_the_same_seed_gives_the_same_organisation(tmp_path):
    def fingerprint(name: str) -> list:
        url = f"sqlite:///{tmp_path / name}"
        generate(url, size="T", seed=3, log=lambda _line: None)
        engine = make_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT u.email, u.manager_id, u.job_profile_id, s.competence_id, s.verified_level, s.self_level "
                    "FROM user_account u JOIN competence_status s ON s.user_id = u.id ORDER BY u.id, s.competence_id"
                )
            ).all()
        engine.dispose()
        return rows

    assert fingerprint("a.db") == fingerprint("b.db")
