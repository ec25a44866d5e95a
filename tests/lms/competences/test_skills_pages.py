"""My skills pages: the skills picture, one competence, the level rule page, empty states, privacy, queries."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from lms.clock import utcnow
from lms.competences.models import Evidence
from lms.competences.service import status_refresh
from tests.lms.competences.factories import competence as comp, load_digcomp, make_profile, record
from tests.support.queries import counting


def text(response_or_html) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    markup = getattr(response_or_html, "text", response_or_html)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def row_text(response, competence_name: str) -> str:
    """The reader's text of the table row whose header names the competence."""
    for row in re.findall(r"<tr>.*?</tr>", response.text, flags=re.S):
        if competence_name in html.unescape(row):
            return text(row)
    raise AssertionError(f"no row for {competence_name}")


PAGES = ["/skills", "/skills/how-levels-work", "/skills/self-assessment"]


@pytest.fixture
def setup(db, make_user):
    load_digcomp(db)
    profile = make_profile(db, requirements={"1.1": 4, "4.1": 3})
    manager = make_user("manager", name="Mona Manager")
    return profile, manager


def test_page_shows_required_verified_self_and_gap(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id, manager_id=manager.id)
    record(db, me, "1.1", 2, "manager", manager, note="Needs practice with advanced search")
    record(db, me, "1.1", 5, "self", me)
    record(db, me, "4.1", 3, "course", None)

    page = browser.get("/skills")
    assert page.status_code == 200
    body = text(page)
    assert "Required for your role: Caseworker" in body
    assert "1 of 2 competences for your role meet the required level" in body
    assert "Total gap: 2 levels" in body

    searching = row_text(page, "Browsing, searching and filtering")
    assert "4 · Intermediate" in searching  # required
    assert "2 · Foundation Manager rating" in searching  # verified, with its source
    assert "You said: 5 · Advanced (not verified)" in searching
    assert "2 levels below" in searching
    assert "Ask your manager for a rating, take a course that closes the gap, or self-assess" in searching

    devices = row_text(page, "Protecting devices")
    assert "3 · Intermediate Course" in devices and "Meets requirement" in devices
    assert "Not self-assessed" in devices

    # Other competences: grouped by area, collapsed, with a next step even without evidence.
    assert "Other competences" in body
    assert page.text.count("<details") == 5
    netiquette = row_text(page, "Netiquette")
    assert "Not verified yet" in netiquette and "Self-assess to record where you think you are" in netiquette
    assert 'href="/skills/how-levels-work"' in page.text


