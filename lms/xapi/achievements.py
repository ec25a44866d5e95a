"""The "achieved" statement for a verified competence level, named by the competence's CASE URI
(the identifier a CASE package brought, else the one Proficio publishes it under), with its
framework's as the parent, so an LRS can match it to the same framework elsewhere."""

from __future__ import annotations

from sqlmodel import Session

from lms.competences.framework_case import competence_case_uri, framework_case_uri
from lms.competences.models import Competence, Framework
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
    target = Activity(id=competence_case_uri(base, framework, competence), type=COMPETENCE, name=competence.name)
    parent = Activity(id=framework_case_uri(base, framework), type=COMPETENCE, name=framework.name)
    result = {"success": True, "extensions": {LEVEL_EXTENSION: level}}
    xapi_queue(session, user=user, verb="achieved", activity=target, parent=parent, result=result, settings=settings)
