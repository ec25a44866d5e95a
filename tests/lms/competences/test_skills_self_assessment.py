"""Self-assessment: one competence at a time, saved as you go (htmx) or with a plain form."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from lms.competences.models import CompetenceStatus, Evidence
from tests.conftest import csrf_from
from tests.lms.competences.factories import competence as comp, load_digcomp, make_profile, record
from tests.lms.competences.test_skills_pages import text

HTMX = {"HX-Request": "true"}


@pytest.fixture
def setup(db, make_user):
    load_digcomp(db)
    profile = make_profile(db, requirements={"3.1": 4, "1.2": 3})
    manager = make_user("manager", name="Mona Manager")
    return profile, manager


def evidence_of(db, user, code):
    db.expire_all()
    return db.exec(
        select(Evidence).where(Evidence.user_id == user.id, Evidence.competence_id == comp(db, code).id).order_by(Evidence.id)
    ).all()


def status_of(db, user, code) -> CompetenceStatus:
    db.expire_all()
    return db.get(CompetenceStatus, (user.id, comp(db, code).id))


def test_walk_starts_with_the_roles_competences(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    page = browser.get("/skills/self-assessment")
    body = text(page)
    assert page.status_code == 200
    # Framework order within the role: 1.2 before 3.1; then the other 19.
    assert "1.2 Evaluating data" in body and "Competence 1 of 21 · 1 of 2 required for your role" in body
    assert "Judge whether sources and data are credible" in body  # the description
    assert "<fieldset" in page.text and "<legend" in page.text
    radios = re.findall(r'type="radio" name="level" value="(\d)"', page.text)
    assert radios == [str(n) for n in range(9)]
    assert "0 — I have not used this" in body and "5 · Advanced Different tasks and problems" in body
    assert f'href="/skills/self-assessment?competence={comp(db, "3.1").id}"' in page.text  # Skip
    assert 'hx-post="/skills/self-assessment"' in page.text and 'hx-trigger="change"' in page.text
    assert 'aria-live="polite"' in page.text


def test_jump_to_one_competence_and_current_answer_is_preselected(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "5.2", 3, "self", me)
    page = browser.get(f"/skills/self-assessment?competence={comp(db, '5.2').id}")
    assert "5.2 Identifying needs" in text(page)
    assert re.search(r'value="3" checked', page.text)
    assert len(re.findall(r"\bchecked\b", page.text)) == 1


def test_plain_form_saves_evidence_and_goes_to_the_next_competence(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "1.2", 2, "manager", manager)

    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "1.2").id, "level": "5"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/skills/self-assessment?competence={comp(db, '3.1').id}"
    saved = evidence_of(db, me, "1.2")[-1]
    assert (saved.source, saved.level, saved.recorded_by_id) == ("self", 5, me.id)
    status = status_of(db, me, "1.2")
    assert status.self_level == 5 and status.verified_level == 2  # self-assessment never verifies
    assert "You said: 5 · Advanced (not verified)" in text(browser.get("/skills"))


def test_save_and_continue_confirms_the_save_on_the_next_page(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "1.2").id, "level": "3"})
    following = text(browser.get(response.headers["location"]))
    assert "Saved your answer for 1.2 Evaluating data, information and digital content." in following and "3.1" in following
    # Said once: the page after that says nothing of it.
    assert "Saved your answer" not in text(browser.get(response.headers["location"]))


def test_with_htmx_the_answer_is_confirmed_in_place_and_again_after_continuing(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    change = browser.post("/skills/self-assessment", {"competence_id": comp(db, "1.2").id, "level": "4"}, headers=HTMX)
    assert "Saved: you said 4" in text(change) and "1.2 Evaluating data" in text(change)
    # "Save and continue" is a plain submit carrying the level htmx already saved: it moves on, says so,
    # and does not record the same answer twice.
    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "1.2").id, "level": "4", "saved_level": "4"})
    assert response.status_code == 303
    after = text(browser.get(response.headers["location"]))
    assert "Saved your answer for 1.2 Evaluating data, information and digital content." in after
    assert [e.level for e in evidence_of(db, me, "1.2")] == [4]


def test_htmx_change_saves_in_place_without_moving_on(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "3.1").id, "level": "0"}, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers and "location" not in response.headers
    assert "Saved: you said 0 for 3.1" in text(response)
    assert "<html" not in response.text
    assert status_of(db, me, "3.1").self_level == 0


def test_repeating_keeps_the_history(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    for level in ("2", "4", "3"):
        browser.post("/skills/self-assessment", {"competence_id": comp(db, "3.1").id, "level": level}, headers=HTMX)
    assert [e.level for e in evidence_of(db, me, "3.1")] == [2, 4, 3]
    assert status_of(db, me, "3.1").self_level == 3
    history = text(browser.get(f"/skills/{comp(db, '3.1').id}")).split("Evidence history", 1)[1]
    assert history.count("Self-assessment (not verified)") == 3


def test_last_competence_returns_to_my_skills_with_a_message(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    last = browser.get("/skills/self-assessment?competence=%d" % comp(db, "5.4").id)
    assert 'href="/skills"' in last.text and "Skip" in text(last)
    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "5.4").id, "level": "1"})
    assert response.status_code == 303 and response.headers["location"] == "/skills"
    page = text(browser.get("/skills"))
    assert "Saved your answer for 5.4" in page and "your self-assessment is saved" in page


@pytest.mark.parametrize("level", ["", "9", "-1", "abc"])
def test_bad_level_is_rejected_with_a_message(db, signed_in, setup, level):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    response = browser.post("/skills/self-assessment", {"competence_id": comp(db, "3.1").id, "level": level})
    assert response.status_code == 422
    assert "Choose" in text(response) and "There is a problem" in text(response)
    assert 'id="level-error"' in response.text and 'href="#level"' in response.text
    htmx = browser.post("/skills/self-assessment", {"competence_id": comp(db, "3.1").id, "level": level}, headers=HTMX)
    assert htmx.status_code == 422 and "Choose" in text(htmx) and "<html" not in htmx.text
    assert evidence_of(db, me, "3.1") == []


def test_unknown_competence_is_404(db, signed_in, setup):
    browser, me = signed_in()
    assert browser.post("/skills/self-assessment", {"competence_id": "999999", "level": "3"}).status_code == 404
    assert browser.get("/skills/self-assessment?competence=999999").status_code == 404
    assert db.exec(select(Evidence)).all() == []


def test_anonymous_post_goes_to_sign_in(client, db, setup):
    token = csrf_from(client.get("/login").text)
    response = client.post("/skills/self-assessment", data={"competence_id": comp(db, "3.1").id, "level": "3", "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert db.exec(select(Evidence)).all() == []


def test_post_without_csrf_token_is_refused(client, db, signed_in, setup):
    browser, me = signed_in()
    response = client.post("/skills/self-assessment", data={"competence_id": comp(db, "3.1").id, "level": "3"})
    assert response.status_code == 403
    assert evidence_of(db, me, "3.1") == []


def test_save_and_continue_after_an_htmx_save_does_not_record_the_answer_twice(db, signed_in, setup):
    profile, _ = setup
    browser, me = signed_in(job_profile_id=profile.id)
    competence_id = comp(db, "1.2").id
    fragment = browser.post("/skills/self-assessment", {"competence_id": competence_id, "level": "4"}, headers=HTMX)
    assert 'name="saved_level" value="4" hx-swap-oob="true"' in fragment.text
    moved = browser.post("/skills/self-assessment", {"competence_id": competence_id, "level": "4", "saved_level": "4"})
    assert moved.status_code == 303 and moved.headers["location"].endswith(f"competence={comp(db, '3.1').id}")
    assert [e.level for e in evidence_of(db, me, "1.2")] == [4]
    # A different answer than the one saved in place is new evidence.
    browser.post("/skills/self-assessment", {"competence_id": competence_id, "level": "2", "saved_level": "4"})
    assert [e.level for e in evidence_of(db, me, "1.2")] == [4, 2]
