"""The home page: one section per role (employee first), each with the panels that person starts the day on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assessments.models import Attempt, AttemptState, Response
from assessments.results.selectors import FLAG_MIN_ATTEMPTS
from courses.models import Enrolment
from lms.api.models import ApiToken
from lms.clock import utcnow
from lms.demo_accounts import DEMO_PASSWORD
from lms.jobs.models import Job, JobState
from tests.assessments.factories import quiz_of, single_choice
from tests.conftest import sign_in
from tests.courses.factories import make_course
from tests.lms.competences.factories import load_digcomp, make_profile, record
from tests.lms.competences.test_team_pages import text
from tests.support.queries import counting


def demo_home(client, who: str) -> tuple[str, str]:
    assert sign_in(client, f"{who}@example.gov", DEMO_PASSWORD).status_code == 303
    response = client.get("/")
    assert response.status_code == 200
    return response.text, text(response)


def in_order(page: str, *parts: str) -> bool:
    positions = [page.index(p) for p in parts]
    return positions == sorted(positions)


@pytest.mark.demo
def test_the_employee_starts_on_what_is_due_their_gaps_and_evidence(client):
    html, page = demo_home(client, "employee")
    assert in_order(page, "Your learning and skills", "Due next", "In progress", "Your skill gaps", "Recent evidence")
    # The most urgent course has one button, and the overdue one says so.
    assert 'class="usa-button" href="/courses/' in html
    assert "overdue" in page
    assert "below the level your job profile needs" in page
    assert "Your team" not in page and "Needs attention" not in page and "Your courses and quizzes" not in page


@pytest.mark.demo
def test_the_manager_sees_the_team_named_people_and_what_to_do(client):
    html, page = demo_home(client, "manager")
    assert in_order(page, "Your learning and skills", "Your team", "Your team at a glance", "Overdue in your team", "Worth doing now")
    assert "% of requirements met" in page
    assert 'href="/team/people/' in html
    assert 'href="/team/assignments?status=overdue"' in html
    # The course that closes the widest gap, through the assign-to-gap flow.
    assert 'href="/team/assign?course=' in html and "gap=1" in html
    assert "Organisation skills" not in page


@pytest.mark.demo
def test_the_trainer_sees_their_courses_and_quiz_questions_to_review(client):
    html, page = demo_home(client, "trainer")
    assert in_order(page, "Your courses and quizzes", "Your courses, latest change first", "Quiz questions to review")
    assert 'href="/author/courses/' in html and "Published" in page and "Draft" in page and "of 5" in page
    assert 'href="/quizzes/' in html and "facility" in page


@pytest.mark.demo
def test_the_skills_lead_sees_the_organisation_figures(client):
    _html, page = demo_home(client, "lead")
    assert "Organisation skills" in page and "required competence levels are met" in page
    assert "have no job profile, so the figures leave them out; an administrator can set their profiles" in page
    assert "Open the skills report" in page
    assert "Needs attention" not in page


@pytest.mark.demo
def test_the_administrator_sees_the_figures_and_what_needs_attention(client):
    _html, page = demo_home(client, "admin")
    assert in_order(page, "Your learning and skills", "Your organisation", "Organisation skills", "Needs attention")
    assert "no job profile" in page
    assert "Recent activity" in page and "Open the audit log" in page


def test_a_new_employee_sees_what_to_do_next_in_every_panel(signed_in):
    browser, _me = signed_in()
    page = text(browser.get("/"))
    assert "Nothing assigned to you yet" in page and "Browse the catalogue" in page
    assert "No course in progress" in page
    assert "You have no job profile yet" in page
    assert "No evidence recorded yet" in page
    assert "Your team" not in page


def test_a_new_manager_and_trainer_see_empty_states(signed_in):
    browser, _me = signed_in("manager", "trainer")
    page = text(browser.get("/"))
    assert in_order(page, "Your learning and skills", "Your team", "Your courses and quizzes")
    assert "Nobody reports to you yet" in page
    assert "Nobody in your team is overdue" in page
    assert "You do not edit any course yet" in page
    assert "None of your courses has a quiz yet" in page


def test_the_administrator_is_told_about_failed_jobs_and_expiring_tokens(db, signed_in):
    browser, _me = signed_in("admin")
    now = utcnow()
    db.add(Job(kind="reports.snapshot", state=JobState.FAILED.value))
    db.add(ApiToken(name="HR feed", prefix="abc", token_hash="x" * 64, expires_at=now + timedelta(days=3)))
    db.add(ApiToken(name="Far away", prefix="def", token_hash="y" * 64, expires_at=now + timedelta(days=300)))
    db.commit()
    response = browser.get("/")
    html, page = response.text, text(response)
    assert "1 failed background job" in page and 'href="/admin/jobs?state=failed"' in html
    assert "HR feed" in page and "Far away" not in page


def test_a_new_administrator_is_told_they_have_no_job_profile(signed_in):
    browser, _me = signed_in("admin")
    page = text(browser.get("/"))
    # The signed-in admin has no job profile themselves, so that is what needs attention.
    assert "1 active person has no job profile" in page


def test_the_employee_home_query_count_does_not_grow(app, db, signed_in):
    load_digcomp(db)
    profile = make_profile(db)
    browser, me = signed_in(job_profile_id=profile.id)
    now = utcnow()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            course = make_course(db, f"Course {i}", develops={"1.1": 3})
            db.add(
                Enrolment(
                    course_id=course.id,
                    user_id=me.id,
                    status="in_progress" if i % 2 else "enrolled",
                    progress_percent=10,
                    source="assigned",
                    due_at=now + timedelta(days=i - 3),
                )
            )
        db.commit()

    add(2, 0)
    record(db, me, "1.1", 1, "self", me)
    browser.get("/")  # warm up
    with counting(app.state.engine) as few:
        assert browser.get("/").status_code == 200
    add(8, 2)
    for code in ("1.2", "1.3", "2.1", "2.2"):
        record(db, me, code, 1, "self", me)
    with counting(app.state.engine) as many:
        assert browser.get("/").status_code == 200
    assert len(few) == len(many)


def submitted_attempts(db, quiz, learner, questions, fractions: list[float], times: int) -> None:
    """``times`` submitted attempts in which question i earned fractions[i]."""
    layout = [{"question_id": q.id} for q in questions]
    for n in range(times):
        attempt = Attempt(
            quiz_id=quiz.id,
            user_id=learner.id,
            number=n + 1,
            state=AttemptState.SUBMITTED.value,
            submitted_at=utcnow(),
            layout=layout,
            score=sum(fractions),
            max_score=len(fractions),
            percent=100 * sum(fractions) / len(fractions),
            passed=True,
        )
        db.add(attempt)
        db.flush()
        for slot, fraction in enumerate(fractions):
            db.add(Response(attempt_id=attempt.id, slot=slot, fraction=fraction, points=fraction))
    db.commit()


def test_the_trainer_is_shown_questions_too_hard_first_then_too_easy_in_a_fixed_number_of_queries(app, db, signed_in, make_user):
    browser, me = signed_in("trainer")
    learner = make_user()
    quiz, questions = quiz_of(
        db, [single_choice("Everyone gets this"), single_choice("Nobody gets this"), single_choice("Some get this")], editors=[me]
    )
    submitted_attempts(db, quiz, learner, questions, [1.0, 0.0, 0.5], FLAG_MIN_ATTEMPTS)
    browser.get("/")  # warm up
    with counting(app.state.engine) as few:
        response = browser.get("/")
    page = text(response)
    assert in_order(page, "Quiz questions to review", "Nobody gets this", "too hard", "Everyone gets this", "too easy")
    assert "Some get this" not in page
    assert f'href="/quizzes/{quiz.id}/results"' in response.text

    more, more_questions = quiz_of(db, [single_choice("Another easy one")], editors=[me])
    submitted_attempts(db, more, learner, more_questions, [1.0], FLAG_MIN_ATTEMPTS + 3)
    with counting(app.state.engine) as many:
        assert "Another easy one" in text(browser.get("/"))
    assert len(few) == len(many)


def test_a_question_with_too_few_attempts_is_not_flagged(db, signed_in, make_user):
    browser, me = signed_in("trainer")
    quiz, questions = quiz_of(db, [single_choice("Nobody gets this")], editors=[me])
    submitted_attempts(db, quiz, make_user(), questions, [0.0], FLAG_MIN_ATTEMPTS - 1)
    page = text(browser.get("/"))
    assert "Nobody gets this" not in page and "No question stands out" in page


def test_the_manager_home_names_overdue_people_in_a_fixed_number_of_queries(app, db, signed_in, make_user):
    load_digcomp(db)
    profile = make_profile(db)
    browser, me = signed_in("manager")
    course = make_course(db, "Spotting phishing", develops={"1.1": 3, "4.1": 3})
    now = utcnow()

    def report(name: str, *, is_active: bool = True) -> None:
        person = make_user(name=name, manager_id=me.id, job_profile_id=profile.id, is_active=is_active)
        db.add(Enrolment(course_id=course.id, user_id=person.id, source="assigned", due_at=now - timedelta(days=2)))
        db.commit()

    report("Olu Overdue")
    browser.get("/")  # warm up
    # The line's figures are kept while the data stands still: count both views just after a change.
    report("Early Leaver", is_active=False)
    with counting(app.state.engine) as few:
        response = browser.get("/")
    page = text(response)
    assert "1 person has 1 overdue course" in page and "Olu Overdue: 1 overdue" in page
    assert "Olu Overdue" in page and 'href="/team/people/' in response.text
    assert f'href="/team/assign?course={course.id}&amp;competence=' in response.text
    for n in range(4):
        report(f"Late Person {n}")
    report("Lee Leaver", is_active=False)  # nobody chases a leaver
    with counting(app.state.engine) as many:
        assert "5 people have 5 overdue courses" in text(browser.get("/"))
    assert len(few) == len(many)
