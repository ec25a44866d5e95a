"""The user import takes files as Excel and macOS write them: BOM, `sep=` line, ';', trailing empty
columns, decomposed accents."""

from __future__ import annotations

import html
import unicodedata

from sqlmodel import func, select

from lms.people.csv_import import users_import
from lms.people.models import OrgUnit, User
from lms.people.selectors import org_units_with_paths, user_by_email, user_roles

NAMES = ("Åsa Ångström", "Zoë Øster-Łukasiewicz", "Élodie Straße")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def excel_file(sep: str = ";", *, hint: bool = True, bom: bool = True) -> bytes:
    """What Excel's 'CSV UTF-8' writes for a sheet with a few used columns beyond the table (empty)."""
    lines = [
        ["email", "name", "org_unit", "manager_email", "roles", "", ""],
        ["asa@example.gov", NAMES[0], "Réseau / Équipe données", "", "manager", "", ""],
        ["zoe@example.gov", NAMES[1], "Réseau / Équipe données", "asa@example.gov", "", "", ""],
        ["elodie@example.gov", NAMES[2], "Réseau", "asa@example.gov", "trainer", "", ""],
        ["", "", "", "", "", "", ""],
    ]
    text = (f"sep={sep}\r\n" if hint else "") + "".join(sep.join(line) + "\r\n" for line in lines)
    return ("\ufeff" if bom else "").encode() + text.encode()


def test_an_excel_file_with_a_sep_line_and_trailing_columns_imports(db):
    result = users_import(db, data=excel_file(";"), by=None)
    assert result.ok, [str(e) for e in result.errors]
    db.commit()
    assert (result.created, result.updated, result.units_created) == (3, 0, 2)
    asa, zoe = user_by_email(db, "asa@example.gov"), user_by_email(db, "zoe@example.gov")
    assert asa.name == NAMES[0] and zoe.manager_id == asa.id and user_roles(db, asa.id) == {"manager"}
    paths = {unit.id: path for unit, path in org_units_with_paths(db)}
    assert paths[zoe.org_unit_id] == "Réseau / Équipe données"


def test_sep_comma_line_and_plain_files_with_trailing_commas_import(db):
    assert users_import(db, data=excel_file(",", bom=False), by=None).created == 3
    db.rollback()
    assert users_import(db, data=excel_file(",", hint=False), by=None).created == 3
    db.rollback()
    assert users_import(db, data=excel_file("\t", hint=False).decode("utf-8"), by=None).created == 3


def test_lines_are_numbered_as_in_the_file_after_a_sep_line(db):
    bad = excel_file(";").decode("utf-8-sig").replace("zoe@example.gov", "not-an-email")
    result = users_import(db, data=bad, by=None)
    assert not result.ok
    assert [e.line for e in result.errors] == [4], [str(e) for e in result.errors]
    wrong_header = "sep=;\nemail;name;org_unit;roles\nx@example.gov;X;;\n"
    assert [(e.line, e.message.split(":")[0]) for e in users_import(db, data=wrong_header, by=None).errors] == [
        (2, "Missing column(s)")
    ]


def test_a_value_beyond_the_named_columns_is_still_refused(db):
    data = "email,name,org_unit,manager_email,roles,,\nx@example.gov,X,,,,,surprise\n"
    result = users_import(db, data=data, by=None)
    assert not result.ok and "Has 7 values but the header has 5 columns" in result.errors[0].message


def test_a_macos_file_with_decomposed_accents_is_not_an_update(db):
    composed = excel_file(hint=False)
    assert users_import(db, data=composed, by=None).created == 3
    db.commit()
    decomposed = nfd(composed.decode("utf-8")).encode("utf-8")
    assert decomposed != composed
    again = users_import(db, data=decomposed, by=None)
    db.commit()
    assert (again.created, again.updated, again.unchanged, again.units_created) == (0, 0, 3, 0)
    assert db.exec(select(func.count()).select_from(OrgUnit)).one() == 2


def test_names_from_a_macos_file_are_stored_composed(db):
    assert users_import(db, data=nfd(excel_file().decode("utf-8")), by=None).created == 3
    db.commit()
    names = set(db.exec(select(User.name)).all())
    assert names == set(NAMES)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert all(unicodedata.is_normalized("NFC", u.name) for u in db.exec(select(OrgUnit)).all())


def test_the_admin_page_takes_an_excel_file(signed_in, db):
    browser, _admin = signed_in("admin")

    def upload(data: bytes):
        return browser.post("/admin/users/import", {}, files={"file": ("people.csv", data, "text/csv")})

    assert upload(excel_file()).status_code == 303
    assert "Import finished. Created 3, updated 0, unchanged 0" in html.unescape(browser.get("/admin/users").text)
    assert upload(nfd(excel_file().decode("utf-8")).encode("utf-8")).status_code == 303
    assert "Created 0, updated 0, unchanged 3" in html.unescape(browser.get("/admin/users").text)
