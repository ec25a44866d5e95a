"""Moodle's competency framework CSV (admin/tool/lpimportcsv), in and out.

Moodle writes one row for the framework ("Is framework" set) and one per competency, each naming
its parent by ID number, in fourteen columns read by position. Moodle's tree can be any depth;
here the top competencies become areas, their children competences, and everything deeper the
competence's indicators. Every cell with no column of its own (description format, scale values
and configuration, rule type, outcome and configuration, cross-referenced ID numbers, exported id,
taxonomies) is kept in the row's metadata with the row's place in the file, so exporting back to
Moodle writes the file that came in. Blank cells say nothing: re-importing never blanks a value.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlmodel import Session

from lms.competences.framework_doc import (
    FrameworkFileError,
    FrameworkRows,
    check_document,
    code_problem,
    framework_rows,
    sort_errors,
    unguard,
)
from lms.competences.framework_languages import at_line
from lms.competences.models import MAX_LEVEL, Framework
from lms.csvfile import csv_text
from lms.i18n import gettext

# Moodle's column headings (its language strings), in the order Moodle reads them.
MOODLE_HEADER = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
KEYS = [
    "parent",
    "code",
    "name",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomies",
]
# The cells kept as metadata: everything but the tree and the three our columns hold.
EXTRA = KEYS[4:]
FORMAT_PLAIN = "2"  # Moodle's FORMAT_PLAIN: our descriptions are plain text
DEFAULT_SCALE = "Not yet competent,Competent"


def looks_like_moodle(text: str) -> bool:
    head = text.lstrip("\ufeff").split("\n", 1)[0].lower().replace(" ", "").replace('"', "")
    return head.startswith("parentidnumber,")


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    rows = []
    line = 1
    try:
        header = next(reader, None)
        if header is None or len(header) < len(KEYS) or not looks_like_moodle(",".join(header)):
            raise FrameworkFileError(
                [
                    gettext("%(where)s: this is not a Moodle competency framework file; its %(count)s columns are %(columns)s.")
                    % {"where": at_line(1), "count": len(KEYS), "columns": ", ".join(MOODLE_HEADER)}
                ]
            )
        line = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                padded = [unguard(c) for c in cells] + [""] * len(KEYS)
                rows.append((line, dict(zip(KEYS, padded, strict=False))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FrameworkFileError(
            [gettext("%(where)s: this line cannot be read (%(reason)s).") % {"where": at_line(line), "reason": exc}]
        ) from None
    return rows


def _extras(row: dict[str, str], order: int) -> dict[str, Any]:
    return {"row": order, **{k: row[k] for k in EXTRA if row[k] != ""}}


def _is_framework(row: dict[str, str]) -> bool:
    # As PHP reads the cell: blank and "0" are false, anything else true.
    return row["isframework"] not in ("", "0")


def parse_moodle_csv(text: str) -> dict:
    rows = _rows(text)
    errors: list[str] = []
    frameworks = [(line, row) for line, row in rows if _is_framework(row)]
    nodes = [(line, row, order) for order, (line, row) in enumerate(rows) if not _is_framework(row)]
    if len(frameworks) != 1:
        errors.append(
            gettext("The file must have exactly one row with 'Is framework' set (found %(count)s).") % {"count": len(frameworks)}
        )
    by_code: dict[str, tuple[int, dict[str, str], int]] = {}
    for line, row, order in nodes:
        problem = code_problem(row["code"])
        if problem:
            errors.append(
                gettext("%(where)s: ID number '%(code)s' %(problem)s.")
                % {"where": at_line(line), "code": row["code"][:40], "problem": problem}
            )
        elif row["code"] in by_code:
            errors.append(
                gettext("%(where)s: ID number '%(code)s' appears twice (first on line %(first)s).")
                % {"where": at_line(line), "code": row["code"], "first": by_code[row["code"]][0]}
            )
        else:
            by_code[row["code"]] = (line, row, order)
    children: dict[str, list[str]] = {}
    for code, (_line, row, _order) in by_code.items():
        children.setdefault(row["parent"], []).append(code)
    depth = {code: 1 for code in children.get("", [])}
    queue = list(depth)
    while queue:
        code = queue.pop(0)
        for child in children.get(code, []):
            depth[child] = depth[code] + 1
            queue.append(child)
    for code, (line, row, _order) in by_code.items():
        if code not in depth:
            errors.append(
                gettext("%(where)s: parent ID number '%(code)s' is %(why)s.")
                % {"where": at_line(line), "code": row["parent"][:40], "why": _why_unplaced(code, by_code)}
            )
        elif depth[code] > 2 and not row["name"].strip():
            errors.append(gettext("%(where)s: short name is required.") % {"where": at_line(line)})
    doc: dict[str, Any] = {"areas": []}
    if len(frameworks) == 1:
        line, fw = frameworks[0]
        doc.update(code=fw["code"], name=fw["name"], meta={"moodle": _extras(fw, -1)}, _line=line)
        if fw["description"]:
            doc["description"] = fw["description"]
        items = [item for item in fw["scalevalues"].split(",") if item] if fw["scalevalues"] else []
        if 0 < len(items) <= MAX_LEVEL:
            doc["levels"] = [{"level": n, "band": item.strip()[:64]} for n, item in enumerate(items, 1)]
    _build_tree(doc, by_code, children)
    line_of = {"framework": doc.get("_line", 1)}
    check_document(doc, errors, where=lambda path: at_line(line_of[path]) if path in line_of else path)
    if errors:
        raise FrameworkFileError(sort_errors(list(dict.fromkeys(errors))))
    return doc


def _why_unplaced(code: str, by_code: dict[str, tuple[int, dict[str, str], int]]) -> str:
    seen = {code}
    parent = by_code[code][1]["parent"]
    while parent in by_code and parent not in seen:
        seen.add(parent)
        parent = by_code[parent][1]["parent"]
    if parent in by_code:
        return gettext("part of a loop of parents")
    if by_code[code][1]["parent"] in by_code:
        return gettext("not in the tree: its own parents lead to '%(code)s', which is not in the file") % {"code": parent[:40]}
    return gettext("not the ID number of any competency in the file")


def _build_tree(doc: dict, by_code: dict[str, tuple[int, dict[str, str], int]], children: dict[str, list[str]]) -> None:
    def said(row: dict[str, str], key: str, as_key: str) -> dict[str, str]:
        return {as_key: row[key]} if row[key] else {}

    def indicators(code: str) -> list[dict]:
        found = []
        for child in children.get(code, []):
            _line, row, order = by_code[child]
            found.append(
                {
                    "code": child,
                    "name": row["name"],
                    "parent": code,
                    **said(row, "description", "description"),
                    "moodle": _extras(row, order),
                }
            )
            found += indicators(child)
        return sorted(found, key=lambda ind: ind["moodle"]["row"])

    for area_code in children.get("", []):
        line, row, order = by_code[area_code]
        area: dict[str, Any] = {"code": area_code, "name": row["name"], "_line": line, "meta": {"moodle": _extras(row, order)}}
        area.update(said(row, "description", "description"))
        area["competences"] = []
        for comp_code in children.get(area_code, []):
            c_line, c_row, c_order = by_code[comp_code]
            meta: dict[str, Any] = {"moodle": _extras(c_row, c_order)}
            if children.get(comp_code):
                meta["indicators"] = indicators(comp_code)
            comp = {"code": comp_code, "name": c_row["name"], "_line": c_line, "_months_error": True, "meta": meta}
            comp.update(said(c_row, "description", "summary"))
            area["competences"].append(comp)
        doc["areas"].append(area)


def _scale(rows: FrameworkRows) -> tuple[str, str]:
    """Scale values and configuration for a framework that did not come from Moodle: its levels,
    the first the default and every other one proficient."""
    bands = [lv.band for lv in rows.levels]
    if not bands:
        items = DEFAULT_SCALE.split(",")
    elif all(bands) and len(set(bands)) == len(bands):
        items = bands
    else:
        items = [f"Level {lv.level}" + (f" ({lv.band})" if lv.band else "") for lv in rows.levels]
    items = [item.replace(",", " ") for item in items]
    config: list[dict[str, Any]] = [{"scaleid": None}]
    config += [{"id": n, "scaledefault": int(n == 1), "proficient": int(n > 1 or len(items) == 1)} for n in range(1, len(items) + 1)]
    return ",".join(items), json.dumps(config, separators=(",", ":"))


def moodle_rows(session: Session, framework: Framework) -> list[list[object]]:
    rows = framework_rows(session, framework)
    fw_meta = framework.meta.get("moodle")
    if fw_meta is None:
        scale_values, scale_config = _scale(rows)
        fw_meta = {"descriptionformat": FORMAT_PLAIN, "scalevalues": scale_values, "scaleconfiguration": scale_config}
        fw_meta |= {"isframework": "1", "taxonomies": "domain,competency,indicator"}
    head = {"parent": "", "code": framework.code, "name": framework.name, "description": framework.description}
    nodes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for area in rows.areas:
        nodes.append(
            ({"parent": "", "code": area.code, "name": area.name, "description": area.description}, area.meta.get("moodle") or {})
        )
        for comp in rows.by_area.get(area.id, []):
            cells = {"parent": area.code, "code": comp.code, "name": comp.name, "description": comp.description}
            nodes.append((cells, comp.meta.get("moodle") or {}))
            for ind in comp.meta.get("indicators") or []:
                cells = {"parent": ind.get("parent") or comp.code, "code": ind["code"], "name": ind.get("name", "")}
                nodes.append(({**cells, "description": ind.get("description", "")}, ind.get("moodle") or {}))
    # Items from Moodle go back in their place in the file; ours follow in tree order.
    order = sorted(range(len(nodes)), key=lambda i: (0, nodes[i][1]["row"]) if "row" in nodes[i][1] else (1, i))
    next_id = 1 + max((int(m["exportid"]) for _c, m in nodes if str(m.get("exportid", "")).isdigit()), default=0)
    out: list[list[object]] = [[{**fw_meta, **head}.get(k, "") for k in KEYS]]
    for i in order:
        cells, meta = nodes[i]
        if not meta:
            meta = {"descriptionformat": FORMAT_PLAIN, "ruleoutcome": "0", "ruleconfig": "null", "exportid": str(next_id)}
            next_id += 1
        out.append([{**meta, **cells}.get(k, "") for k in KEYS])
    return out


def export_moodle_csv(session: Session, framework: Framework) -> str:
    """The framework as Moodle's import tool reads it, through the project's one CSV writer."""
    return csv_text(MOODLE_HEADER, moodle_rows(session, framework))
