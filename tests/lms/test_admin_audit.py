"""The audit log page: admin only, newest first, filters, pagination, and no way to change the log."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta

from fastapi.routing import iter_route_contexts

from lms.audit.models import AuditEvent

BASE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def text_of(response) -> str:
    return html.unescape(response.text)


def listed_actions(response) -> list[str]:
    body = response.text[response.text.index("<tbody>") :] if "<tbody>" in response.text else ""
    return re.findall(r"</time></td>\s*<td>([^<]+)</td>", body)


def add_events(db, *events: dict) -> None:
    for e in events:
        db.add(AuditEvent(**e))
    db.commit()


def test_audit_log_has_no_route_that_changes_it(app):
    routes = [r for r in iter_route_contexts(app.routes) if r.path.startswith("/admin/audit")]
    assert routes and all(r.methods <= {"GET", "HEAD"} for r in routes)


def test_audit_log_lists_newest_first_with_details(signed_in):
    browser, admin = signed_in("admin", email="boss@example.gov")
    # Signing in itself was logged; make two more events through the app.
    browser.post("/admin/org-units", {"name": "Digital"})
    r = browser.get("/admin/audit")
    assert r.status_code == 200
    assert listed_actions(r) == ["org_unit.create", "login.success"]
    page = text_of(r)
    assert "boss@example.gov" in page and "<summary>name: Digital, parent id: —" in page
    assert "testclient" in page  # the client address


def test_audit_filters(signed_in, db):
    browser, _ = signed_in("admin", email="root@example.gov")
    add_events(
        db,
        {
            "action": "role.grant",
            "actor_email": "ann.admin@example.gov",
            "target_type": "user",
            "target_id": "7",
            "at": BASE - timedelta(days=2),
            "detail": '{"role": "trainer"}',
        },
        {
            "action": "role.revoke",
            "actor_email": "ann.admin@example.gov",
            "target_type": "user",
            "target_id": "8",
            "at": BASE - timedelta(days=1),
        },
        {"action": "org_unit.create", "actor_email": "bob@example.gov", "target_type": "org_unit", "target_id": "7", "at": BASE},
        {"action": "login.failure", "actor_email": "mallory@example.gov", "at": BASE + timedelta(days=1)},
    )
    all_events = browser.get("/admin/audit")
    options = re.findall(r'<option value="([^"]+)"', all_events.text[all_events.text.index('id="action"') :])
    assert options[:5] == ["login.failure", "login.success", "org_unit.create", "role.grant", "role.revoke"]

    def actions(query: str) -> list[str]:
        response = browser.get("/admin/audit?" + query)
        assert response.status_code == 200, response.text
        return listed_actions(response)

    assert actions("action=role.grant") == ["role.grant"]
    assert actions("actor=ANN.ADMIN") == ["role.revoke", "role.grant"]
    assert actions("actor=%25") == []  # wildcards are taken literally
    assert actions("target_type=user") == ["role.revoke", "role.grant"]
    assert actions("target_type=user&target_id=7") == ["role.grant"]
    assert actions("target_id=7") == ["org_unit.create", "role.grant"]
    assert actions("date_from=2026-03-09&date_to=2026-03-10") == ["org_unit.create", "role.revoke"]
    assert actions("date_to=2026-03-08") == ["role.grant"]
    assert "No events match these filters" in browser.get("/admin/audit?action=role.grant&actor=bob").text

    bad = browser.get("/admin/audit?date_from=10/03/2026")
    assert bad.status_code == 422 and "Enter the from date as YYYY-MM-DD" in bad.text
    backwards = browser.get("/admin/audit?date_from=2026-03-10&date_to=2026-03-01")
    assert backwards.status_code == 422 and "must be the same as or after" in text_of(backwards)


def test_audit_pagination_keeps_filters(signed_in, db):
    browser, _ = signed_in("admin")
    add_events(
        db,
        *({"action": "user.update", "target_type": "user", "target_id": str(i), "at": BASE + timedelta(minutes=i)} for i in range(60)),
    )
    first = browser.get("/admin/audit?action=user.update")
    assert len(listed_actions(first)) == 50 and "Showing 1–50 of 60 events" in first.text
    assert 'href="/admin/audit?action=user.update&amp;page=2"' in first.text
    second = browser.get("/admin/audit?action=user.update&page=2")
    assert len(listed_actions(second)) == 10
    # Newest first: the last page holds the oldest events.
    assert 'href="/admin/users/0">user 0</a>' in second.text and 'href="/admin/users/59"' not in second.text


def test_htmx_filter_gets_only_the_results(signed_in):
    browser, _ = signed_in("admin")
    r = browser.get("/admin/audit?action=login.success", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text and listed_actions(r) == ["login.success"]


def test_audit_details_are_summarised_with_the_full_detail_expandable(signed_in, db):
    browser, _ = signed_in("admin")
    long_value = "A very long explanation " * 10
    add_events(
        db,
        {
            "action": "user.update",
            "actor_email": "ann.admin@example.gov",
            "target_type": "user",
            "target_id": "7",
            "at": BASE,
            "detail": json.dumps({"name": "Ann Other", "note": long_value, "roles": ["manager"]}),
        },
    )
    r = browser.get("/admin/audit?action=user.update")
    assert r.status_code == 200
    cell = r.text[r.text.index('<details class="audit-detail">') :]
    cell = cell[: cell.index("</details>")]
    summary = html.unescape(cell[cell.index("<summary>") + 9 : cell.index("</summary>")])
    # Short values in the summary, a long one by name only; everything in full inside <details>.
    assert summary.startswith("name: Ann Other, note, roles: manager")
    assert long_value.strip() not in summary and "A very long" not in summary
    expanded = html.unescape(cell[cell.index("</summary>") :])
    assert "<dt>note</dt><dd>" + long_value + "</dd>" in expanded
    assert "<dt>roles</dt><dd>manager</dd>" in expanded
    assert '{"name"' not in html.unescape(r.text)  # no raw JSON blob on the page
