"""Mandatory training in the browser tests: the live server's database in-process, moving time, the daily sweep
and the outbox drain, and reading the requirement and compliance pages.

The live server runs no worker, so what `lms worker` would do once a day (the sweep) and every minute (the
outbox drain) runs here, in-process, against the server's own database, with the functions the worker's jobs
call. Mail goes to .eml files in a folder the test chooses (no SMTP host), never into the project's var/.
"""

from __future__ import annotations

import email
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func
from sqlmodel import Session, col, select

from courses.certificates.models import Certificate
from courses.models import Course, Enrolment
from courses.requirements.models import RequirementCycle
from courses.requirements.sweep import SweepReport, requirement_sweep
from lms.app import load_features
from lms.config import Settings
from lms.db import make_engine
from lms.notifications.drain import DrainReport, outbox_drain
from lms.people.models import User
from tests.e2e.support.accounts import DEMO_PASSWORD
from tests.e2e.support.pages import check_page, field, visit
from tests.e2e.support.server import LiveServer

# Every table known and every hook registered, as in `lms worker`: the sweep queues mail through them.
load_features()

EVERY_MONTHS = "Every few months, counted from each completion"
UNIT_ONLY = "This unit only"


@contextmanager
def live_db(server: LiveServer) -> Iterator[Session]:
    """A session on the live server's own database (the server keeps running; SQLite waits for its locks)."""
    engine = make_engine(server.env["DATABASE_URL"])
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def worker_settings(server: LiveServer, outbox: Path) -> Settings:
    """The settings `lms worker` would have beside this server, writing mail as .eml files to `outbox`."""
    return Settings(
        database_url=server.env["DATABASE_URL"],
        secret_key=server.env["SECRET_KEY"],
        base_url=server.url,
        smtp_host="",
        mail_outbox_dir=outbox,
    )


def person(session: Session, email_address: str) -> User:
    found = session.exec(select(User).where(User.email == email_address)).first()
    assert found is not None, f"no account {email_address} in the demo"
    return found


def active_people_in_unit(session: Session, unit_id: int) -> int:
    """Active accounts in this unit alone (not its sub-units): who a "this unit only" audience assigns."""
    return session.exec(select(func.count()).select_from(User).where(User.org_unit_id == unit_id, col(User.is_active))).one()


def publish_short_course(session: Session, title: str) -> int:
    """A published one-lesson course, straight into the live database; it develops no competence, so
    completing it changes nobody's skills for the other browser tests."""
    from tests.courses.factories import make_course  # the unit tests' factory, on the live database

    return int(make_course(session, title, modules=[[f"What to do with personal data ({title[:20]})"]], minutes=5).id or 0)


def expire_completion(session: Session, *, user_id: int, requirement_id: int, now: datetime) -> RequirementCycle:
    """Move the person's latest completed cycle back in time, with its certificate and enrolment, so that its
    validity ended yesterday: as if they had completed it a year (one validity) ago. Commits."""
    cycle = session.exec(
        select(RequirementCycle)
        .where(RequirementCycle.user_id == user_id, RequirementCycle.requirement_id == requirement_id)
        .where(col(RequirementCycle.completed_at).is_not(None))
        .order_by(col(RequirementCycle.number).desc())
    ).first()
    assert cycle is not None and cycle.valid_until is not None, "the person should hold a completed cycle that expires"
    shift = cycle.valid_until - (now - timedelta(days=1))
    for name in ("opened_at", "due_at", "grace_until", "completed_at", "ended_at", "valid_until"):
        if (value := getattr(cycle, name)) is not None:
            setattr(cycle, name, value - shift)
    for certificate in session.exec(select(Certificate).where(Certificate.cycle_id == cycle.id)).all():
        certificate.completed_at -= shift
        certificate.issued_at -= shift
        if certificate.valid_until is not None:
            certificate.valid_until -= shift
        session.add(certificate)
    enrolment = session.exec(select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == cycle.course_id)).first()
    if enrolment is not None:
        for name in ("enrolled_at", "started_at", "completed_at"):
            if (value := getattr(enrolment, name)) is not None:
                setattr(enrolment, name, value - shift)
        session.add(enrolment)
    session.add(cycle)
    session.commit()
    return cycle


