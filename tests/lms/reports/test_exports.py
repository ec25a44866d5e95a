"""Report exports: the page's figures in CSV and XLSX, suppression kept, streamed, for reports users only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lms.csvfile import csv_response
from lms.reports.export import REPORT_HEADER, cell_values, xlsx_response
from lms.reports.cube import AREA, COMPETENCE, UNIT
from lms.reports.selectors import live_cube, org_report, report_columns
from lms.reports.tree import ORG
from tests.lms.reports.factories import csv_rows, xlsx_rows
from tests.support.queries import counting
from tests.support.event_loop import run_coroutine

FIGURES = REPORT_HEADER[REPORT_HEADER.index("people") : REPORT_HEADER.index("suppressed")]


def _as_text(value) -> str:
    return "" if value is None else str(value)


def _rows_of(rows, unit_path, column_code="1.1"):
    return [r for r in rows if r["unit_path"] == unit_path and r["column_code"] == column_code]


@pytest.fixture
def org(benefits):
    return benefits


@pytest.mark.parametrize("view", ["area", "competence"])
def test_unit_export_has_exactly_the_rows_and_figures_of_the_page(db, org, lead, view):
    benefits = org.units["Benefits"]
    for unit_id in (ORG, benefits.id, org.units["Digital"].id):
        page = org_report(db, unit_id=unit_id, by=view, min_group=5)
        response = lead.get(f"/reports/units/{unit_id}/export.csv?by={view}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["content-disposition"]
        expected = [
            [row.label, column.code, *map(_as_text, cell_values(cell))]
            for row in (page.total, *page.parts)
            for column, cell in zip(page.columns, row.cells, strict=True)
        ]
        got = [[r["group"], r["column_code"], *(r[f] for f in FIGURES), r["suppressed"]] for r in csv_rows(response)]
        assert got == expected


def test_figures_are_the_ones_a_reader_can_check_by_hand(org, lead):
    response = lead.get(f"/reports/units/{org.units['Digital'].id}/export.csv?by=competence")
    (row,) = _rows_of(csv_rows(response), "Digital")
    # Verified 3, 3, 4, 1, 0, 0 against a required 3; self-assessed 2 and 4.
    assert row["column_name"] == "Browsing, searching and filtering data, information and digital content"
    assert row["group"] == "Digital" and row["column_kind"] == "competence"
    assert (
        row["people"],
        row["share_meeting_pct"],
        row["average_gap"],
        row["average_verified_level"],
        row["average_self_assessed_level"],
    ) == ("6", "50.0", "1.33", "1.83", "3.0")
    assert [row[f"level_{n}"] for n in range(9)] == ["2", "1", "0", "2", "1", "0", "0", "0", "0"]
    assert row["suppressed"] == "no"


def test_subtraction_cannot_reveal_the_small_team_in_csv(org, lead):
    """Benefits (11) = Claims (8) + Appeals (3): with Benefits shown, Claims must be hidden too, or
    Benefits minus Claims would give Appeals away."""
    for url in (
        f"/reports/units/{org.units['Benefits'].id}/export.csv?by=competence",
        "/reports/export/all.csv?by=competence",
        "/reports/export/all.csv",
    ):
        rows = csv_rows(lead.get(url))
        (benefits,) = _rows_of(rows, "Benefits", "1.1" if "competence" in url else "1")
        assert benefits["people"] == "11" and benefits["suppressed"] == "no"
        for team in ("Benefits / Appeals", "Benefits / Claims"):
            (row,) = _rows_of(rows, team, "1.1" if "competence" in url else "1")
            assert row["suppressed"] == "yes"
            assert all(row[f] == "" for f in FIGURES), row


def test_subtraction_cannot_reveal_the_small_team_in_xlsx(org, lead):
    for url in (f"/reports/units/{org.units['Benefits'].id}/export.xlsx?by=competence", "/reports/export/all.xlsx?by=competence"):
        response = lead.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        rows = xlsx_rows(response)
        (benefits,) = _rows_of(rows, "Benefits")
        assert benefits["people"] == 11 and benefits["suppressed"] == "no"
        for team in ("Benefits / Appeals", "Benefits / Claims"):
            (row,) = _rows_of(rows, team)
            assert row["suppressed"] == "yes"
            assert all(row[f] is None for f in FIGURES), row
    # Shown figures are numbers a spreadsheet can compute with.
    (digital,) = _rows_of(rows, "Digital")
    assert (digital["people"], digital["share_meeting_pct"], digital["average_gap"]) == (6, 50.0, 1.33)


def test_all_units_export_lists_every_unit_with_people_once_per_column(org, lead):
    rows = csv_rows(lead.get("/reports/export/all.csv?by=competence"))
    units = list(dict.fromkeys(r["unit_path"] for r in rows))
    assert units == ["Whole organisation", "Benefits", "Benefits / Appeals", "Benefits / Claims", "Digital"]
    competences = 21  # DigComp 2.2
    assert len(rows) == len(units) * competences
    (whole,) = _rows_of(rows, "Whole organisation")
    assert whole["people"] == "17"
    areas = csv_rows(lead.get("/reports/export/all.csv"))
    assert {r["column_kind"] for r in areas} == {"area"} and len(areas) == len(units) * 5


def test_the_one_pass_roll_up_gives_every_unit_the_same_cells_as_its_page(db, org):
    org.unit("Tax", "Claims")
    org.people("Tax", [{"1.1": 2}] * 2)
    columns = report_columns(db)
    cube = live_cube(db, columns, min_group=5)
    totals = cube.subtree_counters()
    for kind in (AREA, COMPETENCE):
        keys = [c.key for c in columns.of(kind)]
        for unit in cube.tree.names:
            assert cube.unit_cells(unit, kind, keys, totals.get(unit, {})) == cube.cells((UNIT, unit), kind, keys)


def test_export_queries_do_not_grow_with_units_or_people(app, org, lead):
    with counting(app.state.engine) as few:
        assert lead.get("/reports/export/all.csv?by=competence").status_code == 200
    for n in range(6):
        org.unit(f"Team {n}", "Digital")
        org.people(f"Team {n}", [{"1.1": n % 4, "2.1": 1}] * 3)
    with counting(app.state.engine) as many:
        rows = csv_rows(lead.get("/reports/export/all.csv?by=competence"))
    assert len(many) == len(few)
    assert {f"Digital / Team {n}" for n in range(6)} <= {r["unit_path"] for r in rows}


def test_formula_in_a_unit_name_is_neutralised(org, lead):
    org.unit('=HYPERLINK("http://evil.example","x")')
    org.people('=HYPERLINK("http://evil.example","x")', [{"1.1": 3}] * 5)
    rows = csv_rows(lead.get("/reports/export/all.csv"))
    fields = [v for r in rows for v in r.values() if "HYPERLINK" in v]
    assert fields and all(v.startswith("'=HYPERLINK(") for v in fields)
    response = lead.get("/reports/export/all.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for row in workbook.active.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_admins_can_export_and_unknown_formats_units_and_frameworks_are_not_found(org, signed_in):
    browser, _user = signed_in("admin")
    assert browser.get("/reports/export/all.xlsx").status_code == 200
    assert browser.get("/reports/export/all.pdf").status_code == 404
    assert browser.get("/reports/units/999999/export.csv").status_code == 404
    assert browser.get("/reports/units/-1/export.csv?framework=999999").status_code == 404


def test_csv_is_written_as_it_is_sent():
    taken = 0

    def rows():
        nonlocal taken
        for n in range(100_000):
            taken += 1
            yield [f"unit {n}", n, None, "yes"]

    body = csv_response("big.csv", ["unit", "n", "empty", "suppressed"], rows()).body_iterator
    assert body is not None

    async def first_chunk():
        return await body.__anext__()

    # The first chunk goes out long before the last row exists.
    chunk = run_coroutine(first_chunk())
    assert chunk.startswith(b"\xef\xbb\xbfunit,n,empty,suppressed\r\nunit 0,0,,yes\r\n")
    assert taken < 2_000


def test_xlsx_of_many_rows_reads_back_whole(tmp_path):
    rows = ([f"unit {n}", n, None if n % 2 else n / 3, "=1+1"] for n in range(20_000))
    response = xlsx_response("big.xlsx", "Report", ["unit", "n", "maybe", "text"], rows)

    async def body() -> bytes:
        return b"".join([chunk async for chunk in response.body_iterator])

    workbook = load_workbook(io.BytesIO(run_coroutine(body())), read_only=True)
    got = list(workbook.active.iter_rows(values_only=True))
    assert got[0] == ("unit", "n", "maybe", "text")
    assert len(got) == 20_001
    assert got[2] == ("unit 1", 1, None, "=1+1")
    assert got[20_000][:2] == ("unit 19999", 19999)
