"""Taking a quiz over HTTP: intro, start, autosave (htmx and plain), stale tabs, flags, summary, submit."""

from __future__ import annotations

from sqlmodel import select

from assessments.models import Attempt, Response
from courses.models import Lesson
from tests.assessments.factories import SECRETS, make_quiz, questions, sequences, slot_of, start
from tests.courses.factories import make_course
from tests.support.queries import counting

HX = {"HX-Request": "true"}

RIGHT = {
    "single_choice": {"choice": "a"},
    "multiple_choice": {"choices": ["m1", "m2"]},
    "true_false": {"choice": "true"},
    "short_text": {"text": SECRETS["short_answer"]},
    "numeric": {"value": SECRETS["numeric_value"]},
    "matching": {"match-p1": "Tables of numbers", "match-p2": "Letters", "match-p3": "Web pages"},
}


def answer_all(browser, db, attempt_id: int, answers=RIGHT) -> None:
    for kind, fields in answers.items():
        slot = slot_of(db, attempt_id, kind)
        response = browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", **fields})
        assert response.status_code == 303, response.text


def test_the_lesson_leads_to_the_quiz_intro_which_explains_the_rules(db, signed_in):
    quiz = make_quiz(db, data=questions(), pass_percent=60, time_limit_minutes=15, attempts_allowed=2, review_policy="after_passing")
    lesson = db.get(Lesson, quiz.lesson_id)
    browser, _ = signed_in()
    lesson_page = browser.get(f"/courses/{lesson.course_id}/lessons/{lesson.id}").text
    assert f"/quizzes/by-lesson/{lesson.id}" in lesson_page
    assert browser.get(f"/quizzes/by-lesson/{lesson.id}").headers["location"] == f"/quizzes/{quiz.id}"
    intro = browser.get(f"/quizzes/{quiz.id}").text
    for text in (
        "60%",
        "15 minutes",
        "0 used of 2 allowed",
        "once you pass, you also see the right answers",
        "Start the quiz",
        "You have not submitted an attempt yet.",
    ):
        assert text in intro


def test_hidden_or_draft_quizzes_are_not_found(db, signed_in):
    draft = make_quiz(db, data=questions(), status="draft")
    hidden = make_quiz(db, data=questions())
    lesson = db.get(Lesson, hidden.lesson_id)
    lesson.hidden = True
    db.add(lesson)
    db.commit()
    browser, _ = signed_in()
    for quiz in (draft, hidden):
        assert browser.get(f"/quizzes/{quiz.id}").status_code == 404
        assert browser.post(f"/quizzes/{quiz.id}/start").status_code == 404
    assert browser.get("/quizzes/999999").status_code == 404


def test_starting_twice_continues_the_same_attempt(db, signed_in):
    quiz = make_quiz(db, data=questions())
    browser, me = signed_in()
    first = start(browser, quiz)
    assert start(browser, quiz) == first
    assert len(db.exec(select(Attempt).where(Attempt.user_id == me.id)).all()) == 1
    assert "Continue your attempt" in browser.get(f"/quizzes/{quiz.id}").text
    page = browser.get(f"/attempts/{first}")
    assert page.status_code == 200 and "Question 1 of 6" in page.text


def test_a_quiz_with_no_questions_cannot_start(db, signed_in):
    quiz = make_quiz(db, data=[])
    browser, _ = signed_in()
    response = browser.post(f"/quizzes/{quiz.id}/start")
    assert response.headers["location"] == f"/quizzes/{quiz.id}"
    assert "no questions yet" in browser.get(f"/quizzes/{quiz.id}").text


def test_autosave_with_htmx_answers_a_status_and_the_new_sequence(db, signed_in):
    quiz = make_quiz(db, data=questions())
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    slot = slot_of(db, attempt_id, "short_text")
    page = browser.get(f"/attempts/{attempt_id}?page={slot + 1}").text
    assert f'hx-post="/attempts/{attempt_id}/slots/{slot}"' in page and "keyup changed delay:800ms" in page
    assert sequences(page) == {slot: 0}

    saved = browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", "text": "first try"}, headers=HX)
    assert saved.status_code == 200 and "Saved at" in saved.text
    assert 'hx-swap-oob="true"' in saved.text and sequences(saved.text) == {slot: 1}
    again = browser.post(f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "1", "text": "second try"}, headers=HX)
    assert again.status_code == 200 and sequences(again.text) == {slot: 2}
    reloaded = browser.get(f"/attempts/{attempt_id}?page={slot + 1}").text
    assert 'value="second try"' in reloaded and sequences(reloaded) == {slot: 2}


def test_save_and_next_without_javascript(db, signed_in):
    quiz = make_quiz(db, data=questions()[:2])
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    first = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "b", "action": "next"})
    assert first.status_code == 303 and first.headers["location"] == f"/attempts/{attempt_id}?page=2"
    page_two = browser.get(first.headers["location"]).text
    assert "Question 2 of 2" in page_two and "Save and review your answers" in page_two
    back = browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "choices": ["m1"], "action": "previous"})
    assert back.headers["location"] == f"/attempts/{attempt_id}?page=1"
    assert 'value="b" checked' in browser.get(back.headers["location"]).text
    last = browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "1", "choices": ["m1", "m2"], "action": "summary"})
    assert last.headers["location"] == f"/attempts/{attempt_id}/summary"
    db.expire_all()
    assert db.get(Response, (attempt_id, 1)).answer == {"choices": ["m1", "m2"]}


