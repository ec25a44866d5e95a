"""Learner pages kept per session (lms/web/page_cache.py): a write that changes a page shows on the next
view, someone else's writes do not evict it, nobody gets another person's page, and losing access
is immediate. Through HTTP on both engines; the cache is on here as in production."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, delete, select, text

from assessments.models import Attempt
from courses.models import Course, Enrolment
from lms.competences.models import JobProfile, JobProfileRequirement
from lms.competences.service import self_assess
from lms.config import Settings
from lms.people.models import RoleGrant, User
from lms.web.page_cache import Entry, PageCache
from lms.web.capacity import ConnectionGate
from lms.web.cookies import SESSION_COOKIE
from tests.assessments.attempt_support import expire_deadline
from tests.assessments.factories import make_quiz, questions, sequences, slot_of, start
from tests.conftest import Browser, csrf_from, sign_in
from tests.courses.factories import lessons_of, make_course
from tests.lms.competences.factories import make_competences


HX = {"HX-Request": "true"}


@pytest.fixture
def cache(app):
    app.state.page_cache.max_age = 60
    return app.state.page_cache


@pytest.fixture
def second(app):
    """Another browser on the same app, for a second person."""
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def _hit(cache, url_get):
    before = cache.hits
    response = url_get()
    return response, cache.hits == before + 1


def test_a_repeat_view_is_kept_revalidated_and_answered_304(cache, signed_in):
    browser, _user = signed_in()
    first = browser.get("/learning")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "private, no-cache"
    etag = first.headers["etag"]
    again, hit = _hit(cache, lambda: browser.get("/learning"))
    assert hit and again.text == first.text and again.headers["etag"] == etag
    assert again.headers["content-security-policy"]  # the security headers are added to a kept page too
    not_modified = browser.get("/learning", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag


def test_pages_not_kept_outside_learner_pages_and_for_htmx(cache, client, signed_in):
    assert client.get("/learning").status_code in (302, 303)  # no session: the ordinary path sends to sign-in
    browser, _user = signed_in()
    browser.get("/account")
    browser.get("/account")
    assert "etag" not in browser.get("/account").headers
    browser.get("/learning", headers={"HX-Request": "true"})
    assert cache.hits == 0


def test_my_enrolment_through_the_route_shows_on_my_learning_and_the_course_page(cache, signed_in, db):
    browser, _user = signed_in()
    course = make_course(db, "Spotting phishing")
    assert "Spotting phishing" not in browser.get("/learning").text
    page = browser.get(f"/courses/{course.id}")
    assert "Enrol" in page.text
    assert browser.post(f"/courses/{course.id}/enrol").status_code == 303
    assert "Spotting phishing" in browser.get("/learning").text
    browser.get(f"/courses/{course.id}")  # carries the flash message: answered fresh, not kept
    after = browser.get(f"/courses/{course.id}")
    assert 'action="/courses/{}/enrol"'.format(course.id) not in after.text


def test_a_flash_message_is_shown_once_and_never_kept(cache, signed_in, db):
    browser, _user = signed_in()
    course = make_course(db, "Spotting phishing")
    browser.get(f"/courses/{course.id}")
    browser.post(f"/courses/{course.id}/enrol")
    with_flash = browser.get(f"/courses/{course.id}")
    assert "usa-alert--success" in with_flash.text and "etag" not in with_flash.headers
    assert "usa-alert--success" not in browser.get(f"/courses/{course.id}").text
    assert "usa-alert--success" not in browser.get(f"/courses/{course.id}").text


def test_progress_written_by_a_service_shows_on_the_lesson_and_course_pages(cache, signed_in, db):
    browser, user = signed_in()
    course = make_course(db, "Spotting phishing", modules=(("First", "Second"),))
    first, _second = lessons_of(db, course)
    browser.post(f"/courses/{course.id}/enrol")
    browser.get(f"/courses/{course.id}")  # the flash
    before = browser.get(f"/courses/{course.id}").text
    lesson_before = browser.get(f"/courses/{course.id}/lessons/{first.id}").text
    assert browser.get(f"/courses/{course.id}").text == before  # kept
    # Raw SQL, as a script or the worker might write: the trigger still attributes it to the person.
    db.execute(
        text("INSERT INTO lesson_progress (user_id, lesson_id, course_id, first_viewed_at, completed_at) VALUES (:u, :l, :c, :t, :t)"),
        {"u": user.id, "l": first.id, "c": course.id, "t": "2026-12-01 10:00:00.000000"},
    )
    db.commit()
    assert browser.get(f"/courses/{course.id}").text != before
    assert browser.get(f"/courses/{course.id}/lessons/{first.id}").text != lesson_before


def test_my_self_assessment_through_the_service_shows_on_my_skills(cache, signed_in, db):
    (competence,) = make_competences(db, "4.1")
    profile = JobProfile(name="Caseworker")
    db.add(profile)
    db.flush()
    db.add(JobProfileRequirement(job_profile_id=profile.id, competence_id=competence.id, level=3))
    db.commit()
    browser, user = signed_in(job_profile_id=profile.id)
    before = browser.get("/skills").text
    assert "Competence 4.1" in before
    assert browser.get("/skills").text == before
    self_assess(db, user=db.get(User, user.id), competence=competence, level=3)
    db.commit()
    assert browser.get("/skills").text != before


def test_shared_content_changed_by_a_trainer_shows_on_the_catalogue(cache, signed_in, db):
    browser, _user = signed_in()
    course = make_course(db, "Spotting phishing")
    assert "Spotting phishing" in browser.get("/courses").text
    assert "Spotting phishing" in browser.get("/courses").text
    db.get(Course, course.id).title = "Spotting smishing"
    db.commit()
    assert "Spotting smishing" in browser.get("/courses").text


def test_someone_elses_write_to_their_own_data_does_not_evict_my_page(cache, app, client, second, make_user, db):
    me, other = make_user(), make_user()
    course = make_course(db, "Spotting phishing")
    sign_in(client, me.email)
    sign_in(second, other.email)
    mine = Browser(client)
    mine.get("/learning")
    Browser(second).post(f"/courses/{course.id}/enrol")
    assert db.exec(select(Enrolment).where(Enrolment.user_id == other.id)).first() is not None
    _response, hit = _hit(cache, lambda: mine.get("/learning"))
    assert hit


def test_a_person_never_receives_another_persons_page(cache, client, second, make_user, db):
    ann, bob = make_user(name="Ann Example"), make_user(name="Bob Example")
    make_course(db, "Spotting phishing")
    sign_in(client, ann.email)
    sign_in(second, bob.email)
    for _round in range(2):  # the second round is answered from the kept copies
        for url in ("/learning", "/skills", "/courses"):
            ann_page, bob_page = client.get(url).text, second.get(url).text
            assert "Ann Example" in ann_page and "Bob Example" not in ann_page
            assert "Bob Example" in bob_page and "Ann Example" not in bob_page
            assert csrf_from(ann_page) != csrf_from(bob_page)
    assert cache.hits == 6


def test_the_csrf_token_in_a_kept_page_works(cache, signed_in, db):
    browser, _user = signed_in()
    course = make_course(db, "Spotting phishing")
    browser.get(f"/courses/{course.id}")
    kept, hit = _hit(cache, lambda: browser.get(f"/courses/{course.id}"))
    assert hit
    response = browser.client.post(f"/courses/{course.id}/enrol", data={"csrf_token": csrf_from(kept.text)})
    assert response.status_code == 303


def test_a_deactivated_person_loses_a_kept_page_at_once(cache, signed_in, db):
    browser, user = signed_in()
    browser.get("/learning")
    assert browser.get("/learning").status_code == 200
    db.get(User, user.id).is_active = False
    db.commit()
    assert browser.get("/learning").status_code in (302, 303)


def test_a_signed_out_session_loses_a_kept_page_at_once(cache, signed_in):
    browser, _user = signed_in()
    token = browser.client.cookies.get(SESSION_COOKIE)
    browser.get("/skills")
    assert browser.get("/skills").status_code == 200
    assert browser.post("/logout").status_code == 303
    browser.client.cookies.set(SESSION_COOKIE, token)  # someone replaying the old cookie
    assert browser.get("/skills").status_code in (302, 303)


def test_a_removed_role_is_gone_from_a_kept_page_at_once(cache, signed_in, db):
    browser, user = signed_in("trainer")
    assert 'href="/author"' in browser.get("/learning").text
    assert 'href="/author"' in browser.get("/learning").text
    db.exec(delete(RoleGrant).where(col(RoleGrant.user_id) == user.id))
    db.commit()
    assert 'href="/author"' not in browser.get("/learning").text


def test_kept_pages_stay_within_their_memory_and_age_bounds():
    cache = PageCache(max_age=60, max_bytes=250)
    for n in range(3):
        cache.put(("s", f"/p{n}"), Entry(("k",), b"e", 200, [], b"x" * 100, time.monotonic()))
    assert cache.get(("s", "/p0"), ("k",)) is None  # the least recently used went first
    assert cache.get(("s", "/p2"), ("k",)) is not None
    assert cache.get(("s", "/p2"), ("other key",)) is None
    cache.max_age = 0
    assert cache.get(("s", "/p2"), ("k",)) is None
    cache.clear()
    assert Settings(page_cache_seconds=5).page_cache == 5
    assert Settings(proficio_env="development").page_cache == 0


def test_the_home_page_is_kept_for_people_without_a_role_or_only_a_managers(cache, signed_in, db):
    (competence,) = make_competences(db, "4.2")
    browser, user = signed_in()
    before = browser.get("/")
    _page, hit = _hit(cache, lambda: browser.get("/"))
    assert hit
    self_assess(db, user=db.get(User, user.id), competence=competence, level=2)
    db.commit()
    after = browser.get("/").text
    assert "Competence 4.2" in after and "Competence 4.2" not in before.text  # the home's recent evidence
    db.add(RoleGrant(user_id=user.id, role="manager"))
    db.commit()
    assert "Your team at a glance" in browser.get("/").text  # the new role shows at once
    _page, hit = _hit(cache, lambda: browser.get("/"))
    assert hit  # kept under the line's versions too (test_page_cache_team.py)
    db.add(RoleGrant(user_id=user.id, role="trainer"))
    db.commit()
    browser.get("/")
    _page, hit = _hit(cache, lambda: browser.get("/"))
    assert not hit  # a trainer's panels show their learners: never kept


def test_an_autosaved_answer_shows_on_the_kept_question_page_and_a_timed_attempt_is_never_kept(cache, signed_in, db):
    quiz = make_quiz(db, data=questions())
    browser, _user = signed_in()
    attempt_id = start(browser, quiz)
    slot = slot_of(db, attempt_id, "short_text")
    url = f"/attempts/{attempt_id}?page={slot + 1}"
    browser.get(url)
    _page, hit = _hit(cache, lambda: browser.get(url))
    assert hit
    saved = browser.post(
        f"/attempts/{attempt_id}/slots/{slot}", {"sequence": "0", "text": "first try"}, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200
    reloaded = browser.get(url).text
    assert 'value="first try"' in reloaded and sequences(reloaded) == {slot: 1}
    expire_deadline(db, db.get(Attempt, attempt_id))  # now timed, its deadline passed: closed on the next view
    assert browser.get(url).status_code == 303


def test_a_busy_database_is_answered_as_on_any_page(cache, app, signed_in):
    browser, _user = signed_in()
    browser.get("/learning")
    app.state.db_gate = ConnectionGate(0, 0.01)  # no connection to be had
    busy = browser.get("/learning")
    assert busy.status_code == 503 and "Too many people" in busy.text
