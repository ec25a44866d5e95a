"""Framework, area, competence, level and job profile names in the reader's language, for the pages
that show them.

A framework's own text is in `Framework.language` (its levels' too), a job profile's in
`JobProfile.language`; the *Translation tables hold the others. Pages
read their rows as today and pass them through `Names` (one statement for every translation in the
reader's language, none when every framework is already in it). What they get back is a read-only
view of the row with its name and description (a level's band and summary) replaced: never the row itself, so nothing a page
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
    JobProfile,
    JobProfileTranslation,
    ProficiencyLevel,
    ProficiencyLevelTranslation,
)
from lms.competences.selectors import SkillRow
from lms.i18n import current_language

T = TypeVar("T", Framework, CompetenceArea, Competence, ProficiencyLevel, JobProfile)
C = TypeVar("C")
_KINDS: dict[type, tuple[str, str, str]] = {
    Framework: ("f", "name", "description"),
    CompetenceArea: ("a", "name", "description"),
    Competence: ("c", "name", "description"),
    ProficiencyLevel: ("l", "band", "summary"),
    JobProfile: ("p", "name", "description"),
}


class Localised:
    """A row seen in another language: its name and description (a level's band and summary)
    replaced, everything else the row's."""

    def __init__(self, row: Any, **text: str) -> None:
        self._row = row
        self.__dict__.update(text)

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
        select(
            literal("l", String(1)),
            ProficiencyLevelTranslation.level_id,
            ProficiencyLevelTranslation.band,
            ProficiencyLevelTranslation.summary,
        ).where(ProficiencyLevelTranslation.language == language),
        select(
            literal("p", String(1)),
            JobProfileTranslation.job_profile_id,
            JobProfileTranslation.name,
            JobProfileTranslation.description,
        ).where(JobProfileTranslation.language == language),
    )


@dataclass
class Names:
    language: str
    found: dict[tuple[str, int], tuple[str, str]]

    def of(self, row: T) -> T:
        kind, name_key, description_key = _KINDS[type(row)]
        text = self.found.get((kind, row.id or 0))
        if text is None:
            return row
        # Typed as the row: templates and code read it the same way (and it must not be added to a session).
        fields = {name_key: text[0] or getattr(row, name_key), description_key: text[1] or getattr(row, description_key)}
        return cast(T, Localised(row, **fields))

    def all(self, rows: list[T]) -> list[T]:
        return [self.of(row) for row in rows] if self.found else rows

    def levels(self, grouped: dict[int, list[ProficiencyLevel]]) -> dict[int, list[ProficiencyLevel]]:
        """levels_by_framework's answer, each level's band and summary in the reader's language."""
        return {fw_id: self.all(levels) for fw_id, levels in grouped.items()} if self.found else grouped


def names_for(
    session: Session,
    frameworks: list[Framework] | None = None,
    *,
    profiles: list[JobProfile | None] | None = None,
    language: str | None = None,
) -> Names:
    """Every framework, area, competence, level and job profile name in the reader's language. Skips the
    statement when the frameworks and profiles given (those the page shows) are all written in that
    language already."""
    language = language or current_language()
    shown = [*(frameworks or []), *(p for p in profiles or [] if p is not None)]
    if frameworks is not None and all(item.language == language for item in shown):
        return Names(language, {})
    rows = session.execute(_statement(language)).all()
    return Names(language, {(kind, owner): (name, description) for kind, owner, name, description in rows})


def row_frameworks(rows: list[SkillRow]) -> list[Framework]:
    return list({r.framework.id: r.framework for r in rows}.values())


def localised_rows(session: Session, rows: list[SkillRow], names: Names | None = None) -> list[SkillRow]:
    """Skill rows with their competence, area and framework named in the reader's language (with
    `names` when the page has read them already for its levels or profile)."""
    if not rows:
        return rows
    names = names or names_for(session, row_frameworks(rows))
    if not names.found:
        return rows
    return [replace(r, competence=names.of(r.competence), area=names.of(r.area), framework=names.of(r.framework)) for r in rows]


def localised_pairs(
    session: Session, pairs: list[tuple[Competence, CompetenceArea]], names: Names | None = None
) -> list[tuple[Competence, CompetenceArea]]:
    """(competence, area) pairs, as the heatmap's columns, named in the reader's language."""
    if not pairs:
        return pairs
    names = names or names_for(session)
    return [(names.of(c), names.of(a)) for c, a in pairs] if names.found else pairs


@dataclass
class FrameworkNames:
    """One framework's names in the reader's language, for pages that keep the framework's own names in
    figures shared by every reader (the organisation reports): (kind, id) -> name, where a level's id
    is its number."""

    found: dict[tuple[str, int], str]

    def renamed(self, kind: str, items: list[C]) -> list[C]:
        """Copies of report columns (dataclasses with `key` and `name`) with the names found; "a" areas, "c" competences."""
        if not self.found:
            return items
        return [replace(item, name=self.found.get((kind, item.key), item.name)) for item in items]  # type: ignore[type-var]

    def band(self, label: str, levels: list[int]) -> str:
        """A level group's label (its band, shared by the levels given) in the reader's language."""
        found = {self.found[("l", level)] for level in levels if ("l", level) in self.found}
        return found.pop() if len(found) == 1 and len(levels) and levels[0] else label

    def of(self, framework: Framework | None) -> Framework | None:
        name = self.found.get(("f", framework.id or 0)) if framework is not None else None
        return cast(Framework, Localised(framework, name=name, description=framework.description)) if name and framework else framework


def framework_names(session: Session, framework: Framework | None, *, language: str | None = None) -> FrameworkNames:
    """The framework's, its areas', competences' and levels' names in the reader's language: one
    statement, none when the framework is written in that language."""
    language = language or current_language()
    if framework is None or framework.language == language:
        return FrameworkNames({})
    fid = framework.id
    rows = session.execute(
        union_all(
            select(literal("f", String(1)), FrameworkTranslation.framework_id, FrameworkTranslation.name).where(
                FrameworkTranslation.framework_id == fid, FrameworkTranslation.language == language
            ),
            select(literal("a", String(1)), CompetenceAreaTranslation.area_id, CompetenceAreaTranslation.name)
            .join(CompetenceArea, CompetenceArea.id == CompetenceAreaTranslation.area_id)
            .where(CompetenceArea.framework_id == fid, CompetenceAreaTranslation.language == language),
            select(literal("c", String(1)), CompetenceTranslation.competence_id, CompetenceTranslation.name)
            .join(Competence, Competence.id == CompetenceTranslation.competence_id)
            .where(Competence.framework_id == fid, CompetenceTranslation.language == language),
            select(literal("l", String(1)), ProficiencyLevel.level, ProficiencyLevelTranslation.band)
            .join(ProficiencyLevel, ProficiencyLevel.id == ProficiencyLevelTranslation.level_id)
            .where(ProficiencyLevel.framework_id == fid, ProficiencyLevelTranslation.language == language),
        )
    ).all()
    return FrameworkNames({(kind, owner): name for kind, owner, name in rows if name})
