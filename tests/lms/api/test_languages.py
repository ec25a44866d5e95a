"""The JSON API names frameworks, areas, competences, levels and job profiles in the language
`Accept-Language` asks for, where a version exists, and says so in `Content-Language`; without the header
(or naming a language Proficio does not ship), names are as written and no Content-Language is sent."""

from __future__ import annotations

import pytest
from sqlmodel import delete

from lms.competences.models import CompetenceTranslation, JobProfileTranslation
from tests.lms.api.conftest import bearer
from tests.lms.competences.factories import competence, make_profile
from tests.lms.factories import make_unit
from tests.lms.reports.factories import make_org

FRENCH_1_1 = "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
ENGLISH_1_1 = "Browsing, searching and filtering data, information and digital content"


def _get(client, secret: str, path: str, language: str | None = None):
    headers = bearer(secret) | ({"Accept-Language": language} if language else {})
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response


def test_a_framework_in_french_where_asked_and_as_written_otherwise(client, issue, digcomp):
    _, secret = issue(["frameworks:read"])
    french = _get(client, secret, "/api/v1/frameworks/DigComp", "fr-BE,fr;q=0.9,en;q=0.5")
    assert french.headers["content-language"] == "fr" and "Accept-Language" in french.headers["vary"]
    body = french.json()
    assert body["areas"][0]["name"] == "Maîtrise de l’information et des données"
    assert body["areas"][0]["competences"][0]["name"] == FRENCH_1_1
    assert body["levels"][0]["band"] == "Fondamental"

    plain = _get(client, secret, "/api/v1/frameworks/DigComp")
    assert "content-language" not in plain.headers
    assert plain.json()["areas"][0]["competences"][0]["name"] == ENGLISH_1_1
    # A language Proficio does not ship is the same as none.
    german = _get(client, secret, "/api/v1/frameworks/DigComp", "de")
    assert "content-language" not in german.headers and german.json() == plain.json()
    # English asked for explicitly: the original, said to be English.
    english = _get(client, secret, "/api/v1/frameworks/DigComp", "en-GB")
    assert english.headers["content-language"] == "en" and english.json() == plain.json()

    listed = _get(client, secret, "/api/v1/frameworks", "fr").json()
    assert [f["code"] for f in listed] == ["DigComp"] and listed[0]["name"] != plain.json()["name"]


def test_a_competence_without_a_french_version_keeps_its_name(client, issue, db, digcomp):
    db.exec(delete(CompetenceTranslation).where(CompetenceTranslation.competence_id == competence(db, "1.1").id))
    db.commit()
    _, secret = issue(["frameworks:read"])
    body = _get(client, secret, "/api/v1/frameworks/DigComp", "fr").json()
    first, second = body["areas"][0]["competences"][:2]
    assert first["name"] == ENGLISH_1_1  # as written
    assert second["name"] != competence(db, "1.2").name  # its French version


def test_job_profiles_and_a_persons_competences_in_french(client, issue, db, make_user, digcomp):
    profile = make_profile(db, "Analyst", {"1.1": 4})
    db.add(JobProfileTranslation(job_profile_id=profile.id, language="fr", name="Analyste", description="Analyse des données."))
    person = make_user(name="Ada Data", org_unit_id=make_unit(db, "Digital").id, job_profile_id=profile.id)
    db.commit()
    _, secret = issue(["profiles:read", "people:read"])
    listed = _get(client, secret, "/api/v1/job-profiles", "fr").json()
    assert [(p["name"], p["description"]) for p in listed] == [("Analyste", "Analyse des données.")]
    one = _get(client, secret, f"/api/v1/job-profiles/{profile.id}", "fr").json()
    assert one["name"] == "Analyste" and one["requirements"][0]["name"] == FRENCH_1_1
    assert _get(client, secret, f"/api/v1/job-profiles/{profile.id}").json()["name"] == "Analyst"

    french = _get(client, secret, f"/api/v1/people/{person.id}/competences", "fr")
    assert french.headers["content-language"] == "fr"
    (row,) = french.json()["competences"]
    assert row["name"] == FRENCH_1_1 and row["area"] == "Maîtrise de l’information et des données"
    (row,) = _get(client, secret, f"/api/v1/people/{person.id}/competences").json()["competences"]
    assert row["name"] == ENGLISH_1_1


@pytest.mark.parametrize("by", ["area", "competence"])
def test_aggregate_columns_in_french_with_the_same_figures(client, issue, db, make_user, by):
    org = make_org(db, make_user)
    org.unit("Policy")
    org.people("Policy", [{"1.1": 3, "4.2": 1}] * 6)
    _, secret = issue(["reports:read"])
    path = f"/api/v1/org-units/{org.units['Policy'].id}/aggregates?by={by}"
    french, plain = _get(client, secret, path, "fr").json(), _get(client, secret, path).json()
    assert [c["code"] for c in french["columns"]] == [c["code"] for c in plain["columns"]]
    assert french["columns"][0]["name"] != plain["columns"][0]["name"]
    assert french["total"] == plain["total"] and french["parts"] == plain["parts"]
