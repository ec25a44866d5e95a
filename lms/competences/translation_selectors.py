"""Reads for the page that edits a framework's versions in another language: every item (the
framework, its levels, areas and competences) with its original text and its version, if any.

Four statements whatever the size: levels, areas, competences, and every version in the language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import union
from sqlmodel import Session, select

from lms.competences.localised import names_for
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
from lms.i18n import current_locale


def language_name(code: str) -> str:
    """A language named in the page's language ("French" in English, "français" in French)."""
    return current_locale().languages.get(code, code)


def framework_version_languages(session: Session, framework_id: int) -> set[str]:
    """Every language the framework, one of its levels, areas or competences has a version in (one statement)."""
    statement = union(
        select(FrameworkTranslation.language).where(FrameworkTranslation.framework_id == framework_id),
        select(ProficiencyLevelTranslation.language)
        .join(ProficiencyLevel, ProficiencyLevel.id == ProficiencyLevelTranslation.level_id)
        .where(ProficiencyLevel.framework_id == framework_id),
        select(CompetenceAreaTranslation.language)
        .join(CompetenceArea, CompetenceArea.id == CompetenceAreaTranslation.area_id)
        .where(CompetenceArea.framework_id == framework_id),
        select(CompetenceTranslation.language)
        .join(Competence, Competence.id == CompetenceTranslation.competence_id)
        .where(Competence.framework_id == framework_id),
    )
    return set(session.execute(statement).scalars())


@dataclass
class VersionItem:
    kind: str  # "f" framework, "l" level, "a" area, "c" competence: the keys lms.competences.localised uses
    id: int
    code: str
    name: str  # the original's name (a level's band)
    description: str  # the original's description (a level's or competence's summary)
    version: tuple[str, str] | None  # (name, description) in the language, None when missing

    @property
    def field(self) -> str:
        """The form fields' prefix, unique on the page."""
        return {"f": "framework", "l": "level", "a": "area", "c": "competence"}[self.kind] + (
            "" if self.kind == "f" else f"-{self.id}"
        )

    @property
    def translated(self) -> bool:
        return self.version is not None


@dataclass
class AreaVersions:
    area: VersionItem
    competences: list[VersionItem] = field(default_factory=list)

    @property
    def items(self) -> list[VersionItem]:
        return [self.area, *self.competences]

    @property
    def missing(self) -> int:
        return sum(1 for item in self.items if not item.translated)


@dataclass
class FrameworkVersions:
    framework: Framework
    language: str
    framework_item: VersionItem
    levels: list[VersionItem]
    areas: list[AreaVersions]

    @property
    def items(self) -> list[VersionItem]:
        return [self.framework_item, *self.levels, *(item for block in self.areas for item in block.items)]

    @property
    def missing(self) -> int:
        return sum(1 for item in self.items if not item.translated)

    @property
    def levels_missing(self) -> int:
        return sum(1 for item in self.levels if not item.translated)

    def area(self, area_id: int) -> AreaVersions | None:
        return next((block for block in self.areas if block.area.id == area_id), None)


def framework_versions(session: Session, framework: Framework, language: str) -> FrameworkVersions:
    found = names_for(session, language=language).found
    fid = framework.id or 0

    def item(kind: str, row_id: int | None, code: str, name: str, description: str) -> VersionItem:
        return VersionItem(kind, row_id or 0, code, name, description, found.get((kind, row_id or 0)))

    levels = session.exec(select(ProficiencyLevel).where(ProficiencyLevel.framework_id == fid).order_by(ProficiencyLevel.level)).all()
    areas = session.exec(
        select(CompetenceArea).where(CompetenceArea.framework_id == fid).order_by(CompetenceArea.position, CompetenceArea.code)
    ).all()
    comps = session.exec(select(Competence).where(Competence.framework_id == fid).order_by(Competence.position, Competence.code)).all()
    blocks = {a.id: AreaVersions(item("a", a.id, a.code, a.name, a.description)) for a in areas}
    for c in comps:
        if c.area_id in blocks:
            blocks[c.area_id].competences.append(item("c", c.id, c.code, c.name, c.description))
    return FrameworkVersions(
        framework,
        language,
        item("f", framework.id, framework.code, framework.name, framework.description),
        [item("l", lv.id, str(lv.level), lv.band, lv.summary) for lv in levels],
        list(blocks.values()),
    )
