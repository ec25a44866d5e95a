"""The "achieved" statement for a verified competence level, named by the competence's CASE URI
(the identifier a CASE package brought, else the one Proficio publishes it under), with its
framework's as the parent, so an LRS can match it to the same framework elsewhere."""

from __future__ import annotations

from sqlmodel import Session

from lms.competences.framework_case import derived_id, framework_case_id, uri_for
from lms.competences.models import Competence, Framework
from lms.config import get_settings
from lms.people.models import User
from lms.xapi.service import xapi_on, xapi_queue
from lms.xapi.statements import COMPETENCE, LEVEL_EXTENSION, Activity


def competence_uri(base_url: str, framework: Framework, competence: Competence) -> str:
    # As lms.competences.framework_case writes the competence's CFItem.
    kept = competence.meta.get("case") or {}
    identifier = competence.case_id or kept.get("identifier") or derived_id("framework", framework.code, "competence", competence.code)
    return str(kept.get("uri") or uri_for(base_url, identifier))


def framework_uri(base_url: str, framework: Framework) -> str:
    document = (framework.meta.get("case") or {}).get("document") or {}
    return str(document.get("uri") or uri_for(base_url, framework_case_id(framework)))


def competence_achieved(session: Session, *, user: User, competence: Competence, level: int) -> None:
    """Queue "achieved" for a verified level just reached; the caller commits."""
    if not xapi_on():
        return
    settings = get_settings()
    framework = session.get(Framework, competence.framework_id)
    if framework is None:
        return
    base = settings.mail_base_url
    target = Activity(id=competence_uri(base, framework, competence), type=COMPETENCE, name=competence.name)
    parent = Activity(id=framework_uri(base, framework), type=COMPETENCE, name=framework.name)
    result = {"success": True, "extensions": {LEVEL_EXTENSION: level}}
    xapi_queue(session, user=user, verb="achieved", activity=target, parent=parent, result=result, settings=settings)