def test_all_questions_on_one_page(db, signed_in):
    quiz = make_quiz(db, data=questions(), one_per_page=False)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    page = browser.get(f"/attempts/{attempt_id}").text
    assert all(f"Question {n}" in page for n in range(1, 7)) and len(sequences(page)) == 6
    saved = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"})
    assert saved.headers["location"] == f"/attempts/{attempt_id}#q-2"


def test_a_stale_tab_cannot_overwrite_a_newer_answer(db, signed_in):
    quiz = make_quiz(db, data=questions()[:1])
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    first = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"}, headers=HX)
    assert first.status_code == 200
    stale = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "b"}, headers=HX)
    assert stale.status_code == 409
    assert "changed in another tab" in stale.text and "Reload the page" in stale.text
    assert "hx-swap-oob" not in stale.text
    plain = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "c"})
    assert plain.status_code == 409 and "changed in another tab" in plain.text
    assert 'value="a" checked' in plain.text  # the newer answer, shown for the learner to check
    db.expire_all()
    response = db.get(Response, (attempt_id, 0))
    assert response.answer == {"choice": "a"} and response.sequence == 1


def test_flags_show_on_the_summary(db, signed_in):
    quiz = make_quiz(db, data=questions()[:3])
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"}, headers=HX)
    flagged = browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "0", "flag_field": "1", "flagged": "1"}, headers=HX)
    assert "flagged for review" in flagged.text
    summary = browser.get(f"/attempts/{attempt_id}/summary").text
    assert summary.count("Not answered") == 2 and summary.count(">Answered<") == 1
    assert summary.count(">Flagged<") == 1 and "2 questions are not answered" in summary
    page = browser.get(f"/attempts/{attempt_id}?page=2").text
    assert 'name="flagged" value="1" checked' in page
    unflag = browser.post(f"/attempts/{attempt_id}/slots/1", {"sequence": "1", "flag_field": "1"}, headers=HX)
    assert unflag.status_code == 200
    assert ">Flagged<" not in browser.get(f"/attempts/{attempt_id}/summary").text


def test_submitting_twice_grades_once_and_shows_the_same_result(db, signed_in):
    quiz = make_quiz(db, data=questions(), review_policy="after_submit")
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    answer_all(browser, db, attempt_id)
    first = browser.post(f"/attempts/{attempt_id}/submit")
    assert first.status_code == 303 and first.headers["location"] == f"/attempts/{attempt_id}/result"
    db.expire_all()
    submitted_at = db.get(Attempt, attempt_id).submitted_at
    second = browser.post(f"/attempts/{attempt_id}/submit")
    assert second.headers["location"] == f"/attempts/{attempt_id}/result"
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    assert attempt.submitted_at == submitted_at and attempt.percent == 100
    result = browser.get(f"/attempts/{attempt_id}/result").text
    assert "You passed" in result and "6 out of 6 (100%)" in result
    assert browser.get(f"/attempts/{attempt_id}").headers["location"] == f"/attempts/{attempt_id}/result"
    intro = browser.get(f"/quizzes/{quiz.id}").text
    assert "Attempt 1" in intro and "100%" in intro and "Start a new attempt" in intro


def test_no_saves_after_submitting(db, signed_in):
    quiz = make_quiz(db, data=questions()[:1])
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/submit")
    late = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"}, headers=HX)
    assert late.status_code == 409 and "has been submitted" in late.text and "/result" in late.text
    plain = browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"})
    assert plain.status_code == 409 and "See your result" in plain.text
    assert db.get(Response, (attempt_id, 0)).answer == {}


def test_attempts_allowed_are_enforced(db, signed_in):
    quiz = make_quiz(db, data=questions()[:1], attempts_allowed=1)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/submit")
    intro = browser.get(f"/quizzes/{quiz.id}").text
    assert "You have used all the attempts" in intro and "Start a new attempt" not in intro
    assert browser.post(f"/quizzes/{quiz.id}/start").headers["location"] == f"/quizzes/{quiz.id}"


def test_someone_elses_attempt_is_not_found(db, signed_in, client, make_user):
    quiz = make_quiz(db, data=questions()[:1])
    owner, _ = signed_in()
    attempt_id = start(owner, quiz)
    owner.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"})
    client.cookies.clear()
    other, _ = signed_in()
    base = f"/attempts/{attempt_id}"
    for url in (base, f"{base}/summary", f"{base}/result"):
        assert other.get(url).status_code == 404
    for url in (f"{base}/slots/0", f"{base}/submit"):
        assert other.post(url, {"sequence": "1", "choice": "b"}).status_code == 404
    db.expire_all()
    assert db.get(Attempt, attempt_id).state == "in_progress"
    assert db.get(Response, (attempt_id, 0)).answer == {"choice": "a"}


def test_course_pages_are_unchanged_for_other_lessons(db, signed_in):
    course = make_course(db)
    browser, _ = signed_in()
    assert "Go to the quiz" not in browser.get(f"/courses/{course.id}").text


def test_a_question_page_sends_the_same_few_statements_whatever_the_answers(app, db, signed_in):
    # The attempt, its quiz and lesson come in one statement and the answers in one more (issue 15);
    # the rest is what every signed-in page sends (the session with its person, the notification count).
    quiz = make_quiz(db, data=questions(), one_per_page=False)
    browser, _ = signed_in()
    attempt_id = start(browser, quiz)
    counts = []
    for answers in ({}, RIGHT):
        answer_all(browser, db, attempt_id, answers)
        with counting(app.state.engine) as statements:
            assert browser.get(f"/attempts/{attempt_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 4, counts
