"""Quiz authoring over HTTP: who may, creating a quiz lesson, settings and their validation, slots."""

from __future__ import annotations

from sqlmodel import select

from assessments.models import Attempt, Quiz, QuizSlot
from courses.models import Lesson, Module
from tests.conftest import Browser, sign_in
from tests.assessments.factories import make_category, make_question, make_quiz, questions, start
from tests.courses.factories import make_course
from tests.lms.competences.factories import competence, load_digcomp

SETTINGS = {
    "title": "Check your knowledge",
    "pass_percent": "80",
    "time_limit_minutes": "20",
    "attempts_allowed": "3",
    "shuffle_questions": "1",
    "shuffle_choices": "1",
    "layout": "all",
    "review_policy": "score_only",
    "mode": "proves",
    "proves_competence_id": "",
    "proves_level": "",
}


def _trainer_quiz(db, signed_in, data=None):
    browser, trainer = signed_in("trainer")
    quiz = make_quiz(db, data=questions() if data is None else data, editors=[trainer])
    return browser, trainer, quiz


def test_only_editors_of_the_course_can_author_its_quiz(db, signed_in, client, make_user):
    other = make_user("trainer")
    quiz = make_quiz(db, data=questions(), editors=[other])
    module = db.exec(select(Module)).first()
    slot = db.exec(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id)).first()
    gets = [
        f"/author/quizzes/{quiz.id}",
        f"/author/quizzes/by-lesson/{quiz.lesson_id}",
        f"/author/courses/{module.course_id}/modules/{module.id}/quizzes/new",
    ]
    posts = [
        (f"/author/quizzes/{quiz.id}", SETTINGS),
        (f"/author/courses/{module.course_id}/modules/{module.id}/quizzes", {"title": "Sneaky"}),
        (f"/author/quizzes/{quiz.id}/slots", {"source": "random", "category_id": "1", "draw_count": "1"}),
        (f"/author/quizzes/{quiz.id}/slots/{slot.id}/move", {"direction": "down"}),
        (f"/author/quizzes/{quiz.id}/slots/{slot.id}/delete", {}),
    ]
    for roles, status in ((("trainer",), 404), ((), 403)):
        client.cookies.clear()
        browser, _ = signed_in(*roles)
        assert [browser.get(url).status_code for url in gets] == [status] * len(gets)
        assert [browser.post(url, data).status_code for url, data in posts] == [status] * len(posts)
    db.expire_all()
    assert len(db.exec(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id)).all()) == 6
    client.cookies.clear()
    admin, _ = signed_in("admin")
    assert admin.get(f"/author/quizzes/{quiz.id}").status_code == 200


def test_a_trainer_adds_a_quiz_to_a_module(db, signed_in):
    browser, trainer = signed_in("trainer")
    course = make_course(db, editors=[trainer], status="draft")
    module = db.exec(select(Module).where(Module.course_id == course.id)).one()
    outline = browser.get(f"/author/courses/{course.id}").text
    new_url = f"/author/courses/{course.id}/modules/{module.id}/quizzes/new"
    assert new_url in outline
    assert browser.get(new_url).status_code == 200

    blank = browser.post(f"/author/courses/{course.id}/modules/{module.id}/quizzes", {"title": "  "})
    assert blank.status_code == 422 and "Enter a title for the quiz." in blank.text

    created = browser.post(f"/author/courses/{course.id}/modules/{module.id}/quizzes", {"title": "Final check"})
    assert created.status_code == 303
    db.expire_all()
    lesson = db.exec(select(Lesson).where(Lesson.title == "Final check")).one()
    quiz = db.exec(select(Quiz).where(Quiz.lesson_id == lesson.id)).one()
    assert lesson.kind == "quiz" and created.headers["location"] == f"/author/quizzes/{quiz.id}"
    outline = browser.get(f"/author/courses/{course.id}").text
    assert f"/author/quizzes/by-lesson/{lesson.id}" in outline and "Quiz settings" in outline
    assert browser.get(f"/author/quizzes/by-lesson/{lesson.id}").headers["location"] == f"/author/quizzes/{quiz.id}"
    page = browser.get(f"/author/quizzes/{quiz.id}").text
    assert "No questions yet" in page and "Pass mark (percent)" in page


