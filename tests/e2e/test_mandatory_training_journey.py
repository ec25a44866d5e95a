"""Mandatory training that recurs (issue 10), end to end in the browser.

An administrator creates a yearly requirement for the demo employee's org unit, checking first how many people
it assigns; the employee sees it due on the home page, completes the course and downloads the certificate.
Then time moves: the completion is moved a year back so its validity ended yesterday and the daily sweep runs
(as `lms worker` would); the employee is reminded (in the app and by e-mail), the manager's matrix shows them
expired, the public verification page says the certificate expired, and the manager extends the due date.
The same forms are then used with JavaScript switched off.

The course is a one-lesson course put straight into the live database (it develops no competence, so other
browser tests' skills pages do not change); everything a person does goes through the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from lms.clock import utcnow
from tests.e2e.support.accounts import ADMIN, EMPLOYEE, LEAD, MANAGER
from tests.e2e.support.courses import unique_title
from tests.e2e.support.pages import check_page, field, sign_in, sign_out, visit, watch
from tests.e2e.support.requirements import (
    active_people_in_unit,
    check_who_it_assigns,
    day_text,
    drain_outbox,
    expire_completion,
    fill_requirement,
    live_db,
    mail_to,
    matrix_cell,
    open_matrix_for,
    pdf_text,
    people,
    person,
    plain_check,
    plain_sign_in,
    plain_sign_out,
    plain_visit,
    publish_short_course,
    requirement_id_from_url,
    run_daily_sweep,
    worker_settings,
)


def mail_day(when: dt.datetime) -> str:
    """A date as the reminders write it: 5 December 2026."""
    return f"{when.day} {when:%B %Y}"


def create_requirement(
    page: Page, *, name: str, course_id: int, unit_id: int, expected_people: int, check: Callable[[Page], None] = check_page
) -> int:
    """As a signed-in admin: the new-requirement form, the dry run, then save. Returns the requirement's id."""
    (visit if check is check_page else plain_visit)(page, "/admin/requirements")
    with page.expect_navigation():
        page.get_by_role("link", name="Create a requirement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a requirement")
    check(page)
    fill_requirement(page, name=name, course_id=course_id, unit_id=unit_id, months=12)
    preview = check_who_it_assigns(page, check)
    assert f"This will assign {people(expected_people)};" in preview, preview
    assert "0 of them" in preview, f"nobody has completed a brand-new course yet: {preview}"
    # The dry run kept every answer: saving needs nothing typed again.
    expect(field(page, "Name")).to_have_value(name)
    expect(page.locator(f"#course_ids-{course_id}")).to_be_checked()
    expect(field(page, "Every how many months")).to_have_value("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Create requirement").click()
    expect(page.locator("#flashes")).to_contain_text(f"The requirement is saved. It now covers {people(expected_people)}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check(page)
    return requirement_id_from_url(page)


def test_recurring_requirement_from_creation_to_expiry_reminder_and_extension(
    page: Page, browser: Browser, base_url: str, live_server, tmp_path: Path
):
    with live_db(live_server) as db:
        employee = person(db, EMPLOYEE)
        manager = person(db, MANAGER)
        assert employee.manager_id == manager.id, "the demo employee reports to the demo manager"
        assert employee.org_unit_id is not None
        unit_id, employee_id, employee_name = employee.org_unit_id, employee.id, employee.name
        in_unit = active_people_in_unit(db, unit_id)
        title = unique_title("Handling personal data")
        course_id = publish_short_course(db, title)
    name = f"Personal data handling {title[-9:-1]}"

    # --- the administrator: a yearly requirement for the employee's unit ------------------------------
    sign_in(page, ADMIN)
    requirement_id = create_requirement(page, name=name, course_id=course_id, unit_id=unit_id, expected_people=in_unit)
    expect(page.locator("main")).to_contain_text(title)
    visit(page, f"/admin/requirements/{requirement_id}/edit")
    expect(field(page, "Name")).to_have_value(name)
    visit(page, "/admin/requirements")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    sign_out(page)

    # --- the employee: due on the home page; completes the course ------------------------------------
    sign_in(page, EMPLOYEE)
    visit(page, "/")
    panel = page.get_by_role("region", name="Mandatory training", exact=True)
    expect(panel.get_by_role("listitem").filter(has_text=name)).to_contain_text("Not started")
    with page.expect_navigation():
        panel.get_by_role("link", name=name).click()
    assert page.url.endswith(f"/courses/{course_id}"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Enrol").click()
    expect(page.locator("#flashes")).to_contain_text("You are enrolled.")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Start", exact=True).click()
    check_page(page)
    page.get_by_role("button", name="Mark complete").click()
    expect(page.locator("#lesson-progress")).to_contain_text("You completed this course.")
    check_page(page)
    completed_on = utcnow()

    # My certificates, from My learning: valid for a year; the PDF names the person and the course.
    visit(page, "/learning")
    with page.expect_navigation():
        page.get_by_role("link", name="My certificates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My certificates")
    check_page(page)
    row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=title))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("Valid")
    valid_until = completed_on.replace(year=completed_on.year + 1)
    expect(row.locator("td").nth(1)).to_have_text(re.compile(rf"{valid_until.year}$"))
    code = row.locator("code").inner_text().strip()
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile(r"^Download PDF")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"certificate-{code}.pdf"
    text = pdf_text(saved)
    assert employee_name in text, f"the certificate should name {employee_name}: {text!r}"
    assert " ".join(title.split()) in text, f"the certificate should name the course {title!r}: {text!r}"
    assert code in text, f"the certificate should carry its code {code}: {text!r}"
    visit(page, "/")
    expect(page.get_by_role("region", name="Mandatory training", exact=True).get_by_text(name)).to_have_count(0)
    sign_out(page)

    # --- a year later: the validity ended yesterday; the daily sweep and the mail drain run ----------
    outbox = tmp_path / "outbox"
    settings = worker_settings(live_server, outbox)
    now = utcnow()
    with live_db(live_server) as db:
        expired = expire_completion(db, user_id=employee_id, requirement_id=requirement_id, now=now)
        assert expired.valid_until is not None
        ended = expired.valid_until
        report = run_daily_sweep(db, settings, now)
        assert report.renewed >= 1, f"the employee's renewal cycle should open: {report}"
        assert report.messages.get("overdue", 0) >= 1, f"the employee should be reminded: {report}"
        again = run_daily_sweep(db, settings, now)
        assert again.renewed == 0 and again.queued == 0, f"a second sweep the same day changes nothing: {again}"
        drained = drain_outbox(db, settings)
        assert drained.sent >= 1 and drained.failed == 0, drained
    overdue_subject = f"Overdue: {name} was due on {mail_day(ended)}"
    mails = [m for m in mail_to(outbox, EMPLOYEE) if m["Subject"] == overdue_subject]
    assert len(mails) == 1, f"one overdue reminder by e-mail, not {[m['Subject'] for m in mail_to(outbox, EMPLOYEE)]}"
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert f"{base_url}/courses/{course_id}" in body, body
    assert mails[0]["Auto-Submitted"] == "auto-generated"

    # --- the employee is reminded in the app ----------------------------------------------------------
    sign_in(page, EMPLOYEE)
    badge = page.locator(".header-notifications .usa-tag")
    expect(badge).to_be_attached()
    unread = int(re.match(r"\d+", badge.inner_text().strip()).group(0))
    assert unread >= 2, "at least the certificate and the overdue reminder are unread"
    with page.expect_navigation():
        page.locator(".header-notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    check_page(page)
    reminder = page.get_by_role("link", name=overdue_subject)
    expect(reminder).to_have_attribute("href", f"/courses/{course_id}")
    expect(page.locator("tbody tr").filter(has=reminder)).to_contain_text("Sent by e-mail")
    expect(page.locator("tbody th").filter(has_text=f"Your certificate for “{title}”")).to_have_count(1)
    visit(page, "/notifications?unread=1")
    expect(page.locator(".result-count")).to_contain_text(f"of {unread} notification")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#flashes")).to_contain_text("Marked all as read.")
    expect(badge).to_have_count(0)
    check_page(page)
    visit(page, "/")
    expect(
        page.get_by_role("region", name="Mandatory training", exact=True).get_by_role("listitem").filter(has_text=name)
    ).to_contain_text("Expired")
    sign_out(page)

    # --- the public verification page, signed out: expired --------------------------------------------
    public = browser.new_context(base_url=base_url)
    try:
        visitor = public.new_page()
        visitor_watch = watch(visitor)
        visit(visitor, "/verify")
        field(visitor, "Verification code").fill(code)
        with visitor.expect_navigation():
            visitor.get_by_role("button", name="Check").click()
        check_page(visitor)
        expect(visitor.get_by_role("heading", level=2, name="Expired certificate")).to_be_visible()
        facts = visitor.locator("dl.certificate-facts")
        expect(facts).to_contain_text(employee_name)
        expect(facts).to_contain_text(title)
        expect(facts).to_contain_text(mail_day(ended))
        visit(visitor, f"/verify/{code}")
        expect(visitor.get_by_role("heading", level=2, name="Expired certificate")).to_be_visible()
        visitor_watch.assert_clean()
    finally:
        public.close()

    # --- the manager: the matrix shows them expired; the cell page extends the due date ---------------
    sign_in(page, MANAGER)
    team_panel = page.get_by_role("region", name="Mandatory training in your team")
    expect(team_panel).to_contain_text("overdue on mandatory training")
    with page.expect_navigation():
        team_panel.get_by_role("link", name="Open the mandatory training matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandatory training")
    check_page(page)
    open_matrix_for(page, name=employee_name, requirement_id=requirement_id)
    cell = matrix_cell(page, user_id=employee_id, requirement_id=requirement_id)
    expect(cell).to_contain_text("Expired")
    expect(cell).to_contain_text(day_text(ended))
    # The export of the filtered matrix says the same.
    with page.expect_download() as export:
        page.get_by_role("link", name="Download as CSV").click()
    csv_lines = Path(export.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert any(employee_name in line and "Expired" in line for line in csv_lines), csv_lines
    with page.expect_navigation():
        cell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}: {employee_name}")
    check_page(page)
    expect(page.locator(".compliance-standing")).to_contain_text("Expired")
    new_due = (now + dt.timedelta(days=45)).date()
    field(page, "New due date").fill(new_due.isoformat())
    field(page, "Reason").first.fill("Back from three weeks' leave; agreed at the team meeting.")
    with page.expect_navigation():
        page.get_by_role("button", name="Extend").click()
    expect(page.locator("#flashes")).to_contain_text(f"{name} for {employee_name} is now due on {new_due.day} {new_due:%B %Y}.")
    expect(page.get_by_role("heading", level=3, name="Extensions of the current cycle")).to_be_visible()
    check_page(page)
    open_matrix_for(page, name=employee_name, requirement_id=requirement_id)
    cell = matrix_cell(page, user_id=employee_id, requirement_id=requirement_id)
    expect(cell).to_contain_text(f"due {new_due:%d %b %Y}")
    expect(cell).not_to_contain_text("Expired")
    sign_out(page)

    # --- an administrator revokes the certificate: the public page says so at once --------------------
    sign_in(page, ADMIN)
    visit(page, "/admin/certificates")
    field(page, "Verification code or e-mail address").fill(code)
    field(page, "Verification code or e-mail address").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    found = page.locator("#results tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(employee_name)
    expect(found).to_contain_text("Expired")
    check_page(page)
    with page.expect_navigation():
        found.get_by_role("link", name=re.compile(r"^Revoke")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke certificate {code}?")
    check_page(page)
    field(page, "Reason").fill("Issued for a course completed on someone else's account.")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke certificate").click()
    expect(page.locator("#flashes")).to_contain_text(f"Certificate {code} is revoked.")
    check_page(page)
    public = browser.new_context(base_url=base_url)
    try:
        visitor = public.new_page()
        visitor_watch = watch(visitor)
        visit(visitor, f"/verify/{code}")
        expect(visitor.get_by_role("heading", level=2, name="Revoked certificate")).to_be_visible()
        visitor_watch.assert_clean()
    finally:
        public.close()


def test_requirement_and_extension_forms_work_without_javascript(browser: Browser, base_url: str, live_server):
    with live_db(live_server) as db:
        employee = person(db, EMPLOYEE)
        assert employee.org_unit_id is not None
        unit_id, employee_id, employee_name = employee.org_unit_id, employee.id, employee.name
        in_unit = active_people_in_unit(db, unit_id)
        title = unique_title("Records management")
        course_id = publish_short_course(db, title)
    name = f"Records management {title[-9:-1]}"

    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch(page)
        plain_sign_in(page, ADMIN)
        requirement_id = create_requirement(
            page, name=name, course_id=course_id, unit_id=unit_id, expected_people=in_unit, check=plain_check
        )
        # A problem comes back as a page of its own: the name emptied on the edit form.
        plain_visit(page, f"/admin/requirements/{requirement_id}/edit")
        field(page, "Name").fill("")
        with page.expect_navigation() as refused:
            page.get_by_role("button", name="Save changes").click()
        assert refused.value.status == 422
        plain_check(page)
        expect(page.locator(".usa-error-message").first).to_be_visible()
        plain_sign_out(page)

        plain_sign_in(page, MANAGER)
        open_matrix_for(page, name=employee_name, requirement_id=requirement_id, go=plain_visit)
        cell = matrix_cell(page, user_id=employee_id, requirement_id=requirement_id)
        expect(cell).to_contain_text("Not started")
        with page.expect_navigation():
            cell.click()
        plain_check(page)
        new_due = (utcnow() + dt.timedelta(days=60)).date()
        field(page, "New due date").fill(new_due.isoformat())
        field(page, "Reason").first.fill("Starts a secondment next week.")
        with page.expect_navigation():
            page.get_by_role("button", name="Extend").click()
        expect(page.locator("#flashes")).to_contain_text(f"{name} for {employee_name} is now due on {new_due.day} {new_due:%B %Y}.")
        plain_check(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Send reminder").click()
        expect(page.locator("#flashes")).to_contain_text(f"Reminder sent to {employee_name} about {name}.")
        plain_check(page)
        open_matrix_for(page, name=employee_name, requirement_id=requirement_id, go=plain_visit)
        expect(matrix_cell(page, user_id=employee_id, requirement_id=requirement_id)).to_contain_text(f"due {new_due:%d %b %Y}")

        # An exemption, then withdrawn: both forms post and say what changed.
        with page.expect_navigation():
            matrix_cell(page, user_id=employee_id, requirement_id=requirement_id).click()
        field(page, "Reason").last.select_option(label="Equivalent training taken elsewhere")
        field(page, "Note").fill("Completed the department's records course in the spring.")
        with page.expect_navigation():
            page.get_by_role("button", name="Record the exemption").click()
        expect(page.locator("#flashes")).to_contain_text(f"{employee_name} is exempt from {name}.")
        expect(page.locator(".compliance-standing")).to_contain_text("Exempt")
        plain_check(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Withdraw the exemption").click()
        expect(page.locator("#flashes")).to_contain_text(f"Exemption withdrawn: {employee_name} needs {name} again.")
        expect(page.locator(".compliance-standing")).not_to_contain_text("Exempt")
        plain_check(page)
    finally:
        context.close()


def test_mandatory_training_pages_are_accessible(page: Page):
    """The new pages not visited by the journeys above, as the people who use them."""
    sign_in(page, LEAD)
    visit(page, "/admin/requirements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandatory training requirements")
    visit(page, "/reports/compliance")
    trend = page.locator("a[href$='/trend']").first
    expect(trend).to_be_attached()
    visit(page, trend.get_attribute("href"))
    sign_out(page)

    sign_in(page, ADMIN)
    visit(page, "/admin/requirements/new")
    visit(page, "/admin/certificates")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ertificates")
