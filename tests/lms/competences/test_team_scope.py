"""Strict scope: outside the reporting line (or the manager's own id) is 404 on every My team route."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

from lms.competences.team_routes import router
from tests.lms.competences.factories import competence as comp
from tests.lms.competences.test_team_pages import team  # noqa: F401 - pytest fixtures, used as test parameters
from tests.support.exports import rows_by_identifier

ID_PARAM = re.compile(r"\{user_id(:\w+)?\}")


def _routes():
    calls = [
        (method, route.path) for route in router.routes if isinstance(route, APIRoute) for method in sorted(route.methods - {"HEAD"})
    ]
    assert len(calls) >= 4
    return calls


def test_every_route_answers_404_outside_the_reporting_line(team, db):
    rating = {"competence_id": str(comp(db, "1.1").id), "level": "5", "note": "probe"}
    checked = 0
    for method, path in _routes():
        if not ID_PARAM.search(path):
            continue
        for target in (team.outsider.id, team.manager.id, 999_999):
            url = ID_PARAM.sub(str(target), path)
            for headers in ({}, {"HX-Request": "true"}):
                if method == "GET":
                    response = team.browser.get(url, headers=headers)
                else:
                    response = team.browser.post(url, data=rating, headers=headers)
                assert response.status_code == 404, f"{method} {url} {headers} -> {response.status_code}"
                assert "Oscar Outside" not in response.text
                checked += 1
    assert checked >= 12
    # Nothing was recorded for the outsider (their only evidence is the one from the fixture).
    from sqlmodel import select

    from lms.competences.models import Evidence

    assert len(db.exec(select(Evidence).where(Evidence.user_id == team.outsider.id)).all()) == 1
    assert not db.exec(select(Evidence).where(Evidence.user_id == team.manager.id)).all()


def test_list_routes_show_only_people_in_the_line(team):
    for method, path in _routes():
        if ID_PARAM.search(path) or method != "GET":
            continue
        for query in ("", "?direct=1", "?sort=gap", f"?profile={team.profile.id}"):
            for headers in ({}, {"HX-Request": "true"}):
                response = team.browser.get(path + query, headers=headers)
                assert response.status_code == 200
                assert "Oscar Outside" not in response.text and team.outsider.email not in response.text
                assert f'href="/team/people/{team.manager.id}"' not in response.text


def test_a_cycle_in_the_data_never_puts_the_manager_in_their_own_team(team, db):
    team.manager.manager_id = team.carol.id
    db.add(team.manager)
    db.commit()
    page = team.browser.get("/team")
    assert f'href="/team/people/{team.manager.id}"' not in page.text
    assert team.manager.email not in team.browser.get("/team/export.csv").text
    assert team.browser.get(f"/team/people/{team.manager.id}").status_code == 404


def test_export_never_contains_outsiders(team):
    rows = rows_by_identifier(team.browser.get("/team/export.csv"))
    emails = {r["email"] for r in rows}
    assert emails == {team.alice.email, team.bob.email, team.carol.email}
