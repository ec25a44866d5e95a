"""A person asks for a copy of their data on My account, downloads it once, and finds the link gone
afterwards; an administrator erases a leaver after reading what will happen. Every page is axe-clean."""

from __future__ import annotations

import json
import re
import uuid
import zipfile

from playwright.sync_api import Page, expect
from sqlmodel import select

from lms.auth.passwords import hash_password
from lms.config import Settings
from lms.people.models import User
from lms.privacy.models import DataExport
from lms.privacy.service import export_build
from tests.e2e.support.accounts import ADMIN, EMPLOYEE
from tests.e2e.support.pages import check_page, sign_in, sign_out, visit
from tests.e2e.support.requirements import live_db


def test_a_person_downloads_their_data_once(page: Page, live_server, tmp_path):
    sign_in(page, EMPLOYEE)
    visit(page, "/account")
    section = page.get_by_role("region", name="Your data")
    with page.expect_navigation():
        section.get_by_role("button", name="Request a copy of your data").click()
    expect(page.get_by_text("Your export is being prepared")).to_be_visible()
    expect(page.get_by_role("cell", name="Being prepared")).to_be_visible()
    check_page(page)

    # What `lms worker` does beside the server: build it, into the server's own exports folder.
    with live_db(live_server) as session:
        me = session.exec(select(User).where(User.email == EMPLOYEE)).one()
        export = session.exec(select(DataExport).where(DataExport.requested_by_id == me.id).order_by(DataExport.id.desc())).first()
        export_build(session, export_id=export.id, settings=Settings(database_url=live_server.env["DATABASE_URL"]))
        session.commit()

    visit(page, "/account")
    with page.expect_navigation():
        page.get_by_role("link", name="Download (once)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data export")
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the ZIP file").click()
    saved = tmp_path / "export.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("profile.json"))[0]["email"] == EMPLOYEE
        assert "Your data held by" in archive.read("summary.html").decode()

    visit(page, f"/exports/{export.id}", status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text("This export is no longer available")
    expect(page.get_by_text(re.compile("downloaded on"))).to_be_visible()


def test_an_administrator_erases_a_leaver(page: Page, live_server):
    email = f"leaver-{uuid.uuid4().hex[:8]}@example.gov"
    name = f"Lena Leaver {uuid.uuid4().hex[:6]}"
    with live_db(live_server) as session:
        leaver = User(email=email, name=name, password_hash=hash_password("x" * 20), is_active=False)
        session.add(leaver)
        session.commit()
        leaver_id = leaver.id

    sign_in(page, ADMIN)
    visit(page, f"/admin/users/{leaver_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Erase").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Personal data: {name}")
    check_page(page)

    page.get_by_label(re.compile(f"Type {re.escape(email)} to confirm")).fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Erase {name} for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Personal data: Former employee #{leaver_id}")
    expect(page.get_by_text(re.compile("This account was erased on"))).to_be_visible()
    check_page(page)
    sign_out(page)