def run_daily_sweep(session: Session, settings: Settings, now: datetime) -> SweepReport:
    """What the worker's daily "requirements.sweep" job does, committed as the worker would."""
    report = requirement_sweep(session, now=now, settings=settings)
    session.commit()
    return report


def drain_outbox(session: Session, settings: Settings) -> DrainReport:
    """What the worker's "notifications.send" job does each minute (it commits message by message)."""
    return outbox_drain(session, settings=settings)


def mail_to(outbox: Path, address: str) -> list[EmailMessage]:
    """The .eml files written for one recipient."""
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        if address in str(message["To"]):
            found.append(message)
    return found


def course_title(session: Session, course_id: int) -> str:
    course = session.get(Course, course_id)
    assert course is not None
    return course.title


# --- pages ---------------------------------------------------------------------------------------


def fill_requirement(page: Page, *, name: str, course_id: int, unit_id: int, months: int, due_days: int = 30) -> None:
    """On the new-requirement form: one course, one unit on its own, every `months` months."""
    field(page, "Name").fill(name)
    field(page, "Description (optional)").fill("Everyone in the unit handles personal data about citizens.")
    # USWDS draws its own check boxes and radios: the label is what a person clicks.
    page.locator(f"label[for='course_ids-{course_id}']").click()
    expect(page.locator(f"#course_ids-{course_id}")).to_be_checked()
    field(page, "Unit 1").select_option(value=str(unit_id))
    field(page, "Unit 1 covers").select_option(label=UNIT_ONLY)
    field(page, "Days to complete it").fill(str(due_days))
    page.get_by_text(EVERY_MONTHS, exact=True).click()
    expect(page.get_by_label(EVERY_MONTHS)).to_be_checked()
    field(page, "Every how many months").fill(str(months))


def check_who_it_assigns(page: Page, check: Callable[[Page], None] = check_page) -> str:
    """Press "Check who this assigns": the page comes back with the dry run and nothing saved."""
    with page.expect_navigation():
        page.get_by_role("button", name="Check who this assigns").click()
    check(page)
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Nothing is saved yet.")
    return " ".join(preview.inner_text().split())


def people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def requirement_id_from_url(page: Page) -> int:
    found = re.search(r"/admin/requirements/(\d+)$", page.url)
    assert found, f"expected to be on a requirement's page, not {page.url}"
    return int(found.group(1))


def matrix_cell(page: Page, *, user_id: int, requirement_id: int) -> Locator:
    """The manager's matrix cell (a link to the cell page) for one person and requirement."""
    return page.locator(f"table.compliance-matrix a[href='/team/compliance/{user_id}/{requirement_id}']")


def open_matrix_for(page: Page, *, name: str, requirement_id: int, go: Callable[[Page, str], object] = visit) -> None:
    """The matrix filtered to one requirement and one person's name, so paging cannot hide them."""
    go(page, f"/team/compliance?requirement={requirement_id}&q={name.replace(' ', '+')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandatory training")


def day_text(when: datetime) -> str:
    """A date as the matrix and cell pages print it: 05 Dec 2026."""
    return when.strftime("%d %b %Y")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages).split())


# --- with JavaScript switched off ----------------------------------------------------------------
# axe-core needs JavaScript to run, so these check what they can (status, browser errors); the journey
# with JavaScript runs axe on the same pages.


def plain_check(page: Page) -> None:
    page.wait_for_load_state("load")
    page._proficio_watch.assert_clean()


def plain_visit(page: Page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, f"GET {path} answered {response and response.status}"
    plain_check(page)


def plain_sign_in(page: Page, email_address: str) -> None:
    plain_visit(page, "/login")
    field(page, "Email address").fill(email_address)
    field(page, "Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()
    plain_check(page)


def plain_sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out", include_hidden=True).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
