"""Frameworks, job profiles and org units through the API, and the API-only OpenAPI schema."""

from __future__ import annotations

import re

from lms.api.routes import PREFIX
from tests.lms.api.conftest import ALL_SCOPES, bearer
from tests.lms.competences.factories import make_profile
from tests.lms.factories import make_unit
from tests.lms.routes_util import api_routes


def test_frameworks_list_and_detail(client, issue, digcomp):
    _, secret = issue(["frameworks:read"])
    listing = client.get("/api/v1/frameworks", headers=bearer(secret)).json()
    assert [(f["code"], f["areas"], f["competences"]) for f in listing] == [("DigComp", 5, 21)]
    detail = client.get("/api/v1/frameworks/DigComp", headers=bearer(secret)).json()
    assert [lv["level"] for lv in detail["levels"]] == list(range(1, 9))
    assert [a["code"] for a in detail["areas"]] == ["1", "2", "3", "4", "5"]
    first = detail["areas"][0]["competences"][0]
    assert first["code"] == "1.1" and first["name"] and "evidence_valid_months" in first
    missing = client.get("/api/v1/frameworks/Nope", headers=bearer(secret))
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"


def test_a_framework_whose_code_holds_a_slash_is_found(client, db, issue, digcomp):
    """Moodle id numbers arrive as codes as they are, slashes included."""
    digcomp.code = "org/digcomp-2.2"
    db.add(digcomp)
    db.commit()
    _, secret = issue(["frameworks:read"])
    detail = client.get("/api/v1/frameworks/org/digcomp-2.2", headers=bearer(secret))
    assert detail.status_code == 200 and detail.json()["code"] == "org/digcomp-2.2"


def test_job_profiles_list_and_detail(client, db, issue, digcomp):
    profile = make_profile(db, "Analyst", {"4.1": 3, "1.1": 4})
    make_profile(db, "Clerk", {})
    _, secret = issue(["profiles:read"])
    listing = client.get("/api/v1/job-profiles", headers=bearer(secret)).json()
    assert [(p["name"], p["requirements"]) for p in listing] == [("Analyst", 2), ("Clerk", 0)]
    detail = client.get(f"/api/v1/job-profiles/{profile.id}", headers=bearer(secret)).json()
    assert [(r["framework"], r["competence"], r["level"]) for r in detail["requirements"]] == [
        ("DigComp", "1.1", 4),
        ("DigComp", "4.1", 3),
    ]
    assert client.get("/api/v1/job-profiles/999999", headers=bearer(secret)).status_code == 404


def test_org_units_are_limited_to_the_tokens_subtree(client, db, issue):
    digital = make_unit(db, "Digital")
    data = make_unit(db, "Data team", digital)
    make_unit(db, "Finance")
    _, whole = issue(["reports:read"])
    _, limited = issue(["reports:read"], unit=digital)
    everything = client.get("/api/v1/org-units", headers=bearer(whole)).json()
    assert [u["path"] for u in everything] == ["Digital", "Digital / Data team", "Finance"]
    subtree = client.get("/api/v1/org-units", headers=bearer(limited)).json()
    assert [(u["id"], u["parent_id"], u["path"]) for u in subtree] == [
        (digital.id, None, "Digital"),
        (data.id, digital.id, "Digital / Data team"),
    ]


def test_schema_documents_exactly_the_api_with_a_bearer_scheme(app, client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    # OpenAPI names a path parameter without Starlette's converter ({code:path} is documented as {code}).
    served = {re.sub(r":\w+}", "}", route.path) for route in api_routes(app) if route.path.startswith(PREFIX)}
    served -= {f"{PREFIX}/openapi.json"}
    assert set(schema["paths"]) == served and len(served) >= 7
    assert schema["components"]["securitySchemes"]["ApiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["ApiToken"]["description"],
    }
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        assert operations["get"]["security"] == [{"ApiToken": []}], path
        assert {"200", "401", "403"} <= set(operations["get"]["responses"]), path
    assert "PersonCompetences" in schema["components"]["schemas"]
    # The HTML application stays out, and FastAPI's own docs pages are not served.
    assert not [p for p in schema["paths"] if not p.startswith(PREFIX)]
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert client.get(path).status_code == 404


def test_api_errors_are_json_not_pages(client, issue):
    _, secret = issue(ALL_SCOPES)
    for path, status in (("/api/v1/nothing-here", 404), ("/api/v1/job-profiles/abc", 422)):
        r = client.get(path, headers=bearer(secret))
        assert r.status_code == status and r.headers["content-type"] == "application/json", path
        assert r.json()["detail"]
    r = client.post("/api/v1/frameworks", headers=bearer(secret))  # read-only: no unsafe methods at all
    assert r.status_code == 405 and r.headers["allow"] == "GET" and r.json()["detail"]
