"""A learner's way through a course sends every kind of statement Proficio emits: each one passes
Ralph's xAPI 1.0.3 models, and the delivery job puts each into a real LRS exactly once."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from assessments.attempts.service import attempt_start, attempt_submit, response_save
from courses.learning.service import course_feedback_save, lesson_complete, lesson_viewed
from courses.models import LessonKind
from lms.competences.framework_case import uri_for
from lms.config import get_settings
from lms.demo import demo_load
from lms.people.models import User
from lms.xapi.delivery import statements_deliver
from lms.xapi.models import StatementState, XapiStatement
from lms.xapi.statements import VERBS
from tests.assessments.factories import answer, make_quiz, single_choice, true_or_false
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import competence, load_digcomp
from tests.lms.xapi.lrs import ralph_validate


def _take(db, quiz, learner, data, *, right: bool):
    attempt = attempt_start(db, quiz=quiz, user=learner)
    db.flush()
    for slot, question in enumerate(data):
        response_save(db, attempt=attempt, slot=slot, answer=answer(question, right=right), sequence=0)
    attempt_submit(db, attempt=attempt)
    db.commit()
    return attempt


def journey(db, make_user):
    """Open a page lesson and a SCORM lesson, fail then pass the quiz (completing the course and
    reaching a verified level of DigComp 1.1), rate the course."""
    load_digcomp(db)
    learner = make_user(email="ada@example.gov")
    course = make_course(db, "Spotting phishing", modules=(("Read me", "Play me", "Check yourself"),), develops={"1.1": 3})
    read, play, check = lessons_of(db, course)
    play.kind = LessonKind.PACKAGE.value
    db.add(play)
    db.commit()
    data = [single_choice("Which link?"), true_or_false("Is it safe?")]
    quiz = make_quiz(db, data=data, lesson=check, pass_percent=100)
    lesson_viewed(db, user=learner, lesson=read)
    lesson_complete(db, user=learner, lesson=read)
    lesson_viewed(db, user=learner, lesson=play)
    lesson_complete(db, user=learner, lesson=play)
    db.commit()
    _take(db, quiz, learner, data, right=False)
    _take(db, quiz, learner, data, right=True)
    course_feedback_save(db, course=course, user=learner, rating=4, comment="Useful, but long.")
    db.commit()
    return learner, course, quiz


def queued(db) -> list[XapiStatement]:
    db.expire_all()
    return list(db.exec(select(XapiStatement).order_by(XapiStatement.id)))


def test_every_kind_of_statement_passes_ralphs_models_and_reaches_the_lrs_once(db, make_user, xapi, lrs):
    learner, course, quiz = journey(db, make_user)
    rows = queued(db)
    statements = [row.statement for row in rows]
    verbs = Counter(s["verb"]["id"] for s in statements)
    assert set(verbs) == set(VERBS.values()), "every verb Proficio knows is emitted on this journey"
    assert verbs[VERBS["answered"]] == 4  # two questions, two attempts
    assert verbs[VERBS["completed"]] == 4  # three lessons and the course
    assert ralph_validate(statements) == []

    report = statements_deliver(db, settings=get_settings())
    assert (report.sent, report.retried, report.failed) == (len(rows), 0, 0)
    assert {row.state for row in queued(db)} == {StatementState.SENT.value}

    held = [s for s in lrs.statements() if s["actor"].get("account", {}).get("homePage") == xapi]
    assert Counter(s["id"] for s in held) == Counter(row.statement_id for row in rows)
    by_id = {s["id"]: s for s in held}
    for row in rows:
        assert by_id[row.statement_id]["verb"]["id"] == row.statement["verb"]["id"]
        assert by_id[row.statement_id]["actor"] == {"objectType": "Agent", "account": {"homePage": xapi, "name": str(learner.id)}}


def test_statements_say_what_an_analytics_team_needs(db, make_user, xapi):
    learner, course, quiz = journey(db, make_user)
    statements = [row.statement for row in queued(db)]
    text = repr(statements)
    assert "ada@example.gov" not in text, "actors are accounts, not e-mail addresses"
    assert "Useful, but long." not in text, "a learner's own comment stays in Proficio"

    def only(verb: str) -> list[dict]:
        return [s for s in statements if s["verb"]["id"] == VERBS[verb]]

    base = "https://lms.example.gov"
    opened = {(s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"]) for s in only("experienced") + only("launched")}
    read, play, check = lessons_of(db, course)
    lesson = f"{base}/courses/{course.id}/lessons/"
    # The quiz lesson counts as opened when passing it moves the learner there.
    assert opened == {
        ("experienced", f"{lesson}{read.id}"),
        ("launched", f"{lesson}{play.id}"),
        ("experienced", f"{lesson}{check.id}"),
    }
    course_done = [s for s in only("completed") if s["object"]["id"] == f"{base}/courses/{course.id}"]
    assert len(course_done) == 1 and course_done[0]["object"]["definition"]["name"] == {"en": "Spotting phishing"}

    (failed,) = only("failed")
    (passed,) = only("passed")
    assert failed["object"]["id"] == passed["object"]["id"] == f"{base}/quizzes/{quiz.id}"
    assert failed["result"]["score"] == {"raw": 0.0, "min": 0, "max": 2.0, "scaled": 0.0} and failed["result"]["success"] is False
    assert passed["result"]["score"]["scaled"] == 1.0 and passed["result"]["success"] is True
    assert all(s["context"]["contextActivities"]["parent"][0]["id"] == passed["object"]["id"] for s in only("answered"))

    (rated,) = only("rated")
    assert rated["result"]["score"] == {"raw": 4, "min": 1, "max": 5, "scaled": 0.8}

    (achieved,) = only("achieved")
    skill = competence(db, "1.1")
    assert achieved["object"]["id"].startswith(f"{base}/ims/case/v1p0/uri/") or achieved["object"]["id"] == uri_for(
        base, skill.case_id
    )
    assert achieved["result"]["extensions"]["https://w3id.org/xapi/proficio/extensions/level"] == 3
    assert achieved["context"]["contextActivities"]["parent"][0]["id"].startswith(base)

    assert all(s["timestamp"].endswith("Z") for s in statements)
    assert len({s["id"] for s in statements}) == len(statements)


def test_mbox_actors_when_the_organisation_asks_for_them(db, make_user, monkeypatch, lrs):
    from tests.lms.xapi.conftest import point_at

    point_at(monkeypatch, lrs.endpoint, XAPI_ACTOR_MBOX="true")
    learner = make_user(email="grace@example.gov")
    course = make_course(db, "Passwords")
    lesson_complete(db, user=learner, lesson=lessons_of(db, course)[0])
    db.commit()
    actors = [row.statement["actor"] for row in queued(db)]
    assert actors and all(actor == {"objectType": "Agent", "mbox": "mailto:grace@example.gov"} for actor in actors)
    assert ralph_validate([row.statement for row in queued(db)]) == []


def test_nothing_is_queued_while_xapi_is_off(db, make_user, monkeypatch):
    monkeypatch.setenv("XAPI_ENDPOINT", "")
    get_settings.cache_clear()
    learner = make_user()
    course = make_course(db, "Passwords")
    lesson_complete(db, user=learner, lesson=lessons_of(db, course)[0])
    db.commit()
    assert queued(db) == []


def test_the_demos_invented_history_never_reaches_the_lrs(db, monkeypatch):
    # An operator may load the demo on a server already pointed at the organisation's LRS.
    monkeypatch.setenv("XAPI_ENDPOINT", "https://lrs.example.gov/xAPI")
    monkeypatch.setenv("BASE_URL", "https://lms.example.gov")
    get_settings.cache_clear()
    demo_load(db)
    db.commit()
    assert queued(db) == []
    # Real learning after the demo is recorded as usual.
    employee = db.exec(select(User).where(User.email == "employee@example.gov")).one()
    course = make_course(db, "Passwords")
    lesson_complete(db, user=employee, lesson=lessons_of(db, course)[0])
    db.commit()
    assert {row.verb for row in queued(db)} >= {"completed"}
