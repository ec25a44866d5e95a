"""Demo quizzes and attempts, added to `lms demo` after the demo courses (see assessments.plugin).

Quizzes go through the bank and quiz services, attempts through attempt_start / response_save /
attempt_submit, so scores, evidence and lesson progress agree with what learners would have produced.
Only timestamps are moved into the past afterwards, with the evidence re-dated and statuses refreshed.

The demo employee has a passed attempt on the spreadsheets quiz and an attempt in progress on the
web-writing quiz; the timed phishing quiz (proving 4.1, where the employee is verified at 0) is left
untouched for them: tests/e2e/test_quiz_journey.py takes it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from assessments.attempts.service import attempt_start, attempt_submit, response_save
from assessments.bank.service import category_create, question_create
from assessments.demo.diagnostic import DIAGNOSTIC, DIAGNOSTIC_BANDS
from assessments.demo.questions import COURSE_QUIZZES, DemoQuiz
from assessments.models import Attempt, Quiz, Response
from assessments.questions import MATCHING, MULTIPLE_CHOICE, NUMERIC, SHORT_TEXT, QuestionData
from assessments.quizzes.selectors import quiz_slots
from assessments.quizzes.service import quiz_create, slot_add_question
from courses.demo.content import COURSES
from courses.models import Course, Enrolment, Lesson, LessonProgress, Module
from courses.learning.service import progress_refresh
from lms.clock import utcnow
from lms.competences.models import Competence, Evidence
from lms.competences.selectors import competence_by_code
from lms.competences.service import add_months, status_refresh
from lms.people.models import User
from lms.people.selectors import user_by_email

TRAINER_EMAIL, EMPLOYEE_EMAIL = "trainer@example.gov", "employee@example.gov"
NAMED = {"admin@example.gov", "trainer@example.gov", "manager@example.gov", EMPLOYEE_EMAIL}
ATTEMPTS_ALLOWED = 3
# What the first few learners (who have started the course) do with each course's quiz.
OUTCOMES = ("pass", "fail", "in_progress", "pass", "fail")


def assessments_demo_load(session: Session, *, seed: int = 2026) -> int:
    """Build the demo quizzes and attempts (the caller commits). Returns the number of quizzes."""
    trainer = user_by_email(session, TRAINER_EMAIL)
    specs = {spec.key: spec for spec in COURSES}
    courses = {c.title: c for c in session.exec(select(Course)).all()}
    if trainer is None or not courses:
        return 0
    quizzes: dict[str, Quiz] = {}
    for demo in COURSE_QUIZZES:
        spec = specs[demo.course_key]
        course = courses.get(spec.title)
        if course is None:
            continue
        code, level = next(iter(spec.competences.items()))
        main = competence_by_code(session, code, "DigComp")
        quiz = _quiz_build(session, demo, course, trainer, levels=spec.competences)
        quiz.proves_competence_id, quiz.proves_level = main.id, level
        session.add(quiz)
        quizzes[demo.course_key] = quiz
    phishing = courses.get(specs["phishing"].title)
    diagnostic = None
    if phishing is not None:
        diagnostic = _quiz_build(session, DIAGNOSTIC, phishing, trainer, levels={})
        diagnostic.diagnostic, diagnostic.diagnostic_bands = True, DIAGNOSTIC_BANDS
        session.add(diagnostic)
    session.flush()
    for course in courses.values():
        _refresh_open_enrolments(session, course)
    _attempts(session, quizzes, diagnostic, random.Random(seed))
    session.flush()
    return len(quizzes) + (diagnostic is not None)


def _quiz_build(session: Session, demo: DemoQuiz, course: Course, trainer: User, *, levels: dict) -> Quiz:
    category = category_create(session, name=demo.category, by=trainer, description=f"Questions for “{course.title}”.")
    module = session.exec(
        select(Module).where(Module.course_id == course.id).order_by(Module.position.desc(), Module.id.desc())
    ).first()
    quiz = quiz_create(session, module=module, title=demo.title, by=trainer)
    quiz.pass_percent, quiz.review_policy = demo.pass_percent, demo.review_policy
    quiz.time_limit_minutes, quiz.attempts_allowed = demo.time_limit_minutes, ATTEMPTS_ALLOWED
    lesson = session.get(Lesson, quiz.lesson_id)
    lesson.estimated_minutes = demo.time_limit_minutes or 10
    # The course now takes longer: the catalogue's estimate counts the quiz too.
    course.estimated_minutes += lesson.estimated_minutes
    session.add_all([quiz, lesson, course])
    for code, data in demo.questions:
        competence = competence_by_code(session, code, "DigComp")
        question = question_create(
            session, category=category, data=data, by=trainer, competence_id=competence.id, level=levels.get(code)
        )
        slot_add_question(session, quiz=quiz, question_id=question.id)
    return quiz


def _refresh_open_enrolments(session: Session, course: Course) -> None:
    """A new required lesson lowers the percentage of everyone still working through the course;
    courses already completed stay completed (they were finished before the quiz existed)."""
    for enrolment in session.exec(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.completed_at.is_(None))).all():
        progress_refresh(session, enrolment=enrolment, user=session.get(User, enrolment.user_id))


def answer_for(data: QuestionData, right: bool) -> dict:
    """A response of the right shape: fully right, or wrong (partly right for multiple choice and matching)."""
    if data.kind == MULTIPLE_CHOICE:
        good = [c.id for c in data.choices if c.fraction > 0]
        return {"choices": good if right else good[:1]}
    if data.kind == SHORT_TEXT:
        return {"text": data.accepted[0].text if right else "not sure"}
    if data.kind == NUMERIC:
        return {"value": f"{data.numeric[0].value:g}" if right else f"{data.numeric[0].value + 7:g}"}
    if data.kind == MATCHING:
        pairs = data.real_pairs
        answers = [p.answer for p in pairs]
        if not right:  # the first pair right, the others rotated
            answers = answers[:1] + answers[2:] + answers[1:2]
        return {"matches": {p.id: a for p, a in zip(pairs, answers, strict=True)}}
    best = max(data.choices, key=lambda c: c.fraction)
    worst = min(data.choices, key=lambda c: c.fraction)
    return {"choice": (best if right else worst).id}


def _take(
    session: Session, quiz: Quiz, user: User, rng: random.Random, *, rights: list[bool], submit: bool, days_ago: float | None
) -> Attempt:
    attempt = attempt_start(session, quiz=quiz, user=user, rng=rng)
    for slot, (entry, right) in enumerate(zip(attempt.layout, rights, strict=False)):
        response_save(
            session, attempt=attempt, slot=slot, sequence=0, answer=answer_for(QuestionData.from_dict(entry["question"]), right)
        )
    if submit:
        attempt_submit(session, attempt=attempt)
        if days_ago is not None:
            _backdate(session, attempt, utcnow() - timedelta(days=days_ago), minutes=rng.randint(6, 18))
    return attempt


def _attempts(session: Session, quizzes: dict[str, Quiz], diagnostic: Quiz | None, rng: random.Random) -> None:
    employee = user_by_email(session, EMPLOYEE_EMAIL)
    if employee is not None and {"spreadsheets", "web_writing"} <= quizzes.keys():
        _take(session, quizzes["spreadsheets"], employee, rng, rights=[True] * 5, submit=True, days_ago=29)
        # Two answers saved, the rest to do: "Continue your attempt" on the quiz page.
        _take(session, quizzes["web_writing"], employee, rng, rights=[True, False], submit=False, days_ago=None)
    for quiz in quizzes.values():
        timed = quiz.time_limit_minutes is not None
        for user, outcome in zip(_learners(session, quiz), OUTCOMES, strict=False):
            if outcome == "in_progress" and timed:
                outcome = "fail"  # an unfinished timed attempt would only be closed by the sweep
            size = len(quiz_slots(session, quiz))
            rights = [True] * size if outcome == "pass" else [i < 2 for i in range(size)]
            if outcome == "in_progress":
                rights = rights[:2]
            _take(session, quiz, user, rng, rights=rights, submit=outcome != "in_progress", days_ago=rng.uniform(0.3, 4))
    if diagnostic is not None:
        for user in _learners(session, diagnostic)[:4]:
            skill = rng.uniform(0.4, 1.0)
            rights = [rng.random() < skill for _ in quiz_slots(session, diagnostic)]
            _take(session, diagnostic, user, rng, rights=rights, submit=True, days_ago=rng.uniform(0.3, 6))


def _learners(session: Session, quiz: Quiz) -> list[User]:
    """People (not the demo accounts) who have started the quiz's course, oldest account first."""
    lesson = session.get(Lesson, quiz.lesson_id)
    users = session.exec(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == lesson.course_id, Enrolment.started_at.is_not(None))
        .order_by(User.id)
    ).all()
    return [u for u in users if u.email not in NAMED]


