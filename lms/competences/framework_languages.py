"""Languages in a framework document, in every format (JSON, CSV, CASE).

`language` on the framework says what its own names and descriptions are written in (default `en`).
`translations` on the framework, each area and each competence holds the other languages:
`{"fr": {"name": "…", "description": "…"}}` (a competence's description is its `summary`, as in the
rest of the document); each level's holds `{"fr": {"band": "…", "summary": "…"}}`. Importing writes
the versions a file gives and keeps the others, as with every other field: a file that says nothing
about French leaves the French names alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from lms.i18n import gettext

from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceAreaTranslation,
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
    ProficiencyLevel,
    ProficiencyLevelTranslation,
)

Translation = FrameworkTranslation | CompetenceAreaTranslation | CompetenceTranslation
# A language tag short enough for the column: en, fr, pt-BR, de-CH.
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")
MAX_NAME = 300
MAX_DESCRIPTION = 20_000
MAX_BAND = 64


def at_line(line: object) -> str:
    """A CSV row's place in a refusal ("line 4"), in the reader's language; a JSON path is shown as it is."""
    return gettext("line %(line)s") % {"line": line}


def language_problem(value: object) -> str | None:
    if not isinstance(value, str) or not LANGUAGE_RE.match(value):
        return gettext("'%(value)s' is not a language code such as en or fr") % {"value": str(value)[:20]}
    return None


def _languages(obj: dict, path: str, errors: list[str]) -> list[tuple[str, object]]:
    """An item's `translations` as (language, text) for each valid language code; the rest become errors."""
    value = obj.get("translations")
    if value is None:
        return []
    if not isinstance(value, dict):
        errors.append(
            gettext("%(where)s: 'translations' must be an object of languages, not %(type)s.")
            % {"where": path, "type": type(value).__name__}
        )
        return []
    found = []
    for language, text in value.items():
        if (problem := language_problem(language)) is not None:
            errors.append(gettext("%(where)s: translations: %(problem)s.") % {"where": path, "problem": problem})
        else:
            found.append((language, text))
    return found


def check_translations(obj: dict, path: str, errors: list[str], *, description_key: str = "description") -> None:
    """The shape and sizes of an item's `translations`, each problem with its place."""
    for language, text in _languages(obj, path, errors):
        if not isinstance(text, dict) or not isinstance(text.get("name"), str) or not text["name"].strip():
            errors.append(gettext("%(where)s: translations.%(language)s needs a 'name'.") % {"where": path, "language": language})
        elif len(text["name"]) > MAX_NAME or len(str(text.get(description_key) or "")) > MAX_DESCRIPTION:
            errors.append(gettext("%(where)s: translations.%(language)s is too long.") % {"where": path, "language": language})
        elif not isinstance(text.get(description_key) or "", str):
            errors.append(
                gettext("%(where)s: translations.%(language)s.%(key)s must be text.")
                % {"where": path, "language": language, "key": description_key}
            )


def check_level_translations(level: dict, path: str, errors: list[str]) -> None:
    """A level's `translations`: a band, a summary or both per language."""
    for language, text in _languages(level, path, errors):
        if not isinstance(text, dict) or not all(isinstance(text.get(k) or "", str) for k in ("band", "summary")):
            errors.append(
                gettext("%(where)s: translations.%(language)s must hold a 'band' and a 'summary' as text.")
                % {"where": path, "language": language}
            )
        elif not (text.get("band") or "").strip() and not (text.get("summary") or "").strip():
            errors.append(
                gettext("%(where)s: translations.%(language)s needs a 'band' or a 'summary'.") % {"where": path, "language": language}
            )
        elif len(text.get("band") or "") > MAX_BAND or len(text.get("summary") or "") > MAX_DESCRIPTION:
            errors.append(gettext("%(where)s: translations.%(language)s is too long.") % {"where": path, "language": language})


def check_document_languages(doc: dict, errors: list[str], where: Callable[[str], str]) -> None:
    if doc.get("language") is not None and (problem := language_problem(doc["language"])) is not None:
        errors.append(gettext("%(where)s: language %(problem)s.") % {"where": where("framework"), "problem": problem})
    check_translations(doc, where("framework"), errors)
    for i, level in enumerate(doc.get("levels") or []):
        if isinstance(level, dict):
            check_level_translations(level, where(f"levels[{i}]"), errors)
    for i, area in enumerate(doc.get("areas") or []):
        if not isinstance(area, dict):
            continue
        check_translations(area, where(f"areas[{i}]") if not area.get("_line") else at_line(area["_line"]), errors)
        for j, comp in enumerate(area.get("competences") or []):
            if isinstance(comp, dict):
                cpath = where(f"areas[{i}].competences[{j}]") if not comp.get("_line") else at_line(comp["_line"])
                check_translations(comp, cpath, errors, description_key="summary")


def _upsert(session: Session, model: type[Translation], key: dict[str, Any], name: str, description: str | None) -> bool:
    row = session.get(model, tuple(key.values()))
    if row is None:
        session.add(model(**key, name=name, description=description or ""))
        return True
    changed = row.name != name or (description is not None and row.description != description)
    if changed:
        row.name = name
        if description is not None:
            row.description = description
        session.add(row)
    return changed


