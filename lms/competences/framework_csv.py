"""Proficio's own framework CSV: one row per framework, level, area and competence.

A blank cell says nothing, so it never blanks a stored value (to clear a summary, edit it on the
page or import JSON with an empty one).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sqlmodel import Session

from lms.competences.framework_doc import FrameworkFileError, check_document, framework_document, months, sort_errors, unguard
from lms.competences.framework_languages import at_line
from lms.competences.models import MAX_LEVEL, Framework
from lms.csvfile import csv_text
from lms.i18n import gettext, ngettext
from lms.web.params import parse_int

CSV_COLUMNS = [
    "kind",
    "code",
    "name",
    "summary",
    "area",
    "band",
    "evidence_valid_months",
    "version",
    "publisher",
    "licence",
]
# Then, when the framework is not in English or has versions in other languages: language (said on
# the framework row), and name_fr, summary_fr, ... per language (a summary is a framework's or an
# area's description; on a level row, name_fr is the band).
LANGUAGE_COLUMN = re.compile(r"^(name|summary)_([a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?)$")


def _translations(row: dict[str, str], languages: list[str], description_key: str) -> dict:
    """The row's name_xx and summary_xx cells as a document's `translations` (a language without a name is skipped)."""
    found = {
        language: {
            "name": row[f"name_{language}"],
            **({description_key: row[f"summary_{language}"]} if row.get(f"summary_{language}") else {}),
        }
        for language in languages
        if row.get(f"name_{language}")
    }
    return {"translations": found} if found else {}


def _level_translations(row: dict[str, str], languages: list[str]) -> dict:
    """A level row's name_xx (its band) and summary_xx cells; a language with neither is skipped."""
    found = {
        language: {"band": row.get(f"name_{language}", ""), "summary": row.get(f"summary_{language}", "")}
        for language in languages
        if row.get(f"name_{language}") or row.get(f"summary_{language}")
    }
    return {"translations": found} if found else {}


def _said(row: dict[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    return {k: row[k] for k in keys if row.get(k)}


def parse_csv(text: str) -> dict:
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise FrameworkFileError(
            [gettext("%(where)s: the header cannot be read (%(reason)s).") % {"where": at_line(1), "reason": exc}]
        ) from None
    missing = {"kind", "code", "name"} - set(fieldnames or [])
    if missing:
        sentence = ngettext(
            "%(where)s: missing column %(missing)s; expected %(expected)s.",
            "%(where)s: missing columns %(missing)s; expected %(expected)s.",
            len(missing),
        )
        raise FrameworkFileError(
            [sentence % {"where": at_line(1), "missing": ", ".join(sorted(missing)), "expected": ", ".join(CSV_COLUMNS)}]
        )
    errors: list[str] = []
    doc: dict = {"levels": [], "areas": []}
    areas: dict[str, dict] = {}
    framework_rows = 0
    line_of: dict[str, int] = {}
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise FrameworkFileError(
            [gettext("%(where)s: this line cannot be read (%(reason)s).") % {"where": at_line(reader.line_num), "reason": exc}]
        ) from None
    languages = sorted({m.group(2) for name in fieldnames or [] if (m := LANGUAGE_COLUMN.match(name))})
    for line, raw in rows:
        row = {k: unguard((v or "").strip()) for k, v in raw.items() if k}
        kind = row.get("kind", "").lower()
        if kind == "framework":
            framework_rows += 1
            line_of["framework"] = line
            doc.update(code=row["code"], name=row["name"], **_said(row, ("version", "publisher", "licence", "language")))
            doc.update(_translations(row, languages, "description"))
        elif kind == "level":
            level = parse_int(row["code"], 1, MAX_LEVEL)
            if level is None:
                errors.append(
                    gettext("%(where)s: level code must be a number from 1 to %(max)s, not '%(value)s'.")
                    % {"where": at_line(line), "max": MAX_LEVEL, "value": row["code"][:40]}
                )
                continue
            line_of[f"levels[{len(doc['levels'])}]"] = line
            doc["levels"].append({"level": level, **_said(row, ("band", "summary")), **_level_translations(row, languages)})
        elif kind == "area":
            area: dict[str, Any] = {"code": row["code"], "name": row["name"], "competences": [], "_line": line}
            area.update(_translations(row, languages, "description"))
            if row["code"] in areas:
                errors.append(
                    gettext("%(where)s: area code '%(code)s' appears twice.") % {"where": at_line(line), "code": row["code"]}
                )
            areas[row["code"]] = area
            doc["areas"].append(area)
        elif kind == "competence":
            owner = areas.get(row.get("area", ""))
            if owner is None:
                errors.append(
                    gettext("%(where)s: competence %(code)s names area '%(area)s', which is not defined above it.")
                    % {"where": at_line(line), "code": row["code"], "area": row.get("area", "")}
                )
                continue
            comp = {"code": row["code"], "name": row["name"], "_line": line, "_months_error": True, **_said(row, ("summary",))}
            comp.update(_translations(row, languages, "summary"))
            if row.get("evidence_valid_months"):
                comp["evidence_valid_months"] = months(row["evidence_valid_months"], at_line(line), errors)
            owner["competences"].append(comp)
        else:
            errors.append(
                gettext("%(where)s: kind must be framework, level, area or competence, not '%(kind)s'.")
                % {"where": at_line(line), "kind": kind}
            )
    if framework_rows != 1:
        errors.append(gettext("The file must have exactly one 'framework' row (found %(count)s).") % {"count": framework_rows})
    check_document(doc, errors, where=lambda path: at_line(line_of[path]) if path in line_of else path)
    if errors:
        raise FrameworkFileError(sort_errors(errors))
    return doc


def _language_columns(doc: dict) -> list[str]:
    items = [doc, *doc["levels"], *doc["areas"], *(c for area in doc["areas"] for c in area["competences"])]
    languages = sorted({language for item in items for language in item.get("translations", {})})
    return (["language"] if "language" in doc else []) + [
        f"{kind}_{language}" for language in languages for kind in ("name", "summary")
    ]


def csv_rows(session: Session, framework: Framework) -> tuple[list[str], list[list[object]]]:
    doc = framework_document(session, framework)
    columns = CSV_COLUMNS + _language_columns(doc)

    def row(item: dict | None = None, description_key: str = "description", name_key: str = "name", **cells: object) -> list[object]:
        for language, text in (item or {}).get("translations", {}).items():
            cells[f"name_{language}"] = text[name_key]
            cells[f"summary_{language}"] = text.get(description_key, "")
        return [cells.get(column, "") for column in columns]

    rows = [
        row(
            doc,
            kind="framework",
            code=doc["code"],
            name=doc["name"],
            version=doc["version"],
            publisher=doc["publisher"],
            licence=doc["licence"],
            language=doc.get("language", ""),
        )
    ]
    rows += [
        row(lv, "summary", "band", kind="level", code=lv["level"], band=lv["band"], summary=lv["summary"]) for lv in doc["levels"]
    ]
    for area in doc["areas"]:
        rows.append(row(area, kind="area", code=area["code"], name=area["name"]))
        rows += [
            row(
                c,
                "summary",
                kind="competence",
                code=c["code"],
                name=c["name"],
                summary=c["summary"],
                area=area["code"],
                evidence_valid_months=c.get("evidence_valid_months") or "",
            )
            for c in area["competences"]
        ]
    return columns, rows


def export_csv(session: Session, framework: Framework) -> str:
    """The file through the project's one CSV writer: a BOM for Excel, formula cells guarded."""
    columns, rows = csv_rows(session, framework)
    return csv_text(columns, rows)
