"""Framework, area and competence names in the reader's language, for the pages that show them.

A framework's own text is in `Framework.language`; the *Translation tables hold the others. Pages
read their rows as today and pass them through `Names` (one statement for every translation in the
reader's language, none when every framework is already in it). What they get back is a read-only
view of the row with its name and description replaced: never the row itself, so nothing a page
shows can be flushed back over the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from sqlalchemy import String, literal, select, union_all
from sqlmodel import Session

from lms.competences.models import (
    Competence,
    CompetenceArea,
    CompetenceAreaTranslation,
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
)
from lms.competences.selectors import SkillRow
from lms.i18n import current_language

T = TypeVar("T", Framework, CompetenceArea, Competence)


class Localised:
    """A row seen in another language: `name` and `description` replaced, everything else the row's."""

    def __init__(self, row: Any, name: str, description: str) -> None:
        self._row = row
        self.name = name
        self.description = description

    def __getattr__(self, key: str) -> Any:
        return getattr(self._row, key)


def _statement(language: str) -> Any:
    return union_all(
        select(
            literal("f", String(1)), FrameworkTranslation.framework_id, FrameworkTranslation.name, FrameworkTranslation.description
        ).where(FrameworkTranslation.language == language),
        select(
            literal("a", String(1)),
            CompetenceAreaTranslation.area_id,
            CompetenceAreaTranslation.name,
            CompetenceAreaTranslation.description,
        ).where(CompetenceAreaTranslation.language == language),
        select(
            literal("c", String(1)), CompetenceTranslation.competence_id, CompetenceTranslation.name, CompetenceTranslation.description
        ).where(CompetenceTranslation.language == language),
    )


@dataclass
class Names:
    language: str
    found: dict[tuple[str, int], tuple[str, str]]

    def of(self, row: T) -> T:
        kind = {Framework: "f", CompetenceArea: "a", Competence: "c"}[type(row)]
        text = self.found.get((kind, row.id or 0))
        if text is None:
            return row
        # Typed as the row: templates and code read it the same way (and it must not be added to a session).
        return cast(T, Localised(row, text[0], text[1] or row.description))


def names_for(session: Session, frameworks: list[Framework] | None = None, *, language: str | None = None) -> Names:
    """Every framework, area and competence name in the reader's language. Skips the statement when the
    frameworks given (those the page shows) are all written in that language already."""
    language = language or current_language()
    if frameworks is not None and all(fw.language == language for fw in frameworks):
        return Names(language, {})
    rows = session.execute(_statement(language)).all()
    return Names(language, {(kind, owner): (name, description) for kind, owner, name, description in rows})


def localised_rows(session: Session, rows: list[SkillRow]) -> list[SkillRow]:
    """Skill rows with their competence, area and framework named in the reader's language."""
    if not rows:
        return rows
    names = names_for(session, list({r.framework.id: r.framework for r in rows}.values()))
    if not names.found:
        return rows
    return [replace(r, competence=names.of(r.competence), area=names.of(r.area), framework=names.of(r.framework)) for r in rows]


def localised_pairs(session: Session, pairs: list[tuple[Competence, CompetenceArea]]) -> list[tuple[Competence, CompetenceArea]]:
    """(competence, area) pairs, as the heatmap's columns, named in the reader's language."""
    if not pairs:
        return pairs
    names = names_for(session)
    return [(names.of(c), names.of(a)) for c, a in pairs] if names.found else pairs
