"""The framework document every file format parses into, its checks, and writing it.

A document is the shape DigComp ships in (framework, levels, areas, competences), plus what a
foreign format says that has no column of its own: `meta` on the framework, each area and each
competence (Moodle's scale and rules, CASE's fields), and `indicators` in a competence's meta for
the levels of a deeper tree. Items are matched by code, so importing the same file twice changes
nothing; items missing from a file are kept, because evidence may point at them. A key a document
leaves out (or a blank CSV cell) never blanks what is stored: only what the file says is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from lms.clock import utcnow
from lms.competences.framework_languages import (
    at_line,
    check_document_languages,
    document_translations,
    import_translations,
    level_translations,
)
from lms.competences.models import MAX_CODE, MAX_LEVEL, Competence, CompetenceArea, Framework, ProficiencyLevel
from lms.csvfile import FORMULA_START
from lms.i18n import gettext
from lms.web.params import MAX_ID, parse_int

MAX_BYTES = 5 * 1024 * 1024
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE)

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
    fresh: set[tuple[str, object]] = field(default_factory=set)  # (model, code) of the rows this import created


def decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise FrameworkFileError([gettext("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FrameworkFileError([gettext("The file is not UTF-8 text.")]) from None
    return data.lstrip("\ufeff")


def unguard(cell: str) -> str:
    """A cell as it was before lms.csvfile's formula guard prefixed an apostrophe, so our own
    exports import back unchanged."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_START else cell


def code_problem(code: str) -> str | None:
    """Why a code cannot be used, or None. Codes are Moodle id numbers: up to 100 characters of
    any printable text."""
    # The end of a sentence naming the code ("area code 'X' is missing"), in the reader's language.
    if not code:
        return gettext("is missing")
    if len(code) > MAX_CODE:
        return gettext("is longer than %(max)s characters") % {"max": MAX_CODE}
    if not code.isprintable():
        return gettext("holds a character that cannot be printed (a tab, line break or control character)")
    return None


