"""The manager's compliance matrix: labels, counts, scope, filters, exports and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from courses.requirements.models import Exemption
from lms.clock import utcnow
from tests.courses.compliance.factories import make_cycle, make_requirement
from tests.lms.factories import make_unit
from tests.support.queries import counting

DAY = timedelta(days=1)


def _line(db, make_user, manager, req, second):
    """Three reports: Ann compliant on both, Bob overdue on the first, Cat expiring on the first and exempt on the second."""
    now = utcnow()
    unit = make_unit(db, "Digital")
    ann = make_user(name="Ann Archer", manager_id=manager.id, org_unit_id=unit.id)
    bob = make_user(name="Bob Baker", manager_id=manager.id)
    # Cat reports to Ann: indirect reports are in the manager's line too.
    cat = make_user(name="Cat Cole", manager_id=ann.id)
    make_cycle(db, req, ann, opened_at=now - 60 * DAY, due_at=now - 30 * DAY, completed_at=now - 40 * DAY, valid_until=now + 300 * DAY)
    make_cycle(db, second, ann, opened_at=now - 60 * DAY, due_at=now - 30 * DAY, completed_at=now - 40 * DAY)
    make_cycle(db, req, bob, opened_at=now - 60 * DAY, due_at=now - 3 * DAY)
    make_cycle(
        db, req, cat, opened_at=now - 400 * DAY, due_at=now - 370 * DAY, completed_at=now - 345 * DAY, valid_until=now + 20 * DAY
    )
    make_cycle(db, req, cat, number=2, opened_at=now - 10 * DAY, due_at=now + 20 * DAY)
    make_cycle(db, second, cat, opened_at=now - 10 * DAY, due_at=now + 60 * DAY)
    db.add(Exemption(requirement_id=second.id, user_id=cat.id, reason="equivalent"))
    db.commit()
    return ann, bob, cat


def _row(html: str, name: str) -> str:
    start = html.index(f">{name}</a>")
    return html[start : html.index("</tr>", start)]


def test_matrix_shows_labels_counts_and_links(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    req, second = make_requirement(db, "Data protection"), make_requirement(db, "Phishing awareness")
    make_requirement(db, "Archived rule", archived_at=utcnow())
    ann, bob, cat = _line(db, make_user, manager, req, second)

    page = browser.get("/team/compliance")
    assert page.status_code == 200
    html = page.text
    assert "Data protection" in html and "Phishing awareness" in html and "Archived rule" not in html
    assert "Compliant" in _row(html, "Ann Archer") and "Digital" in _row(html, "Ann Archer")
    assert "Overdue" in _row(html, "Bob Baker") and "heat-gap2" in _row(html, "Bob Baker")
    cat_row = _row(html, "Cat Cole")
    assert "Expiring within 30 days" in cat_row and "Exempt" in cat_row
    assert f'href="/team/people/{bob.id}"' in html
    assert f'href="/team/compliance/{cat.id}/{second.id}"' in html
    # Bob has no cycle of the second requirement: not required.
    assert "not required" in _row(html, "Bob Baker")
    foot = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert '<th scope="row">Overdue</th>\n          <td>1</td><td>0</td>' in foot
    assert '<th scope="row">Compliant</th>\n          <td>1</td><td>1</td>' in foot
    # Data protection: Ann compliant, Cat expiring (compliant), Bob overdue -> 67 %; Phishing: Ann of Ann (Cat exempt) -> 100 %.
    assert "<td>67%</td><td>100%</td>" in foot


def test_a_manager_sees_only_their_own_line(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    other_manager = make_user("manager", name="Olga Other")
    req = make_requirement(db)
    mine = make_user(name="Mia Mine", manager_id=manager.id)
    theirs = make_user(name="Theo Theirs", manager_id=other_manager.id)
    for person in (mine, theirs):
        make_cycle(db, req, person, opened_at=utcnow() - DAY, due_at=utcnow() + 40 * DAY)

    html = browser.get("/team/compliance").text
    assert "Mia Mine" in html and "Theo Theirs" not in html
    assert browser.get(f"/team/compliance/{theirs.id}/{req.id}").status_code == 404
    assert browser.get(f"/team/compliance/{mine.id}/{req.id}").status_code == 200
    assert browser.get(f"/team/compliance/{manager.id}/{req.id}").status_code == 404
    csv_text = browser.get("/team/compliance/export.csv").text
    assert "Mia Mine" in csv_text and "Theo Theirs" not in csv_text
    assert browser.get("/team/compliance/export.pdf").status_code == 404


def test_filters(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    req, second = make_requirement(db, "Data protection"), make_requirement(db, "Phishing awareness")
    _line(db, make_user, manager, req, second)

    def names(query: str) -> set[str]:
        html = browser.get(f"/team/compliance?{query}").text
        return {n for n in ("Ann Archer", "Bob Baker", "Cat Cole") if f">{n}</a>" in html}

    assert names("") == {"Ann Archer", "Bob Baker", "Cat Cole"}
    assert names("status=overdue") == {"Bob Baker"}
    assert names("status=expiring30") == {"Cat Cole"}
    assert names("status=expiring90") == {"Cat Cole"}
    assert names("status=not_compliant") == {"Bob Baker"}
    assert names(f"status=not_compliant&requirement={second.id}") == set()
    one_column = browser.get(f"/team/compliance?requirement={second.id}").text
    assert f'<option value="{req.id}">Data protection</option>' in one_column  # still offered
    assert '<th scope="col">Data protection</th>' not in one_column and '<th scope="col">Phishing awareness</th>' in one_column
    assert names("q=bak") == {"Bob Baker"}
    assert names("q=%25") == set()
    unit_id = browser.get("/team/compliance").text.split('<option value="')[-1].split('"')[0]
    assert names(f"unit={unit_id}") == {"Ann Archer"}
    assert "Nobody in your team matches these filters" in browser.get("/team/compliance?q=zzz").text
    partial = browser.get("/team/compliance?status=overdue", headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="compliance-results"')


def test_empty_line_and_no_requirements(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    assert "Nobody reports to you yet" in browser.get("/team/compliance").text
    make_user(name="Nia New", manager_id=manager.id)
    assert "Nobody in your team has mandatory training to do" in browser.get("/team/compliance").text


def test_csv_and_xlsx_exports(db, signed_in, make_user):
    browser, manager = signed_in("manager")
    req, second = make_requirement(db, '=HYPERLINK("x")'), make_requirement(db, "Phishing awareness")
    _line(db, make_user, manager, req, second)

    response = browser.get("/team/compliance/export.csv?status=overdue")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Person", "Email", "Organisation unit", "Requirement", "Status", "Standing", "Date", "Days overdue"]
    assert len(rows) == 2  # Bob, who holds only the first requirement
    bob = rows[1]
    assert bob[0] == "Bob Baker" and bob[3] == '\'=HYPERLINK("x")' and bob[4:6] == ["overdue", "Overdue"] and bob[7] == "3"

    xlsx = browser.get("/team/compliance/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Person" and len(values) == 1 + 5
    by_key = {(r[0], r[3]): r for r in values[1:]}
    assert by_key[("Cat Cole", "Phishing awareness")][4:6] == ["exempt", "Exempt"]
    assert by_key[("Cat Cole", '=HYPERLINK("x")')][5] == "Expiring within 30 days"
    # A text cell, never a formula.
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_query_count_does_not_grow_with_people(db, signed_in, make_user, app):
    browser, manager = signed_in("manager")
    req, second = make_requirement(db, "Data protection"), make_requirement(db, "Phishing awareness")
    _line(db, make_user, manager, req, second)
    engine = app.state.engine
    browser.get("/team/compliance")
    with counting(engine) as few:
        assert browser.get("/team/compliance").status_code == 200
    now = utcnow()
    for n in range(10):
        person = make_user(name=f"Zed {n}", manager_id=manager.id)
        make_cycle(db, req, person, opened_at=now - DAY, due_at=now + (n - 5) * DAY)
        make_cycle(
            db,
            second,
            person,
            opened_at=now - 400 * DAY,
            due_at=now - 300 * DAY,
            completed_at=now - 350 * DAY,
            valid_until=now + n * 9 * DAY,
        )
    with counting(engine) as many:
        page = browser.get("/team/compliance")
    assert page.text.count('href="/team/people/') == 13
    assert len(many) == len(few)
