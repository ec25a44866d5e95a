"""Shared scenarios for export tests, built with tests/lms/reports/org_builder.py."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.lms.reports.org_builder import Org, make_org

# 1.1 at level 3 and 2.1 at level 2: two competence columns in two areas.
REQUIRED = {"1.1": 3, "2.1": 2}


def benefits_and_digital(db, make_user) -> Org:
    """Benefits = Claims (8 people) + Appeals (3: too few to show), nobody directly in Benefits;
    Digital: 6 people with known levels (1.1 verified 3, 3, 4, 1, 0, 0; two rated themselves 2 and 4)."""
    org = make_org(db, make_user, REQUIRED)
    org.unit("Benefits")
    org.unit("Claims", "Benefits")
    org.unit("Appeals", "Benefits")
    org.unit("Digital")
    org.people("Claims", [{"1.1": 3, "2.1": 2}] * 4 + [{"1.1": 1}] * 4)
    org.people("Appeals", [{"1.1": 0}] * 3)
    org.people("Digital", [{"1.1": 3}, {"1.1": 3}, {"1.1": 4}, {"1.1": 1}, {"1.1": 0}, {}],
               self_levels=[{"1.1": 2}, {}, {"1.1": 4}, {}, {}, {}])
    return org


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def xlsx_rows(response) -> list[dict[str, object]]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [r for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True)]
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]