def test_lapsed_level_counts_as_zero_and_says_so(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    long_ago = utcnow() - timedelta(days=400)
    record(db, me, "4.1", 4, "quiz", None, recorded_at=long_ago, expires_at=long_ago + timedelta(days=365))
    # The status as it was written back then, before the quiz expired; nothing has recomputed it since.
    status_refresh(db, user_id=me.id, competence_id=comp(db, "4.1").id, now=long_ago)
    db.commit()

    page = browser.get("/skills")
    devices = row_text(page, "Protecting devices")
    assert "(lapsed)" in devices and "Level 4 · Intermediate from quiz" in devices and "expired" in devices
    assert "3 levels below" in devices
    detail = text(browser.get(f"/skills/{comp(db, '4.1').id}"))
    assert "Expired" in detail


def test_competence_page_shows_levels_description_and_history_newest_first(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    now = utcnow()
    record(db, me, "1.1", 3, "self", me, recorded_at=now - timedelta(days=10))
    record(
        db,
        me,
        "1.1",
        2,
        "manager",
        manager,
        note="Lowered: has not used the new search",
        recorded_at=now - timedelta(days=5),
        expires_at=now + timedelta(days=360),
    )
    record(db, me, "1.1", 4, "self", me, recorded_at=now - timedelta(days=1))

    page = browser.get(f"/skills/{comp(db, '1.1').id}")
    assert page.status_code == 200
    body = text(page)
    assert "1.1 Browsing, searching and filtering" in body
    assert "Find what you need online" in body  # the competence description
    assert "8 · Highly specialised" in body and "Simple tasks, with guidance." in body  # level descriptions
    assert "You said: 4 · Intermediate (not verified)" in body
    history = body.split("Evidence history", 1)[1]
    first, second, third = (
        history.index(s) for s in ("Self-assessment (not verified) 4", "Manager rating 2", "Self-assessment (not verified) 3")
    )
    assert first < second < third
    assert "Mona Manager" in history and "Lowered: has not used the new search" in history
    assert "Expires" in history and "Does not expire" in history


def test_unknown_competence_is_404(signed_in, setup):
    browser, _ = signed_in()
    assert browser.get("/skills/999999").status_code == 404


def test_without_job_profile_everything_can_still_be_viewed(db, signed_in, setup):
    browser, me = signed_in()
    body = text(browser.get("/skills"))
    assert "Your role has no job profile yet; ask your administrator. You can still self-assess any competence below." in body
    assert "Required for your role" not in body
    assert "Other competences" in body


def test_without_a_framework_the_page_says_so_and_admins_get_a_hint(signed_in):
    browser, _ = signed_in("admin")
    body = text(browser.get("/skills"))
    assert "No competence framework is loaded yet" in body and "DigComp" in body
    assert "No competence framework is loaded yet" in text(browser.get("/skills/self-assessment"))


def test_employees_get_no_admin_hint_without_a_framework(signed_in):
    browser, _ = signed_in()
    body = text(browser.get("/skills"))
    assert "No competence framework is loaded yet" in body and "DigComp" not in body


def test_another_persons_evidence_is_never_shown(db, signed_in, make_user, setup):
    profile, manager = setup
    other = make_user(job_profile_id=profile.id, name="Olga Other")
    record(db, other, "1.1", 6, "manager", manager, note="PRIVATE NOTE ABOUT OLGA")
    record(db, other, "4.1", 7, "self", other)
    browser, me = signed_in(job_profile_id=profile.id)

    for url in (
        "/skills",
        f"/skills/{comp(db, '1.1').id}",
        f"/skills/{comp(db, '4.1').id}",
        f"/skills/self-assessment?competence={comp(db, '4.1').id}",
    ):
        body = text(browser.get(url))
        assert "PRIVATE NOTE" not in body and "6 · Advanced Manager" not in body and "You said: 7" not in body, url
    # A user id in the query changes nothing: the page is always the signed-in person's own.
    assert "PRIVATE NOTE" not in text(browser.get(f"/skills/{comp(db, '1.1').id}?user_id={other.id}"))


def test_nav_link_and_pages_have_no_inline_script_or_style(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "1.1", 2, "manager", manager)
    for url in PAGES + [f"/skills/{comp(db, '1.1').id}"]:
        page = browser.get(url)
        assert page.status_code == 200, url
        assert 'href="/skills"' in page.text
        assert "style=" not in page.text, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), url
        assert "<h1" in page.text and page.text.count("<h1") == 1, url


def test_tables_have_captions_and_scopes(db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "1.1", 2, "manager", manager)
    for url in ("/skills", f"/skills/{comp(db, '1.1').id}"):
        page = browser.get(url).text
        assert page.count("<table") == page.count("<caption>") > 0
        assert 'scope="col"' in page and 'scope="row"' in page


def count_queries(engine, call) -> int:
    with counting(engine) as statements:
        assert call().status_code == 200
    return len(statements)


def test_query_count_does_not_grow_with_evidence(app, db, signed_in, setup):
    profile, manager = setup
    browser, me = signed_in(job_profile_id=profile.id)
    codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1"]
    for code in codes[:2]:
        record(db, me, code, 2, "manager", manager)
    browser.get("/skills")  # warm up: nothing cached may hide a query on the second count
    few = count_queries(app.state.engine, lambda: browser.get("/skills"))
    for code in codes:
        record(db, me, code, 3, "self", me)
    for code in codes[2:]:
        record(db, me, code, 1, "course", None)
    assert db.exec(select(func.count()).select_from(Evidence).where(Evidence.user_id == me.id)).one() == 20
    many = count_queries(app.state.engine, lambda: browser.get("/skills"))
    assert few == many
