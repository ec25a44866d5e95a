"""Demo learning activity: self-enrolments, managers' assignments, one assignment rule, progress,
completions and feedback, spread over the last few months.

Everything goes through courses.service so enrolment status, percentages and course evidence agree;
only the timestamps are moved into the past afterwards (the services stamp "now"), and the evidence
they recorded is re-dated with its status refreshed, so `lms competences rebuild --check` stays clean.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from lms.competences.models import Competence, Evidence
from lms.competences.service import add_months, status_refresh
from lms.db import known
from lms.people.models import OrgUnit, Role, RoleGrant, User
from lms.people.selectors import direct_reports, reporting_line_ids, user_by_email

from courses.models import Assignment, Course, CourseFeedback, Enrolment, Lesson, LessonProgress
from courses.assignment.service import rule_create
from courses.assignment.service import assign
from courses.learning.selectors import required_lessons
from courses.learning.service import enrol, lesson_complete, lesson_viewed

NAMED = {"admin@example.gov", "trainer@example.gov", "manager@example.gov", "employee@example.gov"}
# (team, course key, due in days (negative: overdue), assigned days ago, share who finished, message).
# Shares are modest on purpose: every lesson goes through the progress service, and `lms demo` must stay fast.
TEAM_ASSIGNMENTS = [
    ("Analytics and Insight", "data_for_policy", 10, 20, 0.25, "Part of our analysis quality plan for this year."),
    ("Service Design", "web_writing", 30, 7, 0.1, "Useful before we rewrite the guidance pages next quarter."),
    ("Finance and Procurement", "spreadsheets", -2, 40, 0.4, "Please finish this before the year-end returns."),
    ("User Research", "accessible_documents", 21, 14, 0.15, "All our research reports must be accessible."),
]
RULE_TEAM, RULE_COURSE, RULE_DUE_DAYS, RULE_AGE_DAYS = "Information Governance", "data_protection", 30, 18
SELF_ENROLMENTS = 16
COMMENTS = [
    "Clear and practical. The checklists are going on my wall.",
    "Good refresher; a bit long in places.",
    "The examples felt like our real work, which helped.",
    "Would be good to have a short quiz at the end of each module.",
    "Useful for new starters in our team.",
    "I learned a couple of things I'd got wrong for years.",
    "Straightforward and easy to follow on my phone.",
    "",
    "",
]


class _Activity:
    def __init__(self, session: Session, now: datetime, courses: dict[str, Course], seed: int):
        self.session, self.now, self.courses = session, now, courses
        self.rng = random.Random(seed)
        self.lessons = {c.id: required_lessons(session, c.id) for c in courses.values()}
        self.taken: set[tuple[int, int]] = set()

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def assign(self, key: str, users: list[User], by: User | None, *, due_days: float | None, days_ago: float, message: str) -> None:
        course = self.courses[key]
        due = self.now + timedelta(days=due_days) if due_days is not None else None
        enrolments = assign(self.session, course=course, users=users, by=by, due_at=due, message=message)
        self.backdate_enrolments(enrolments, self.ago(days_ago))
        self.taken.update((known(course.id), known(u.id)) for u in users)

    def backdate_enrolments(self, enrolments: list[Enrolment], when: datetime) -> None:
        # Rows the services just wrote carry a time after self.now; earlier rows were already backdated.
        for enrolment in enrolments:
            if enrolment.enrolled_at > self.now:
                enrolment.enrolled_at = when
                self.session.add(enrolment)
        ids = [e.id for e in enrolments]
        for row in self.session.exec(
            select(Assignment).where(Assignment.enrolment_id.in_(ids), Assignment.assigned_at > self.now)
        ).all():
            row.assigned_at = when
            self.session.add(row)

    def self_enrol(self, key: str, user: User, days_ago: float) -> None:
        course = self.courses[key]
        enrolment = enrol(self.session, course=course, user=user)
        self.backdate_enrolments([enrolment], self.ago(days_ago))
        self.taken.add((course.id, user.id))

    def learn(self, key: str, user: User, done: int, start: datetime, end: datetime) -> Enrolment:
        """Open the course at ``start``, complete its first ``done`` lessons by ``end`` (all of them:
        the course is completed at ``end``), and leave the learner on the next lesson."""
        course = self.courses[key]
        lessons = self.lessons[course.id]
        done = min(done, len(lessons))
        for lesson in lessons[:done]:
            enrolment = lesson_complete(self.session, user=user, lesson=lesson)
        if done < len(lessons):
            enrolment = lesson_viewed(self.session, user=user, lesson=lessons[done])
        self._backdate_progress(user, lessons, done, start, end)
        enrolment.started_at = start
        if enrolment.enrolled_at > start:
            enrolment.enrolled_at = start
        if enrolment.completed_at is not None:
            enrolment.completed_at = end
            self._backdate_evidence(user, course, end)
        self.session.add(enrolment)
        return enrolment

    def _backdate_progress(self, user: User, lessons: list[Lesson], done: int, start: datetime, end: datetime) -> None:
        rows = {
            p.lesson_id: p
            for p in self.session.exec(
                select(LessonProgress).where(LessonProgress.user_id == user.id, LessonProgress.course_id == lessons[0].course_id)
            ).all()
        }
        touched = lessons[: done + 1]
        step = (end - start) / max(1, len(touched) - 1)
        for index, lesson in enumerate(touched):
            row = rows.get(lesson.id)
            if row is None:
                continue
            row.first_viewed_at = start + step * index
            if row.completed_at is not None:
                row.completed_at = min(row.first_viewed_at + timedelta(minutes=lesson.estimated_minutes + 4), end)
            self.session.add(row)

    def _backdate_evidence(self, user: User, course: Course, when: datetime) -> None:
        rows = self.session.exec(
            select(Evidence).where(Evidence.user_id == user.id, Evidence.reference == f"course:{course.id}")
        ).all()
        for row in rows:
            months = self.session.get(Competence, row.competence_id).evidence_valid_months
            row.recorded_at = when
            row.expires_at = add_months(when, months) if months else None
            self.session.add(row)
        self.session.flush()
        for row in rows:
            status_refresh(self.session, user_id=user.id, competence_id=row.competence_id)

    def some_progress(self, key: str, user: User, since_days: float, *, complete: float = 0.3, partial: float = 0.3) -> None:
        """A plausible amount of progress for someone enrolled ``since_days`` ago: finished (share
        ``complete``), a few lessons in (share ``partial``), only opened it, or not started."""
        lessons = len(self.lessons[self.courses[key].id])
        roll = self.rng.random()
        if roll > complete + partial + 0.1:
            return
        start = self.ago(since_days * self.rng.uniform(0.5, 0.95))
        end = min(start + timedelta(days=self.rng.uniform(0.2, 8)), self.ago(0.05))
        if roll < complete:
            self.learn(key, user, lessons, start, end)
            self.feedback(key, user, end)
        elif roll < complete + partial:
            self.learn(key, user, self.rng.randint(1, min(3, lessons - 1)), start, end)
        else:
            self.learn(key, user, 0, start, start)

    def feedback(self, key: str, user: User, when: datetime, *, rating: int | None = None, comment: str | None = None) -> None:
        if rating is None and self.rng.random() < 0.3:
            return  # not everyone rates a course
        self.session.add(
            CourseFeedback(
                course_id=self.courses[key].id,
                user_id=user.id,
                rating=rating or self.rng.choice([5, 5, 4, 4, 4, 4, 3, 3, 2]),
                comment=comment if comment is not None else self.rng.choice(COMMENTS),
                created_at=when + timedelta(minutes=self.rng.randint(2, 600)),
            )
        )


def activity_demo_load(session: Session, courses: dict[str, Course], *, now: datetime, seed: int = 2026) -> None:
    """``courses``: the published demo courses by key. The caller commits."""
    act = _Activity(session, now, courses, seed)
    admin, manager, employee = (user_by_email(session, f"{who}@example.gov") for who in ("admin", "manager", "employee"))
    if manager is not None and employee is not None:
        _demo_employee_and_line(act, manager, employee)
    for team, key, due_days, days_ago, complete, message in TEAM_ASSIGNMENTS:
        leader, members = _team(session, team)
        if leader is None or key not in courses:
            continue
        act.assign(key, members, leader, due_days=due_days, days_ago=days_ago, message=message)
        for person in members:
            act.some_progress(key, person, days_ago, complete=complete)
    if admin is not None:
        _rule(act, admin)
    _self_enrolments(act)
    session.flush()


def _demo_employee_and_line(act: _Activity, manager: User, employee: User) -> None:
    """The demo employee gets one of each kind of entry on My learning; the manager's line gets an
    overdue course that some have finished and some haven't."""
    session = act.session
    ids = sorted(reporting_line_ids(session, manager.id) - {manager.id})
    line = list(session.exec(select(User).where(User.id.in_(ids)).order_by(User.id)).all())
    reports = direct_reports(session, manager.id)
    others = [u for u in line if u.id != employee.id]

    # Overdue, not started.
    act.assign(
        "phishing",
        line,
        manager,
        due_days=-4,
        days_ago=35,
        message="Everyone in the team, please: we've had several convincing phishing emails lately.",
    )
    for person in others:
        act.some_progress("phishing", person, 35, complete=0.45, partial=0.35)
    # Due soon (within the "due soon" window), not started.
    act.assign(
        "data_protection",
        [employee, *others[:2]],
        manager,
        due_days=5,
        days_ago=25,
        message="You'll be handling case extracts from next month; this covers what you need.",
    )
    for person in others[:2]:
        act.some_progress("data_protection", person, 25)
    # Due later, not started: the whole direct team.
    act.assign(
        "accessible_documents",
        reports,
        manager,
        due_days=60,
        days_ago=3,
        message="Ahead of the new publishing rules for our service guidance.",
    )
    # In progress, self-enrolled: two lessons done, resumes at the third.
    act.self_enrol("web_writing", employee, 10)
    act.learn("web_writing", employee, 2, act.ago(9), act.ago(2))
    # Completed, self-enrolled, rated.
    act.self_enrol("spreadsheets", employee, 45)
    act.learn("spreadsheets", employee, 99, act.ago(44), act.ago(30))
    act.feedback(
        "spreadsheets",
        employee,
        act.ago(30),
        rating=4,
        comment="The tidy-table rules fixed our team tracker. More on pivot tables, please.",
    )


