"""A manager's home figures, aggregated by the database over the whole reporting line, equal the team
heatmap's person-by-person figures (lms/home/line_figures.py against lms/competences/team.py)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from lms.clock import utcnow
from lms.competences.models import CompetenceStatus
from lms.competences.team import team_heatmap, team_summary
from lms.home.line_figures import line_figures
from lms.reports.published import PublishedFigures
from tests.lms.competences.factories import competence, load_digcomp, make_profile

CODES = ("1.1", "1.2", "2.1", "4.2", "5.3")


def test_line_figures_equal_the_heatmaps_at_every_depth(db, make_user):
    load_digcomp(db)
    rng = random.Random(7)
    analyst = make_profile(db, "Analyst", {"1.1": 3, "1.2": 2, "4.2": 4})
    clerk = make_profile(db, "Clerk", {"2.1": 2, "5.3": 3, "1.1": 2})
    director = make_user("manager", name="Dana Director")
    heads = [make_user(name=f"Head {i}", manager_id=director.id, job_profile_id=analyst.id) for i in range(2)]
    people = list(heads)
    for n in range(16):
        people.append(
            make_user(
                name=f"Person {n:02d}",
                manager_id=heads[n % 2].id,
                job_profile_id=(analyst, clerk)[n % 3 == 0].id if n != 5 else None,  # one without a profile
                is_active=n != 7,  # one who has left: not counted
            )
        )
    now = utcnow()
    for person in people:
        for code in CODES:
            if rng.random() < 0.7:
                db.add(
                    CompetenceStatus(
                        user_id=person.id,
                        competence_id=competence(db, code).id,
                        verified_level=rng.randint(0, 5),
                        verified_source="course",
                        self_level=rng.choice([None, 1, 3, 5]),
                        # Some evidence has lapsed: it counts as level 0 in both.
                        verified_until=now - timedelta(days=1) if rng.random() < 0.2 else None,
                    )
                )
    db.commit()

    heatmap = team_heatmap(db, manager_id=director.id, now=now)
    expected = team_summary(heatmap, top=len(heatmap.competences))
    got = line_figures(db, manager_id=director.id, now=now)

    assert got.people == len(heatmap.people) == 17
    assert (got.summary.requirements, got.summary.met) == (expected.requirements, expected.met)
    assert (got.summary.compared, got.summary.self_vs_verified) == (expected.compared, expected.self_vs_verified)
    assert [(u.id, gap) for u, gap in got.summary.largest_gaps] == [(u.id, gap) for u, gap in expected.largest_gaps[:5]]
    assert Counter({c.id: n for c, n in got.below}) == Counter({c.id: n for c, n in expected.most_below})
    assert [n for _c, n in got.below] == sorted((n for _c, n in got.below), reverse=True)
    needed: dict[int, int] = {}
    for (_user, comp), (required, verified, _self, _lapsed) in heatmap.cells.items():
        if verified < required:
            needed[comp] = max(required, needed.get(comp, 0))
    assert got.needed == needed


def test_a_manager_with_nobody_below_has_empty_figures(db, make_user):
    alone = make_user("manager")
    got = line_figures(db, manager_id=alone.id, now=utcnow())
    assert (got.people, got.summary.requirements, got.below, got.summary.largest_gaps) == (0, 0, [], [])
    assert got.summary.share_met is None and got.summary.self_vs_verified is None


def test_the_home_shows_a_change_in_the_line_on_the_next_view(db, signed_in, make_user):
    """The figures are kept per manager while the data stands still, and counted again when it moves."""
    load_digcomp(db)
    profile = make_profile(db, "Analyst", {"1.1": 3})
    browser, manager = signed_in("manager")
    person = make_user(name="Robin Report", manager_id=manager.id, job_profile_id=profile.id)
    assert "0%</strong> of requirements met (0 of 1)" in browser.get("/").text
    assert "0%</strong> of requirements met (0 of 1)" in browser.get("/").text  # kept, same answer
    db.add(CompetenceStatus(user_id=person.id, competence_id=competence(db, "1.1").id, verified_level=3, verified_source="course"))
    db.commit()
    assert "100%</strong> of requirements met (1 of 1)" in browser.get("/").text
    make_user(name="Sam Second", manager_id=manager.id, job_profile_id=profile.id)  # a new report: the line moved
    assert "50%</strong> of requirements met (1 of 2)" in browser.get("/").text


def test_per_manager_figures_are_bounded(db, make_user):
    figures = PublishedFigures("reports", 0, max_entries=3)
    managers = [make_user("manager") for _ in range(5)]
    for m in managers:
        figures.get(db, m.id, lambda m=m: line_figures(db, manager_id=m.id, now=utcnow()))
    assert len(figures) == 3 and [m.id in figures for m in managers] == [False, False, True, True, True]