def months(raw: object, where: str, errors: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_int(raw, -MAX_ID, MAX_ID)
    if value is None:
        errors.append(
            gettext("%(where)s: evidence_valid_months must be a whole number of months, not '%(value)s'.")
            % {"where": where, "value": str(raw)[:40]}
        )
        return None
    if not 1 <= value <= 120:
        errors.append(gettext("%(where)s: evidence_valid_months must be between 1 and 120.") % {"where": where})
    return value


# Longest text each field may hold (the column sizes); versions may also be written as numbers.
TEXT_LIMITS = {
    "code": MAX_CODE,
    "name": 300,
    "version": 32,
    "publisher": 300,
    "licence": 500,
    "band": 64,
    "summary": 20_000,
    "description": 20_000,
}


def too_long(obj: dict, keys: Iterable[str], path: str, errors: list[str]) -> None:
    for key in keys:
        value = str(obj.get(key) or "")
        if len(value) > TEXT_LIMITS[key]:
            errors.append(
                gettext("%(where)s: '%(key)s' is longer than %(max)s characters.")
                % {"where": path, "key": key, "max": TEXT_LIMITS[key]}
            )


def _check_code(value: object, area: bool, path: str, seen: set[str], errors: list[str]) -> None:
    code = str(value or "").strip()
    problem = code_problem(code)
    if problem:
        sentence = (
            gettext("%(where)s: area code '%(code)s' %(problem)s.")
            if area
            else gettext("%(where)s: competence code '%(code)s' %(problem)s.")
        )
        errors.append(sentence % {"where": path, "code": code[:40], "problem": problem})
    elif code in seen:
        sentence = (
            gettext("%(where)s: area code '%(code)s' appears twice.")
            if area
            else gettext("%(where)s: competence code '%(code)s' appears twice.")
        )
        errors.append(sentence % {"where": path, "code": code})
    seen.add(code)


def check_document(doc: dict, errors: list[str], where: Callable[[str], str]) -> None:
    """Every problem of a document whose shapes are right, each with its place."""
    too_long(doc, ("name", "version", "publisher", "licence", "description"), where("framework"), errors)
    if not str(doc.get("name") or "").strip():
        errors.append(gettext("%(where)s: 'name' is required.") % {"where": where("framework")})
    code = str(doc.get("code") or "").strip()
    if (problem := code_problem(code)) is not None:
        errors.append(
            gettext("%(where)s: code '%(code)s' %(problem)s.") % {"where": where("framework"), "code": code[:40], "problem": problem}
        )
    for key in ("case_id",):
        if doc.get(key) is not None and not UUID_RE.match(str(doc[key])):
            errors.append(gettext("%(where)s: '%(key)s' must be a UUID.") % {"where": where("framework"), "key": key})
    check_document_languages(doc, errors, where)
    seen_levels = set()
    for i, lv in enumerate(doc.get("levels") or []):
        path = where(f"levels[{i}]")
        level = lv.get("level") if isinstance(lv, dict) else None
        if not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
            errors.append(gettext("%(where)s: level must be a number from 1 to %(max)s.") % {"where": path, "max": MAX_LEVEL})
        elif level in seen_levels:
            errors.append(gettext("%(where)s: level %(level)s appears twice.") % {"where": path, "level": level})
        seen_levels.add(level)
        if isinstance(lv, dict):
            too_long(lv, ("band", "summary"), path, errors)
    seen_areas: set[str] = set()
    seen_comps: set[str] = set()
    areas = doc.get("areas")
    if not isinstance(areas, list) or not areas:
        errors.append(gettext("%(where)s: at least one area is required.") % {"where": where("framework")})
        return
    for i, area in enumerate(areas):
        path = where(f"areas[{i}]") if not area.get("_line") else at_line(area["_line"])
        _check_code(area.get("code"), True, path, seen_areas, errors)
        if not str(area.get("name") or "").strip():
            errors.append(gettext("%(where)s: area name is required.") % {"where": path})
        too_long(area, ("name", "description"), path, errors)
        for j, comp in enumerate(area.get("competences") or []):
            cpath = where(f"areas[{i}].competences[{j}]") if not comp.get("_line") else at_line(comp["_line"])
            _check_code(comp.get("code"), False, cpath, seen_comps, errors)
            if not str(comp.get("name") or "").strip():
                errors.append(gettext("%(where)s: competence name is required.") % {"where": cpath})
            too_long(comp, ("name", "summary"), cpath, errors)
            if "_months_error" not in comp:
                months(comp.get("evidence_valid_months"), cpath, errors)


def sort_errors(errors: list[str]) -> list[str]:
    """In file order, as people fix them top to bottom; problems of the file as a whole come last.

    A row's place is written in the reader's language ("line 4", "ligne 4"), so it is read back the same way."""
    numbered = re.compile("^" + re.escape(at_line("0000")).replace("0000", r"(\d+)") + r"\b")
    return sorted(errors, key=lambda e: int(m.group(1)) if (m := numbered.match(e)) else float("inf"))


def merge_meta(old: dict, new: dict) -> dict:
    """`new` laid over `old` one level deep, indicators matched by code: what the new file does not
    mention stays as it was."""
    merged = dict(old)
    for key, value in new.items():
        before = old.get(key)
        if key == "indicators" and isinstance(before, list) and isinstance(value, list):
            by_code = {str(ind.get("code")): ind for ind in before}
            order = [str(ind.get("code")) for ind in before]
            for ind in value:
                code = str(ind.get("code"))
                if code not in by_code:
                    order.append(code)
                by_code[code] = merge_meta(by_code.get(code, {}), ind)
            merged[key] = [by_code[c] for c in order]
        elif isinstance(value, dict) and isinstance(before, dict):
            merged[key] = {**before, **value}
        else:
            merged[key] = value
    return merged


def _said(source: dict, keys: dict[str, str]) -> dict[str, Any]:
    """Column values for the document keys present in `source` (document key -> column)."""
    return {column: source[key] for key, column in keys.items() if key in source}


def framework_import(session: Session, *, doc: dict) -> ImportCounts:
    """Create or update a framework from a validated document. The caller commits."""
    counts = ImportCounts()

    def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        row = session.exec(select(model).filter_by(**lookup)).first()
        if row is None:
            counts.fresh.add((model.__name__, lookup.get("code", lookup.get("level"))))
        if row is not None and "meta" in values:
            values = {**values, "meta": merge_meta(getattr(row, "meta", None) or {}, values["meta"])}
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

    values = {"name": doc["name"], **_said(doc, {"publisher": "publisher", "licence": "licence", "description": "description"})}
    if "version" in doc:
        values["version"] = str(doc["version"] if doc["version"] is not None else "")
    values.update({k: v for k, v in (("meta", doc.get("meta")), ("case_id", doc.get("case_id"))) if v})
    if doc.get("language"):
        values["language"] = doc["language"]
    fw = upsert(Framework, {"code": doc["code"]}, {k: ("" if v is None else v) for k, v in values.items()})
    counts.framework = fw
    level_rows: dict[int, ProficiencyLevel] = {}
    for lv in doc.get("levels") or []:
        level_rows[lv["level"]] = upsert(
            ProficiencyLevel,
            {"framework_id": fw.id, "level": lv["level"]},
            {k: v or "" for k, v in _said(lv, {"band": "band", "summary": "summary"}).items()},
        )
    area_rows: dict[str, CompetenceArea] = {}
    comp_rows: dict[str, Competence] = {}
    for a_pos, area in enumerate(doc["areas"]):
        area_values = {"name": area["name"], "position": a_pos, **_said(area, {"description": "description"})}
        area_values.update({k: area[k] for k in ("meta", "case_id") if area.get(k)})
        area_row = upsert(CompetenceArea, {"framework_id": fw.id, "code": area["code"]}, area_values)
        area_rows[area["code"]] = area_row
        for c_pos, comp in enumerate(area.get("competences") or []):
            comp_values = {
                "area_id": area_row.id,
                "name": comp["name"],
                "position": c_pos,
                **{k: v or "" for k, v in _said(comp, {"summary": "description"}).items()},
                **_said(comp, {"evidence_valid_months": "evidence_valid_months"}),
            }
            comp_values.update({k: comp[k] for k in ("meta", "case_id") if comp.get(k)})
            comp_rows[comp["code"]] = upsert(Competence, {"framework_id": fw.id, "code": comp["code"]}, comp_values)
    # A version of an item this import created is part of creating it, not an update.
    counts.updated += import_translations(
        session, doc=doc, framework=fw, areas=area_rows, competences=comp_rows, fresh=counts.fresh, levels=level_rows
    )
    if counts.created or counts.updated:
        fw.updated_at = utcnow()
        session.add(fw)
    return counts


@dataclass
class FrameworkRows:
    """A framework's rows in order, for the exporters."""

    framework: Framework
    levels: list[ProficiencyLevel]
    areas: list[CompetenceArea]
    by_area: dict[int, list[Competence]]


def framework_rows(session: Session, framework: Framework) -> FrameworkRows:
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
    return FrameworkRows(framework, list(levels), list(areas), by_area)


def framework_document(session: Session, framework: Framework) -> dict:
    rows = framework_rows(session, framework)

    def extras(row: Any) -> dict:
        return {k: getattr(row, k) for k in ("case_id", "meta") if getattr(row, k)}

    fw_versions, area_versions, comp_versions = document_translations(session, framework)
    level_versions = level_translations(session, framework)

    def versions(found: dict) -> dict:
        return {"translations": found} if found else {}

    return {
        "code": framework.code,
        # Said when it matters (not English, or with versions in other languages), so older files round-trip as they are.
        **(
            {"language": framework.language}
            if framework.language != "en" or fw_versions or area_versions or comp_versions or level_versions
            else {}
        ),
        "name": framework.name,
        "version": framework.version,
        "publisher": framework.publisher,
        "licence": framework.licence,
        **({"description": framework.description} if framework.description else {}),
        **extras(framework),
        **versions(fw_versions),
        "levels": [
            {"level": lv.level, "band": lv.band, "summary": lv.summary, **versions(level_versions.get(lv.level, {}))}
            for lv in rows.levels
        ],
        "areas": [
            {
                "code": a.code,
                "name": a.name,
                **({"description": a.description} if a.description else {}),
                **extras(a),
                **versions(area_versions.get(a.id or 0, {})),
                "competences": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "summary": c.description,
                        **({"evidence_valid_months": c.evidence_valid_months} if c.evidence_valid_months else {}),
                        **extras(c),
                        **versions(comp_versions.get(c.id or 0, {})),
                    }
                    for c in rows.by_area.get(a.id, [])
                ],
            }
            for a in rows.areas
        ],
    }