def import_translations(
    session: Session,
    *,
    doc: dict,
    framework: Framework,
    areas: dict[str, CompetenceArea],
    competences: dict[str, Competence],
    fresh: set[tuple[str, object]],
    levels: dict[int, ProficiencyLevel] | None = None,
) -> int:
    """Write the versions the document gives; how many versions of items that existed before changed."""
    changed = 0
    for level in doc.get("levels") or []:
        level_row = (levels or {}).get(level["level"])
        for language, text in (level.get("translations") or {}).items() if level_row is not None else ():
            changed += _upsert_level(session, level_row, language, text) and (("ProficiencyLevel", level["level"]) not in fresh)

    def each(obj: dict, description_key: str) -> list[tuple[str, str, str | None]]:
        return [
            (language, " ".join(text["name"].split()), text.get(description_key))
            for language, text in (obj.get("translations") or {}).items()
        ]

    for language, name, description in each(doc, "description"):
        changed += _upsert(
            session, FrameworkTranslation, {"framework_id": framework.id, "language": language}, name, description
        ) and (("Framework", framework.code) not in fresh)
    for area in doc.get("areas") or []:
        area_row = areas[area["code"]]
        for language, name, description in each(area, "description"):
            changed += _upsert(
                session, CompetenceAreaTranslation, {"area_id": area_row.id, "language": language}, name, description
            ) and (("CompetenceArea", area["code"]) not in fresh)
        for comp in area.get("competences") or []:
            comp_row = competences[comp["code"]]
            for language, name, description in each(comp, "summary"):
                changed += _upsert(
                    session, CompetenceTranslation, {"competence_id": comp_row.id, "language": language}, name, description
                ) and (("Competence", comp["code"]) not in fresh)
    return changed


def _upsert_level(session: Session, level: ProficiencyLevel, language: str, text: dict) -> bool:
    band, summary = " ".join((text.get("band") or "").split()), text.get("summary")
    row = session.get(ProficiencyLevelTranslation, (level.id, language))
    if row is None:
        session.add(ProficiencyLevelTranslation(level_id=level.id, language=language, band=band, summary=summary or ""))
        return True
    changed = row.band != band or (summary is not None and row.summary != summary)
    if changed:
        row.band = band
        if summary is not None:
            row.summary = summary
        session.add(row)
    return changed


def level_translations(session: Session, framework: Framework) -> dict[int, dict[str, dict[str, str]]]:
    """level number -> {language: {"band": …, "summary": …}}, as a document holds them."""
    rows = session.exec(
        select(
            ProficiencyLevel.level,
            ProficiencyLevelTranslation.language,
            ProficiencyLevelTranslation.band,
            ProficiencyLevelTranslation.summary,
        )
        .join(ProficiencyLevel, ProficiencyLevel.id == ProficiencyLevelTranslation.level_id)
        .where(ProficiencyLevel.framework_id == framework.id)
        .order_by(ProficiencyLevelTranslation.language)
    ).all()
    found: dict[int, dict[str, dict[str, str]]] = {}
    for level, language, band, summary in rows:
        found.setdefault(level, {})[language] = {"band": band, "summary": summary}
    return found


def _versions(rows: list[tuple[int, str, str, str]], description_key: str) -> dict[int, dict[str, dict[str, str]]]:
    found: dict[int, dict[str, dict[str, str]]] = {}
    for owner, language, name, description in rows:
        text = {"name": name, **({description_key: description} if description else {})}
        found.setdefault(owner, {})[language] = text
    return found


def document_translations(session: Session, framework: Framework) -> tuple[dict, dict[int, dict], dict[int, dict]]:
    """(the framework's, each area's by id, each competence's by id) translations, as a document holds them."""
    fw = session.exec(
        select(
            FrameworkTranslation.framework_id,
            FrameworkTranslation.language,
            FrameworkTranslation.name,
            FrameworkTranslation.description,
        )
        .where(FrameworkTranslation.framework_id == framework.id)
        .order_by(FrameworkTranslation.language)
    ).all()
    areas = session.exec(
        select(
            CompetenceAreaTranslation.area_id,
            CompetenceAreaTranslation.language,
            CompetenceAreaTranslation.name,
            CompetenceAreaTranslation.description,
        )
        .join(CompetenceArea, CompetenceArea.id == CompetenceAreaTranslation.area_id)
        .where(CompetenceArea.framework_id == framework.id)
        .order_by(CompetenceAreaTranslation.language)
    ).all()
    comps = session.exec(
        select(
            CompetenceTranslation.competence_id,
            CompetenceTranslation.language,
            CompetenceTranslation.name,
            CompetenceTranslation.description,
        )
        .join(Competence, Competence.id == CompetenceTranslation.competence_id)
        .where(Competence.framework_id == framework.id)
        .order_by(CompetenceTranslation.language)
    ).all()
    return (
        _versions(list(fw), "description").get(framework.id or 0, {}),
        _versions(list(areas), "description"),
        _versions(list(comps), "summary"),
    )