def _team(session: Session, team: str) -> tuple[User | None, list[User]]:
    """A team's leader (the member whose manager is outside the team) and the leader's direct reports."""
    unit = session.exec(select(OrgUnit).where(OrgUnit.name == team)).first()
    if unit is None:
        return None, []
    members = list(session.exec(select(User).where(User.org_unit_id == unit.id).order_by(User.id)).all())
    ids = {m.id for m in members}
    leader = next((m for m in members if m.manager_id not in ids), None)
    reports = direct_reports(session, leader.id) if leader else []
    return leader, [u for u in reports if u.email not in NAMED]


def _rule(act: _Activity, admin: User) -> None:
    unit = act.session.exec(select(OrgUnit).where(OrgUnit.name == RULE_TEAM)).first()
    if unit is None or RULE_COURSE not in act.courses:
        return
    rule, _count = rule_create(
        act.session,
        course_id=act.courses[RULE_COURSE].id,
        org_unit_id=unit.id,
        job_profile_id=None,
        due_days=RULE_DUE_DAYS,
        message="Everyone in Information Governance completes this within 30 days.",
        by=admin,
    )
    created = act.ago(RULE_AGE_DAYS)
    rule.created_at = created
    act.session.add(rule)
    enrolments = list(
        act.session.exec(
            select(Enrolment)
            .join(Assignment, Assignment.enrolment_id == Enrolment.id)
            .where(Assignment.rule_id == rule.id)
            .order_by(Enrolment.id)
        ).all()
    )
    act.backdate_enrolments(enrolments, created)
    users = {u.id: u for u in act.session.exec(select(User).where(User.id.in_([e.user_id for e in enrolments])))}
    # The rule was made a while ago, so its people are now part-way to the due date.
    for row in act.session.exec(select(Assignment).where(Assignment.rule_id == rule.id)).all():
        row.due_at = created + timedelta(days=RULE_DUE_DAYS)
        act.session.add(row)
    for enrolment in enrolments:
        enrolment.due_at = created + timedelta(days=RULE_DUE_DAYS)
        act.session.add(enrolment)
        act.taken.add((enrolment.course_id, enrolment.user_id))
        act.some_progress(RULE_COURSE, users[enrolment.user_id], RULE_AGE_DAYS)


def _self_enrolments(act: _Activity) -> None:
    trainers = set(act.session.exec(select(RoleGrant.user_id).where(RoleGrant.role == Role.TRAINER.value)).all())
    people = [u for u in act.session.exec(select(User).order_by(User.id)).all() if u.email not in NAMED and u.id not in trainers]
    keys = sorted(act.courses)
    for person in act.rng.sample(people, min(SELF_ENROLMENTS, len(people))):
        key = act.rng.choice(keys)
        if (act.courses[key].id, person.id) in act.taken:
            continue
        days_ago = act.rng.uniform(3, 90)
        act.self_enrol(key, person, days_ago)
        act.some_progress(key, person, days_ago, complete=0.4)
