"""Admin frameworks pages: load DigComp, import good and bad files, export, evidence validity."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlmodel import func, select

from lms.audit.models import AuditEvent
from lms.competences.framework_service import DIGCOMP_PATH
from lms.competences.models import Competence, Framework
from tests.lms.competences.test_framework_io import SMALL_CSV, small_doc, snapshot


def text_of(response) -> str:
    return html.unescape(response.text)


def upload(browser, content: bytes, filename: str, fmt: str = "auto"):
    return browser.post("/admin/frameworks/import", {"fmt": fmt}, files={"file": (filename, content, "application/octet-stream")})


def problems(response) -> list[tuple[str, str]]:
    body = text_of(response)
    body = body[body.index("Problems found in the file") :]
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', body)


def audit_actions(db) -> list[str]:
    db.expire_all()
    return list(db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all())


def digcomp(db) -> Framework:
    db.expire_all()
    return db.exec(select(Framework).where(Framework.code == "DigComp")).one()


@pytest.mark.parametrize("role", ["trainer", "manager", None])
def test_framework_pages_refuse_non_admins(signed_in, role):
    browser, _ = signed_in(*([role] if role else []))
    assert browser.get("/admin/frameworks").status_code == 403
    assert browser.post("/admin/frameworks/load-digcomp").status_code == 403
    assert "Frameworks" not in browser.get("/").text.split("<main")[0]


def test_empty_list_says_what_to_do_and_loading_digcomp_is_idempotent(signed_in, db):
    browser, _ = signed_in("admin")
    page = text_of(browser.get("/admin/frameworks"))
    assert "There are no frameworks yet" in page and "Load DigComp 2.2</button>" in page
    assert '<a class="usa-nav-link usa-current" href="/admin" aria-current="true"><span>Administration' in page

    loaded = browser.post("/admin/frameworks/load-digcomp")
    assert loaded.status_code == 303
    detail = text_of(browser.get(loaded.headers["location"]))
    assert "35 created, 0 updated, 0 unchanged" in detail
    assert "4.2" in detail and "Protecting personal data and privacy" in detail

    listing = text_of(browser.get("/admin/frameworks"))
    assert "Load DigComp 2.2</button>" not in listing
    row = re.search(r'<th scope="row"><a href="/admin/frameworks/\d+">DigComp</a></th>(.*?)</tr>', listing, re.S)
    assert [c.strip() for c in re.findall(r"<td>([^<]*)", row.group(1))[1:4]] == ["2.2", "5", "21"]

    before = snapshot(db)
    again = browser.post("/admin/frameworks/load-digcomp")
    assert "0 created, 0 updated, 35 unchanged" in text_of(browser.get(again.headers["location"]))
    assert snapshot(db) == before
    assert audit_actions(db).count("framework.import") == 1


def test_reloading_digcomp_keeps_validity_an_admin_set(signed_in, db):
    browser, _ = signed_in("admin")
    browser.post("/admin/frameworks/load-digcomp")
    fw = digcomp(db)
    comp = db.exec(select(Competence).where(Competence.code == "4.2")).one()
    browser.post(f"/admin/frameworks/{fw.id}/competences/{comp.id}/validity", {"evidence_valid_months": "12"})
    browser.post("/admin/frameworks/load-digcomp")
    db.refresh(comp)
    assert comp.evidence_valid_months == 12


@pytest.mark.parametrize(
    "fmt, filename, content",
    [
        ("auto", "skills.json", json.dumps(small_doc()).encode()),
        ("auto", "skills.csv", SMALL_CSV.encode()),
        ("auto", "no-extension", json.dumps(small_doc()).encode()),
        ("csv", "skills.txt", SMALL_CSV.encode()),
    ],
    ids=["json", "csv", "sniffed-json", "chosen-csv"],
)
def test_import_good_file_shows_counts_and_reimport_changes_nothing(signed_in, db, fmt, filename, content):
    browser, _ = signed_in("admin")
    first = upload(browser, content, filename, fmt)
    assert first.status_code == 303, text_of(first)
    page = text_of(browser.get(first.headers["location"]))
    assert re.search(r"\d+ created, 0 updated, 0 unchanged", page) and "Protecting data" in page
    before = snapshot(db)
    again = upload(browser, content, filename, fmt)
    assert re.search(r"0 created, 0 updated, \d+ unchanged", text_of(browser.get(again.headers["location"])))
    assert snapshot(db) == before
    assert audit_actions(db).count("framework.import") == 1


def test_bad_csv_is_rejected_whole_with_every_line_listed(signed_in, db):
    browser, _ = signed_in("admin")
    lines = SMALL_CSV.splitlines()
    lines[2] = "level,x,,,,Basic,,,,"
    lines[6] = "competence,A.1,,,A,,,,,"
    lines[9] = "competence,B.1,Designing,x,Q,,,,,"
    r = upload(browser, ("\n".join(lines) + "\n").encode(), "bad.csv")
    assert r.status_code == 422
    assert "bad.csv was rejected: 3 problems found. Nothing was imported." in text_of(r)
    assert [where for where, _ in problems(r)] == ["line 3", "line 7", "line 10"]
    assert db.exec(select(func.count()).select_from(Framework)).one() == 0


@pytest.mark.parametrize(
    "content, filename, expected",
    [
        ("Caf\xe9".encode("latin-1"), "x.csv", "The file is not UTF-8 text."),
        (b"[1, 2]", "x.json", "The file must hold one JSON object describing a framework."),
        (b'{"code": 5, "name": "x", "areas": "none"}', "x.json", "'code' must be text, not int."),
        (b"[" * 50_000 + b"]" * 50_000, "x.json", "The JSON is nested too deeply to be a framework."),
        (b" " * (5 * 1024 * 1024 + 10), "x.json", "The file is larger than 5 MB."),
    ],
    ids=["latin1", "json-list", "wrong-types", "deep", "huge"],
)
def test_hostile_uploads_get_a_clean_422(signed_in, db, content, filename, expected):
    browser, _ = signed_in("admin")
    r = upload(browser, content, filename)
    assert r.status_code == 422
    assert any(expected in f"{where}: {what}" for where, what in problems(r)), problems(r)
    assert db.exec(select(func.count()).select_from(Framework)).one() == 0


def test_upload_without_a_file_asks_for_one(signed_in):
    browser, _ = signed_in("admin")
    r = browser.post("/admin/frameworks/import", {"fmt": "auto"})
    assert r.status_code == 422 and "Choose a JSON or CSV file to upload." in text_of(r)


@pytest.mark.parametrize("ext, media", [("json", "application/json"), ("csv", "text/csv")])
def test_export_downloads_a_file_that_imports_back_unchanged(signed_in, db, ext, media):
    browser, _ = signed_in("admin")
    browser.post("/admin/frameworks/load-digcomp")
    fw = digcomp(db)
    r = browser.get(f"/admin/frameworks/{fw.id}/export.{ext}")
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"] == f'attachment; filename="DigComp-2.2.{ext}"'
    if ext == "json":
        assert json.loads(r.text) == json.loads(DIGCOMP_PATH.read_text())
    again = upload(browser, r.content, f"DigComp-2.2.{ext}")
    assert "0 created, 0 updated, 35 unchanged" in text_of(browser.get(again.headers["location"]))
    assert browser.get(f"/admin/frameworks/999999/export.{ext}").status_code == 404


def test_validity_edit_sets_clears_and_rejects_bad_values(signed_in, db):
    browser, admin = signed_in("admin")
    browser.post("/admin/frameworks/load-digcomp")
    fw = digcomp(db)
    comp = db.exec(select(Competence).where(Competence.code == "4.1")).one()
    url = f"/admin/frameworks/{fw.id}/competences/{comp.id}/validity"

    r = browser.post(url, {"evidence_valid_months": "12"})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#competence-{comp.id}")
    page = text_of(browser.get(r.headers["location"].split("#")[0]))
    assert "New evidence for 4.1 Protecting devices stays valid for 12 months." in page
    assert re.search(rf'id="months-{comp.id}" name="evidence_valid_months" inputmode="numeric"\s+value="12"', page)

    for bad in ("0", "121", "twelve", "-3", "1.5"):
        r = browser.post(url, {"evidence_valid_months": bad})
        assert r.status_code == 422, bad
        assert "from 1 to 120" in text_of(r) and f'href="#months-{comp.id}"' in r.text
    db.refresh(comp)
    assert comp.evidence_valid_months == 12

    browser.post(url, {"evidence_valid_months": ""})
    db.refresh(comp)
    assert comp.evidence_valid_months is None
    db.expire_all()
    details = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "competence.validity").order_by(AuditEvent.id)).all()
    assert [json.loads(d)["to"] for d in details] == [12, None]

    assert browser.post(f"/admin/frameworks/999999/competences/{comp.id}/validity", {"evidence_valid_months": "3"}).status_code == 404
