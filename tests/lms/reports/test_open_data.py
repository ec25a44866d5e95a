"""The open-data export: aggregates by unit × competence, suppressed like the pages, nobody named."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from lms.people.models import User
from lms.reports.open_data import FIELDS
from tests.lms.reports.factories import csv_rows

FIGURES = ["people", "share_meeting_pct", "average_gap", "average_verified_level", "average_self_assessed_level"]


@pytest.fixture
def org(benefits):
    return benefits


def _row(rows, unit_path, code="1.1"):
    (row,) = [r for r in rows if r["unit_path"] == unit_path and r["competence_code"] == code]
    return row


def test_json_dataset_has_metadata_dictionary_and_suppressed_rows(org, lead):
    response = lead.get("/reports/open-data.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = json.loads(response.content)
    assert data["min_group"] == 5
    assert data["framework"]["code"] == "DigComp" and data["framework"]["licence"].startswith("CC BY 4.0")
    assert "European Commission" in data["framework"]["publisher"]
    assert data["generated_at"] and data["title"]
    assert [f["field"] for f in data["dictionary"]] == FIELDS
    assert all(set(row) == set(FIELDS) for row in data["rows"])
    assert "fewer than 5 people" in data["suppression"]
    rows = data["rows"]
    digital = _row(rows, "Digital")
    assert (digital["area_code"], digital["people"], digital["suppressed"]) == ("1", 6, False)
    # Shares and averages are perturbed against differencing across downloads (test_open_data_disclosure.py):
    # exactly 50 % and 1.33, moved by at most 2 people and 8 levels over the 6.
    assert abs(digital["share_meeting_pct"] - 50.0) <= 2 / 6 * 100 + 0.1
    assert abs(digital["average_gap"] - 1.33) <= 8 / 6 + 0.01
    # Benefits (11) is shown, so Claims (8) is hidden with Appeals (3): no subtraction gives Appeals away.
    assert _row(rows, "Benefits")["people"] == 11
    for team in ("Benefits / Appeals", "Benefits / Claims"):
        row = _row(rows, team)
        assert row["suppressed"] is True and all(row[f] is None for f in FIGURES)


def test_csv_dataset_matches_json(org, lead):
    response = lead.get("/reports/open-data.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == FIELDS
    appeals = _row(rows, "Benefits / Appeals")
    assert appeals["suppressed"] == "true" and all(appeals[f] == "" for f in FIGURES)
    assert _row(rows, "Benefits")["suppressed"] == "false"
    as_json = json.loads(lead.get("/reports/open-data.json").content)["rows"]
    assert len(rows) == len(as_json) == 5 * 21  # organisation, Benefits, Appeals, Claims, Digital × DigComp
    assert [(r["unit_path"], r["competence_code"]) for r in rows] == [(r["unit_path"], r["competence_code"]) for r in as_json]


def test_no_person_is_named_anywhere(db, org, signed_in):
    lead, viewer = signed_in("skills_lead")
    people = db.exec(select(User)).all()
    assert len(people) == 18
    for url in (
        "/reports/open-data.csv",
        "/reports/open-data.json",
        "/reports/open-data",
        "/reports/open-data/dictionary.csv",
        "/reports/open-data/dictionary.json",
    ):
        body = lead.get(url).content
        # The page's header names whoever is signed in; the dataset names nobody.
        for person in people if url.endswith(("csv", "json")) else [p for p in people if p.id != viewer.id]:
            assert person.name.encode() not in body, (url, person.name)
            assert person.email.encode() not in body, (url, person.email)
    assert not [f for f in FIELDS if re.search(r"(^|_)(id|email|person|user)$", f)]
    data = json.loads(lead.get("/reports/open-data.json").content)
    assert {row["unit_path"] for row in data["rows"]} == {
        "Whole organisation",
        "Benefits",
        "Benefits / Appeals",
        "Benefits / Claims",
        "Digital",
    }


def test_the_threshold_is_the_configured_one(settings, org, lead):
    settings.report_min_group = 3
    data = json.loads(lead.get("/reports/open-data.json").content)
    assert data["min_group"] == 3
    # Three people are enough now: nothing needs hiding.
    assert _row(data["rows"], "Benefits / Appeals")["people"] == 3
    assert not any(row["suppressed"] for row in data["rows"])
    assert "fewer than 3 people" in lead.get("/reports/open-data").text


def test_page_explains_the_dataset_and_links_every_download(org, lead):
    response = lead.get("/reports/open-data")
    assert response.status_code == 200
    text = response.text
    assert "fewer than 5 people" in text and "CC BY 4.0" in text
    for href in (
        "/reports/open-data.csv",
        "/reports/open-data.json",
        "/reports/open-data/dictionary.csv",
        "/reports/open-data/dictionary.json",
    ):
        assert f'href="{href}"' in text
        assert lead.get(href).status_code == 200
    for field in FIELDS:
        assert f"<code>{field}</code>" in text


def test_dictionary_describes_every_field(org, lead):
    rows = csv_rows(lead.get("/reports/open-data/dictionary.csv"))
    assert [r["field"] for r in rows] == FIELDS
    assert all(r["type"] in {"string", "integer", "number", "boolean"} and r["description"] for r in rows)
    as_json = lead.get("/reports/open-data/dictionary.json").json()
    assert [f["field"] for f in as_json["fields"]] == FIELDS
