"""The open-data file's disclosure review, as an attack: a unit of seven grows by one person between
two downloads, and the attacker subtracts to learn the newcomer's level and whether they meet the
requirement. On exact figures that works; on the published (perturbed) figures it no longer does.
Both engines (docs/privacy.md, "Open data")."""

from __future__ import annotations

import json

import pytest

from lms.reports.open_data import COUNT_NOISE, FIELDS, SUM_NOISE, open_data_key, open_data_rows
from lms.reports.selectors import live_cube, report_columns
from tests.lms.reports.factories import make_org

SEVEN = [3, 3, 4, 1, 0, 2, 5]  # levels of 1.1, which everyone's profile requires at 3: four meet
NEWCOMER = 4  # meets it


@pytest.fixture
def org(db, make_user):
    org = make_org(db, make_user, {"1.1": 3})
    org.unit("Digital")
    org.people("Digital", [{"1.1": level} for level in SEVEN])
    return org


def digital(db, key: bytes | None) -> dict:
    columns = report_columns(db)
    rows = open_data_rows(live_cube(db, columns, min_group=5), columns, key=key)
    (row,) = [dict(zip(FIELDS, r, strict=True)) for r in rows if r[0] == "Digital" and r[3] == "1.1"]
    return row


def attack(before: dict, after: dict) -> tuple[float, float]:
    """What subtraction says about the newcomer: their level, and 1 if they meet the requirement."""
    n1, n2 = before["people"], after["people"]
    level = after["average_verified_level"] * n2 - before["average_verified_level"] * n1
    meets = (after["share_meeting_pct"] * n2 - before["share_meeting_pct"] * n1) / 100
    return round(level, 1), round(meets, 1)


def test_on_exact_figures_subtraction_gives_the_newcomer_away(db, org):
    before = digital(db, key=None)
    org.people("Digital", [{"1.1": NEWCOMER}])
    after = digital(db, key=None)
    assert (before["people"], after["people"], before["suppressed"], after["suppressed"]) == (7, 8, False, False)
    assert attack(before, after) == (NEWCOMER, 1)


def test_on_published_figures_the_attack_fails(db, org):
    keys = [i.to_bytes(2, "big") * 16 for i in range(300)]
    before = [digital(db, key) for key in keys]
    org.people("Digital", [{"1.1": NEWCOMER}])
    after = [digital(db, key) for key in keys]
    found = [attack(b, a) for b, a in zip(before, after, strict=True)]
    exact_level = sum(level == NEWCOMER for level, _ in found) / len(keys)
    # The attacker's best guess at "meets": a difference of one or more.
    meets_right = sum(meets >= 0.5 for _, meets in found) / len(keys)
    # Noise as large as one person's contribution: the level comes out right a few times in a hundred
    # (3 % here) rather than always, "meets" about 60 % of the time (50 % is a coin toss) rather than always.
    assert exact_level < 0.12, exact_level
    assert meets_right < 0.72, meets_right
    # And the estimates spread over the whole range of levels, so none is a confident answer.
    assert len({round(level) for level, _ in found}) >= 9


def test_the_same_figures_always_publish_the_same_way_and_stay_close_to_the_truth(db, org, app):
    key = open_data_key(app.state.secret_key)
    first, again, exact = digital(db, key), digital(db, key), digital(db, None)
    assert first == again, "downloading twice must not give two independent draws to average"
    n = exact["people"]
    assert first["people"] == n, "counts of people are exact"
    assert abs(first["share_meeting_pct"] - exact["share_meeting_pct"]) <= COUNT_NOISE / n * 100 + 0.1
    assert abs(first["average_verified_level"] - exact["average_verified_level"]) <= SUM_NOISE / n + 0.01
    assert abs(first["average_gap"] - exact["average_gap"]) <= SUM_NOISE / n + 0.01


def test_the_download_is_the_perturbed_one(db, org, signed_in, app):
    lead, _ = signed_in("skills_lead")
    data = json.loads(lead.get("/reports/open-data.json").content)
    (row,) = [r for r in data["rows"] if r["unit_path"] == "Digital" and r["competence_code"] == "1.1"]
    assert row == digital(db, open_data_key(app.state.secret_key))
    assert "perturbed" in data["suppression"]