def test_settings_are_validated_and_saved(db, signed_in):
    browser, _, quiz = _trainer_quiz(db, signed_in)
    load_digcomp(db)
    safety = competence(db, "4.1")

    bad = browser.post(
        f"/author/quizzes/{quiz.id}",
        {**SETTINGS, "pass_percent": "150", "time_limit_minutes": "0", "attempts_allowed": "many", "review_policy": "sometimes"},
    )
    assert bad.status_code == 422
    for message in (
        "Enter the pass mark as a whole number from 0 to 100.",
        "Enter the time limit in minutes",
        "Enter the number of attempts",
        "Choose what learners see after submitting.",
    ):
        assert message in bad.text
    no_level = browser.post(f"/author/quizzes/{quiz.id}", {**SETTINGS, "proves_competence_id": str(safety.id)})
    assert no_level.status_code == 422 and "Choose the level a pass proves" in no_level.text
    bad_bands = browser.post(
        f"/author/quizzes/{quiz.id}", {**SETTINGS, "mode": "diagnostic", "band_min": ["50", "x"], "band_level": ["2", "3"]}
    )
    assert bad_bands.status_code == 422 and "Each band needs a minimum percent" in bad_bands.text
    no_bands = browser.post(f"/author/quizzes/{quiz.id}", {**SETTINGS, "mode": "diagnostic"})
    assert no_bands.status_code == 422 and "needs at least one band" in no_bands.text
    db.expire_all()
    assert db.get(Quiz, quiz.id).pass_percent == 70  # nothing saved

    ok = browser.post(
        f"/author/quizzes/{quiz.id}",
        {**SETTINGS, "title": "Renamed quiz", "proves_competence_id": str(safety.id), "proves_level": "3"},
    )
    assert ok.status_code == 303
    db.expire_all()
    saved = db.get(Quiz, quiz.id)
    assert (saved.pass_percent, saved.time_limit_minutes, saved.attempts_allowed) == (80, 20, 3)
    assert saved.shuffle_questions and saved.shuffle_choices and not saved.one_per_page
    assert (saved.review_policy, saved.proves_competence_id, saved.proves_level) == ("score_only", safety.id, 3)
    assert db.get(Lesson, quiz.lesson_id).title == "Renamed quiz"

    blank_limits = browser.post(
        f"/author/quizzes/{quiz.id}",
        {
            **SETTINGS,
            "time_limit_minutes": "",
            "attempts_allowed": "",
            "mode": "diagnostic",
            "band_min": ["80", "50", ""],
            "band_level": ["4", "2", ""],
        },
    )
    assert blank_limits.status_code == 303
    db.expire_all()
    saved = db.get(Quiz, quiz.id)
    assert saved.time_limit_minutes is None and saved.attempts_allowed is None
    assert saved.diagnostic and saved.diagnostic_bands == [[50, 2], [80, 4]] and saved.proves_competence_id is None
    page = browser.get(f"/author/quizzes/{quiz.id}").text
    assert 'value="80"' in page and 'value="50"' in page


def _slots(db, quiz):
    db.expire_all()
    return list(db.exec(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position, QuizSlot.id)).all())


