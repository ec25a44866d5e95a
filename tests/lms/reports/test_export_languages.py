"""A report export names the framework's areas and competences in the downloader's language, as the
report page does: DigComp's French names for a French reader, the original where a competence has no
French version, and English names for an English reader. The figures are the same in both."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlmodel import delete

from lms.competences.models import CompetenceTranslation
from tests.lms.competences.factories import competence
from tests.support.exports import identifier_of, rows_by_identifier
from tests.support.queries import counting

FRENCH_1_1 = "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
ENGLISH_1_1 = "Browsing, searching and filtering data, information and digital content"
FRENCH_AREA_1 = "Maîtrise de l’information et des données"


@pytest.fixture
def reader(db, signed_in):
    """A skills lead's browser, and a function that sets the lead's language."""
    browser, user = signed_in("skills_lead", language="fr")

    def speak(language: str) -> None:
        user.language = language
        db.add(user)
        db.commit()

    return browser, speak


def _names(rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["column_code"]: r["column_name"] for r in rows}


def test_a_unit_export_names_competences_in_french_for_a_french_reader(benefits, reader):
    browser, speak = reader
    unit = benefits.units["Digital"].id
    french = rows_by_identifier(browser.get(f"/reports/units/{unit}/export.csv?by=competence"), "fr")
    speak("en")
    english = rows_by_identifier(browser.get(f"/reports/units/{unit}/export.csv?by=competence"))
    assert _names(french)["1.1"] == FRENCH_1_1 and _names(english)["1.1"] == ENGLISH_1_1
    # The same figures, row for row: only the names differ.
    strip = [{k: v for k, v in r.items() if k != "column_name"} for r in french]
    assert strip == [{k: v for k, v in r.items() if k != "column_name"} for r in english]


def test_the_all_units_export_names_areas_in_french_in_csv_and_xlsx(benefits, reader):
    browser, _speak = reader
    rows = rows_by_identifier(browser.get("/reports/export/all.csv"), "fr")
    assert _names(rows)["1"] == FRENCH_AREA_1
    response = browser.get("/reports/export/all.xlsx")
    sheet = [
        r for ws in load_workbook(io.BytesIO(response.content), read_only=True).worksheets for r in ws.iter_rows(values_only=True)
    ]
    back = identifier_of("fr")
    header = [back.get(str(h), h) for h in sheet[0]]
    assert "column_name" in header and "column_name" not in sheet[0]  # headed in French
    assert FRENCH_AREA_1 in {dict(zip(header, row, strict=True))["column_name"] for row in sheet[1:]}


def test_a_competence_without_a_french_version_keeps_its_own_name(db, benefits, reader):
    browser, _speak = reader
    db.exec(delete(CompetenceTranslation).where(CompetenceTranslation.competence_id == competence(db, "1.1").id))
    db.commit()
    names = _names(rows_by_identifier(browser.get("/reports/export/all.csv?by=competence"), "fr"))
    assert names["1.1"] == ENGLISH_1_1 and names["1.2"] != competence(db, "1.2").name


def test_naming_in_french_costs_one_statement_at_most(app, benefits, reader):
    browser, speak = reader
    counts = []
    for language in ("en", "fr"):
        speak(language)
        browser.get("/reports/export/all.csv?by=competence")
        with counting(app.state.engine) as statements:
            assert browser.get("/reports/export/all.csv?by=competence").status_code == 200
        counts.append(len(statements))
    assert counts[1] <= counts[0] + 1, counts
