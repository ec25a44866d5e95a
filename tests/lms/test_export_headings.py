"""Spreadsheets a person downloads carry headings in their language; files for programs keep identifiers."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

from openpyxl import load_workbook

from assessments.results.export import results_header
from courses.assignment.export import COLUMNS as ASSIGNMENT_COLUMNS
from courses.compliance.export import COLUMNS as COMPLIANCE_COLUMNS
from courses.compliance.report_routes import HEADER as COMPLIANCE_REPORT_HEADER
from lms.competences.framework_csv import CSV_COLUMNS
from lms.competences.team_csv import COLUMNS as TEAM_COLUMNS
from lms.export_headings import HEADINGS, heading
from lms.reports.export import REPORT_HEADER
from tests.courses.compliance.factories import make_requirement
from tests.courses.compliance.test_matrix import _line
from tests.lms.competences.factories import load_digcomp
from tests.lms.test_i18n import compiled_catalogues  # noqa: F401 - autouse: French needs the compiled catalogue

FRENCH = {"Accept-Language": "fr"}


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_column_of_a_person_s_download_has_a_heading():
    quiz_columns = results_header(SimpleNamespace(questions=[]))  # type: ignore[arg-type]
    columns = [*REPORT_HEADER, *TEAM_COLUMNS, *COMPLIANCE_COLUMNS, *COMPLIANCE_REPORT_HEADER, *ASSIGNMENT_COLUMNS, *quiz_columns]
    assert [c for c in columns if heading(c) == c] == []
    assert heading("Which of these is a phishing sign?") == "Which of these is a phishing sign?"  # a question: data
    # Two identifiers never share a heading, so a file read back maps each heading to one column.
    assert len(set(HEADINGS.values())) == len(HEADINGS)


def test_the_team_compliance_export_is_headed_in_the_reader_s_language(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    req, second = make_requirement(db, "Data protection"), make_requirement(db, "Phishing awareness")
    _line(db, make_user, manager, req, second)

    french = _rows(browser.get("/team/compliance/export.csv", headers=FRENCH))
    assert french[0] == ["Personne", "E-mail", "Unité organisationnelle", "Exigence", "État", "Situation", "Date", "Jours de retard"]
    english = _rows(browser.get("/team/compliance/export.csv", headers={"Accept-Language": "en"}))
    assert english[0] == ["Person", "Email", "Organisation unit", "Requirement", "Status", "Standing", "Date", "Days overdue"]
    # The rows are the same whoever reads them: the codes stay codes.
    assert [r[4] for r in french[1:]] == [r[4] for r in english[1:]]

    sheet = load_workbook(io.BytesIO(browser.get("/team/compliance/export.xlsx", headers=FRENCH).content)).active
    assert sheet["A1"].value == "Personne" and sheet["G1"].value == "Date"


def test_a_framework_export_keeps_its_identifiers_in_french_so_it_imports_back(db, signed_in):
    browser, _admin = signed_in("admin")
    framework = load_digcomp(db)
    db.commit()
    rows = _rows(browser.get(f"/admin/frameworks/{framework.id}/export.csv", headers=FRENCH))
    assert rows[0][: len(CSV_COLUMNS)] == list(CSV_COLUMNS)