def test_slots_fixed_and_random_can_be_added_moved_and_removed(db, signed_in):
    browser, _, quiz = _trainer_quiz(db, signed_in, data=[])
    first, second = questions()[:2]
    pool = make_category(db, "Pool")
    q1 = make_question(db, first)
    make_question(db, second, category=pool)
    make_question(db, questions()[2], category=pool)

    filtered = browser.get(f"/author/quizzes/{quiz.id}?category={pool.id}").text
    assert "Safe habits" in filtered and "Capital" not in filtered

    added = browser.post(f"/author/quizzes/{quiz.id}/slots", {"source": "fixed", "question_id": str(q1.id)})
    assert added.status_code == 303
    again = browser.post(f"/author/quizzes/{quiz.id}/slots", {"source": "fixed", "question_id": str(q1.id)})
    assert again.status_code == 422 and "already in this quiz" in again.text
    missing = browser.post(f"/author/quizzes/{quiz.id}/slots", {"source": "fixed", "question_id": "999999"})
    assert missing.status_code == 422
    too_many = browser.post(f"/author/quizzes/{quiz.id}/slots", {"source": "random", "category_id": str(pool.id), "draw_count": "3"})
    assert too_many.status_code == 422 and "has only 2 questions" in too_many.text
    assert (
        browser.post(
            f"/author/quizzes/{quiz.id}/slots", {"source": "random", "category_id": str(pool.id), "draw_count": "2"}
        ).status_code
        == 303
    )
    slots = _slots(db, quiz)
    assert [(s.question_id, s.category_id, s.draw_count) for s in slots] == [(q1.id, None, 1), (None, pool.id, 2)]
    page = browser.get(f"/author/quizzes/{quiz.id}").text
    assert "2 random questions from “Pool”" in page and "Capital (single choice)" in page

    browser.post(f"/author/quizzes/{quiz.id}/slots/{slots[1].id}/move", {"direction": "up"})
    assert [s.id for s in _slots(db, quiz)] == [slots[1].id, slots[0].id]
    browser.post(f"/author/quizzes/{quiz.id}/slots/{slots[1].id}/delete")
    assert [s.id for s in _slots(db, quiz)] == [slots[0].id]

    other = make_quiz(db, data=[])
    assert browser.post(f"/author/quizzes/{quiz.id}/slots/{slots[0].id}/delete").status_code == 303
    assert browser.post(f"/author/quizzes/{other.id}/slots/{slots[0].id}/delete").status_code == 404


def test_changing_settings_never_changes_a_started_attempt(db, client, make_user):
    trainer, learner = make_user("trainer"), make_user()
    quiz = make_quiz(db, editors=[trainer], review_policy="after_submit", pass_percent=50, data=questions()[:1])
    browser = Browser(client)

    def become(user):
        client.cookies.clear()
        assert sign_in(client, user.email).status_code == 303

    become(learner)
    attempt_id = start(browser, quiz)
    browser.post(f"/attempts/{attempt_id}/slots/0", {"sequence": "0", "choice": "a"})
    become(trainer)
    changed = browser.post(
        f"/author/quizzes/{quiz.id}", {**SETTINGS, "pass_percent": "100", "review_policy": "never", "layout": "one_per_page"}
    )
    assert changed.status_code == 303
    db.expire_all()
    assert db.get(Quiz, quiz.id).pass_percent == 100
    assert db.get(Attempt, attempt_id).settings["pass_percent"] == 50

    become(learner)
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 303
    result = browser.get(f"/attempts/{attempt_id}/result").text
    assert "You passed" in result and "The pass mark is 50%" in result
    assert "Correct" in result  # the after-submit review it started with, not "never"


def test_a_quiz_lesson_cannot_be_deleted_only_hidden(db, make_user):
    """Attempts point at the quiz, so deleting its lesson (or its module) is refused with a message."""
    import pytest
    from sqlmodel import select

    from courses.authoring.service import lesson_delete, module_delete
    from courses.models import Lesson, LessonKind, Module
    from courses.errors import CourseError
    from tests.courses.factories import make_course

    trainer = make_user("trainer")
    course = make_course(db, editors=[trainer], modules=[["Intro"]])
    module = db.exec(select(Module).where(Module.course_id == course.id)).first()
    quiz_lesson = Lesson(course_id=course.id, module_id=module.id, title="Check", kind=LessonKind.QUIZ.value)
    db.add(quiz_lesson)
    db.commit()
    with pytest.raises(CourseError, match="Hide the quiz"):
        lesson_delete(db, lesson=quiz_lesson, by=trainer)
    with pytest.raises(CourseError, match="Hide the quiz"):
        module_delete(db, module=module, by=trainer)
