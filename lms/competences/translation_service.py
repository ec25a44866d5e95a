"""Writing a framework's versions in another language from the page that edits them. Callers commit.

A version is the name and description of one item (a level's band and summary) in one language; an
item whose fields are all left empty has no version in that language, so clearing them removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel

from lms.audit.service import audit_record
from lms.clock import utcnow
from lms.competences.framework_languages import MAX_BAND, MAX_DESCRIPTION, MAX_NAME
from lms.competences.models import (
    CompetenceAreaTranslation,
    CompetenceTranslation,
    Framework,
    FrameworkTranslation,
    ProficiencyLevelTranslation,
)
from lms.competences.service import CompetenceError
from lms.competences.translation_selectors import framework_version_languages, language_name
from lms.i18n import SUPPORTED_LANGUAGES, gettext
from lms.people.models import User

# kind -> (table, owner column, name column, description column)
_TABLES: dict[str, tuple[type[SQLModel], str, str, str]] = {
    "f": (FrameworkTranslation, "framework_id", "name", "description"),
    "a": (CompetenceAreaTranslation, "area_id", "name", "description"),
    "c": (CompetenceTranslation, "competence_id", "name", "description"),
    "l": (ProficiencyLevelTranslation, "level_id", "band", "summary"),
}


class VersionErrors(CompetenceError):
    """Every problem of a long form at once, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), None)
        self.errors = errors


@dataclass
class VersionText:
    """What the form says for one item. The route builds these from the items the page shows, so
    `owner_id` is always one of this framework's rows."""

    kind: str
    owner_id: int
    field: str
    label: str
    name: str
    description: str


def _check(text: VersionText, language_label: str, errors: dict[str, str]) -> tuple[str, str]:
    name, description = " ".join(text.name.split()), text.description.strip()
    limit = MAX_BAND if text.kind == "l" else MAX_NAME
    if len(name) > limit:
        errors[f"{text.field}-name"] = gettext("%(item)s: use at most %(max)s characters for the name.") % {
            "item": text.label,
            "max": limit,
        }
    if len(description) > MAX_DESCRIPTION:
        errors[f"{text.field}-description"] = gettext("%(item)s: use at most %(max)s characters for the description.") % {
            "item": text.label,
            "max": MAX_DESCRIPTION,
        }
    if description and not name and text.kind != "l":
        errors[f"{text.field}-name"] = gettext(
            "%(item)s: enter the name in %(language)s, or clear the description to leave it without a version."
        ) % {"item": text.label, "language": language_label}
    return name, description


def _write(session: Session, text: VersionText, language: str, name: str, description: str) -> bool:
    model, owner, name_key, description_key = _TABLES[text.kind]
    row: Any = session.get(model, (text.owner_id, language))
    if not name and not description:
        if row is None:
            return False
        session.delete(row)
        return True
    if row is None:
        session.add(model(**{owner: text.owner_id, "language": language, name_key: name, description_key: description}))
        return True
    if getattr(row, name_key) == name and getattr(row, description_key) == description:
        return False
    setattr(row, name_key, name)
    setattr(row, description_key, description)
    session.add(row)
    return True


def framework_versions_save(
    session: Session,
    *,
    framework: Framework,
    language: str,
    language_label: str,
    texts: list[VersionText],
    by: User | None,
    client_ip: str | None = None,
) -> int:
    """Save the versions the form gives, all or none; returns how many changed (audited once)."""
    if language not in SUPPORTED_LANGUAGES or language == framework.language:
        raise CompetenceError(gettext("Choose a supported language other than the framework's own."), "form")
    errors: dict[str, str] = {}
    cleaned = [(text, *_check(text, language_label, errors)) for text in texts]
    if errors:
        raise VersionErrors(errors)
    changed = [text.label for text, name, description in cleaned if _write(session, text, language, name, description)]
    if changed:
        framework.updated_at = utcnow()
        session.add(framework)
        audit_record(
            session,
            action="framework.translation.save",
            actor=by,
            target_type="framework",
            target_id=framework.id,
            client_ip=client_ip,
            detail={"language": language, "changed": changed[:100], "count": len(changed)},
        )
    return len(changed)


def framework_language_set(
    session: Session, *, framework: Framework, language: str, by: User | None, client_ip: str | None = None
) -> bool:
    """Say which language the framework's own names and descriptions are written in; False when
    unchanged. Refused while any of its items has a version in that language: the item would then
    have two texts in one language, and which one people see would be a guess."""
    if language not in SUPPORTED_LANGUAGES:
        raise CompetenceError(gettext("Choose one of the languages Proficio supports."), "language")
    if language == framework.language:
        return False
    if language in framework_version_languages(session, framework.id or 0):
        raise CompetenceError(
            gettext(
                "This framework already has texts in %(language)s (its name, a level, an area or a competence). "
                "Clear them on its %(language)s version's pages first, then change its language."
            )
            % {"language": language_name(language)},
            "language",
        )
    previous, framework.language = framework.language, language
    framework.updated_at = utcnow()
    session.add(framework)
    audit_record(
        session,
        action="framework.language",
        actor=by,
        target_type="framework",
        target_id=framework.id,
        client_ip=client_ip,
        detail={"from": previous, "to": language},
    )
    return True