def _backdate(session: Session, attempt: Attempt, when: datetime, *, minutes: int) -> None:
    """Move a submitted attempt, its answers, its evidence and the lesson it completed to ``when``."""
    attempt.started_at = when
    attempt.submitted_at = when + timedelta(minutes=minutes)
    if attempt.deadline_at is not None:
        attempt.deadline_at = when + timedelta(minutes=attempt.settings["time_limit_minutes"])
    session.add(attempt)
    for response in session.exec(select(Response).where(Response.attempt_id == attempt.id)).all():
        response.saved_at = when + timedelta(minutes=minutes * (response.slot + 1) / (len(attempt.layout) + 1))
        session.add(response)
    progress = session.get(LessonProgress, (attempt.user_id, attempt.settings["lesson_id"]))
    if progress is not None and progress.completed_at is not None and progress.completed_at > when:
        progress.first_viewed_at = min(progress.first_viewed_at, when)
        progress.completed_at = attempt.submitted_at
        session.add(progress)
    rows = session.exec(
        select(Evidence).where(Evidence.user_id == attempt.user_id, Evidence.reference == f"attempt:{attempt.id}")
    ).all()
    for row in rows:
        months = session.get(Competence, row.competence_id).evidence_valid_months
        row.recorded_at = attempt.submitted_at
        row.expires_at = add_months(row.recorded_at, months) if months else None
        session.add(row)
    session.flush()
    for competence_id in {row.competence_id for row in rows}:
        status_refresh(session, user_id=attempt.user_id, competence_id=competence_id)
