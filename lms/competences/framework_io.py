"""Framework import and export as JSON and CSV.

Both formats parse into the same document shape (the one DigComp ships in), are validated as a
whole — every error with its line (CSV) or path (JSON) — and only then written. Items are matched
by code, so importing the same file twice changes nothing; items missing from a file are kept,
because evidence may point at them.
"""

from __future__ import annotations

from typing import Any, TypeVar
import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, SQLModel, select

from lms.competences.models import MAX_LEVEL, Competence, CompetenceArea, Framework, ProficiencyLevel
from lms.web.params import MAX_DIGITS, MAX_ID, parse_int

MAX_BYTES = 5 * 1024 * 1024
CSV_COLUMNS = ["kind", "code", "name", "summary", "area", "band", "evidence_valid_months", "version", "publisher", "licence"]
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

M = TypeVar("M", bound=SQLModel)


class FrameworkFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    framework: Framework | None = None
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise FrameworkFileError([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FrameworkFileError(["The file is not UTF-8 text."]) from None
    return data.lstrip("\ufeff")


def parse(data: bytes | str, fmt: str) -> dict:
    text = _decode(data)
    if fmt == "json":
        return _validate_json(text)
    if fmt == "csv":
        return _parse_csv(text)
    raise FrameworkFileError([f"Unknown format '{fmt}': use json or csv."])


def _months(raw: object, where: str, errors: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_int(raw, -MAX_ID, MAX_ID)
    if value is None:
        errors.append(f"{where}: evidence_valid_months must be a whole number of months, not '{str(raw)[:40]}'.")
        return None
    if not 1 <= value <= 120:
        errors.append(f"{where}: evidence_valid_months must be between 1 and 120.")
    return value


def _json_int(digits: str) -> int | float:
    """JSON integers too long for any id or level become floats (which every check refuses), so a
    5,000-digit number is a bad value, not a ValueError from int()."""
    return int(digits) if len(digits) <= MAX_DIGITS + 1 else float(digits)


def _validate_json(text: str) -> dict:
    try:
        doc = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError([f"line {exc.lineno}: not valid JSON ({exc.msg})."]) from None
    except RecursionError:
        raise FrameworkFileError(["The JSON is nested too deeply to be a framework."]) from None
    if not isinstance(doc, dict):
        raise FrameworkFileError(["The file must hold one JSON object describing a framework."])
    # The shape is checked first so the later checks (and the import) can rely on it.
    errors = _check_shapes(doc)
    if errors:
        raise FrameworkFileError(errors)
    _check_document(doc, errors, where=lambda path: path)
    if errors:
        raise FrameworkFileError(errors)
    return doc


# Longest text each field may hold (the column sizes); versions may also be written as numbers.
_TEXT_LIMITS = {"code": 64, "name": 300, "version": 32, "publisher": 300, "licence": 500, "band": 64, "summary": 20_000}


def _check_text(obj: dict, keys: Iterable[str], path: str, errors: list[str]) -> None:
    for key in keys:
        value = obj.get(key)
        if value is None or (key == "version" and isinstance(value, (int, float)) and not isinstance(value, bool)):
            continue
        if not isinstance(value, str):
            errors.append(f"{path}: '{key}' must be text, not {type(value).__name__}.")


def _check_list(obj: dict, key: str, path: str, errors: list[str]) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{path}: '{key}' must be a list, not {type(value).__name__}.")
        return []
    good = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            good.append((i, item))
        else:
            where = f"{key}[{i}]" if path == "framework" else f"{path}.{key}[{i}]"
            errors.append(f"{where}: must be an object, not {type(item).__name__}.")
    return good


def _check_shapes(doc: dict) -> list[str]:
    errors: list[str] = []
    _check_text(doc, ("code", "name", "version", "publisher", "licence"), "framework", errors)
    for i, lv in _check_list(doc, "levels", "framework", errors):
        _check_text(lv, ("band", "summary"), f"levels[{i}]", errors)
    for i, area in _check_list(doc, "areas", "framework", errors):
        _check_text(area, ("code", "name"), f"areas[{i}]", errors)
        for j, comp in _check_list(area, "competences", f"areas[{i}]", errors):
            _check_text(comp, ("code", "name", "summary"), f"areas[{i}].competences[{j}]", errors)
    return errors


def _too_long(obj: dict, keys: Iterable[str], path: str, errors: list[str]) -> None:
    for key in keys:
        value = str(obj.get(key) or "")
        if len(value) > _TEXT_LIMITS[key]:
            errors.append(f"{path}: '{key}' is longer than {_TEXT_LIMITS[key]} characters.")


def _check_document(doc: dict, errors: list[str], where: Callable[[str], str]) -> None:
    _too_long(doc, ("name", "version", "publisher", "licence"), where("framework"), errors)
    for key in ("code", "name"):
        if not str(doc.get(key) or "").strip():
            errors.append(f"{where('framework')}: '{key}' is required.")
    if doc.get("code") and not CODE_RE.match(str(doc["code"])):
        errors.append(f"{where('framework')}: code '{doc['code']}' may use letters, digits, '.', '_' and '-'.")
    seen_levels = set()
    for i, lv in enumerate(doc.get("levels") or []):
        path = where(f"levels[{i}]")
        level = lv.get("level") if isinstance(lv, dict) else None
        if not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
            errors.append(f"{path}: level must be a number from 1 to {MAX_LEVEL}.")
        elif level in seen_levels:
            errors.append(f"{path}: level {level} appears twice.")
        seen_levels.add(level)
        if isinstance(lv, dict):
            _too_long(lv, ("band", "summary"), path, errors)
    seen_areas, seen_comps = set(), set()
    areas = doc.get("areas")
    if not isinstance(areas, list) or not areas:
        errors.append(f"{where('framework')}: at least one area is required.")
        return
    for i, area in enumerate(areas):
        path = where(f"areas[{i}]")
        code = str(area.get("code") or "").strip()
        if not code or not CODE_RE.match(code):
            errors.append(f"{path}: area code '{code}' is missing or not valid.")
        elif code in seen_areas:
            errors.append(f"{path}: area code '{code}' appears twice.")
        seen_areas.add(code)
        if not str(area.get("name") or "").strip():
            errors.append(f"{path}: area name is required.")
        _too_long(area, ("name",), path, errors)
        for j, comp in enumerate(area.get("competences") or []):
            cpath = where(f"areas[{i}].competences[{j}]") if not comp.get("_line") else f"line {comp['_line']}"
            ccode = str(comp.get("code") or "").strip()
            if not ccode or not CODE_RE.match(ccode):
                errors.append(f"{cpath}: competence code '{ccode}' is missing or not valid.")
            elif ccode in seen_comps:
                errors.append(f"{cpath}: competence code '{ccode}' appears twice.")
            seen_comps.add(ccode)
            if not str(comp.get("name") or "").strip():
                errors.append(f"{cpath}: competence name is required.")
            _too_long(comp, ("name", "summary"), cpath, errors)
            if "_months_error" not in comp:
                _months(comp.get("evidence_valid_months"), cpath, errors)


def _parse_csv(text: str) -> dict:
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
    for line, row in rows:
        row = {k: (v or "").strip() for k, v in row.items() if k}
        kind = row.get("kind", "").lower()
        if kind == "framework":
            framework_rows += 1
            line_of["framework"] = line
            doc.update(
                code=row["code"],
                name=row["name"],
                version=row.get("version", ""),
                publisher=row.get("publisher", ""),
                licence=row.get("licence", ""),
            )
        elif kind == "level":
            level = parse_int(row["code"], 1, MAX_LEVEL)
            if level is None:
                errors.append(f"line {line}: level code must be a number from 1 to {MAX_LEVEL}, not '{row['code'][:40]}'.")
                continue
            line_of[f"levels[{len(doc['levels'])}]"] = line
            doc["levels"].append({"level": level, "band": row.get("band", ""), "summary": row.get("summary", "")})
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
            months = _months(row.get("evidence_valid_months"), f"line {line}", errors)
            owner["competences"].append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "summary": row.get("summary", ""),
                    "evidence_valid_months": months,
                    "_line": line,
                    "_months_error": True,
                }
            )
        else:
            errors.append(f"line {line}: kind must be framework, level, area or competence, not '{kind}'.")
    if framework_rows != 1:
        errors.append(f"The file must have exactly one 'framework' row (found {framework_rows}).")
    line_of.update({f"areas[{i}]": a["_line"] for i, a in enumerate(doc["areas"])})
    _check_document(doc, errors, where=lambda path: f"line {line_of[path]}" if path in line_of else path)
    if errors:
        # In file order, as people fix them top to bottom; problems of the file as a whole come last.
        numbered = re.compile(r"^line (\d+):")
        errors.sort(key=lambda e: int(m.group(1)) if (m := numbered.match(e)) else float("inf"))
        raise FrameworkFileError(errors)
    return doc


def framework_import(session: Session, *, doc: dict) -> ImportCounts:
    """Create or update a framework from a validated document. The caller commits."""
    counts = ImportCounts()

    def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        row = session.exec(select(model).filter_by(**lookup)).first()
        if row is None:
            row = model(**lookup, **values)
            counts.created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            counts.updated += 1
        else:
            counts.unchanged += 1
        session.add(row)
        session.flush()
        return row

    fw = upsert(
        Framework,
        {"code": doc["code"]},
        {
            "name": doc["name"],
            "version": str(doc.get("version") or ""),
            "publisher": doc.get("publisher") or "",
            "licence": doc.get("licence") or "",
        },
    )
    counts.framework = fw
    for lv in doc.get("levels") or []:
        upsert(
            ProficiencyLevel,
            {"framework_id": fw.id, "level": lv["level"]},
            {"band": lv.get("band") or "", "summary": lv.get("summary") or ""},
        )
    for a_pos, area in enumerate(doc["areas"]):
        area_row = upsert(CompetenceArea, {"framework_id": fw.id, "code": area["code"]}, {"name": area["name"], "position": a_pos})
        for c_pos, comp in enumerate(area.get("competences") or []):
            upsert(
                Competence,
                {"framework_id": fw.id, "code": comp["code"]},
                {
                    "area_id": area_row.id,
                    "name": comp["name"],
                    "description": comp.get("summary") or "",
                    "position": c_pos,
                    "evidence_valid_months": comp.get("evidence_valid_months"),
                },
            )
    return counts


def framework_document(session: Session, framework: Framework) -> dict:
    levels = session.exec(
        select(ProficiencyLevel).where(ProficiencyLevel.framework_id == framework.id).order_by(ProficiencyLevel.level)
    ).all()
    areas = session.exec(
        select(CompetenceArea)
        .where(CompetenceArea.framework_id == framework.id)
        .order_by(CompetenceArea.position, CompetenceArea.code)
    ).all()
    comps = session.exec(
        select(Competence).where(Competence.framework_id == framework.id).order_by(Competence.position, Competence.code)
    ).all()
    by_area: dict[int, list[Competence]] = {}
    for c in comps:
        by_area.setdefault(c.area_id, []).append(c)
    return {
        "code": framework.code,
        "name": framework.name,
        "version": framework.version,
        "publisher": framework.publisher,
        "licence": framework.licence,
        "levels": [{"level": lv.level, "band": lv.band, "summary": lv.summary} for lv in levels],
        "areas": [
            {
                "code": a.code,
                "name": a.name,
                "competences": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "summary": c.description,
                        **({"evidence_valid_months": c.evidence_valid_months} if c.evidence_valid_months else {}),
                    }
                    for c in by_area.get(a.id, [])
                ],
            }
            for a in areas
        ],
    }


def export_json(session: Session, framework: Framework) -> str:
    return json.dumps(framework_document(session, framework), indent=2, ensure_ascii=False) + "\n"


def export_csv(session: Session, framework: Framework) -> str:
    doc = framework_document(session, framework)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(
        {
            "kind": "framework",
            "code": doc["code"],
            "name": doc["name"],
            "version": doc["version"],
            "publisher": doc["publisher"],
            "licence": doc["licence"],
        }
    )
    for lv in doc["levels"]:
        writer.writerow({"kind": "level", "code": lv["level"], "band": lv["band"], "summary": lv["summary"]})
    for area in doc["areas"]:
        writer.writerow({"kind": "area", "code": area["code"], "name": area["name"]})
        for c in area["competences"]:
            writer.writerow(
                {
                    "kind": "competence",
                    "code": c["code"],
                    "name": c["name"],
                    "summary": c["summary"],
                    "area": area["code"],
                    "evidence_valid_months": c.get("evidence_valid_months") or "",
                }
            )
    return out.getvalue()
