"""Issue 19 end to end: one learner's work travels through SCORM, xAPI and Open Badges together.

A trainer uploads a SCORM 1.2 package (built by the tests) as the only lesson of a course that
develops a competence the demo employee holds no verified level in, and publishes it. The employee
enrols, plays the package, stops half way, leaves, comes back to the same place and passes; the
lesson and the course show complete. `lms worker --once`, with the server's own environment,
delivers the statements of that journey to a real LRS (Ralph), each once. The employee, who now
holds a verified level from the course, claims a credential for it on My credentials, downloads it,
and the public verify page, signed out, says it is valid. Every page is checked for console errors,
CSP refusals and axe-core violations.

This test runs its own server (not the shared one): xAPI is switched on by XAPI_ENDPOINT at start-up.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from lms.competences.selectors import skill_rows
from lms.xapi.models import StatementState, XapiStatement
from lms.xapi.statements import LEVEL_EXTENSION, VERBS
from tests.courses.packages.factories import scorm12
from tests.e2e.support.accounts import CHANGER_EMAIL, CHANGER_NAME, CHANGER_PASSWORD, EMPLOYEE, TRAINER
from tests.e2e.support.courses import add_module, create_course, publish, unique_title
from tests.e2e.support.pages import check_page, sign_in, sign_out, visit, watch
from tests.e2e.support.requirements import live_db, person
from tests.e2e.support.server import LMS, LiveServer
from tests.lms.xapi.lrs import PASSWORD, USERNAME, Lrs, ralph_validate, write_credentials

HOMEPAGE = "https://proficio.example.gov"


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    home = tmp_path_factory.mktemp("lrs")
    write_credentials(home)
    server = Lrs(home).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def xapi_server(tmp_path_factory: pytest.TempPathFactory, lrs: Lrs) -> Iterator[LiveServer]:
    """`lms serve` on its own demo database, as the shared live server, with xAPI pointed at the LRS."""
    server = LiveServer(tmp_path_factory.mktemp("e2e-xapi-server"))
    # BASE_URL as an operator sets it: activity ids, competence URIs and the badge issuer start with it.
    server.env.update(
        BASE_URL=server.url, XAPI_ENDPOINT=lrs.endpoint, XAPI_USERNAME=USERNAME, XAPI_PASSWORD=PASSWORD, XAPI_ACTOR_HOMEPAGE=HOMEPAGE
    )
    server.lms("db", "upgrade")
    server.lms("demo")
    server.lms("users", "create", "--email", CHANGER_EMAIL, "--name", CHANGER_NAME, "--password-stdin", stdin=CHANGER_PASSWORD + "\n")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def journey_page(browser: Browser, xapi_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=xapi_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page_watch = watch(page)
    try:
        yield page
    finally:
        page_watch.assert_clean()
        context.close()


def click(page: Page, locator: Locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_page(page)


def test_a_package_played_reaches_the_lrs_and_earns_a_credential(
    journey_page: Page, xapi_server: LiveServer, lrs: Lrs, tmp_path: Path
) -> None:
    page = journey_page
    with live_db(xapi_server) as session:
        learner = person(session, EMPLOYEE)
        # A competence the learner holds no verified level in: the course is what gives it to them.
        competence = next(row.competence for row in skill_rows(session, learner) if row.verified == 0)
    learner_id = learner.id

    # 1. The trainer uploads a generated SCORM 1.2 package as the course's lesson and publishes it.
    package = tmp_path / "locking-your-screen.zip"
    package.write_bytes(scorm12(title="Locking your screen", status="passed", score=85))
    sign_in(page, TRAINER)
    visit(page, "/author/courses/new")
    label = page.locator(f"#competence-0 option[value='{competence.id}']").inner_text().strip()
    title = unique_title("Locking your screen")
    course_id = create_course(page, title=title, competence=label, level=2)
    module = "The vendor's package"
    add_module(page, module)
    click(page, page.get_by_role("link", name=f"Add a SCORM package to {module}"))
    page.locator("input#file[type=file]").set_input_files(str(package))
    click(page, page.get_by_role("button", name="Upload package"))
    expect(page.locator("#flashes")).to_contain_text("Package added as a lesson.")
    expect(page.locator(".package-facts")).to_contain_text("SCORM 1.2")
    lesson_id = int(re.search(r"/lessons/(\d+)/package", page.url).group(1))
    visit(page, f"/author/courses/{course_id}")
    publish(page)
    sign_out(page)

    # 2. The learner enrols, plays the package, stops half way, comes back to the same place, passes.
    lesson_url = f"/courses/{course_id}/lessons/{lesson_id}"
    sign_in(page, EMPLOYEE)
    visit(page, f"/courses/{course_id}")
    click(page, page.get_by_role("button", name="Enrol"))
    visit(page, lesson_url)
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#resumed")).to_have_text("First visit")
    frame.get_by_role("button", name="Stop half way").click()
    expect(frame.locator("#status")).to_have_text("Saved half way")
    expect(page.locator("#lesson-progress")).to_contain_text("working through the package")
    visit(page, "/")
    visit(page, lesson_url)
    expect(frame.locator("#resumed")).to_have_text("Resumed at page-2")
    frame.get_by_role("button", name="Finish").click()
    expect(frame.locator("#status")).to_have_text("Finished")
    expect(page.locator("#lesson-progress")).to_contain_text("Lesson completed")
    check_page(page)
    visit(page, f"/courses/{course_id}")
    expect(page.get_by_role("heading", name="Course completed")).to_be_visible()
    expect(page.locator(".lesson-status")).to_have_text(re.compile("Completed"))

    # 3. The worker, with the server's own environment, delivers the journey's statements to the LRS.
    for _ in range(2):  # a second run finds nothing left to send: nothing arrives twice
        done = subprocess.run(
            [LMS, "worker", "--once"], env=xapi_server.env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    actor = {"objectType": "Agent", "account": {"homePage": HOMEPAGE, "name": str(learner_id)}}
    held = lrs.statements(agent=json.dumps(actor))
    ids = Counter(s["id"] for s in held)
    assert ids and max(ids.values()) == 1, f"a statement arrived more than once: {ids}"
    with live_db(xapi_server) as session:
        queued = session.exec(select(XapiStatement).where(XapiStatement.user_id == learner_id)).all()
    assert {row.state for row in queued} == {StatementState.SENT.value}
    assert sorted(ids) == sorted(row.statement_id for row in queued), "the LRS holds exactly what the learner's work queued"
    assert ralph_validate(held) == []
    course_iri, lesson_iri = f"{xapi_server.url}/courses/{course_id}", f"{xapi_server.url}{lesson_url}"
    seen = Counter((s["verb"]["id"], s["object"]["id"]) for s in held)
    assert seen[(VERBS["launched"], lesson_iri)] >= 1, seen
    assert seen[(VERBS["completed"], lesson_iri)] == 1, seen
    assert seen[(VERBS["completed"], course_iri)] == 1, seen
    achieved = [s for s in held if s["verb"]["id"] == VERBS["achieved"] and s["object"]["definition"]["name"]["en"] == competence.name]
    assert len(achieved) == 1, f"expected one achieved statement for {competence.name}: {seen}"
    assert achieved[0]["result"]["extensions"][LEVEL_EXTENSION] == 2

    # 4. The learner claims a credential for that verified level, downloads it, and the verify page accepts it.
    visit(page, "/skills")
    click(page, page.get_by_role("link", name="Claim a credential"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My credentials")
    click(page, page.get_by_role("button", name=f"Claim a credential for {competence.name}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(competence.name)
    # The badge and the LRS name the competence alike: by its URI in the framework.
    expect(page.locator("main code").nth(1)).to_have_text(achieved[0]["object"]["id"])
    with page.expect_download() as png_download:
        page.get_by_role("link", name="Badge image (PNG)").click()
    png = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")
    sign_out(page)
    visit(page, "/badges/verify")
    page.locator("input#image[type=file]").set_input_files(str(png))
    click(page, page.get_by_role("button", name="Check"))
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()
