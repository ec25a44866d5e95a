"""Report exports: CSV and XLSX written while they are sent, and report tables as rows in long format.

Rows come from generators, so an export of every unit × every column (100,000 rows and more) never
exists in memory as a whole: CSV goes out in chunks as rows are written (lms.csvfile), and XlsxWriter's
constant-memory mode flushes each row to disk, into a temporary file that is streamed and then deleted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence

from typing import TYPE_CHECKING

from starlette.responses import StreamingResponse

from lms.reports.aggregate import LEVELS
from lms.reports.cube import Cell, Figured
from lms.reports.selectors import Column, UnitReport
from lms.reports.tree import OrgTree

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

CHUNK_BYTES = 64 * 1024
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header included; more rows continue on another sheet
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FIGURE_FIELDS = ["people", "share_meeting_pct", "average_gap", "average_verified_level", "average_self_assessed_level"]
REPORT_HEADER = [
    "unit_path",
    "group",
    "column_kind",
    "column_code",
    "column_name",
    *FIGURE_FIELDS,
    *(f"level_{n}" for n in LEVELS),
    "suppressed",
]


def _headers(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def _xlsx_chunks(sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    import xlsxwriter  # only exports need it, not every server process

    with tempfile.TemporaryFile() as file:
        # Strings stay strings: "=..." is never turned into a formula, nor "http..." into a link.
        workbook = xlsxwriter.Workbook(
            file, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        bold = workbook.add_format({"bold": True})
        sheets = 0

        def new_sheet() -> Worksheet:
            nonlocal sheets
            sheets += 1
            worksheet = workbook.add_worksheet(sheet if sheets == 1 else f"{sheet} ({sheets})")
            worksheet.write_row(0, 0, header, bold)
            worksheet.freeze_panes(1, 0)
            return worksheet

        worksheet, line = new_sheet(), 1
        for row in rows:
            if line == XLSX_MAX_ROWS:
                worksheet, line = new_sheet(), 1
            worksheet.write_row(line, 0, row)  # None is left as an empty cell
            line += 1
        workbook.close()
        file.seek(0)
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingResponse:
    return StreamingResponse(_xlsx_chunks(sheet, header, rows), media_type=XLSX_TYPE, headers=_headers(filename))


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def cell_values(cell: Cell) -> list:
    """The figures of one cell in FIGURE_FIELDS order, the level counts, and the suppressed flag.
    A suppressed cell has every figure empty, its number of people included."""
    if cell.suppressed:
        return [None] * (len(FIGURE_FIELDS) + len(LEVELS)) + ["yes"]
    f = cell.figures
    if f is None:
        return [cell.people, None, None, None, None, *([None] * len(LEVELS)), "no"]
    share = None if f.share_meeting is None else f.share_meeting * 100
    return [
        cell.people,
        _rounded(share, 1),
        _rounded(f.average_gap, 2),
        _rounded(f.average_verified, 2),
        _rounded(f.average_self, 2),
        *f.levels,
        "no",
    ]


def unit_report_rows(report: UnitReport, tree: OrgTree) -> Iterator[list]:
    """The report page's table, total row then part rows, one line per row × column."""
    for row in (report.total, *report.parts):
        path = tree.path(row.node[1])
        for column, cell in zip(report.columns, row.cells, strict=True):
            yield [path, row.label, report.view, column.code, column.name, *cell_values(cell)]


def units_top_down(tree: OrgTree) -> Iterator[int]:
    """The organisation, then every unit before its subunits, siblings in name order."""
    return tree.top_down()


def unit_cells(cube: Figured, kind: str, keys: list[int]) -> Iterator[tuple[int, list[Cell]]]:
    """(unit, its row of cells) for every unit with people in scope (shown or hidden), top-down."""
    return cube.unit_rows(kind, keys)


def all_units_rows(cube: Figured, columns: list[Column], kind: str) -> Iterator[list]:
    """Every unit's total row (as on that unit's page) × every column."""
    tree = cube.tree
    for unit, cells in unit_cells(cube, kind, [c.key for c in columns]):
        path = tree.path(unit)
        for column, cell in zip(columns, cells, strict=True):
            yield [path, tree.names[unit], kind, column.code, column.name, *cell_values(cell)]
