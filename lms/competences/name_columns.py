"""Competence and area names in the reader's language inside a query a page already runs: an outer
join and a COALESCE, so the page's statement count stays as it was (lms.competences.localised reads
them in a statement of their own for pages that read whole rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func
from sqlalchemy.orm import aliased

from lms.competences.models import Competence, CompetenceArea, CompetenceAreaTranslation, CompetenceTranslation
from lms.i18n import current_language


def name_in_language(model: type[Competence] | type[CompetenceArea], language: str | None = None) -> tuple[Any, Any, Any]:
    """(translation table, its join condition, the name in the reader's language else the row's own) for
    a query that reads competence or area names itself: outer-join the table on the condition and select
    the name, so the page keeps its statement count."""
    language = language or current_language()
    if model is Competence:
        ct = aliased(CompetenceTranslation)
        return ct, and_(ct.competence_id == Competence.id, ct.language == language), func.coalesce(ct.name, Competence.name)
    at = aliased(CompetenceAreaTranslation)
    return at, and_(at.area_id == CompetenceArea.id, at.language == language), func.coalesce(at.name, CompetenceArea.name)
