"""Courses that close gaps: best fit first, shown on My skills, the heatmap and the person page."""

from __future__ import annotations

import re

from courses.catalogue.recommend import suggestions
from lms.hooks import gap_suggestions
from tests.courses.factories import make_course
from tests.courses.test_assign_pages import follow, line  # noqa: F401 - pytest fixtures, used as test parameters
from tests.lms.competences.factories import competence as comp, load_digcomp, make_profile, record
from tests.lms.competences.test_team_pages import text


def _catalogue(db):
    return {
        "exact_long": make_course(db, "Search in depth", develops={"1.1": 3}, minutes=90),
        "exact_short": make_course(db, "Search in an hour", develops={"1.1": 3}, minutes=60),
        "higher": make_course(db, "Advanced search", develops={"1.1": 6}, minutes=10),
        "too_low": make_course(db, "Search basics", develops={"1.1": 2}, minutes=5),
        "draft": make_course(db, "Search draft", develops={"1.1": 3}, minutes=1, status="draft"),
        "archived": make_course(db, "Old search", develops={"1.1": 4}, minutes=1, status="archived"),
        "privacy": make_course(db, "Privacy at work", develops={"4.2": 5, "1.1": 1}, minutes=30),
    }


def test_best_fit_first_in_one_query(db):
    load_digcomp(db)
    c = _catalogue(db)
    searching, privacy, devices = comp(db, "1.1").id, comp(db, "4.2").id, comp(db, "4.1").id
    found = suggestions(db, [(searching, 3), (privacy, 4), (devices, 2)])
    assert [s.course_id for s in found[searching]] == [c["exact_short"].id, c["exact_long"].id, c["higher"].id]
    assert [(s.title, s.level, s.estimated_minutes) for s in found[privacy]] == [("Privacy at work", 5, 30)]
    assert devices not in found
    # A higher requirement drops the courses that no longer reach it.
    assert [s.title for s in suggestions(db, [(searching, 4)])[searching]] == ["Advanced search"]
    assert suggestions(db, []) == {}
    # The platform reaches it through the hook, without importing courses.
    assert [s.course_id for s in gap_suggestions(db, [(searching, 3)])[searching]] == [
        c["exact_short"].id,
        c["exact_long"].id,
        c["higher"].id,
    ]


def test_my_skills_lists_up_to_three_courses_for_each_gap(db, signed_in):
    load_digcomp(db)
    profile = make_profile(db)  # 1.1 at 3, 2.1 at 2, 4.2 at 4
    browser, me = signed_in(job_profile_id=profile.id)
    record(db, me, "2.1", 1)
    _catalogue(db)
    make_course(db, "Search refresher", develops={"1.1": 7}, minutes=5)
    make_course(db, "Collaboration basics", develops={"2.1": 1})
    page = browser.get("/skills")
    row = _row(page, "Browsing, searching and filtering")
    assert "Ask your manager for a rating, take a course that closes the gap, or self-assess" in row
    assert re.search(r"Search in an hour .*Search in depth .*Advanced search", row)
    assert "Search refresher" not in row  # only three
    assert "Search basics" not in row and "Search draft" not in row
    assert "Privacy at work to level 5, about 30 minutes" in _row(page, "Protecting personal data")
    collaborating = _row(page, "Interacting through digital technologies")
    assert "No course covers this gap yet." in collaborating and "Collaboration basics" not in collaborating
    assert "coming soon" not in page.text


def _row(page, name: str) -> str:
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.S):
        if name in row:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    raise AssertionError(f"no row for {name}")


def test_the_heatmap_offers_a_course_for_each_common_gap_in_one_action(db, line):
    page = line.browser.get("/team")
    words = text(page)
    assert "Close the gaps" in words
    assert "Recommended: Spotting phishing (to level 4, about 30 minutes)" in words
    searching = comp(db, "1.1").id
    assert (f'href="/team/assign?course={line.course.id}&amp;competence={searching}&amp;gap=1"') in page.text
    assert 'action="/team/assign-gap"' in page.text and f'name="competence_id" value="{searching}"' in page.text
    # 4.2 and 2.1 have gaps too but no course: the summary says so.
    assert "No published course develops 4.2 to the level your team needs yet." in words
    response = line.browser.post("/team/assign-gap", {"competence_id": searching, "course_id": line.course.id})
    assert "Assigned to 2 people" in text(follow(line.browser, response))


def test_the_person_page_suggests_courses_to_assign(db, line):
    searching = comp(db, "1.1").id
    page = line.browser.get(f"/team/people/{line.bob.id}")
    assert page.status_code == 200
    assert f'href="/team/assign?course={line.course.id}&amp;competence={searching}&amp;person={line.bob.id}"' in page.text
    prefilled = line.browser.get(f"/team/assign?course={line.course.id}&competence={searching}&person={line.bob.id}")
    assert f'value="{line.bob.id}" checked' in prefilled.text
    assert f'value="{line.carol.id}" checked' not in prefilled.text
    # Alice meets 1.1: no suggestion on her page.
    assert "/team/assign?course=" not in line.browser.get(f"/team/people/{line.alice.id}").text
