"""Statements a kept manager's or skills lead's page costs (lms/web/page_cache.py): one, the same as a
learner's, for the compliance matrix, a manager's home and the organisation report; the heatmap adds
the two inserts that record the view of the people it shows. A line above LINE_EXACT_MAX people is
keyed on everyone's versions instead of counted through the reporting line, still in one statement."""

from __future__ import annotations

from lms.clock import utcnow
from lms.people.models import User
from lms.reports.stored import figures_publish
from lms.web import page_cache
from tests.lms.competences.factories import make_competences
from tests.support.queries import counting


def _kept(app, browser, path: str) -> list:
    app.state.page_cache.max_age = 60
    first = browser.get(path)
    assert first.status_code == 200
    with counting(app.state.engine) as statements:
        again = browser.get(path)
    assert again.status_code == 200 and again.text == first.text
    return statements


def test_a_kept_matrix_home_and_report_cost_one_statement_and_a_kept_heatmap_three(app, db, signed_in, make_user):
    make_competences(db, "4.1")
    browser, manager = signed_in("manager")
    for n in range(3):
        make_user(name=f"Report {n}", manager_id=manager.id)
    assert len(_kept(app, browser, "/team/compliance")) == 1
    assert len(_kept(app, browser, "/")) == 1
    heatmap = _kept(app, browser, "/team")
    assert len(heatmap) == 3 and all("INSERT INTO record_view" in s for s in heatmap[1:])
    figures_publish(db, min_group=5, force=True)
    db.commit()
    lead, _lead = signed_in("skills_lead")
    assert len(_kept(app, lead, "/reports")) == 1


def test_a_large_line_is_keyed_on_everyones_versions_in_one_statement(app, db, signed_in, make_user, monkeypatch):
    monkeypatch.setattr(page_cache, "LINE_EXACT_MAX", 2)
    browser, manager = signed_in("manager")
    people = [make_user(name=f"Report {n}", manager_id=manager.id) for n in range(3)]
    outsider = make_user(name="Oscar Outside")
    cache = app.state.page_cache
    cache.max_age = 60
    browser.get("/team/compliance")  # the line is counted: too large, so the next key is everyone's
    statements = _kept(app, browser, "/team/compliance")
    assert len(statements) == 1 and "reporting_line" not in statements[0]
    db.get(User, outsider.id).last_login_at = utcnow()  # anyone's write to their own row moves the key now
    db.commit()
    hits = cache.hits
    assert browser.get("/team/compliance").status_code == 200 and cache.hits == hits
    assert len(people) == 3 and _kept(app, browser, "/team/compliance")  # kept again under the new key
    db.get(User, people[0].id).manager_id = None  # the line changes: counted again, and now small enough
    db.commit()
    browser.get("/team/compliance")
    with counting(app.state.engine) as statements:
        browser.get("/team/compliance")
    assert "reporting_line" in statements[0]
