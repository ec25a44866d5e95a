"""CASE 1.0 packages: exported, validated against the CASE JSON schema, imported back identical,
published at a stable public URL with identifiers that never change.

`fixtures/case_package.json` stands for a package another system publishes: four levels, items out of
order with sequence numbers, a statement too long for a name, an item with no coding scheme, an
isRelatedTo association, licences, item types and groupings.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from sqlmodel import func, select

from lms.audit.models import AuditEvent
from lms.competences.framework_case import case_package
from lms.competences.framework_io import FrameworkFileError, framework_import, parse
from lms.competences.framework_service import DIGCOMP_PATH, detect_format, framework_file_import, framework_set_published
from lms.competences.models import Competence, CompetenceArea, Framework
from tests.lms.competences.test_framework_io import small_doc

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((FIXTURES / "case-v1p0-cfpackage-schema.json").read_text())
FOREIGN = FIXTURES / "case_package.json"
MOODLE = FIXTURES / "moodle_framework.csv"
BASE = "https://skills.example.gov"

checker = jsonschema.FormatChecker()


@checker.checks("uri")
def _uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme and parts.netloc)


@checker.checks("date-time")
def _date_time(value: object) -> bool:
    return "T" in str(value) and datetime.fromisoformat(str(value)).tzinfo is not None


@checker.checks("date")
def _date(value: object) -> bool:
    return len(str(value)) == 10 and bool(datetime.strptime(str(value), "%Y-%m-%d"))


def assert_valid_case(package: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=checker).validate(package)


def load(db, data, fmt):
    counts = framework_file_import(db, data=data if isinstance(data, bytes) else data.encode(), fmt=fmt, by=None)
    db.commit()
    db.expire_all()
    return counts


def by_id(objs: list[dict]) -> dict[str, dict]:
    return {o["identifier"]: o for o in objs}


def test_the_schema_is_a_valid_json_schema_and_refuses_a_broken_package():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    broken = json.loads(FOREIGN.read_text())
    del broken["CFItems"][0]["fullStatement"]
    broken["CFAssociations"][0]["associationType"] = "isCousinOf"
    errors = list(jsonschema.Draft7Validator(SCHEMA, format_checker=checker).iter_errors(broken))
    assert {e.validator for e in errors} == {"required", "enum"}


def test_digcomp_exports_as_valid_case_with_a_tree_of_is_child_of(db):
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    package = case_package(db, counts.framework, base_url=BASE)
    assert_valid_case(package)
    doc = package["CFDocument"]
    assert doc["title"] == counts.framework.name and doc["uri"] == f"{BASE}/ims/case/v1p0/uri/{doc['identifier']}"
    assert doc["CFPackageURI"]["uri"] == f"{BASE}/ims/case/v1p0/CFPackages/{doc['identifier']}"
    items = by_id(package["CFItems"])
    assert len(items) == 5 + 21
    types = {i["CFItemType"] for i in items.values()}
    assert types == {"Competence area", "Competence"}
    assert {t["title"] for t in package["CFDefinitions"]["CFItemTypes"]} == types
    parents = {a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"] for a in package["CFAssociations"]}
    assert set(parents) == set(items) and all(a["associationType"] == "isChildOf" for a in package["CFAssociations"])
    coded = {i["humanCodingScheme"]: i for i in items.values()}
    assert parents[coded["1.1"]["identifier"]] == coded["1"]["identifier"]
    assert parents[coded["1"]["identifier"]] == doc["identifier"]
    assert coded["1.1"]["abbreviatedStatement"] == "Browsing, searching and filtering data, information and digital content"


def test_identifiers_are_derived_from_codes_so_every_export_and_install_gives_the_same(db):
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    first = case_package(db, counts.framework, base_url=BASE)
    assert case_package(db, counts.framework, base_url=BASE) == first
    # Publishing stores the identifier; renaming the code afterwards does not change it.
    framework_set_published(db, framework=counts.framework, published=True, by=None)
    counts.framework.code = "DigComp-2.2"
    db.commit()
    again = case_package(db, counts.framework, base_url=BASE)
    assert again["CFDocument"]["identifier"] == first["CFDocument"]["identifier"]


@pytest.mark.parametrize("source", ["small", "moodle"])
def test_case_out_then_in_then_out_is_identical(db, source):
    if source == "small":
        counts = load(db, json.dumps(small_doc()), "json")
    else:
        counts = load(db, MOODLE.read_bytes(), "moodle")
    out = case_package(db, counts.framework, base_url=BASE)
    assert_valid_case(out)
    # Another system (here a second framework) reads it and publishes it again.
    copy = load(db, json.dumps(out), "case")
    assert copy.framework.id != counts.framework.id
    assert copy.framework.code == counts.framework.name  # a package has no code; its title is taken
    again = case_package(db, copy.framework, base_url="https://elsewhere.example.org")
    assert again == out
    # And ours holds the same tree, field by field.
    ours = {
        c.code: (c.name, c.description, c.case_id)
        for c in db.exec(select(Competence).where(Competence.framework_id == copy.framework.id))
    }
    theirs = {
        c.code: (c.name, c.description) for c in db.exec(select(Competence).where(Competence.framework_id == counts.framework.id))
    }
    assert {code: v[:2] for code, v in ours.items()} == theirs
    if source == "moodle":
        comp = db.exec(select(Competence).where(Competence.framework_id == copy.framework.id, Competence.code == "DATA.1")).one()
        assert [(i["code"], i["parent"]) for i in comp.meta["indicators"]] == [("DATA.1.a", "DATA.1"), ("DATA.1.a.i", "DATA.1.a")]
        types = [i["CFItemType"] for i in out["CFItems"]][:4]
        assert types == ["Domain", "Competency", "Skill", "Indicator"]  # Moodle's taxonomies name the levels
        # Moodle's cross-references are isRelatedTo, once a pair (Moodle lists a pair on both sides).
        codes = {i["identifier"]: i.get("humanCodingScheme") for i in out["CFItems"]}
        related = {
            tuple(sorted((codes[a["originNodeURI"]["identifier"]], codes[a["destinationNodeURI"]["identifier"]])))
            for a in out["CFAssociations"]
            if a["associationType"] == "isRelatedTo"
        }
        assert related == {("DATA.1", "SAFE.1"), ("DATA.1", "Ωmega id (3)"), ("A,B code", "SAFE.1")}
        assert sum(a["associationType"] == "isRelatedTo" for a in out["CFAssociations"]) == 3


def test_a_foreign_package_comes_in_field_by_field_and_goes_out_as_it_came(db):
    assert detect_format("standards.json", FOREIGN.read_bytes()) == "case"
    items_first = json.loads(FOREIGN.read_text())
    items_first = {"CFItems": items_first.pop("CFItems") * 20, **items_first}
    assert detect_format("standards.json", json.dumps(items_first).encode()) == "case"
    counts = load(db, FOREIGN.read_bytes(), "case")
    fw = counts.framework
    assert (fw.code, fw.name, fw.version, fw.publisher, fw.licence) == (
        "Workplace Digital Standards",
        "Workplace Digital Standards",
        "2.1",
        "Regional Skills Board",
        "CC BY 4.0",
    )
    assert fw.description == "Standards for digital work in public offices."
    areas = db.exec(select(CompetenceArea).order_by(CompetenceArea.position)).all()
    assert [a.code for a in areas] == ["COM", "INF"]  # by sequence number, not file order
    comps = {c.code: c for c in db.exec(select(Competence))}
    pkg = json.loads(FOREIGN.read_text())
    items = by_id(pkg["CFItems"])
    plain = comps["COM.1"]
    assert (plain.name, plain.description) == ("Plain messages", items[plain.case_id]["fullStatement"])
    no_code = next(c for code, c in comps.items() if code == c.case_id)
    assert no_code.name == "Keeps records where colleagues can find them." and no_code.description == ""
    long = comps["INF.1"]
    assert len(long.name) == 300 and long.name.endswith("…") and long.description == items[long.case_id]["fullStatement"]
    assert [i["code"] for i in plain.meta["indicators"]] == ["COM.1.a", "COM.1.a.1"]
    assert [c.code for c in db.exec(select(Competence).where(Competence.area_id == areas[1].id).order_by(Competence.position))] == [
        "INF.1",
        no_code.code,
    ]

    out = case_package(db, fw, base_url=BASE)
    assert_valid_case(out)
    assert out["CFDocument"] == pkg["CFDocument"]
    assert by_id(out["CFItems"]) == items
    assert by_id(out["CFAssociations"]) == by_id(pkg["CFAssociations"])
    assert out["CFDefinitions"] == pkg["CFDefinitions"]


def test_reimporting_a_package_updates_the_framework_it_came_from(db):
    first = load(db, FOREIGN.read_bytes(), "case")
    pkg = json.loads(FOREIGN.read_text())
    pkg["CFDocument"]["title"] = "Workplace Digital Standards (2026)"
    pkg["CFItems"][2]["abbreviatedStatement"] = "Plain, short messages"
    again = load(db, json.dumps(pkg), "case")
    assert again.framework.id == first.framework.id and again.framework.code == "Workplace Digital Standards"
    assert again.framework.name == "Workplace Digital Standards (2026)"
    assert db.exec(select(Competence.name).where(Competence.code == "COM.1")).one() == "Plain, short messages"
    assert db.exec(select(func.count()).select_from(Framework)).one() == 1


def test_a_package_whose_title_is_another_frameworks_code_is_refused(db):
    load(db, json.dumps({**small_doc(), "code": "Workplace Digital Standards"}), "json")
    with pytest.raises(FrameworkFileError) as caught:
        load(db, FOREIGN.read_bytes(), "case")
    assert "already exists" in caught.value.errors[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p.pop("CFDocument"), "The file must hold a CASE package"),
        (lambda p: p["CFDocument"].update(identifier="not-a-uuid"), "CFDocument: 'identifier' must be a UUID."),
        (lambda p: p["CFDocument"].update(title=" "), "CFDocument: 'title' is required."),
        (lambda p: p.update(CFItems={}), "CFItems: must be a list of objects."),
        (lambda p: p["CFItems"][1].update(identifier=p["CFItems"][0]["identifier"]), "CFItems[1]: identifier"),
        (lambda p: p["CFItems"][3].pop("fullStatement"), "CFItems[3]: 'fullStatement' is required."),
        (lambda p: p["CFItems"][4].update(identifier="x"), "CFItems[4]: 'identifier' must be a UUID."),
    ],
)
def test_broken_packages_are_refused_with_the_place(change, expected):
    pkg = json.loads(FOREIGN.read_text())
    change(pkg)
    with pytest.raises(FrameworkFileError) as caught:
        parse(json.dumps(pkg), "case")
    assert any(e.startswith(expected) for e in caught.value.errors), caught.value.errors


def test_a_loop_of_is_child_of_is_refused():
    pkg = json.loads(FOREIGN.read_text())
    items = pkg["CFItems"]
    # The two domains each the child of the other, and no longer of the document.
    for link in pkg["CFAssociations"][:2]:
        other = items[1] if link["originNodeURI"]["identifier"] == items[0]["identifier"] else items[0]
        link["destinationNodeURI"] = {"title": "x", "identifier": other["identifier"], "uri": other["uri"]}
    with pytest.raises(FrameworkFileError) as caught:
        parse(json.dumps(pkg), "case")
    assert any("loop of isChildOf" in e for e in caught.value.errors)


def test_unplaced_items_sit_at_the_top_and_the_1_1_wrapper_is_read(db):
    pkg = json.loads(FOREIGN.read_text())
    pkg["CFAssociations"] = [a for a in pkg["CFAssociations"] if a["associationType"] != "isChildOf"]
    doc = parse(json.dumps({"CFPackage": pkg}), "case")
    assert len(doc["areas"]) == len(pkg["CFItems"])
    framework_import(db, doc=doc)


def test_publishing_serves_the_package_to_anyone_and_unpublishing_withdraws_it(signed_in, client, db):
    browser, _ = signed_in("admin")
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    fw_id = counts.framework.id
    exported = browser.get(f"/admin/frameworks/{fw_id}/case.json")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    identifier = exported.json()["CFDocument"]["identifier"]
    public = f"/ims/case/v1p0/CFPackages/{identifier}"
    assert client.get(public).status_code == 404  # not published yet
    page = browser.get(f"/admin/frameworks/{fw_id}").text
    assert "Publish as CASE" in page and public in page

    assert browser.post(f"/admin/frameworks/{fw_id}/publish", data={"published": "1"}).status_code == 303
    answer = client.get(public)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    package = answer.json()
    assert_valid_case(package)
    assert package["CFDocument"]["identifier"] == identifier
    item = package["CFItems"][3]
    resolved = client.get(urlsplit(item["uri"]).path)
    assert resolved.status_code == 200 and resolved.json() == {"CFItem": item}
    assoc = package["CFAssociations"][0]
    assert client.get(urlsplit(assoc["uri"]).path).json() == {"CFAssociation": assoc}
    assert client.get(urlsplit(package["CFDocument"]["uri"]).path).json() == {"CFDocument": package["CFDocument"]}
    item_type = package["CFDefinitions"]["CFItemTypes"][0]
    assert client.get(urlsplit(item_type["uri"]).path).json() == {"CFItemType": item_type}
    assert client.get("/ims/case/v1p0/uri/00000000-0000-4000-8000-000000000000").status_code == 404
    assert "Stop publishing" in browser.get(f"/admin/frameworks/{fw_id}").text

    assert browser.post(f"/admin/frameworks/{fw_id}/publish", data={"published": "0"}).status_code == 303
    assert client.get(public).status_code == 404
    assert client.get(urlsplit(item["uri"]).path).status_code == 404
    browser.post(f"/admin/frameworks/{fw_id}/publish", data={"published": "1"})
    assert client.get(public).json()["CFDocument"]["identifier"] == identifier  # published twice, same identifiers
    db.expire_all()
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.target_type == "framework").order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["framework.publish", "framework.unpublish", "framework.publish"]


def test_publishing_needs_an_admin_and_a_csrf_token(signed_in, db):
    counts = load(db, DIGCOMP_PATH.read_bytes(), "json")
    browser, _ = signed_in("trainer")
    assert browser.post(f"/admin/frameworks/{counts.framework.id}/publish", data={"published": "1"}).status_code == 403
    assert browser.get(f"/admin/frameworks/{counts.framework.id}/case.json").status_code == 403
    db.expire_all()
    assert db.get(Framework, counts.framework.id).case_published is False


def test_the_import_page_takes_moodle_and_case_files(signed_in, db):
    browser, _ = signed_in("admin")
    for name, data, label in (("standards.json", FOREIGN.read_bytes(), "CASE"), ("ict.csv", MOODLE.read_bytes(), "Moodle CSV")):
        answer = browser.post("/admin/frameworks/import", {"fmt": "auto"}, files={"file": (name, data, "application/octet-stream")})
        assert answer.status_code == 303
        assert f"{name} was imported ({label})" in browser.get(answer.headers["location"]).text
    page = browser.get("/admin/frameworks").text
    assert "Moodle CSV<span" in page and "CASE<span" in page
    ict = db.exec(select(Framework).where(Framework.code == "ICT-SKILLS")).one()
    detail = browser.get(f"/admin/frameworks/{ict.id}").text
    assert "2 indicators" in detail and "Quotes exact phrases" in detail
    assert "&lt;p&gt;" not in detail  # Moodle's HTML descriptions are shown as text, not tags
    exported = browser.get(f"/admin/frameworks/{ict.id}/export-moodle.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf") and "ICT-SKILLS" in exported.headers["content-disposition"]
    bad = browser.post(
        "/admin/frameworks/import", {"fmt": "case"}, files={"file": ("x.json", b'{"CFDocument": {}}', "application/json")}
    )
    assert bad.status_code == 422 and "identifier" in bad.text


def test_rubrics_and_licences_a_package_brings_go_back_out(db):
    pkg = json.loads(FOREIGN.read_text())
    when = pkg["CFDocument"]["lastChangeDateTime"]
    rubric_id = "5b0e2c8e-3c1a-4f7a-9b2d-6e8f0a1b2c3d"
    pkg["CFRubrics"] = [
        {
            "identifier": rubric_id,
            "uri": f"https://standards.example.edu/uri/{rubric_id}",
            "title": "Writing",
            "lastChangeDateTime": when,
        }
    ]
    counts = load(db, json.dumps(pkg), "case")
    out = case_package(db, counts.framework, base_url=BASE)
    assert out["CFRubrics"] == pkg["CFRubrics"]
    # A licence the package defines, chosen here by its title, is linked rather than defined again.
    pkg["CFDefinitions"]["CFLicenses"].append(
        {**pkg["CFDefinitions"]["CFLicenses"][0], "identifier": rubric_id.replace("5b0e", "6c1f"), "title": "OGL 3.0"}
    )
    counts = load(db, json.dumps(pkg), "case")
    counts.framework.licence = "OGL 3.0"
    db.commit()
    out = case_package(db, counts.framework, base_url=BASE)
    assert_valid_case(out)
    assert out["CFDocument"]["licenseURI"]["identifier"] == rubric_id.replace("5b0e", "6c1f")
    assert len(out["CFDefinitions"]["CFLicenses"]) == 2
