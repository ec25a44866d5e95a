"""The "achieved" statement for a verified competence level, named by the competence's CASE URI
(the identifier a CASE package brought, else the one Proficio publishes it under), with its
framework's as the parent, so an LRS can match it to the same framework elsewhere."""

from __future__ import annotations

from sqlalchemy import String, literal, select, union_all
from sqlmodel import Session

from lms.competences.framework_case import competence_case_uri, framework_case_uri
from lms.competences.models import Competence, CompetenceTranslation, Framework, FrameworkTranslation
from lms.config import get_settings
from lms.people.models import User
from lms.xapi.service import xapi_on, xapi_queue
from lms.xapi.statements import COMPETENCE, LEVEL_EXTENSION, Activity


def competence_achieved(session: Session, *, user: User, competence: Competence, level: int) -> None:
    """Queue "achieved" for a verified level just reached; the caller commits."""
    if not xapi_on():
        return
    settings = get_settings()
    framework = session.get(Framework, competence.framework_id)
    if framework is None:
        return
    base = settings.mail_base_url
    # Named in the framework's language and every version it has (one statement for both).
    versions = session.execute(
        union_all(
            select(
                literal("c", String(1)), CompetenceTranslation.language, CompetenceTranslation.name, CompetenceTranslation.description
            ).where(CompetenceTranslation.competence_id == competence.id),
            select(
                literal("f", String(1)), FrameworkTranslation.language, FrameworkTranslation.name, FrameworkTranslation.description
            ).where(FrameworkTranslation.framework_id == framework.id),
        )
    ).all()
    target = Activity(
        id=competence_case_uri(base, framework, competence),
        type=COMPETENCE,
        name=competence.name,
        lang=framework.language,
        names=tuple(sorted((lang, name) for kind, lang, name, _d in versions if kind == "c")),
        description=competence.description,
        descriptions=tuple(sorted((lang, text) for kind, lang, _n, text in versions if kind == "c")),
    )
    parent = Activity(
        id=framework_case_uri(base, framework),
        type=COMPETENCE,
        name=framework.name,
        lang=framework.language,
        names=tuple(sorted((lang, name) for kind, lang, name, _d in versions if kind == "f")),
    )
    result = {"success": True, "extensions": {LEVEL_EXTENSION: level}}
    xapi_queue(session, user=user, verb="achieved", activity=target, parent=parent, result=result, settings=settings)
