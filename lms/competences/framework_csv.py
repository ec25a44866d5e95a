"""Proficio's own framework CSV: one row per framework, level, area and competence.

A blank cell says nothing, so it never blanks a stored value (to clear a summary, edit it on the
page or import JSON with an empty one).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlmodel import Session

from lms.competences.framework_doc import FrameworkFileError, check_document, framework_document, months, sort_errors, unguard
from lms.competences.models import MAX_LEVEL, Framework
from lms.csvfile import csv_text
from lms.web.params import parse_int

CSV_COLUMNS = ["kind", "code", "name", "summary", "area", "band", "evidence_valid_months", "version", "publisher", "licence"]


def _said(row: dict[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    return {k: row[k] for k in keys if row.get(k)}


def parse_csv(text: str) -> dict:
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise FrameworkFileError([f"line 1: the header cannot be read ({exc})."]) from None
    missing = {"kind", "code", "name"} - set(fieldnames or [])
    if missing:
        raise FrameworkFileError([f"line 1: missing column(s) {', '.join(sorted(missing))}; expected {', '.join(CSV_COLUMNS)}."])
    errors: list[str] = []
    doc: dict = {"levels": [], "areas": []}
    areas: dict[str, dict] = {}
    framework_rows = 0
    line_of: dict[str, int] = {}
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise FrameworkFileError([f"line {reader.line_num}: this line cannot be read ({exc})."]) from None
    for line, raw in rows:
        row = {k: unguard((v or "").strip()) for k, v in raw.items() if k}
        kind = row.get("kind", "").lower()
        if kind == "framework":
            framework_rows += 1
            line_of["framework"] = line
            doc.update(code=row["code"], name=row["name"], **_said(row, ("version", "publisher", "licence")))
        elif kind == "level":
            level = parse_int(row["code"], 1, MAX_LEVEL)
            if level is None:
                errors.append(f"line {line}: level code must be a number from 1 to {MAX_LEVEL}, not '{row['code'][:40]}'.")
                continue
            line_of[f"levels[{len(doc['levels'])}]"] = line
            doc["levels"].append({"level": level, **_said(row, ("band", "summary"))})
        elif kind == "area":
            area: dict[str, Any] = {"code": row["code"], "name": row["name"], "competences": [], "_line": line}
            if row["code"] in areas:
                errors.append(f"line {line}: area code '{row['code']}' appears twice.")
            areas[row["code"]] = area
            doc["areas"].append(area)
        elif kind == "competence":
            owner = areas.get(row.get("area", ""))
            if owner is None:
                errors.append(
                    f"line {line}: competence {row['code']} names area '{row.get('area', '')}', which is not defined above it."
                )
                continue
            comp = {"code": row["code"], "name": row["name"], "_line": line, "_months_error": True, **_said(row, ("summary",))}
            if row.get("evidence_valid_months"):
                comp["evidence_valid_months"] = months(row["evidence_valid_months"], f"line {line}", errors)
            owner["competences"].append(comp)
        else:
            errors.append(f"line {line}: kind must be framework, level, area or competence, not '{kind}'.")
    if framework_rows != 1:
        errors.append(f"The file must have exactly one 'framework' row (found {framework_rows}).")
    check_document(doc, errors, where=lambda path: f"line {line_of[path]}" if path in line_of else path)
    if errors:
        raise FrameworkFileError(sort_errors(errors))
    return doc


def csv_rows(session: Session, framework: Framework) -> list[list[object]]:
    doc = framework_document(session, framework)

    def row(**cells: object) -> list[object]:
        return [cells.get(column, "") for column in CSV_COLUMNS]

    rows = [
        row(
            kind="framework",
            code=doc["code"],
            name=doc["name"],
            version=doc["version"],
            publisher=doc["publisher"],
            licence=doc["licence"],
        )
    ]
    rows += [row(kind="level", code=lv["level"], band=lv["band"], summary=lv["summary"]) for lv in doc["levels"]]
    for area in doc["areas"]:
        rows.append(row(kind="area", code=area["code"], name=area["name"]))
        rows += [
            row(
                kind="competence",
                code=c["code"],
                name=c["name"],
                summary=c["summary"],
                area=area["code"],
                evidence_valid_months=c.get("evidence_valid_months") or "",
            )
            for c in area["competences"]
        ]
    return rows


def export_csv(session: Session, framework: Framework) -> str:
    """The file through the project's one CSV writer: a BOM for Excel, formula cells guarded."""
    return csv_text(CSV_COLUMNS, csv_rows(session, framework))
