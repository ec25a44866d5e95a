"""Framework files: parse, validate as a whole, import idempotently, export in the shape import reads."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from lms.competences.framework_io import (
    FrameworkFileError,
    export_csv,
    export_json,
    framework_import,
    parse,
)
from lms.competences.framework_service import DIGCOMP_PATH
from lms.competences.models import Competence, CompetenceArea, Framework, ProficiencyLevel

SMALL_CSV = """kind,code,name,summary,area,band,evidence_valid_months,version,publisher,licence
framework,GOV,Government digital skills,,,,,1.0,Skills Office,CC BY 4.0
level,1,,Can do simple tasks with help.,,Basic,,,,
level,2,,Works on their own.,,Basic,,,,
level,3,,Leads others.,,Expert,,,,
area,A,Data,,,,,,,
competence,A.1,Finding data,Finds the data a task needs.,A,,,,,
competence,A.2,Protecting data,"Keeps data safe, even on the move.",A,,12,,,
area,B,Services,,,,,,,
competence,B.1,Designing services,Designs around users' needs.,B,,24,,,
"""


def small_doc() -> dict:
    return {
        "code": "GOV",
        "name": "Government digital skills",
        "version": "1.0",
        "publisher": "Skills Office",
        "licence": "CC BY 4.0",
        "levels": [
            {"level": 1, "band": "Basic", "summary": "Can do simple tasks with help."},
            {"level": 2, "band": "Basic", "summary": "Works on their own."},
        ],
        "areas": [
            {
                "code": "A",
                "name": "Data",
                "competences": [
                    {"code": "A.1", "name": "Finding data", "summary": "Finds the data a task needs."},
                    {"code": "A.2", "name": "Protecting data", "summary": "Keeps data safe.", "evidence_valid_months": 12},
                ],
            },
            {
                "code": "B",
                "name": "Services",
                "competences": [{"code": "B.1", "name": "Designing services", "summary": "Designs around users' needs."}],
            },
        ],
    }


def snapshot(db) -> list:
    """Every framework row, so a test can tell whether anything at all changed."""
    db.expire_all()
    rows = []
    for model in (Framework, ProficiencyLevel, CompetenceArea, Competence):
        rows += sorted((model.__name__, *row.model_dump().items()) for row in db.exec(select(model)).all())
    return rows


def load(db, data, fmt):
    counts = framework_import(db, doc=parse(data, fmt))
    db.commit()
    return counts


def errors_of(data, fmt) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        parse(data, fmt)
    return caught.value.errors


def test_json_round_trip_gives_back_the_same_document(db):
    doc = small_doc()
    counts = load(db, json.dumps(doc).encode(), "json")
    assert (counts.created, counts.updated, counts.unchanged) == (1 + 2 + 2 + 3, 0, 0)
    assert json.loads(export_json(db, counts.framework)) == doc


def test_shipped_digcomp_round_trips_exactly(db):
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    assert json.loads(export_json(db, counts.framework)) == json.loads(DIGCOMP_PATH.read_text())
    exported_csv = export_csv(db, counts.framework)
    again = load(db, exported_csv, "csv")
    assert (again.created, again.updated) == (0, 0)


def test_csv_round_trip_gives_back_the_same_file(db):
    counts = load(db, SMALL_CSV.encode(), "csv")
    assert counts.created == 1 + 3 + 2 + 3
    # Through the project's CSV writer: a BOM for Excel and CRLF line ends, the cells as they were.
    assert export_csv(db, counts.framework) == "\ufeff" + SMALL_CSV.replace("\n", "\r\n")
    months = dict(db.exec(select(Competence.code, Competence.evidence_valid_months)).all())
    assert months == {"A.1": None, "A.2": 12, "B.1": 24}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_reimporting_the_same_file_changes_nothing(db, fmt):
    data = json.dumps(small_doc()).encode() if fmt == "json" else SMALL_CSV.encode()
    first = load(db, data, fmt)
    before = snapshot(db)
    again = load(db, data, fmt)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert snapshot(db) == before


def test_changed_file_updates_in_place_and_keeps_missing_items(db):
    load(db, json.dumps(small_doc()).encode(), "json")
    doc = small_doc()
    doc["areas"][0]["competences"][0]["name"] = "Finding and filtering data"
    del doc["areas"][1]
    counts = load(db, json.dumps(doc).encode(), "json")
    assert (counts.created, counts.updated) == (0, 1)
    names = dict(db.exec(select(Competence.code, Competence.name)).all())
    assert names["A.1"] == "Finding and filtering data" and "B.1" in names


def test_bad_csv_lists_every_bad_line():
    bad = SMALL_CSV.splitlines()
    bad[2] = "level,one,,x,,Basic,,,,"  # line 3: level not a number
    bad[6] = "competence,A.1,,Finds.,A,,,,,"  # line 7: no name
    bad[7] = "competence,A.2,Protecting data,Keeps.,Z,,12,,,"  # line 8: unknown area
    bad[9] = "competence,B.1,Designing,x,B,,500,,,"  # line 10: months out of range
    bad.append("widget,W,Widget,,,,,,,")  # line 11: unknown kind
    errors = errors_of("\n".join(bad) + "\n", "csv")
    for line in (3, 7, 8, 10, 11):
        assert any(e.startswith(f"line {line}:") for e in errors), (line, errors)
    assert len(errors) == 5, errors


def test_bad_json_lists_every_problem_with_its_place():
    doc = small_doc()
    doc["areas"][0]["competences"][1]["code"] = "A.1"
    doc["areas"][1]["name"] = ""
    doc["levels"][1]["level"] = 9
    errors = errors_of(json.dumps(doc), "json")
    assert any(e.startswith("areas[0].competences[1]:") and "appears twice" in e for e in errors)
    assert any(e.startswith("areas[1]:") and "name is required" in e for e in errors)
    assert any(e.startswith("levels[1]:") for e in errors)


@pytest.mark.parametrize(
    "data, fmt, expected",
    [
        ("Cafés".encode("latin-1"), "json", "not UTF-8"),
        ("kind,code,name\nframework,X,Caf\xe9\n".encode("cp1252"), "csv", "not UTF-8"),
        (b" " * (5 * 1024 * 1024 + 1), "json", "larger than 5 MB"),
        (b"[1, 2, 3]", "json", "one JSON object"),
        (b'{"code": ', "json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "json", "nested too deeply"),
        (b'kind,code,name\nframework,X,"' + b"x" * 200_000 + b'"\n', "csv", "cannot be read"),
        (b"name,email\nAda,ada@example.gov\n", "csv", "missing columns code, kind"),
        (b"{}", "yaml", "Unknown format"),
    ],
    ids=[
        "latin1-json",
        "cp1252-csv",
        "huge",
        "json-list",
        "json-broken",
        "json-deep",
        "csv-huge-field",
        "csv-wrong-columns",
        "format",
    ],
)
def test_hostile_files_give_clean_errors(data, fmt, expected):
    errors = errors_of(data, fmt)
    assert any(expected in e for e in errors), errors


def test_deeply_wrong_types_are_all_reported():
    doc = {
        "code": 7,
        "name": ["x"],
        "version": {"a": 1},
        "levels": "all of them",
        "areas": [
            1,
            "two",
            {"code": [], "name": {}, "competences": [None, {"code": "c", "name": "n", "summary": 5}]},
            {"code": "D", "name": "Fine", "competences": {"not": "a list"}},
        ],
    }
    errors = errors_of(json.dumps(doc), "json")
    for expected in (
        "framework: 'code' must be text",
        "framework: 'name' must be text",
        "framework: 'version' must be text",
        "framework: 'levels' must be a list",
        "areas[0]: must be an object",
        "areas[1]: must be an object",
        "areas[2]: 'code' must be text",
        "areas[2].competences[0]: must be an object",
        "areas[2].competences[1]: 'summary' must be text",
        "areas[3]: 'competences' must be a list",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)


def test_values_too_long_for_the_database_are_rejected_before_writing(db):
    doc = small_doc()
    doc["name"] = "N" * 301
    doc["areas"][0]["competences"][0]["name"] = "C" * 301
    errors = errors_of(json.dumps(doc), "json")
    assert any(e.startswith("framework:") and "longer than 300" in e for e in errors)
    assert any(e.startswith("areas[0].competences[0]:") for e in errors)
    assert db.exec(select(Framework)).all() == []


def test_validity_months_must_be_whole_months_in_range():
    doc = small_doc()
    doc["areas"][0]["competences"][0]["evidence_valid_months"] = True
    doc["areas"][0]["competences"][1]["evidence_valid_months"] = 0
    errors = errors_of(json.dumps(doc), "json")
    assert any("areas[0].competences[0]" in e and "whole number" in e for e in errors)
    assert any("areas[0].competences[1]" in e and "between 1 and 120" in e for e in errors)


def test_metadata_and_identifiers_in_json_are_checked():
    doc = small_doc()
    doc["case_id"] = "not-a-uuid"
    doc["areas"][0]["meta"] = ["not", "an", "object"]
    errors = errors_of(json.dumps(doc), "json")
    assert "areas[0]: 'meta' must be an object, not list." in errors
    doc["areas"][0]["meta"] = {}
    assert errors_of(json.dumps(doc), "json") == ["framework: 'case_id' must be a UUID."]
