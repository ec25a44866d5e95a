"""Moodle's competency framework CSV (admin/tool/lpimportcsv): in, field by field, and back out as it came.

The fixture is written for these tests in the shape Moodle's exporter writes (its fourteen columns,
quoted as PHP's fputcsv quotes): a four-deep tree, scales, both rule kinds, cross-references (one
with a comma, escaped as %2C), taxonomies, HTML and multi-line descriptions, and id numbers with
spaces, commas, Greek and 100 characters.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import select

from lms.competences.framework_io import FrameworkFileError, export_moodle_csv, framework_import, parse
from lms.competences.framework_service import DIGCOMP_PATH, detect_format
from lms.competences.models import Competence, CompetenceArea, Framework, ProficiencyLevel
from tests.lms.competences.test_framework_io import snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "moodle_framework.csv"


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def load(db, data: bytes | str, fmt: str = "moodle"):
    counts = framework_import(db, doc=parse(data, fmt))
    db.commit()
    db.expire_all()
    return counts


def errors_of(text: str) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        parse(text, "moodle")
    return caught.value.errors


def test_a_moodle_file_is_recognised_by_its_header():
    data = FIXTURE.read_bytes()
    assert detect_format("competencies.csv", data) == "moodle"
    assert detect_format("anything", data) == "moodle"
    assert detect_format("ours.csv", b"kind,code,name\n") == "csv"


def test_import_maps_the_tree_onto_areas_competences_and_indicators(db):
    counts = load(db, FIXTURE.read_bytes())
    fw = db.exec(select(Framework)).one()
    assert (fw.code, fw.name, fw.description) == (
        "ICT-SKILLS",
        "ICT skills for office staff",
        "<p>Digital skills every office role needs.</p>",
    )
    assert fw.meta["moodle"]["taxonomies"] == "domain,competency,skill,indicator"
    assert fw.meta["moodle"]["scalevalues"] == "Not yet competent,Competent,Expert"
    assert json.loads(fw.meta["moodle"]["scaleconfiguration"])[0] == {"scaleid": "3"}
    # The framework's scale is the proficiency scale: one level per item.
    levels = db.exec(select(ProficiencyLevel.level, ProficiencyLevel.band).order_by(ProficiencyLevel.level)).all()
    assert levels == [(1, "Not yet competent"), (2, "Competent"), (3, "Expert")]

    areas = db.exec(select(CompetenceArea).order_by(CompetenceArea.position)).all()
    assert [(a.code, a.name) for a in areas] == [
        ("DATA", "Working with data"),
        ("SAFE", "Staying safe"),
        ("EMPTY", "An area with no competences yet"),
    ]
    assert areas[0].description == "<p>Finding, judging and keeping data.</p>" and areas[0].meta["moodle"]["exportid"] == "11"
    comps = {c.code: c for c in db.exec(select(Competence)).all()}
    long_code = next(code for code in comps if len(code) == 100)
    assert set(comps) == {"DATA.1", "DATA.2", "SAFE.1", "A,B code", "Ωmega id (3)", long_code}
    assert comps["SAFE.1"].name == "Protecting devices "  # Moodle's text as it is, trailing space too
    assert comps["DATA.2"].description == "Checks who wrote it,\nand when."
    rules = comps["DATA.2"].meta["moodle"]
    assert rules["ruletype"] == "core_competency\\competency_rule_points" and rules["ruleoutcome"] == "1"
    assert json.loads(rules["ruleconfig"])["competencies"][0] == {"id": "16", "points": 1, "required": 1}
    assert rules["scalevalues"] == "Not yet competent,Competent"
    assert comps["SAFE.1"].meta["moodle"]["relatedidnumbers"] == "DATA.1,A%2CB code"
    # Deeper levels are the competence's indicators, each naming its parent.
    assert [(i["code"], i["parent"], i["name"]) for i in comps["DATA.1"].meta["indicators"]] == [
        ("DATA.1.a", "DATA.1", "Uses search operators"),
        ("DATA.1.a.i", "DATA.1.a", "Quotes exact phrases"),
    ]
    assert [i["code"] for i in comps["DATA.2"].meta["indicators"]] == ["DATA.2.a", "DATA.2.b"]
    assert counts.created == 1 + 3 + 3 + 6


def test_moodle_file_in_and_out_is_the_same_file_cell_by_cell(db):
    counts = load(db, FIXTURE.read_bytes())
    out = export_moodle_csv(db, counts.framework)
    assert out.startswith("\ufeff") and "\r\n" in out  # the project's CSV writer: Excel opens it right
    expected = cells(FIXTURE.read_text(encoding="utf-8"))
    got = cells(out)
    assert len(got) == len(expected)
    for row_in, row_out in zip(expected, got, strict=True):
        assert row_out == row_in


def test_reimporting_the_file_changes_nothing_and_an_export_imports_back_unchanged(db):
    counts = load(db, FIXTURE.read_bytes())
    before = snapshot(db)
    again = load(db, FIXTURE.read_bytes())
    assert (again.created, again.updated) == (0, 0)
    out = export_moodle_csv(db, counts.framework)
    third = load(db, out)
    assert (third.created, third.updated) == (0, 0)
    assert snapshot(db) == before


def test_a_file_that_only_adds_metadata_blanks_nothing(db):
    load(db, FIXTURE.read_bytes())
    rows = cells(FIXTURE.read_text(encoding="utf-8"))
    for row in rows[1:]:
        row[3] = ""  # every description left out
    rows[1][13] = "domain,competency,skill,behaviour"  # and one taxonomy changed
    rows[3][10] = ""  # a cross-reference left out
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    counts = load(db, buffer.getvalue())
    assert counts.updated == 1  # the framework's taxonomies; nothing else changed
    fw = db.exec(select(Framework)).one()
    assert fw.description == "<p>Digital skills every office role needs.</p>"
    assert fw.meta["moodle"]["taxonomies"] == "domain,competency,skill,behaviour"
    comps = {c.code: c for c in db.exec(select(Competence)).all()}
    assert comps["DATA.1"].description == "<p>Searches the right places.</p>"
    assert comps["DATA.1"].meta["moodle"]["relatedidnumbers"] == "SAFE.1,Ωmega id (3)"
    assert comps["DATA.1"].meta["indicators"][1]["description"] == "<p>Puts a phrase in quotes.</p>"


def test_bad_trees_are_refused_with_their_lines():
    text = FIXTURE.read_text(encoding="utf-8")
    rows = cells(text)
    rows[3][0] = "NOWHERE"  # line 4: a parent that is not in the file
    rows.append(["LOOP.B", "LOOP.A", "A", "", "1", "", "", "", "0", "null", "", "30", "", ""])
    rows.append(["LOOP.A", "LOOP.B", "B", "", "1", "", "", "", "0", "null", "", "31", "", ""])
    rows.append(["", "DATA", "Twice", "", "1", "", "", "", "0", "null", "", "32", "", ""])
    rows.append(["", "x" * 101, "Too long", "", "1", "", "", "", "0", "null", "", "33", "", ""])
    rows.append(["", "tab\there", "Control character", "", "1", "", "", "", "0", "null", "", "34", "", ""])
    rows.append(["SAFE", "NONAME", "", "", "1", "", "", "", "0", "null", "", "35", "", ""])
    rows.append(["NONAME", "NONAME.a", "", "", "1", "", "", "", "0", "null", "", "36", "", ""])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    errors = errors_of(buffer.getvalue())
    lines = buffer.getvalue().count("\n")
    first = lines - 7  # the line before the first of the seven appended rows
    expected = [
        "line 4: parent ID number 'NOWHERE' is not the ID number of any competency in the file.",
        "line 5: parent ID number 'DATA.1' is not in the tree: its own parents lead to 'NOWHERE', which is not in the file.",
        f"line {first + 1}: parent ID number 'LOOP.B' is part of a loop of parents.",
        f"line {first + 2}: parent ID number 'LOOP.A' is part of a loop of parents.",
        f"line {first + 3}: ID number 'DATA' appears twice (first on line 3).",
        f"line {first + 4}: ID number '{'x' * 40}' is longer than 100 characters.",
    ]
    for e in expected:
        assert e in errors, (e, errors)
    assert any(e.startswith(f"line {first + 5}:") and "cannot be printed" in e for e in errors)
    assert any(e.startswith(f"line {first + 6}:") and "name is required" in e for e in errors)
    assert f"line {first + 7}: short name is required." in errors  # an indicator's name, too


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind,code,name\n", "not a Moodle competency framework file"),
        ('"Parent ID number","ID number"\n,a\n', "not a Moodle competency framework file"),
        ('"Parent ID number",' + ",".join(["x"] * 13) + "\n,A,A,,1,,,,0,null,,1,,\n", "exactly one row with 'Is framework' set"),
    ],
)
def test_files_that_are_not_a_framework_are_refused(text, expected):
    assert any(expected in e for e in errors_of(text))


def test_digcomp_exports_to_a_file_moodle_can_import(db):
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    rows = cells(export_moodle_csv(db, counts.framework))
    header, fw, *items = rows
    assert len(header) == 14 and all(len(r) == 14 for r in rows)
    assert fw[1] == "DigComp" and fw[12] == "1" and fw[13] == "domain,competency,indicator"
    scale = fw[5].split(",")
    config = json.loads(fw[6])
    assert len(scale) == 8 and len(config) == 9 and config[1]["scaledefault"] == 1
    assert any(item["proficient"] for item in config[1:])
    by_code = {r[1]: r for r in items}
    assert by_code["1"][0] == "" and by_code["1.1"][0] == "1"  # areas at the top, competences under them
    ids = [r[11] for r in items]
    assert len(set(ids)) == len(ids) and all(i.isdigit() for i in ids)
    # And it comes back into Proficio as the same tree.
    db.exec(select(Framework)).one()
    again = load(db, export_moodle_csv(db, counts.framework))
    assert again.created == 0


@pytest.mark.parametrize(
    ("levels", "scale"),
    [
        ([], "Not yet competent,Competent"),
        ([{"level": 1, "band": "Novice"}, {"level": 2, "band": "Expert, proven"}], "Novice,Expert  proven"),
        ([{"level": 1, "band": "Basic"}, {"level": 2, "band": "Basic"}], "Level 1 (Basic),Level 2 (Basic)"),
    ],
)
def test_a_framework_of_ours_exports_its_levels_as_the_moodle_scale(db, levels, scale):
    doc = {"code": "OWN", "name": "Our own", "levels": levels, "areas": [{"code": "A", "name": "Area", "competences": []}]}
    counts = load(db, json.dumps(doc), "json")
    fw = cells(export_moodle_csv(db, counts.framework))[1]
    assert fw[5] == scale  # commas inside a level's name would split Moodle's scale, so they go
    config = json.loads(fw[6])
    assert config[0] == {"scaleid": None} and len(config) == 1 + len(scale.split(","))
    assert [c["scaledefault"] for c in config[1:]][0] == 1 and config[-1]["proficient"] == 1


def test_a_line_csv_cannot_read_is_refused_with_its_number():
    text = FIXTURE.read_text(encoding="utf-8") + ',HUGE,"' + "x" * 200_000 + '",,1,,,,0,null,,99,,\n'
    errors = errors_of(text)
    assert len(errors) == 1 and errors[0].startswith("line 17: this line cannot be read")
