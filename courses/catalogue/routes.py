"""The course catalogue: published courses, searchable and filterable, with the learner's own status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from lms.i18n import gettext
from lms.web.paging import CARDS, page_size
from lms.web.access import SignedInUser
from lms.web.deps import DbSession
from lms.web.page_cache import page_cached
from lms.web.params import MAX_ID, parse_int
from lms.web.templating import render

from courses.translations.resolve import course_texts
from courses.catalogue.selectors import SORTS, CatalogueFilters, catalogue_options, catalogue_page, duration_text

router = APIRouter(prefix="/courses")


def _int_or_none(raw: str) -> int | None:
    # Empty selects arrive as "", so the filters are read as text and anything odd is ignored.
    return parse_int(raw, 0, MAX_ID)


@router.get("")
@page_cached
def catalogue(
    request: Request,
    db: DbSession,
    user: SignedInUser,
    q: Annotated[str, Query(max_length=200)] = "",
    area: Annotated[str, Query(max_length=12)] = "",
    competence: Annotated[str, Query(max_length=12)] = "",
    level: Annotated[str, Query(max_length=2)] = "",
    sort: Annotated[str, Query(max_length=16)] = "title",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    filters = CatalogueFilters(
        q=q, area=_int_or_none(area), competence=_int_or_none(competence), level=_int_or_none(level), sort=sort, page=page
    )
    result = catalogue_page(db, user_id=user.id, filters=filters, per_page=page_size(request, CARDS))
    areas, competences = catalogue_options(db)
    context = {
        "result": result,
        "filters": filters,
        "area_options": areas,
        "competence_options": competences,
        "level_options": [(n, gettext("Level %(level)s or higher") % {"level": n}) for n in range(1, 9)],
        "sort_options": list(SORTS.items()),
        "page_url": lambda n: filters.url("/courses", page=n),
        "duration": duration_text,
        "texts": course_texts(db, [card.course for card in result.items]),
    }
    return render(request, "courses/catalogue/catalogue.html", context, block="results")
